import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { HttpBridge } from '@rocket.chat/apps-engine/server/bridges';

import { NotSupportedByLocalHostError, unsupportedBridge } from '../../host/bridges';
import { LocalHost } from '../../host/drivers/local-host';
import { defaultZipPath } from '../../host/paths';
import { timed } from '../engine/timing';

/** The packaged app under test: LOCAL_HOST_ZIP, or what `npm run package` writes. */
const zipPath = process.env.LOCAL_HOST_ZIP ?? defaultZipPath();

/** Pids of running deno processes (Linux /proc), to prove stop() leaves none behind. */
/** Deno processes this test process started: other test files and sessions run their own. */
function denoPids(): number[] {
	try {
		return execFileSync('pgrep', ['-P', String(process.pid), '-x', 'deno'], { encoding: 'utf8' })
			.split('\n')
			.filter(Boolean)
			.map(Number);
	} catch {
		return [];
	}
}

describe('local host', () => {
	it('refuses to start without a package, saying how to build one', async () => {
		await assert.rejects(
			LocalHost.start({ databasePath: ':memory:', zipPath: '/nonexistent/app.zip' }),
			/run npm run package first/,
		);
	});

	it('answers a clear error from bridges it does not provide', () => {
		const http = unsupportedBridge('HttpBridge', HttpBridge.prototype) as unknown as Record<
			string,
			() => unknown
		>;
		assert.throws(() => http.call(), NotSupportedByLocalHostError);
		assert.throws(() => http.call(), /HttpBridge.call is not supported by the local host/);
	});
});

describe('local host running the packaged app', () => {
	let folder: string;
	let host: LocalHost;
	const pidsBefore = new Set(denoPids());

	before(async () => {
		// A missing package fails the suite: a skipped engine test proves nothing.
		assert.ok(fs.existsSync(zipPath), `no package at ${zipPath}: run npm run package first`);
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'local-host-test-'));
		host = await timed('start', () =>
			LocalHost.start({ databasePath: path.join(folder, 'host.sqlite'), zipPath }),
		);
	});

	after(async () => {
		await host?.stop();
		fs.rmSync(folder, { recursive: true, force: true });
	});

	it('runs /feedback help and answers the user only', async () => {
		const result = await timed('help', () =>
			host.runSlashCommand('alice', 'general', '/feedback help'),
		);
		assert.equal(result.notifications.length, 1);
		assert.match(result.notifications[0].text, /feedback/i);
		assert.deepEqual(result.messages, [], 'help is ephemeral');
	});

	it('opens the modal with the fields the app declares', async () => {
		const result = await timed('open modal', () =>
			host.runSlashCommand('bruno', 'general', '/feedback'),
		);
		assert.ok(result.view, 'bruno has a modal open');
		const blocks = (result.view.view.blocks ?? []) as Array<{ element?: { actionId?: string } }>;
		const actionIds = blocks.map((block) => block.element?.actionId).filter(Boolean);
		for (const field of ['comment', 'category', 'rating', 'anonymous']) {
			assert.ok(actionIds.includes(field), `field ${field} in ${actionIds.join(', ')}`);
		}
	});

	it('keeps the modal open with inline errors on an invalid submit', async () => {
		const result = await timed('invalid submit', () => host.submitView('bruno', { comment: '' }));
		assert.equal(result.accepted, false);
		assert.ok(Object.keys(result.errors).length > 0, 'inline errors');
		assert.ok(host.openView('bruno'), 'the modal stays open');
		await host.closeView('bruno');
		assert.equal(host.openView('bruno'), undefined);
	});

	it('submits view.state as the client sends it: a field left out is left out for the app', async () => {
		await host.runSlashCommand('clara', 'general', '/feedback');
		// Values by action id: the category keeps the initial value the view declares.
		const byValues = await host.submitView('clara', { comment: '' });
		assert.equal(byValues.accepted, false);
		assert.ok(byValues.errors.comment, 'the empty comment is refused');
		assert.equal(byValues.errors.category, undefined, 'the initial category was sent');
		// The raw state carries only what it names: no category at all.
		const raw = await host.submitViewState('clara', { comment: { comment: '' } });
		assert.equal(raw.accepted, false);
		assert.ok(raw.errors.comment, 'the empty comment is refused');
		assert.ok(raw.errors.category, 'no category reached the app');
		await host.closeView('clara');
		assert.equal(host.openView('clara'), undefined);
	});

	it('reports each call the app makes to the host, its persistence calls as the bridge counts them', async () => {
		const methods: string[] = [];
		let persistenceCalls = 0;
		const stopReporting = host.onAppCall((call) => methods.push(call.method));
		const stopCounting = host.persistence.onCall(() => {
			persistenceCalls += 1;
		});
		try {
			await host.runSlashCommand('alice', 'general', '/feedback list');
		} finally {
			stopReporting();
			stopCounting();
		}
		assert.ok(persistenceCalls > 0, 'the list reads the store');
		assert.deepEqual(
			methods.filter((method) => !/^(accessor|bridges):/.test(method)),
			[],
			'only accessor and bridge calls',
		);
		assert.equal(
			methods.filter((method) =>
				/^accessor:(getReader:getPersistenceReader|getPersistence):/.test(method),
			).length,
			persistenceCalls,
			`the persistence calls among ${methods.join(', ')}`,
		);
		const reported = methods.length;
		await host.runSlashCommand('alice', 'general', '/feedback help');
		assert.equal(methods.length, reported, 'nothing is reported once unsubscribed');
	});

	it('waits for IPostMessageSent and keeps counting across a restart', async () => {
		await timed('3 messages', async () => {
			for (const username of ['alice', 'bruno', 'clara']) {
				await host.sendMessage(username, 'general', `hello from ${username}`);
			}
		});
		assert.deepEqual(host.listenerErrors(), []);
		const before = await host.runSlashCommand('admin', 'general', '/feedback stats');
		assert.match(
			before.notifications.map((notification) => notification.text).join('\n'),
			/messages[^\n]*\b3\b/i,
		);

		const methods: string[] = [];
		const stopReporting = host.onAppCall((call) => methods.push(call.method));
		await timed('restart', () => host.restart());
		methods.length = 0;
		await host.sendMessage('alice', 'feedback', 'one more');
		const afterRestart = await host.runSlashCommand('admin', 'general', '/feedback stats');
		stopReporting();
		assert.ok(
			methods.includes('accessor:getReader:getPersistenceReader:readByAssociations'),
			`the restarted app's calls are reported too: ${methods.join(', ')}`,
		);
		assert.match(
			afterRestart.notifications.map((notification) => notification.text).join('\n'),
			/messages[^\n]*\b4\b/i,
		);
		assert.equal(host.timeline('general').length, 3);
	});

	it('stops without leaving a Deno process behind', async () => {
		assert.ok(
			denoPids().some((pid) => !pidsBefore.has(pid)),
			'the running host has its Deno process',
		);
		await timed('stop', () => host.stop());
		const leftover = denoPids().filter((pid) => !pidsBefore.has(pid));
		assert.deepEqual(leftover, []);
	});
});
