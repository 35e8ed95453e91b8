import * as fs from 'fs';
import * as path from 'path';

import { denoBinaryDir, denoCacheDir, projectRoot } from '../paths';

/**
 * Which Deno runtime a host runs the app in:
 * - `as-shipped`: the engine's deno-runtime/ as npm ships it (only the offline shims added), where
 *   an app's `require('uuid')` fails under deno 2.9, as on a server with that Deno;
 * - `with-uuid`: the copy host/setup-deno-cache.mjs makes, whose construct.ts hands apps `uuid`.
 */
export type DenoRuntimeKind = 'as-shipped' | 'with-uuid';

/** The runtime copy whose construct.ts hands apps `uuid` (written by host/setup-deno-cache.mjs). */
export function uuidRuntimeDir(): string {
	return path.join(
		projectRoot(),
		'node_modules',
		'.cache',
		'feedback-deno-runtime-uuid',
		'deno-runtime',
	);
}

/** Checks the offline Deno setup before the engine would hang on it, and points the engine at it. */
export function checkDenoSetup(runtime: DenoRuntimeKind, uuidDir = uuidRuntimeDir()): void {
	const binaryDir = denoBinaryDir();
	const binary = path.join(binaryDir, process.platform === 'win32' ? 'deno.exe' : 'deno');
	if (!fs.existsSync(binary)) {
		throw new Error(
			`No deno binary at ${binary}: run npm install (the deno package's install script must be allowed to run).`,
		);
	}
	const cacheDir = denoCacheDir();
	if (!fs.existsSync(path.join(cacheDir, '.feedback-host-setup.json'))) {
		throw new Error(
			`The Deno cache ${cacheDir} is empty: run npm run setup:deno once (it needs the npm registry).`,
		);
	}
	if (runtime === 'with-uuid' && !fs.existsSync(path.join(uuidDir, 'main.ts'))) {
		throw new Error(`No uuid runtime at ${uuidDir}: run npm run setup:deno (it writes the copy).`);
	}
	const searchPath = process.env.PATH ?? '';
	if (!searchPath.split(path.delimiter).includes(binaryDir)) {
		// The engine spawns `deno` from PATH.
		process.env.PATH = `${binaryDir}${path.delimiter}${searchPath}`;
	}
	process.env.DENO_DIR = cacheDir;
}

/**
 * Chooses the runtime the engine will start apps from, before the engine starts any. The 1.62.0
 * controller (server/runtime/deno/AppsEngineDenoRuntime.js) runs `<tempFilePath>/deno-runtime/main.ts`
 * after linking that path to its own deno-runtime/, and keeps a link that already exists (EEXIST).
 * So `with-uuid` links the copy there first: its modules run, while `--config` (the import map and
 * shims) and DENO_DIR stay the engine's. `as-shipped` leaves the engine's own link.
 */
export function prepareDenoRuntime(tempFilePath: string, runtime: DenoRuntimeKind): void {
	if (runtime === 'with-uuid') {
		fs.symlinkSync(uuidRuntimeDir(), path.join(tempFilePath, 'deno-runtime'), 'dir');
	}
}
