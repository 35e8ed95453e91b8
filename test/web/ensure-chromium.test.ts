import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { projectRoot } from '../../host';

const script = path.join(projectRoot(), 'scripts', 'ensure-chromium.mjs');
const isRoot = process.getuid?.() === 0;
/** A user without privileges, to run the script as when the tests run as root. */
const NOBODY = 65534;

/** A fake apt-get: logs its arguments, "installs" by writing $CREATE, exits with $APT_EXIT. */
const FAKE_APT_GET = `#!/bin/sh
echo "$*" >> "$LOG"
if [ "$1" = "--version" ]; then echo "apt 2.6.1"; exit 0; fi
if [ "$1" = "install" ] && [ -n "$CREATE" ]; then
	printf '#!/bin/sh\\necho "Chromium 999.0 fake"\\n' > "$CREATE"
	chmod +x "$CREATE"
fi
exit "\${APT_EXIT:-0}"
`;

describe('scripts/ensure-chromium.mjs (run first by npm test)', () => {
	let folder: string;
	let fakeBin: string;
	let emptyBin: string;
	let log: string;
	let existing: string;

	before(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-ensure-chromium-'));
		fakeBin = path.join(folder, 'bin');
		emptyBin = path.join(folder, 'empty');
		fs.mkdirSync(fakeBin);
		fs.mkdirSync(emptyBin);
		fs.writeFileSync(path.join(fakeBin, 'apt-get'), FAKE_APT_GET, { mode: 0o755 });
		existing = path.join(folder, 'chromium-here');
		fs.writeFileSync(existing, '#!/bin/sh\necho "Chromium 999.0 fake"\n', { mode: 0o755 });
		log = path.join(folder, 'apt.log');
	});

	after(() => {
		fs.rmSync(folder, { recursive: true, force: true });
	});

	/** Runs the script with only the environment given (no CHROMIUM_PATH from outside). */
	function run(
		args: string[],
		env: Record<string, string>,
		uid?: number,
	): { status: number | null; out: string; calls: string[] } {
		fs.writeFileSync(log, '');
		const result = spawnSync(process.execPath, [script, ...args], {
			encoding: 'utf8',
			env: { PATH: `${fakeBin}:/usr/bin:/bin`, LOG: log, ...env },
			...(uid === undefined ? {} : { uid, gid: uid }),
		});
		const calls = fs
			.readFileSync(log, 'utf8')
			.split('\n')
			.filter((line) => line && line !== '--version');
		return { status: result.status, out: `${result.stdout}${result.stderr}`, calls };
	}

	it('uses CHROMIUM_PATH when it is a binary, and refuses one that is not', () => {
		const present = run([], { CHROMIUM_PATH: existing });
		assert.equal(present.status, 0, present.out);
		assert.match(present.out, /chromium-here \(Chromium 999\.0 fake\)/);
		const missing = run([], { CHROMIUM_PATH: path.join(folder, 'nowhere') });
		assert.equal(missing.status, 1);
		assert.match(missing.out, /CHROMIUM_PATH=.*nowhere is not an executable file/);
		assert.deepEqual(missing.calls, [], 'nothing is installed for a chosen path');
	});

	it('does nothing when Debian’s chromium is there', () => {
		const result = run(['--chromium', existing], {});
		assert.equal(result.status, 0, result.out);
		assert.deepEqual(result.calls, []);
	});

	it('stops with what to do where there is no apt-get', () => {
		const result = run(['--chromium', path.join(folder, 'absent')], { PATH: emptyBin });
		assert.equal(result.status, 1);
		assert.match(
			result.out,
			/no Chromium at .*absent and no apt-get here to install it: install it once with "sudo apt-get install -y chromium"/,
		);
		assert.match(result.out, /the browser tests are never skipped/);
	});

	it('stops with what to do when it may not install (not root)', () => {
		// Run as nobody when the tests run as root; as this user otherwise.
		const result = run(
			['--chromium', path.join(folder, 'absent')],
			{ LOG: '/dev/null' },
			isRoot ? NOBODY : undefined,
		);
		assert.equal(result.status, 1, result.out);
		assert.match(result.out, /only root may apt-get install it/);
	});

	it('installs chromium with apt-get as root (refuses otherwise)', () => {
		const target = path.join(folder, 'installed-chromium');
		const result = run(['--chromium', target], { CREATE: target });
		if (!isRoot) {
			assert.match(result.out, /only root may apt-get install it/);
			return;
		}
		assert.equal(result.status, 0, result.out);
		assert.deepEqual(result.calls, ['update -qq', 'install -y -qq chromium']);
		assert.match(result.out, /installed-chromium \(Chromium 999\.0 fake\)/);
	});

	it('stops when apt-get fails or installs no chromium where expected', () => {
		const failing = run(['--chromium', path.join(folder, 'absent')], { APT_EXIT: '100' });
		if (!isRoot) {
			assert.match(failing.out, /only root may apt-get install it/);
			return;
		}
		assert.equal(failing.status, 1);
		assert.match(failing.out, /apt-get update -qq failed \(exit 100\)/);
		const elsewhere = run(['--chromium', path.join(folder, 'absent')], {});
		assert.equal(elsewhere.status, 1);
		assert.match(
			elsewhere.out,
			/apt-get installed chromium but .*absent is still missing: set CHROMIUM_PATH/,
		);
	});
});
