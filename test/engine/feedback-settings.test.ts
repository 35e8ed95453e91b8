// The app's settings changed while it runs, through the packaged app.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	blocksOf,
	feedbackCount,
	fieldOf,
	fixturePerTest,
	onlyReply,
	optionValues,
	SETTING,
	storedFeedback,
} from './app-fixture';
import { timed } from './timing';

const CATEGORY_CHANGED =
	'The categories changed since this form opened. Close it and type /feedback again to see the current ones.';
const tooLong = (length: number, max: number) =>
	`Your comment has ${length} characters; the limit is ${max}.`;

describe('feedback settings changed at run time', () => {
	const fixture = fixturePerTest('settings');

	it('offers the categories of the setting in the next form and accepts only those', async () => {
		const { host } = fixture();
		await host.runSlashCommand('alice', 'general', '/feedback');
		await timed('set categories', () =>
			host.setSetting(SETTING.categories, ' Alpha ,Beta,, Alpha '),
		);
		const stale = await host.submitView('alice', { comment: 'old form', category: 'Bug' });
		assert.equal(stale.accepted, false, 'a category no longer offered is refused');
		assert.deepEqual(stale.errors, { category: CATEGORY_CHANGED }, 'the member learns why');
		assert.equal(feedbackCount(host), 0);

		const fresh = await host.runSlashCommand('bruno', 'general', '/feedback');
		assert.deepEqual(optionValues(fresh.view, 'category'), ['Alpha', 'Beta']);
		assert.equal(fieldOf(fresh.view, 'category').element?.initialValue, 'Alpha');
		const beta = await host.submitView('bruno', { comment: 'nova categoria', category: 'Beta' });
		assert.equal(beta.accepted, true);
		const [record] = await storedFeedback(host);
		assert.equal(record?.comment, 'nova categoria');
		assert.equal(record?.category, 'Beta');

		// A setting with no category left falls back to the shipped ones.
		await host.setSetting(SETTING.categories, ' , ');
		const fallback = await host.runSlashCommand('clara', 'general', '/feedback');
		assert.deepEqual(optionValues(fallback.view, 'category'), ['General', 'Bug', 'Idea', 'Praise']);
	});

	it('applies the maximum comment length, counting what a reader sees as one character', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.maxLength, 10);
		const opened = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.equal(fieldOf(opened.view, 'comment').element?.maxLength, 10);
		assert.equal(fieldOf(opened.view, 'comment').hint?.text, 'Up to 10 characters.');
		const tooLongText = await host.submitView('alice', { comment: 'x'.repeat(11) });
		assert.deepEqual(tooLongText.errors, { comment: tooLong(11, 10) });
		const emoji = await host.submitView('alice', { comment: '😀'.repeat(11) });
		assert.deepEqual(emoji.errors, { comment: tooLong(11, 10) });
		// A family: four people joined by zero-width joiners, one character on screen.
		const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
		const families = await host.submitView('alice', { comment: family.repeat(11) });
		assert.deepEqual(families.errors, { comment: tooLong(11, 10) }, 'a family emoji counts one');
		assert.equal(feedbackCount(host), 0);
		const fits = await host.submitView('alice', {
			comment: `${family.repeat(5)}${'😀'.repeat(5)}`,
		});
		assert.equal(fits.accepted, true, JSON.stringify(fits.errors));
		assert.equal(feedbackCount(host), 1);

		// A typo like 2000000 is held at the ceiling of 10000.
		await host.setSetting(SETTING.maxLength, 2_000_000);
		const capped = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.equal(fieldOf(capped.view, 'comment').element?.maxLength, 10000);
		const overCeiling = await host.submitView('alice', { comment: 'z'.repeat(10001) });
		assert.deepEqual(overCeiling.errors, { comment: tooLong(10001, 10000) });
	});

	it('hides "anonymous" from the next form when it is turned off', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.allowAnonymous, false);
		const opened = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.deepEqual(
			blocksOf(opened.view).map((block) => block.element?.actionId),
			['comment', 'category', 'rating'],
		);
		await assert.rejects(
			host.submitView('alice', { comment: 'x', anonymous: ['anonymous'] }),
			/no field anonymous/,
		);
		await host.closeView('alice');

		await host.setSetting(SETTING.allowAnonymous, true);
		const again = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.deepEqual(optionValues(again.view, 'anonymous'), ['anonymous']);
	});

	it('gives the admin commands to the roles of the setting, and only to them', async () => {
		const { host } = fixture();
		const reply = async (username: string, text: string) =>
			onlyReply(await host.runSlashCommand(username, 'general', text));
		const statsTitle = '*Feedback statistics*';
		await host.setSetting(SETTING.adminRoles, 'moderator, feedback-admin');
		assert.equal(
			await reply('admin', '/feedback stats'),
			'Only workspace admins can see feedback statistics.',
		);
		assert.equal(
			await reply('admin', '/feedback list all'),
			"Only workspace admins can list everyone's feedback.",
		);

		await host.setSetting(SETTING.adminRoles, 'user');
		const aliceStats = await reply('alice', '/feedback stats');
		assert.ok(aliceStats.startsWith(statsTitle), aliceStats);
		assert.equal(await reply('alice', '/feedback list all'), 'No feedback has been sent yet.');
		assert.match(await reply('alice', '/feedback help'), /^Admins: \/feedback stats/m);

		await host.setSetting(SETTING.adminRoles, 'admin');
		assert.equal(
			await reply('alice', '/feedback stats'),
			'Only workspace admins can see feedback statistics.',
		);
		assert.ok((await reply('admin', '/feedback stats')).startsWith(statsTitle));
	});
});
