#!/usr/bin/env node
// Prepares the Apps-Engine Deno runtime to run offline, from the npm registry only.
//
// The engine starts every app as `deno run --cached-only --config <engine>/deno-runtime/deno.jsonc`,
// so every module the runtime imports must already be in DENO_DIR. Three of its imports come from
// JSR (unreachable here) and one points into a src/ folder the npm tarball does not ship. This
// script maps those four to small local modules (host/deno-shims, copied into the engine), fills
// DENO_DIR with `deno install` and checks the runtime's module graph loads with --cached-only.
// Nothing else of the runtime changes: apps get their modules exactly as the shipped runtime hands
// them out (issue 8, point 6).
//
// One exception, kept apart: a second copy of deno-runtime/ in UUID_RUNTIME_FOLDER where
// handlers/app/construct.ts hands apps `uuid` the way deno 2.9 can (see UUID_PATCH). Only a host
// started with `denoRuntime: 'with-uuid'` runs it (host/drivers/deno-runtime.ts), so one engine test can
// cover the app's uuid path while every other host runs the runtime as shipped.
//
// Usage: node host/setup-deno-cache.mjs [--force]
// DENO_DIR defaults to node_modules/.cache/feedback-deno (host/paths.ts uses the same default).
// Idempotent: a stamp in DENO_DIR records what was installed; a second run returns in milliseconds.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const hostDir = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(hostDir, '..');
const requireFromProject = createRequire(path.join(projectRoot, 'package.json'));

const SHIM_FILES = [
	'parse-args.js',
	'write-all.js',
	'to-array-buffer.js',
	'apps-engine-exception.js',
];
const SHIMS_FOLDER = 'local-shims';
const STAMP_NAME = '.feedback-host-setup.json';

/** Import-map entries that replace what the offline machine cannot fetch. */
const LOCAL_IMPORTS = {
	'@std/cli/parse-args': `./${SHIMS_FOLDER}/parse-args.js`,
	'@std/io': `./${SHIMS_FOLDER}/write-all.js`,
	'@std/streams': `./${SHIMS_FOLDER}/to-array-buffer.js`,
	'@rocket.chat/apps-engine/definition/exceptions/AppsEngineException.ts': `./${SHIMS_FOLDER}/apps-engine-exception.js`,
};
const REPLACED_IMPORTS = ['@std/cli', '@std/io', '@std/streams'];

/** Where the copy of deno-runtime/ whose construct.ts hands apps `uuid` lives (host/drivers/deno-runtime.ts). */
const UUID_RUNTIME_FOLDER = path.join('node_modules', '.cache', 'feedback-deno-runtime-uuid');

/**
 * handlers/app/construct.ts gives apps `uuid` through `require('npm:uuid')`; the createRequire of
 * deno 2.9 rejects `npm:` specifiers ("Cannot find module 'npm:uuid'", or a read-permission error
 * on /tmp/node_modules), so on the shipped runtime an app's `require('uuid')` throws. The copy in
 * UUID_RUNTIME_FOLDER asks for the bare name instead, which resolves to uuid 8.3.2 too.
 */
const UUID_PATCH = {
	file: 'handlers/app/construct.ts',
	from: 'return require(`npm:${module}`);',
	to: 'return require(module); // bare name: deno 2.9 require rejects npm: specifiers (host/setup-deno-cache.mjs)',
};

/** Edits an earlier version of this script made in place (keeping <file>.orig): put back as shipped. */
const FORMERLY_PATCHED = [
	{
		...UUID_PATCH,
		to: 'return require(module); // bare name: resolved by the import map (deno 2.9 require rejects npm: specifiers)',
	},
];

/** Prints a message and stops with a non-zero exit code. */
function fail(message) {
	console.error(`setup-deno-cache: ${message}`);
	process.exit(1);
}

/** Resolves the folder of an installed npm package, or fails with an install hint. */
function packageDir(name) {
	try {
		return path.dirname(requireFromProject.resolve(`${name}/package.json`));
	} catch {
		return fail(`package "${name}" is not installed: run npm install first`);
	}
}

/** Writes a file only when its content differs, so an unchanged tree is never touched. */
function writeIfChanged(file, content) {
	if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) {
		return false;
	}
	fs.writeFileSync(file, content);
	return true;
}

/** Returns the pristine copy of an engine file, saving it next to the file on first use. */
function pristine(file) {
	const original = `${file}.orig`;
	if (!fs.existsSync(original)) {
		fs.copyFileSync(file, original);
	}
	return fs.readFileSync(original, 'utf8');
}

/**
 * Puts back, as shipped, a file an earlier version of this script edited in place: from its .orig
 * copy when there is one, else by undoing the known edit. Returns whether the file changed.
 */
