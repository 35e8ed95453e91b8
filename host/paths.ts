import * as fs from 'fs';
import * as path from 'path';

/** Root of the project (the folder holding package.json), from build/host or host/. */
export function projectRoot(): string {
	let folder = __dirname;
	while (!fs.existsSync(path.join(folder, 'package.json')) || path.basename(folder) === 'build') {
		const parent = path.dirname(folder);
		if (parent === folder) {
			throw new Error(`No package.json above ${__dirname}`);
		}
		folder = parent;
	}
	return folder;
}

/** The Deno cache the runtime reads; host/setup-deno-cache.mjs fills the same default. */
export function denoCacheDir(): string {
	return path.resolve(
		process.env.DENO_DIR ?? path.join(projectRoot(), 'node_modules', '.cache', 'feedback-deno'),
	);
}

/** Folder holding the deno binary installed by the `deno` npm package. */
export function denoBinaryDir(): string {
	return path.join(projectRoot(), 'node_modules', 'deno');
}

/** Default location of the packaged app built by `npm run package`. */
export function defaultZipPath(): string {
	return path.join(projectRoot(), 'dist', 'feedback_1.0.0.zip');
}

/** Default database file of the command-line host. */
export function defaultDatabasePath(): string {
	return path.join(projectRoot(), 'data', 'local-host.sqlite');
}
