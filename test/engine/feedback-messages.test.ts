// Message counting and restarts through the packaged app.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	closeAnonymousHour,
	fixturePerTest,
	optionValues,
	reply,
	runAnnouncements,
	sendFeedback,
	SETTING,
	statsMessageCount,
	storedFeedback,
	listText,
} from './app-fixture';
import { timed } from './timing';
import type { LocalHost } from '../../host';

const SENDERS = ['alice', 'bruno', 'clara'];

/** Sends `count` messages from the fixture members, one at a time, in both rooms. */
async function sendMessages(host: LocalHost, count: number, label = 'message'): Promise<void> {
	for (let index = 0; index < count; index++) {
		await host.sendMessage(
			SENDERS[index % 3],
			index % 2 ? 'feedback' : 'general',
			`${label} ${index}`,
		);
	}
}

describe('message counting', () => {
	const fixture = fixturePerTest('messages');

	it('counts exactly the messages members sent, in any room, at any pace', async () => {
		const { host } = fixture();
		const N = 51;
		const rooms = ['general', 'feedback'];
		const message = (index: number) =>
			host.sendMessage(SENDERS[index % 3], rooms[Math.floor(index / 3) % 2], `message ${index}`);
		await timed(`${N} messages`, async () => {
			for (let index = 0; index < 30; index++) {
				await message(index);
			}
			// The rest at once, as a busy server delivers them.
			await Promise.all(Array.from({ length: N - 30 }, (_, offset) => message(30 + offset)));
		});
		assert.deepEqual(host.listenerErrors(), []);
		const timeline = [...host.timeline('general'), ...host.timeline('feedback')];
		assert.equal(timeline.length, N);
		assert.deepEqual(
			SENDERS.map((sender) => timeline.filter((entry) => entry.sender === sender).length),
			[17, 17, 17],
		);
		assert.equal(await statsMessageCount(host), N);
	});

	it("does not count the app's own announcements", async () => {
		const { host } = fixture();
		await sendMessages(host, 5);
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const timeline = host.timeline('feedback').length;
		await sendFeedback(host, 'alice', 'general', { comment: 'announce me' });
		await sendFeedback(host, 'bruno', 'feedback', { comment: 'me too', anonymous: ['anonymous'] });
		assert.equal(closeAnonymousHour(fixture()), 1);
		await runAnnouncements(host);
		assert.equal(host.timeline('feedback').length, timeline + 2, 'two announcements');
		const stats = await reply(host, 'admin', '/feedback stats');
		assert.match(stats, /^Messages sent on the server: 5$/m);
		assert.match(stats, /^Feedback per 1000 messages: 400\.0$/m, '2 feedback per 5 messages');
	});

	it('writes a message it failed to count together with the next one', async () => {
		const { host } = fixture();
		await sendMessages(host, 3);
		assert.equal(await statsMessageCount(host), 3);
		host.setFaultInjection({ rate: 1, methods: ['updateByAssociations'] });
		await host.sendMessage('alice', 'general', 'while the counter cannot be written');
		host.setFaultInjection({ rate: 0 });
		assert.deepEqual(host.listenerErrors(), [], 'the failure is handled inside the app');
		assert.equal(await statsMessageCount(host), 3, 'not written yet');
		await host.sendMessage('bruno', 'general', 'the next one');
		assert.equal(await statsMessageCount(host), 5, 'both counted');
	});
});

describe('a restart', () => {
	const fixture = fixturePerTest('restart');

	it('keeps feedback, settings, open forms and the message count', async () => {
		const { host } = fixture();
		await sendMessages(host, 7);
		await host.setSetting(SETTING.announceRoom, 'feedback');
		await host.setSetting(SETTING.categories, 'Alpha, Beta');
		await sendFeedback(host, 'alice', 'general', { comment: 'before', category: 'Alpha' });
		await sendFeedback(host, 'clara', 'general', { comment: 'vor dem Neustart', category: 'Beta' });
		await runAnnouncements(host);
		const pending = await host.runSlashCommand('bruno', 'general', '/feedback');
		assert.ok(pending.view, 'bruno opened a form before the restart');
		const snapshot = async () => ({
			own: await listText(host, 'alice', '/feedback list'),
			all: await reply(host, 'admin', '/feedback list all'),
			stats: await reply(host, 'admin', '/feedback stats'),
			records: (await storedFeedback(host)).map((record) => record.id).sort(),
		});
		const before = await snapshot();
		assert.match(before.stats, /^Messages sent on the server: 7$/m);

		await timed('restart', () => host.restart());
		assert.deepEqual(await snapshot(), before);
		assert.equal(host.settings()[SETTING.categories]?.value, 'Alpha, Beta');
		const fresh = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.deepEqual(optionValues(fresh.view, 'category'), ['Alpha', 'Beta']);
		await host.closeView('alice');

		// The form opened before the restart is still remembered and can be sent; it is announced.
		const late = await host.submitView('bruno', {
			comment: 'depois do reinício',
			category: 'Alpha',
		});
		assert.equal(late.accepted, true, JSON.stringify(late.errors));
		assert.equal(late.notifications[0]?.room, 'general');
		await runAnnouncements(host);
		const announced = host.timeline('feedback').filter((entry) => entry.sender === 'feedback.bot');
		assert.equal(announced.length, 3, 'two before the restart, one after');
		assert.match(announced[2].text, /`depois do reinício`$/);

		// The counter goes on from where it was, across two restarts.
		for (const sender of ['alice', 'bruno', 'clara', 'alice']) {
			await host.sendMessage(sender, 'general', `after restart from ${sender}`);
		}
		assert.equal(await statsMessageCount(host), 11);
		await timed('second restart', () => host.restart());
		await host.sendMessage('clara', 'feedback', 'after the second restart');
		assert.equal(await statsMessageCount(host), 12);
	});
});
