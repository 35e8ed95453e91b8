#!/usr/bin/env node
// Makes sure the browser tests have their Chromium before `npm test` runs them: the tests drive
// Debian's chromium (test/web/browser.ts) and are never skipped, so a machine without it either
// gets it here or stops here with what to do.
//
// - CHROMIUM_PATH set: that binary must exist (nothing is installed for a path of your choosing).
// - Else /usr/bin/chromium (or --chromium <path>, for this script's own tests): when missing, it is
//   installed with `apt-get install -y chromium` if the machine allows it (root, apt-get on PATH),
//   as .ci/run does; otherwise the script stops with a message.
//
// Usage: node scripts/ensure-chromium.mjs [--chromium <path>]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Stops with a message and a non-zero exit code. */
function fail(message) {
	console.error(`ensure-chromium: ${message}`);
	process.exit(1);
}

/** Whether a file exists and may be executed. */
function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

/** Runs apt-get with its output shown; fails with the reason when it does not succeed. */
function aptGet(args) {
	console.log(`ensure-chromium: apt-get ${args.join(' ')}`);
	const result = spawnSync('apt-get', args, {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	if (result.error) {
		fail(`could not run apt-get: ${result.error.message}`);
	}
	if (result.status !== 0) {
		fail(
			`apt-get ${args.join(' ')} failed (exit ${result.status}): install Chromium by hand (apt-get install -y chromium) or set CHROMIUM_PATH`,
		);
	}
}

/** Whether apt-get can be run from PATH. */
function hasAptGet() {
	const result = spawnSync('apt-get', ['--version'], { stdio: 'ignore' });
	return !result.error && result.status === 0;
}

/** Prints the browser the tests will use. */
function report(file) {
	const version = spawnSync(file, ['--version'], { encoding: 'utf8' });
	const text = version.status === 0 ? version.stdout.trim() : 'version unknown';
	console.log(`ensure-chromium: ${file} (${text})`);
}

function main() {
	const explicit = process.env.CHROMIUM_PATH;
	if (explicit) {
		if (!isExecutable(explicit)) {
			fail(
				`CHROMIUM_PATH=${explicit} is not an executable file: point it at a Chromium binary, or unset it to use Debian's ${DEBIAN_CHROMIUM}`,
			);
		}
		report(explicit);
		return;
	}
	const flag = process.argv.indexOf('--chromium');
	const target = flag !== -1 && process.argv[flag + 1] ? process.argv[flag + 1] : DEBIAN_CHROMIUM;
	if (isExecutable(target)) {
		report(target);
		return;
	}
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const manual = `install it once with "sudo apt-get install -y chromium" (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary; the browser tests are never skipped`;
	if (process.platform !== 'linux' || !hasAptGet()) {
		fail(`no Chromium at ${target} and no apt-get here to install it: ${manual}`);
	}
	if (!isRoot) {
		fail(`no Chromium at ${target}, and only root may apt-get install it: ${manual}`);
	}
	aptGet(['update', '-qq']);
	aptGet(['install', '-y', '-qq', 'chromium']);
	if (!isExecutable(target)) {
		fail(
			`apt-get installed chromium but ${target} is still missing: set CHROMIUM_PATH to its binary`,
		);
	}
	report(target);
}

main();
