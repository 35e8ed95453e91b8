import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import type { IBenchConfig } from './config';
import { progress } from './measure';
import { projectRoot } from '../host';

/** The newest modification time of the files under a folder. */
function newestChange(folder: string): number {
	let newest = 0;
	for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
		const full = path.join(folder, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : fs.statSync(full).mtimeMs);
	}
	return newest;
}

function rcApps(args: ReadonlyArray<string>): void {
	const root = projectRoot();
	execFileSync(process.execPath, [path.join(root, 'scripts', 'rc-apps.mjs'), 'package', ...args], {
		cwd: root,
		stdio: ['ignore', process.stderr, process.stderr],
	});
}

/**
 * Packages the bench apps when their zip is missing or older than their folder, and the
 * previous design once (a commit does not change). The Feedback app itself is packaged by
 * `npm run package`: its zip must exist.
 */
export function ensurePackages(config: IBenchConfig): void {
	const root = projectRoot();
	if (!fs.existsSync(config.zips.feedback)) {
		throw new Error(`No package at ${config.zips.feedback}: run npm run package first.`);
	}
	const benchApps: Array<[string, string]> = [
		[path.join(root, 'bench', 'apps', 'docs-recipe'), config.zips.docsRecipe],
		[path.join(root, 'bench', 'apps', 'read-update'), config.zips.readUpdate],
		[path.join(root, 'bench', 'apps', 'ceiling'), config.zips.ceiling],
	];
	for (const [folder, zip] of benchApps) {
		if (!fs.existsSync(zip) || fs.statSync(zip).mtimeMs < newestChange(folder)) {
			progress(`packaging ${path.relative(root, folder)}`);
			rcApps(['--app', folder, '--out', path.dirname(zip)]);
			if (!fs.existsSync(zip)) {
				throw new Error(
					`Packaging ${folder} did not write ${zip} (did its app.json version change?)`,
				);
			}
		}
	}
	if (config.parts.has('reads') && !fs.existsSync(config.zips.feedbackBefore)) {
		progress(
			`packaging the Feedback app as of ${config.beforeRef} (the design before reads by day)`,
		);
		try {
			rcApps(['--ref', config.beforeRef, '--out', path.dirname(config.zips.feedbackBefore)]);
		} catch (error) {
			// E.g. a shallow clone without that commit: the report then shows the host-side read only.
			progress(`could not package ${config.beforeRef}: ${String(error)}`);
		}
	}
}
