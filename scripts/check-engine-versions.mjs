#!/usr/bin/env node
// Type-checks the app's source against the definitions of older Apps-Engine releases, to find the
// earliest engine whose API has everything the app calls (app.json's requiredApiVersion).
//
// Usage: node scripts/check-engine-versions.mjs [version ...]   (default: the versions below)
// Downloads each engine with `npm pack` into a temporary folder; prints one line per version.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const versions = process.argv.slice(2);
const checked =
	versions.length > 0 ? versions : ['1.35.0', '1.37.0-alpha.164', '1.38.0', '1.42.1', '1.46.0'];
const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-engines-'));

/** Runs a command and returns its output; stops the script when it cannot run at all. */
function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (result.error) {
		console.error(`${command}: ${result.error.message}`);
		process.exit(1);
	}
	return result;
}

try {
	for (const version of checked) {
		const folder = path.join(work, version);
		const modules = path.join(folder, 'node_modules', '@rocket.chat');
		fs.mkdirSync(modules, { recursive: true });
		const packed = run('npm', ['pack', `@rocket.chat/apps-engine@${version}`, '--silent'], folder);
		if (packed.status !== 0) {
			console.log(`${version}: could not download (${packed.stderr.trim().split('\n').pop()})`);
			continue;
		}
		run('tar', ['xzf', packed.stdout.trim().split('\n').pop()], folder);
		fs.renameSync(path.join(folder, 'package'), path.join(modules, 'apps-engine'));
		fs.symlinkSync(
			path.join(root, 'node_modules', '@rocket.chat', 'ui-kit'),
			path.join(modules, 'ui-kit'),
		);
		fs.cpSync(path.join(root, 'src'), path.join(folder, 'src'), { recursive: true });
		fs.copyFileSync(path.join(root, 'FeedbackApp.ts'), path.join(folder, 'FeedbackApp.ts'));
		const config = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
		config.compilerOptions.noEmit = true;
		fs.writeFileSync(path.join(folder, 'tsconfig.json'), JSON.stringify(config));
		const compiled = run(tsc, ['-p', folder], folder);
		const runtime = fs.existsSync(path.join(modules, 'apps-engine', 'deno-runtime'))
			? 'Deno runtime'
			: 'in-process runtime';
		const errors = compiled.stdout.trim().split('\n').filter(Boolean);
		console.log(
			compiled.status === 0
				? `${version}: compiles (${runtime})`
				: `${version}: does not compile (${runtime}): ${errors.slice(0, 3).join(' | ')}`,
		);
	}
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
