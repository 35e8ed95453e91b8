import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import BetterSqlite3 from 'better-sqlite3';

import { defaultZipPath, type IClock, ManualClock } from '../../host';
import { startWebServer } from '../../web/server';
import type { IWebServer } from '../../web/server';

/** The packaged app under test: LOCAL_HOST_ZIP, or what `npm run package` writes. */
export const zipPath = process.env.LOCAL_HOST_ZIP ?? defaultZipPath();

/** A try-it server on a free port with its own database in a temporary folder. */
export interface ITestServer {
	readonly server: IWebServer;
	readonly folder: string;
	readonly databasePath: string;
	stop(): Promise<void>;
}

/** Options of a test server beyond the page's folder. */
export interface ITestServerOptions {
	/** The members' clients' clock; a ManualClock (time stands still) unless a test gives one. */
	clock?: IClock;
	interactionTimeoutMs?: number;
	/** Another app than Feedback (e.g. the tests' blocks app), with its name on the page. */
	app?: { zipPath: string; name: string };
	/** The server's environment variables as apps read them (e.g. the survey secret). */
	environment?: Readonly<Record<string, string>>;
}

/**
 * Starts the page's server as `npm start` does, on port 0 and a fresh database. Its clients'
 * clock stands still unless the test moves it, so no triggerId expires on a slow machine.
 */
export async function startTestServer(
	publicDir?: string,
	options: ITestServerOptions = {},
): Promise<ITestServer> {
	const appZip = options.app?.zipPath ?? zipPath;
	assert.ok(fs.existsSync(appZip), `no package at ${appZip}: run npm run package first`);
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-web-test-'));
	const databasePath = path.join(folder, 'try.sqlite');
	const server = await startWebServer({
		port: 0,
		databasePath,
		zipPath: appZip,
		appName: options.app?.name,
		publicDir,
		clock: options.clock ?? new ManualClock(),
		interactionTimeoutMs: options.interactionTimeoutMs,
		environment: options.environment,
	});
	return {
		server,
		folder,
		databasePath,
		async stop() {
			await server.close();
			fs.rmSync(folder, { recursive: true, force: true });
		},
	};
}

/** What a request to the server answered. */
export interface IResponse {
	status: number;
	body: unknown;
	headers: Headers;
}

/** How a test request is made. */
export interface IRequestOptions {
	/** Acts as this member (the page's session cookie). */
	user?: string;
	/** Sent as JSON with Content-Type: application/json. */
	json?: unknown;
	/** Sent as is (with `headers` saying what it is). */
	raw?: string;
	headers?: Record<string, string>;
}

/** One request to the server's API. */
export async function call(
	server: IWebServer,
	method: string,
	route: string,
	options: IRequestOptions = {},
): Promise<IResponse> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.user) {
		headers.Cookie = `feedback_try_user=${encodeURIComponent(options.user)}`;
	}
	let body: string | undefined = options.raw;
	if (options.json !== undefined) {
		headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
		body = JSON.stringify(options.json);
	}
	const response = await fetch(new URL(route, server.url), { method, headers, body });
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON: keep the text
	}
	return { status: response.status, body: parsed, headers: response.headers };
}

/** The `error` of an error answer. */
export function errorOf(response: IResponse): string {
	const { body } = response;
	assert.ok(
		typeof body === 'object' &&
			body !== null &&
			typeof (body as { error?: unknown }).error === 'string',
		`expected { error } but got ${JSON.stringify(body)}`,
	);
	return (body as { error: string }).error;
}

/** Every row of every table of the database (zips by size only): equal snapshots mean no write. */
export function databaseSnapshot(databasePath: string): string {
	const database = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
	try {
		const tables = database
			.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
			.all() as Array<{ name: string }>;
		const dump: Record<string, unknown[]> = {};
		for (const { name } of tables) {
			const rows = database.prepare(`SELECT * FROM "${name}"`).all() as Array<
				Record<string, unknown>
			>;
			dump[name] = rows.map((row) =>
				Object.fromEntries(
					Object.entries(row).map(([column, value]) => [
						column,
						Buffer.isBuffer(value) ? `<${value.length} bytes>` : value,
					]),
				),
			);
		}
		return JSON.stringify(dump);
	} finally {
		database.close();
	}
}

/** What the host keeps in memory for members (ephemeral messages, open modals). */
export function sessionSnapshot(server: IWebServer): string {
	const { host } = server;
	return JSON.stringify(
		['admin', 'alice', 'bruno', 'clara'].map((username) => ({
			username,
			notifications: host.notifications(username).length,
			view: host.openView(username) ?? null,
		})),
	);
}
