import type { IErrorDto } from '../shared/protocol';

/** An error answer of the page's server, with its message. */
export class ApiError extends Error {
	constructor(
		public readonly status: number,
		message: string,
	) {
		super(message);
		this.name = 'ApiError';
	}
}

function isErrorDto(value: unknown): value is IErrorDto {
	return (
		typeof value === 'object' && value !== null && typeof (value as IErrorDto).error === 'string'
	);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(path, {
		method,
		credentials: 'same-origin',
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const payload: unknown = await response.json().catch(() => undefined);
	if (!response.ok) {
		throw new ApiError(
			response.status,
			isErrorDto(payload) ? payload.error : `${method} ${path} failed with ${response.status}`,
		);
	}
	return payload as T;
}

/** The page's server API (web/server/routes.ts). */
export const api = {
	get: <T>(path: string): Promise<T> => request<T>('GET', path),
	post: <T>(path: string, body: unknown): Promise<T> => request<T>('POST', path, body),
	put: <T>(path: string, body: unknown): Promise<T> => request<T>('PUT', path, body),
};

/** A path segment, encoded. */
export const segment = (value: string): string => encodeURIComponent(value);
