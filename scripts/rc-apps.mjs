// Runs rc-apps (package, deploy) on a staging folder holding only an app's own files:
// rc-apps type-checks and zips every file it walks, so tests, the host and data stay out.
// Usage: node scripts/rc-apps.mjs package | node scripts/rc-apps.mjs deploy --url … --username … --password …
//        node scripts/rc-apps.mjs package --app bench/apps/docs-recipe | node scripts/rc-apps.mjs package --ref 6a44cfb
// Options (before or after the command, not passed on to rc-apps):
//   --app <folder>  another app (e.g. bench/apps/docs-recipe): its whole folder is staged, and
//                   `package` writes its zip to dist/bench/ instead of dist/;
//   --ref <commit>  the Feedback app's files as of a git commit (e.g. the previous design, for the bench);
//   --out <folder>  where `package` writes the zip.
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
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Takes `--name value` (or `--name=value`) out of the arguments. */
function takeOption(args, name) {
	const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
	if (index === -1) {
		return undefined;
	}
	const [arg] = args.splice(index, 1);
	if (arg.includes('=')) {
		return arg.slice(arg.indexOf('=') + 1);
	}
	const [value] = args.splice(index, 1);
	if (value === undefined || value.startsWith('--')) {
		console.error(`--${name} needs a value`);
		process.exit(1);
	}
	return value;
}

const args = process.argv.slice(2);
const appOption = takeOption(args, 'app');
const ref = takeOption(args, 'ref');
const outOption = takeOption(args, 'out');
const [command = 'package', ...rcAppsArgs] = args;
if (appOption && ref) {
	console.error('--app and --ref cannot be combined: --ref stages the Feedback app of a commit.');
	process.exit(1);
}
// The Feedback app at the project root (the default), or another app's folder.
const appFolder = appOption ? resolve(appOption) : root;
const isMainApp = appFolder === resolve(root);
if (!existsSync(join(appFolder, 'app.json'))) {
	console.error(`No app.json in ${appFolder}`);
	process.exit(1);
}
// A commit's Feedback app must never replace the current one's zip in dist/.
function outputFolder() {
	if (outOption) {
		return resolve(outOption);
	}
	if (ref) {
		return join(root, 'dist', 'bench', `feedback-${ref}`);
	}
	return isMainApp ? join(root, 'dist') : join(root, 'dist', 'bench');
}
const dist = outputFolder();

// Outside the project: TypeScript would also load every @types package of the folders above it.
const stage = mkdtempSync(join(tmpdir(), 'feedback-package-'));
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
// Never staged from another app's folder.
const SKIPPED_NAMES = new Set([
	'node_modules',
	'dist',
	'.git',
	'package.json',
	'package-lock.json',
]);

if (ref) {
	// The app's files as committed: git archive | tar, with the files that commit has.
	try {
		const committed = execFileSync('git', ['ls-tree', '--name-only', ref, ...APP_FILES], {
			cwd: root,
			encoding: 'utf8',
		})
			.split('\n')
			.filter(Boolean);
		const archive = execFileSync('git', ['archive', '--format=tar', ref, ...committed], {
			cwd: root,
			maxBuffer: 256 * 1024 * 1024,
		});
		execFileSync('tar', ['-x', '-C', stage], { input: archive });
	} catch {
		rmSync(stage, { recursive: true, force: true });
		console.error(`Could not read the app's files at ${ref} (git's message is above).`);
		process.exit(1);
	}
} else if (isMainApp) {
	for (const file of APP_FILES) {
		cpSync(join(root, file), join(stage, file), { recursive: true });
	}
} else {
	for (const name of readdirSync(appFolder)) {
		if (!SKIPPED_NAMES.has(name)) {
			cpSync(join(appFolder, name), join(stage, name), { recursive: true });
		}
	}
	// rc-apps ignores tsconfig.json, but the editor and tsc read the project's.
	if (!existsSync(join(stage, 'tsconfig.json'))) {
		cpSync(join(root, 'tsconfig.json'), join(stage, 'tsconfig.json'));
	}
}
// rc-apps rewrites app.json's requiredApiVersion to the engine version it finds in package.json;
// the staged package.json names the app's real minimum so the zip keeps it.
const info = JSON.parse(readFileSync(join(stage, 'app.json'), 'utf8'));
const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const stagedPackage = {
	name: isMainApp ? project.name : info.nameSlug,
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
try {
	execFileSync(process.execPath, [rcApps, command, ...rcAppsArgs], {
		cwd: stage,
		stdio: 'inherit',
	});
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
// The Feedback app's dist/ holds its zip only; a shared folder (dist/bench/) loses only this app's old zips.
const slugPrefix = zips[0].slice(0, zips[0].lastIndexOf('_') + 1);
const ownsWholeFolder = isMainApp && !ref && !outOption;
for (const old of readdirSync(dist).filter(
	(name) => name.endsWith('.zip') && (ownsWholeFolder || name.startsWith(slugPrefix)),
)) {
	rmSync(join(dist, old));
}
cpSync(join(stage, 'dist', zips[0]), join(dist, zips[0]));
rmSync(stage, { recursive: true, force: true });
console.log(`packaged ${relative(root, join(dist, zips[0]))}`);
