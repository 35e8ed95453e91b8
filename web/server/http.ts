import type { IncomingMessage, ServerResponse } from 'http';

import type { IErrorDto } from '../shared/protocol';

/** A request the server refuses: sent as `{ error }` with its status, nothing written. */
export class HttpError extends Error {
	constructor(
		public readonly status: number,
		message: string,
	) {
		super(message);
		this.name = 'HttpError';
	}
}

/** Largest JSON body accepted (a comment is at most 10000 characters). */
export const MAX_BODY_BYTES = 256 * 1024;

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		'Cache-Control': 'no-store',
		'X-Content-Type-Options': 'nosniff',
	});
	res.end(text);
}

/** Sends `{ error }`. */
export function sendError(res: ServerResponse, status: number, message: string): void {
	const body: IErrorDto = { error: message };
	if (res.headersSent) {
		res.end();
		return;
	}
	sendJson(res, status, body);
}

/**
 * Reads a JSON object body. Only `application/json` is accepted, which also keeps other web
 * pages from posting here: a cross-origin JSON request needs a CORS preflight this server refuses.
 */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
	const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json') {
		throw new HttpError(415, 'Send the body as JSON with Content-Type: application/json');
	}
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > MAX_BODY_BYTES) {
		req.resume();
		throw new HttpError(413, `The body is larger than ${MAX_BODY_BYTES} bytes`);
	}
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > MAX_BODY_BYTES) {
			throw new HttpError(413, `The body is larger than ${MAX_BODY_BYTES} bytes`);
		}
		chunks.push(buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new HttpError(
			400,
			`The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
		);
	}
	if (!isRecord(parsed)) {
		throw new HttpError(400, 'The body must be a JSON object');
	}
	return parsed;
}

/** Reads one cookie. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
	for (const part of (req.headers.cookie ?? '').split(';')) {
		const equals = part.indexOf('=');
		if (equals > 0 && part.slice(0, equals).trim() === name) {
			try {
				return decodeURIComponent(part.slice(equals + 1).trim());
			} catch {
				return undefined;
			}
		}
	}
	return undefined;
}

/** A required string field of a JSON body. */
export function requireString(body: Record<string, unknown>, field: string): string {
	const value = body[field];
	if (typeof value !== 'string') {
		throw new HttpError(400, `The body needs a string field "${field}"`);
	}
	return value;
}
