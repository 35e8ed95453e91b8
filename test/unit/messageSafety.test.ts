import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SettingId } from '../../src/domain/settings';
import { makeUser, TestWorld } from '../support/TestWorld';
import { assertMemberTextInert, readAsRocketChat } from '../support/messageSafety';

// Every piece of member text carries a marker ("zq…") so a test can find it in what is shown.
const HOSTILE_NAME =
	'zqname https://example.com @all *bold* _it_ :rocket: ~~s~~ <https://example.com|x>';
const HOSTILE_CATEGORY = 'zqcat @here https://example.com *Bug* :smile:';
const HOSTILE_COMMENT =
	'zqcomment @all @here https://example.com www.example.com *bold* _it_ ~~s~~ :smile: :) `code` ```block``` > quote [x](https://example.com) $x^2$ <t:1700000000:R>';
const HOSTILE_WORD = 'zqword@all*x*https://example.com';
const MARKERS = ['zqname', 'zqcat', 'zqcomment', 'zqword', 'example.com'];

describe('member text as Rocket.Chat renders it', () => {
	it('the test parser does see mentions, links, emoji and formatting in plain text', () => {
		const { active } = readAsRocketChat(HOSTILE_COMMENT);
		for (const type of ['MENTION_USER', 'LINK', 'EMOJI', 'ITALIC', 'STRIKE']) {
			assert.ok(
				active.some((node) => node.startsWith(type)),
				`${type} not found`,
			);
		}
	});

	it('never becomes a mention, link, emoji or formatting in any message the app sends', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.Categories, `${HOSTILE_CATEGORY}, Idea`);
		world.settings.set(SettingId.AnnounceRoom, 'feedback');
		const author = { ...makeUser('mallory'), name: `${HOSTILE_NAME} ${'y'.repeat(3000)}` };
		const nameless = { ...makeUser('nobody'), name: '\u200B\u3164' };
		for (const member of [author, nameless]) {
			await world.instance.run(member, '');
			const response = await world.instance.submit(member, world.lastView(member), {
				comment: HOSTILE_COMMENT.repeat(3),
				category: HOSTILE_CATEGORY,
				rating: '3',
			});
			assert.equal(response.success, true);
			await world.instance.run(member, 'list', world.general, null);
		}
		await world.instance.run(author, HOSTILE_WORD);
		await world.instance.run(world.admin, 'list all');
		await world.instance.run(world.admin, 'stats');
		await world.instance.runAnnouncements();

		const sent = [
			...world.notifications.map((notification) => notification.message.text ?? ''),
			...world.roomMessages.map((message) => message.text ?? ''),
		];
		assert.ok(sent.length >= 9, `only ${sent.length} messages were sent`);
		assert.ok(
			sent.some((text) => text.includes('zqname')),
			'the name is shown somewhere',
		);
		assert.ok(
			sent.some((text) => text.includes('zqcat')),
			'the category is shown somewhere',
		);
		assert.ok(
			sent.some((text) => text.includes('zqword')),
			'the typed word is shown',
		);
		for (const text of sent) {
			assertMemberTextInert(text, MARKERS);
		}
		const announcement = world.roomMessages[0].text ?? '';
		const heading = announcement.split('\n')[0];
		// The full id and creation time (what tells copies apart) take about 70 of these.
		assert.ok(heading.length < 260, `a ${heading.length}-character heading`);
		assert.match(world.roomMessages[1].text ?? '', /from `nobody`/, 'an invisible name falls back');
	});
});
