import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';

import { defaultZipPath, type IClock, LocalHost, projectRoot } from '../host';
import { Routes } from './server/routes';
import { Workspace } from './server/workspace';

/** How the try-it page's server is started. */
export interface IWebServerOptions {
	/** 0 picks a free port. */
	port: number;
	/** SQLite file of the local workspace (kept between runs), or ':memory:'. */
	databasePath: string;
	/** The packaged app; defaults to dist/feedback_1.0.0.zip. */
	zipPath?: string;
	/** The built page (node web/build.mjs); defaults to build/web/public. */
	publicDir?: string;
	/** The members' clients' clock (a ManualClock in tests); the machine's by default. */
	clock?: IClock;
	/** How long a triggerId lives and an answer may take (Rocket.Chat's 5000 ms by default). */
	interactionTimeoutMs?: number;
	/** The app's name on the page (the zip's app; Feedback by default). */
	appName?: string;
	/** The server process's environment as apps read it (ILocalHostOptions.environment); none by default. */
	environment?: Readonly<Record<string, string>>;
}

/** A running try-it server. */
export interface IWebServer {
	/** http://127.0.0.1:<port>/ */
	readonly url: string;
	readonly port: number;
	readonly host: LocalHost;
	/** Ends the event streams, stops listening and stops the host (and its Deno process). */
	close(): Promise<void>;
}

/** Only this address: the page acts as any member and admin, so it must not be reachable from the network. */
const LISTEN_ADDRESS = '127.0.0.1';

export const DEFAULT_PORT = 3300;

/** The database `npm start` uses, kept between runs. */
export function defaultTryDatabasePath(): string {
	return path.join(projectRoot(), 'data', 'try.sqlite');
}

/** The folder node web/build.mjs writes the page to. */
export function defaultPublicDir(): string {
	return path.join(projectRoot(), 'build', 'web', 'public');
}

/** Starts the local host with the packaged app and serves the page and its API on 127.0.0.1. */
export async function startWebServer(options: IWebServerOptions): Promise<IWebServer> {
	const host = await LocalHost.start({
		databasePath: options.databasePath,
		zipPath: options.zipPath ?? defaultZipPath(),
		clock: options.clock,
		interactionTimeoutMs: options.interactionTimeoutMs,
		environment: options.environment,
		// Alone on its database: the next start need not wait out this page's job locks.
		releaseJobLocksOnStop: true,
	});
	const workspace = new Workspace(host);
	const routes = new Routes(workspace, {
		publicDir: options.publicDir ?? defaultPublicDir(),
		appIconPath: path.join(projectRoot(), 'icon.png'),
		appName: options.appName ?? 'Feedback',
	});
	const server = http.createServer((req, res) => {
		void routes.handle(req, res);
	});
	server.on('clientError', (_error, socket) => {
		if (socket.writable) {
			socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		}
	});
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(options.port, LISTEN_ADDRESS, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} catch (error) {
		await host.stop();
		throw error;
	}
	const { port } = server.address() as AddressInfo;
	routes.setPort(port);
	let closing: Promise<void> | undefined;
	return {
		url: `http://${LISTEN_ADDRESS}:${port}/`,
		port,
		host,
		close() {
			closing =
				closing ??
				(async () => {
					routes.events.close();
					await new Promise<void>((resolve) => {
						server.close(() => resolve());
						server.closeAllConnections();
					});
					await host.stop();
				})();
			return closing;
		},
	};
}

/**
 * The variables of this process an app may read as its own (`RC_APPS_…`, e.g. the survey secret):
 * a server hands apps its own process's environment
 * (apps/meteor/app/apps/server/bridges/environmental.ts), so the page does too.
 */
export function appVariablesOf(
	environment: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
	return Object.fromEntries(
		Object.entries(environment).filter(
			(entry): entry is [string, string] =>
				entry[0].toUpperCase().startsWith('RC_APPS_') && entry[1] !== undefined,
		),
	);
}

async function main(): Promise<void> {
	const rawPort = process.env.PORT ?? String(DEFAULT_PORT);
	const port = Number(rawPort);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`PORT must be a port number, got "${rawPort}"`);
	}
	const databasePath = defaultTryDatabasePath();
	const started = Date.now();
	const server = await startWebServer({
		port,
		databasePath,
		environment: appVariablesOf(process.env),
	});
	console.log(
		`Feedback app try-it page: ${server.url}  (ready in ${Date.now() - started} ms; data in ${path.relative(process.cwd(), databasePath) || databasePath}; Ctrl+C stops)`,
	);
	const stop = (signal: string) => {
		console.log(`\n${signal}: stopping the local host…`);
		server.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
	main().catch((error: unknown) => {
		const message = error instanceof Error ? error.message : String(error);
		console.error(
			/EADDRINUSE/.test(message)
				? `Port ${process.env.PORT ?? DEFAULT_PORT} is in use: set PORT to another one (PORT=3301 npm start).`
				: message,
		);
		process.exit(1);
	});
}
