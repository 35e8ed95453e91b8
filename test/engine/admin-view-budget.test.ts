// Issue 19, part 4: the admin view opens within the client's window whatever the store's size.
// The persistence bridge holds every read until the test releases it (a store no read of which
// answers in time): the view must arrive while the reads are still held, say that the statistics
// are coming, and the next Refresh, once the reads went through, shows them. The web client's 5 s
// run on a clock only the test moves, so no outcome depends on machine speed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buttonClick, fixturePerTest, sendFeedback, viewEntries, viewLines } from './app-fixture';
import { CLIENT_KINDS, type IActionResult, ManualClock, TRIGGER_TIMEOUT_MS } from '../../host';
import { until } from '../support/until';

const PENDING =
	'The statistics and this page are still being counted. Press Refresh in a moment to see them.';

for (const client of CLIENT_KINDS) {
	describe(`the admin view on a slow store (${client} client)`, () => {
		const clock = new ManualClock();
		const fixture = fixturePerTest(`slow store, ${client}`, { clock, clients: { admin: client } });

		it('opens with /feedback admin while every read is held, then Refresh shows the statistics', async () => {
			const { host } = fixture();
			const sent = await sendFeedback(host, 'alice', 'general', { comment: 'slow' });
			const release = host.holdPersistenceReads();
			let released = false;
			try {
				const command = host.runSlashCommand('admin', 'general', '/feedback admin');
				await until(
					() => host.openView('admin')?.viewId === 'feedback-admin',
					'the admin view to open while the reads are held',
				);
				assert.ok(host.heldPersistenceReads() > 0, 'the statistics are still being read');
				assert.deepEqual(host.refusedViews('admin'), [], 'the client took the view in time');
				const opened = host.openView('admin');
				assert.equal(viewLines(opened)[0], PENDING);
				assert.deepEqual(viewEntries(opened), [], 'no entries yet, and no "No feedback matches"');
				// The client's window passes; the reading finishes in the background.
				clock.advance(TRIGGER_TIMEOUT_MS);
				release();
				released = true;
				const result: IActionResult = await command;
				assert.deepEqual(result.refused, []);
			} finally {
				if (!released) {
					release();
				}
			}
			const refreshed = await host.submitView('admin', {});
			assert.equal(refreshed.view?.viewId, 'feedback-admin');
			assert.ok(viewLines(refreshed.view).includes('Feedback received: 1'));
			assert.deepEqual(
				viewEntries(refreshed.view).map((entry) => entry.shortId),
				[sent.shortId],
			);
		});

		it('opens from the stats button while every read is held', async () => {
			const { host } = fixture();
			await sendFeedback(host, 'alice', 'general', { comment: 'slow too' });
			const stats = await host.runSlashCommand('admin', 'general', '/feedback stats');
			const [message] = stats.notifications;
			const release = host.holdPersistenceReads();
			try {
				const click = host.blockAction(
					'admin',
					{ messageId: message.id },
					buttonClick(message, 'admin-open'),
				);
				await until(
					() => host.openView('admin')?.viewId === 'feedback-admin',
					'the admin view to open while the reads are held',
				);
				assert.equal(viewLines(host.openView('admin'))[0], PENDING);
				assert.ok(host.heldPersistenceReads() > 0);
				release();
				assert.deepEqual((await click).refused, []);
			} finally {
				release();
			}
		});
	});
}
