import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { checkDenoSetup, uuidRuntimeDir } from '../../host/drivers/deno-runtime';
import { denoBinaryDir, denoCacheDir, projectRoot } from '../../host/paths';
import { type IEngineFixture, startFixture, stopFixture } from '../engine/app-fixture';

const engineRuntime = path.join(
	projectRoot(),
	'node_modules',
	'@rocket.chat',
	'apps-engine',
	'deno-runtime',
);
const CONSTRUCT = path.join('handlers', 'app', 'construct.ts');
/** How the shipped runtime hands apps their allowed npm modules. */
const SHIPPED_REQUIRE = 'return require(`npm:${module}`);';

/** Every file of a folder, relative to it, sorted. */
function filesOf(folder: string): string[] {
	return (fs.readdirSync(folder, { recursive: true, withFileTypes: true }) as fs.Dirent[])
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
		.sort();
}

/** The folder the app's Deno process really runs main.ts from (Linux /proc). */
function runtimeFolderOf(pid: number): string {
	const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
	const main = args.find((arg) => arg.endsWith(`${path.sep}main.ts`));
	assert.ok(main, `a main.ts among ${args.join(' ')}`);
	return fs.realpathSync(path.dirname(main));
}

describe('the Deno runtime as shipped, and the one copy that hands apps uuid', () => {
	let shipped: IEngineFixture | undefined;
	let withUuid: IEngineFixture | undefined;

	before(async () => {
		shipped = await startFixture('shipped runtime');
		withUuid = await startFixture('uuid runtime', { denoRuntime: 'with-uuid' });
	});

	after(async () => {
		await stopFixture(shipped);
		await stopFixture(withUuid);
	});

	it('leaves the engine’s construct.ts as npm ships it', () => {
		const construct = fs.readFileSync(path.join(engineRuntime, CONSTRUCT), 'utf8');
		assert.ok(construct.includes(SHIPPED_REQUIRE), 'the npm: require is untouched');
		assert.equal(fs.existsSync(path.join(engineRuntime, `${CONSTRUCT}.orig`)), false);
	});

	it('keeps a copy that differs from the runtime in that one line only', () => {
		const copy = uuidRuntimeDir();
		const shippedFiles = filesOf(engineRuntime).filter(
			(file) => !/^deno\.(jsonc|lock)(\.orig)?$/.test(file),
		);
		assert.deepEqual(filesOf(copy), shippedFiles);
		for (const file of shippedFiles) {
			const original = fs.readFileSync(path.join(engineRuntime, file), 'utf8');
			const copied = fs.readFileSync(path.join(copy, file), 'utf8');
			if (file !== CONSTRUCT) {
				assert.equal(copied, original, `${file} is the same`);
				continue;
			}
			const changed = copied
				.split('\n')
				.filter((line, index) => line !== original.split('\n')[index]);
			assert.equal(changed.length, 1, 'one line of construct.ts');
			assert.match(changed[0], /return require\(module\);/);
		}
	});

	it('runs each host’s app from the runtime it asked for', () => {
		const shippedPid = shipped?.host.denoPid();
		const uuidPid = withUuid?.host.denoPid();
		assert.ok(shippedPid && uuidPid, 'both apps run');
		assert.equal(runtimeFolderOf(shippedPid), fs.realpathSync(engineRuntime));
		assert.equal(runtimeFolderOf(uuidPid), fs.realpathSync(uuidRuntimeDir()));
	});

	it('gives uuid only through the copy’s require, under this deno', () => {
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-uuid-probe-'));
		try {
			const probe = (runtime: string) => {
				const script = path.join(folder, `probe-${path.basename(path.dirname(runtime))}.ts`);
				// What construct.ts does with an allowed npm module: the shipped line, then the copy's.
				fs.writeFileSync(
					script,
					`import { require } from ${JSON.stringify(path.join(runtime, 'lib', 'require.ts'))};
for (const name of ['npm:uuid', 'uuid']) {
	try { console.log(name, typeof (require(name) as { v5?: unknown }).v5); }
	catch { console.log(name, 'refused'); }
}`,
				);
				const result = spawnSync(
					path.join(denoBinaryDir(), 'deno'),
					[
						'run',
						'--cached-only',
						`--config=${path.join(engineRuntime, 'deno.jsonc')}`,
						`--allow-read=${path.join(projectRoot(), 'node_modules')},${folder}`,
						script,
					],
					{ cwd: folder, encoding: 'utf8', env: { ...process.env, DENO_DIR: denoCacheDir() } },
				);
				assert.equal(result.status, 0, result.stderr);
				return result.stdout.trim().split('\n');
			};
			for (const runtime of [engineRuntime, uuidRuntimeDir()]) {
				assert.deepEqual(probe(runtime), ['npm:uuid refused', 'uuid function']);
			}
		} finally {
			fs.rmSync(folder, { recursive: true, force: true });
		}
	});

	it('says how to make the copy when it is missing', () => {
		assert.throws(
			() => checkDenoSetup('with-uuid', path.join(os.tmpdir(), 'no-such-uuid-runtime')),
			/No uuid runtime at .*no-such-uuid-runtime: run npm run setup:deno/,
		);
	});
});
