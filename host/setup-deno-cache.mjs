#!/usr/bin/env node
// Prepares the Apps-Engine Deno runtime to run offline, from the npm registry only.
//
// The engine starts every app as `deno run --cached-only --config <engine>/deno-runtime/deno.jsonc`,
// so every module the runtime imports must already be in DENO_DIR. Three of its imports come from
// JSR (unreachable here) and one points into a src/ folder the npm tarball does not ship. This
// script maps those four to small local modules (host/deno-shims, copied into the engine), fixes
// the one runtime line deno 2.9 cannot run (SOURCE_PATCHES), then fills DENO_DIR with
// `deno install` and checks the runtime's module graph loads with --cached-only.
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

/**
 * Source edits of the runtime, each applied to the pristine file (kept as <file>.orig).
 * handlers/app/construct.ts gives apps `uuid` through `require('npm:uuid')`; the createRequire of
 * deno 2.9 rejects `npm:` specifiers ("Cannot find module 'npm:uuid'", or a read-permission error
 * on /tmp/node_modules), so every app that requires uuid fails to construct. The bare name
 * resolves through the runtime's import map to the same npm:uuid@8.3.2.
 */
const SOURCE_PATCHES = [
	{
		file: 'handlers/app/construct.ts',
		from: 'return require(`npm:${module}`);',
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

	const configText = patchedConfig(pristine(configFile));
	const patchedSources = SOURCE_PATCHES.map(({ file, from, to }) => {
		const original = pristine(path.join(runtimeDir, file));
		if (!original.includes(from)) {
			fail(
				`deno-runtime/${file} no longer contains \`${from}\`: update SOURCE_PATCHES in this script`,
			);
		}
		return [file, original.replace(from, to)];
	});
	const originalLock = pristine(lockFile);
	const shims = SHIM_FILES.map((name) => [
		name,
		fs.readFileSync(path.join(hostDir, 'deno-shims', name), 'utf8'),
	]);
	const versions = {
		engine: JSON.parse(fs.readFileSync(path.join(engineDir, 'package.json'), 'utf8')).version,
		deno: JSON.parse(fs.readFileSync(path.join(denoPackageDir, 'package.json'), 'utf8')).version,
	};
	const digest = createHash('sha256')
		.update(JSON.stringify({ versions, configText, originalLock, shims, patchedSources }))
		.digest('hex');

	fs.mkdirSync(path.join(runtimeDir, SHIMS_FOLDER), { recursive: true });
	let engineChanged = writeIfChanged(configFile, configText);
	for (const [file, text] of patchedSources) {
		engineChanged = writeIfChanged(path.join(runtimeDir, file), text) || engineChanged;
	}
	for (const [name, text] of shims) {
		engineChanged =
			writeIfChanged(path.join(runtimeDir, SHIMS_FOLDER, name), text) || engineChanged;
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
		// outside node_modules): main.ts exits with 1001 (233 as an exit status) when started without --subprocess, which
		// only happens after every static import resolved from the cache.
		const linkedRuntime = path.join(neutralDir, 'deno-runtime');
		fs.symlinkSync(runtimeDir, linkedRuntime, 'dir');
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
				what: 'loading the runtime from the cache',
			},
		);
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
