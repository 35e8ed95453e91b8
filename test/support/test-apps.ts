import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';

import { ManualClock } from '../../host/client/uikit-client';
import { LocalHost } from '../../host/drivers/local-host';
import type { ILocalHostOptions } from '../../host/drivers/local-host';
import { projectRoot } from '../../host/paths';

/**
 * The tests' own app (test/apps/blocks): a modal and a contextual bar with buttons and selects,
 * buttons in messages, a direct room. `npm test` packages it first
 * (`npm run package:test-apps`, into dist/test-apps/).
 */
export const blocksAppZipPath = path.join(
	projectRoot(),
	'dist',
	'test-apps',
	'blocks-test_1.0.0.zip',
);

/** A host running the blocks test app on its own database in a temporary folder. */
export interface IBlocksFixture {
	host: LocalHost;
	clock: ManualClock;
	folder: string;
}

/** Starts a host with the blocks test app; its members' clock stands still unless a test moves it. */
export async function startBlocksApp(
	options: Partial<Omit<ILocalHostOptions, 'databasePath' | 'zipPath'>> = {},
): Promise<IBlocksFixture> {
	assert.ok(
		fs.existsSync(blocksAppZipPath),
		`no package at ${blocksAppZipPath}: run npm run package:test-apps first`,
	);
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blocks-app-'));
	const clock = new ManualClock();
	const host = await LocalHost.start({
		clock,
		schedulerProcessEveryMs: false,
		...options,
		databasePath: path.join(folder, 'host.sqlite'),
		zipPath: blocksAppZipPath,
	});
	return { host, clock, folder };
}

/** Stops the host and removes its folder. */
export async function stopBlocksApp(fixture: IBlocksFixture | undefined): Promise<void> {
	if (!fixture) {
		return;
	}
	await fixture.host.stop();
	fs.rmSync(fixture.folder, { recursive: true, force: true });
}

/** What the blocks app logged it received, per kind (`blockAction`, `viewSubmit`, `viewClosed`), oldest first. */
export async function received(host: LocalHost, kind: string): Promise<unknown[]> {
	const entries: ILoggerStorageEntry[] = await host.logs();
	const found: unknown[] = [];
	for (const entry of entries) {
		for (const line of entry.entries ?? []) {
			const [text] = (line.args ?? []) as unknown[];
			if (typeof text === 'string' && text.startsWith(`${kind} `)) {
				found.push(JSON.parse(text.slice(kind.length + 1)) as unknown);
			}
		}
	}
	return found;
}

/** The text of a section block of a view, by block id. */
export function sectionText(
	view: { view: Record<string, unknown> } | undefined,
	blockId: string,
): string {
	const blocks = (view?.view.blocks ?? []) as Array<{ blockId?: string; text?: { text?: string } }>;
	const block = blocks.find((candidate) => candidate.blockId === blockId);
	assert.ok(block, `a block ${blockId} in ${JSON.stringify(view?.view.blocks)}`);
	return block.text?.text ?? '';
}