function restoreShipped(file, { from, to }) {
	const original = `${file}.orig`;
	let shipped;
	if (fs.existsSync(original)) {
		shipped = fs.readFileSync(original, 'utf8');
	} else {
		shipped = fs.readFileSync(file, 'utf8').replace(to, from);
	}
	const changed = writeIfChanged(file, shipped);
	fs.rmSync(original, { force: true });
	return changed;
}

/** The shipped runtime with UUID_PATCH applied to one file, as [relative file, text]. */
function uuidPatchedSource(runtimeDir) {
	const shipped = fs.readFileSync(path.join(runtimeDir, UUID_PATCH.file), 'utf8');
	if (!shipped.includes(UUID_PATCH.from)) {
		fail(
			`deno-runtime/${UUID_PATCH.file} no longer contains \`${UUID_PATCH.from}\`: update UUID_PATCH in this script`,
		);
	}
	return [UUID_PATCH.file, shipped.replace(UUID_PATCH.from, UUID_PATCH.to)];
}

/**
 * Makes UUID_RUNTIME_FOLDER/deno-runtime a copy of the configured runtime with UUID_PATCH applied.
 * The engine still passes its own deno.jsonc as --config, so the import map and shims are shared.
 */
function writeUuidRuntime(runtimeDir, patched) {
	const target = path.join(projectRoot, UUID_RUNTIME_FOLDER, 'deno-runtime');
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.cpSync(runtimeDir, target, {
		recursive: true,
		// The engine passes its own deno.jsonc (and so its lock): the copy holds only modules.
		filter: (source) =>
			!source.endsWith('.orig') && !['deno.jsonc', 'deno.lock'].includes(path.basename(source)),
	});
	const [file, text] = patched;
	fs.writeFileSync(path.join(target, file), text);
	return target;
}

/** Builds the runtime's config with the offline import map. */
function patchedConfig(originalText) {
	let config;
	try {
		config = JSON.parse(originalText);
	} catch (error) {
		return fail(
			`deno-runtime/deno.jsonc is not plain JSON any more (${error.message}): update this script`,
		);
	}
	const imports = { ...config.imports };
	for (const name of REPLACED_IMPORTS) {
		if (!(name in imports)) {
			fail(`deno-runtime/deno.jsonc no longer imports ${name}: update this script`);
		}
		delete imports[name];
	}
	// Use DENO_DIR's global npm cache: never create or read a node_modules folder for the runtime.
	return `${JSON.stringify({ ...config, imports: { ...imports, ...LOCAL_IMPORTS }, nodeModulesDir: 'none' }, null, '\t')}\n`;
}

