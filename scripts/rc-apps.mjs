// Runs rc-apps (package, deploy) on a staging folder holding only the app's own files:
// rc-apps type-checks and zips every file it walks, so tests, the host and data stay out.
// Usage: node scripts/rc-apps.mjs package | node scripts/rc-apps.mjs deploy --url … --username … --password …
import { execFileSync } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Outside the project: TypeScript would also load every @types package of the folders above it.
const stage = mkdtempSync(join(tmpdir(), 'feedback-package-'));
const dist = join(root, 'dist');
// Staged name -> installed package. rc-apps always compiles with types: ['node'] and cannot resolve
// the imports of newer @types/node, and its TypeScript rejects the icons 0.31 the page renders with.
const COMPILE_MODULES = {
	'@rocket.chat/apps-engine': '@rocket.chat/apps-engine',
	'@rocket.chat/ui-kit': '@rocket.chat/ui-kit',
	'@rocket.chat/icons': '@rocket.chat/icons-for-rc-apps',
	'@types/node': '@types/node-for-rc-apps',
	'uuid': 'uuid',
	'typescript': 'typescript',
};
const APP_FILES = [
	'app.json',
	'FeedbackApp.ts',
	'src',
	'i18n',
	'icon.png',
	'tsconfig.json',
	'.rcappsconfig',
];

for (const file of APP_FILES) {
	cpSync(join(root, file), join(stage, file), { recursive: true });
}
// rc-apps rewrites app.json's requiredApiVersion to the engine version it finds in package.json;
// the staged package.json names the app's real minimum so the zip keeps it.
const info = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8'));
const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const stagedPackage = {
	name: project.name,
	version: info.version,
	private: true,
	devDependencies: { '@rocket.chat/apps-engine': info.requiredApiVersion },
};
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(stagedPackage, null, 2)}\n`);
// Only the modules the app compiles against: rc-apps would type-check every @types package it finds.
for (const [staged, installed] of Object.entries(COMPILE_MODULES)) {
	mkdirSync(dirname(join(stage, 'node_modules', staged)), { recursive: true });
	symlinkSync(join(root, 'node_modules', installed), join(stage, 'node_modules', staged), 'dir');
}

const rcApps = join(root, 'node_modules', '@rocket.chat', 'apps-cli', 'bin', 'run');
const [command = 'package', ...args] = process.argv.slice(2);
try {
	execFileSync(process.execPath, [rcApps, command, ...args], { cwd: stage, stdio: 'inherit' });
} catch {
	rmSync(stage, { recursive: true, force: true });
	console.error(`rc-apps ${command} failed (its message is above).`);
	process.exit(1);
}
if (command !== 'package') {
	rmSync(stage, { recursive: true, force: true });
	process.exit(0);
}

mkdirSync(dist, { recursive: true });
const zips = existsSync(join(stage, 'dist'))
	? readdirSync(join(stage, 'dist')).filter((name) => name.endsWith('.zip'))
	: [];
if (zips.length !== 1) {
	console.error(
		`rc-apps package left ${zips.length} zip files in ${join(stage, 'dist')}; expected one.`,
	);
	process.exit(1);
}
for (const old of readdirSync(dist).filter((name) => name.endsWith('.zip'))) {
	rmSync(join(dist, old));
}
cpSync(join(stage, 'dist', zips[0]), join(dist, zips[0]));
rmSync(stage, { recursive: true, force: true });
console.log(`packaged dist/${zips[0]}`);