/** Runs deno and returns its result, failing with its output when it does not exit as expected. */
function runDeno(denoBinary, args, { cwd, env, expectedStatus = 0, what }) {
	const result = spawnSync(denoBinary, args, { cwd, env, encoding: 'utf8' });
	if (result.error) {
		fail(`could not run ${denoBinary}: ${result.error.message}`);
	}
	if (result.status !== expectedStatus) {
		fail(`${what} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
	}
	return result;
}

function main() {
	const started = Date.now();
	const force = process.argv.includes('--force');
	const engineDir = packageDir('@rocket.chat/apps-engine');
	const denoPackageDir = packageDir('deno');
	const denoBinary = path.join(denoPackageDir, process.platform === 'win32' ? 'deno.exe' : 'deno');
	if (!fs.existsSync(denoBinary)) {
		fail(
			`${denoBinary} is missing: the deno package's install script did not run (allow it and run npm ci)`,
		);
	}
	const denoDir = path.resolve(
		process.env.DENO_DIR ?? path.join(projectRoot, 'node_modules', '.cache', 'feedback-deno'),
	);
	const runtimeDir = path.join(engineDir, 'deno-runtime');
	const configFile = path.join(runtimeDir, 'deno.jsonc');
	const lockFile = path.join(runtimeDir, 'deno.lock');
	const mainFile = path.join(runtimeDir, 'main.ts');

	let engineChanged = false;
	for (const patch of FORMERLY_PATCHED) {
		engineChanged = restoreShipped(path.join(runtimeDir, patch.file), patch) || engineChanged;
	}
	const configText = patchedConfig(pristine(configFile));
	const uuidSource = uuidPatchedSource(runtimeDir);
	const originalLock = pristine(lockFile);
	const shims = SHIM_FILES.map((name) => [
		name,
		fs.readFileSync(path.join(hostDir, 'deno-shims', name), 'utf8'),
	]);
	const versions = {
		engine: JSON.parse(fs.readFileSync(path.join(engineDir, 'package.json'), 'utf8')).version,
		deno: JSON.parse(fs.readFileSync(path.join(denoPackageDir, 'package.json'), 'utf8')).version,
	};
	// A change to this script redoes everything once.
	const script = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8');
	const digest = createHash('sha256')
		.update(JSON.stringify({ script, versions, configText, originalLock, shims, uuidSource }))
		.digest('hex');

	fs.mkdirSync(path.join(runtimeDir, SHIMS_FOLDER), { recursive: true });
	engineChanged = writeIfChanged(configFile, configText) || engineChanged;
	for (const [name, text] of shims) {
		engineChanged =
			writeIfChanged(path.join(runtimeDir, SHIMS_FOLDER, name), text) || engineChanged;
	}
	const uuidRuntimeStamp = path.join(projectRoot, UUID_RUNTIME_FOLDER, STAMP_NAME);
	const uuidRuntimeCurrent =
		fs.existsSync(uuidRuntimeStamp) &&
		JSON.parse(fs.readFileSync(uuidRuntimeStamp, 'utf8')).digest === digest;
	if (force || engineChanged || !uuidRuntimeCurrent) {
		writeUuidRuntime(runtimeDir, uuidSource);
		fs.writeFileSync(uuidRuntimeStamp, `${JSON.stringify({ digest }, null, 2)}\n`);
	}

	const stampFile = path.join(denoDir, STAMP_NAME);
	const stamp = fs.existsSync(stampFile)
		? JSON.parse(fs.readFileSync(stampFile, 'utf8'))
		: undefined;
	if (!force && !engineChanged && stamp?.digest === digest) {
		console.log(`setup-deno-cache: already done (${denoDir}), ${Date.now() - started} ms`);
		return;
	}

	// Start from the engine's own lock so resolved versions stay the ones it was released with.
	fs.writeFileSync(lockFile, originalLock);
	fs.mkdirSync(denoDir, { recursive: true });
	const env = {
		PATH: `${denoPackageDir}${path.delimiter}${process.env.PATH ?? ''}`,
		HOME: process.env.HOME ?? os.homedir(),
		DENO_DIR: denoDir,
		DENO_NO_UPDATE_CHECK: '1',
		NO_COLOR: '1',
		NPM_CONFIG_REGISTRY:
			process.env.NPM_CONFIG_REGISTRY ??
			process.env.npm_config_registry ??
			'https://registry.npmjs.org/',
		// Trust the machine's certificate store too (a TLS-inspecting proxy's CA lives there, as for npm).
		DENO_TLS_CA_STORE: process.env.DENO_TLS_CA_STORE ?? 'mozilla,system',
	};
	const passedThrough = [
		'HTTPS_PROXY',
		'HTTP_PROXY',
		'NO_PROXY',
		'https_proxy',
		'http_proxy',
		'no_proxy',
		'DENO_CERT',
		'SSL_CERT_FILE',
		'SSL_CERT_DIR',
	];
	for (const name of passedThrough) {
		if (process.env[name] !== undefined) {
			env[name] = process.env[name];
		}
	}

	// Inside the engine folder deno would adopt its package.json and write a node_modules there:
	// run from an empty folder with an explicit --config instead.
	const neutralDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-deno-setup-'));
	try {
		runDeno(denoBinary, ['install', `--config=${configFile}`, `--entrypoint`, mainFile], {
			cwd: neutralDir,
			env,
			what: 'deno install',
		});

		// Load the whole module graph exactly as the engine will (--cached-only, through a symlink
		// outside node_modules), for the shipped runtime and the uuid copy: main.ts exits with 1001
		// (233 as an exit status) when started without --subprocess, which only happens after every
		// static import resolved from the cache.
		const runtimes = [
			['the runtime', runtimeDir],
			['the uuid runtime', path.join(projectRoot, UUID_RUNTIME_FOLDER, 'deno-runtime')],
		];
		for (const [index, [name, folder]] of runtimes.entries()) {
			const linkedRuntime = path.join(neutralDir, `deno-runtime-${index}`);
			fs.symlinkSync(folder, linkedRuntime, 'dir');
			runDeno(
				denoBinary,
				[
					'run',
					'--cached-only',
					`--config=${configFile}`,
					`--allow-read=${engineDir},${path.dirname(path.dirname(engineDir))}`,
					path.join(linkedRuntime, 'main.ts'),
				],
				{
					cwd: neutralDir,
					env,
					expectedStatus: 1001 % 256,
					what: `loading ${name} from the cache`,
				},
			);
		}
	} finally {
		fs.rmSync(neutralDir, { recursive: true, force: true });
	}

	fs.writeFileSync(
		stampFile,
		`${JSON.stringify({ digest, versions, at: new Date().toISOString() }, null, 2)}\n`,
	);
	console.log(`setup-deno-cache: filled ${denoDir} in ${Date.now() - started} ms`);
}

main();
