// Issue 19, part 5: every message the app posts from what people typed fits the server's
// Message_MaxAllowedSize as the server counts it (UTF-16 units, `msg.length` in
// apps/meteor/app/lib/server/methods/sendMessage.ts executeSendMessage), read from the server.
// What does not fit is cut on a whole character with an ellipsis; the heading the app finds its
// own copies by is never cut. Before, such a message was refused: an announcement was retried
// every 5 s for an hour, a status notice forever, and nobody saw anything.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import BetterSqlite3 from 'better-sqlite3';

import {
	appLogLines,
	appUsername,
	changeStatus,
	closeAnonymousHour,
	fixturePerTest,
	type IEngineFixture,
	listText,
	roomMessages,
	runAnnouncements,
	runStatusNotices,
	sendFeedback,
	SETTING,
	storedFeedback,
} from './app-fixture';
import type { LocalHost } from '../../host';
import { latestSlot, WEEKDAYS } from '../../src/domain/digest';
import { copyRankOf } from '../../src/domain/record';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { assertMemberTextInert } from '../support/messageSafety';

/** One person seen, eleven UTF-16 units: four emoji joined by three zero-width joiners. */
const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
const SIZE = 'Message_MaxAllowedSize';

/** The quoted text of a line `… \`text\``: what a member typed, as the message shows it. */
function quotedIn(line: string | undefined): string {
	const quoted = /`([^`]*)`$/.exec(line ?? '')?.[1];
	assert.ok(quoted !== undefined, `a quoted text at the end of ${JSON.stringify(line)}`);
	return quoted;
}

/** Asserts that a quoted text is whole family emoji, then the ellipsis: cut, and cut between characters. */
function assertCutBetweenFamilies(quoted: string): number {
	assert.match(quoted, new RegExp(`^(?:${FAMILY})+…$`, 'u'), 'cut after a whole family');
	return (quoted.length - 1) / FAMILY.length;
}

/** How the announcement of a stored feedback starts: its full id and copy, which must survive. */
async function headingStart(host: LocalHost, id: string, anonymous = false): Promise<string> {
	const record = (await storedFeedback(host)).find((stored) => stored.id === id);
	assert.ok(record, `feedback ${id} is stored`);
	const kind = anonymous ? 'New anonymous feedback' : 'New feedback';
	return `${kind} \`${record.id}\`, sent \`${copyRankOf(record)}\`,`;
}

/**
 * Moves every stored feedback back to a time (the app's clock keeps real time, so the digest of
 * the current hour's slot would otherwise cover none of it); its day stays the one it is filed under.
 */
function backdateFeedback(fixture: IEngineFixture, createdAt: Date): void {
	const database = new BetterSqlite3(path.join(fixture.folder, 'host.sqlite'), {
		fileMustExist: true,
	});
	try {
		const rows = database
			.prepare<
				[string, string],
				{ id: string; data: string }
			>('SELECT id, data FROM persistence_records WHERE app_id = ? AND associations LIKE ?')
			.all(fixture.host.getAppId(), '%"feedback"%');
		for (const row of rows) {
			const data = JSON.parse(row.data) as Record<string, unknown>;
			if (typeof data.comment === 'string' && typeof data.createdAt === 'string') {
				const moved = {
					...data,
					createdAt: createdAt.toISOString(),
					updatedAt: createdAt.toISOString(),
				};
				database
					.prepare('UPDATE persistence_records SET data = ? WHERE id = ?')
					.run(JSON.stringify(moved), row.id);
			}
		}
	} finally {
		database.close();
	}
}

/** The app's failures, as it logged them. */
async function failures(host: LocalHost): Promise<string[]> {
	return (await appLogLines(host)).filter((line) => / failed/.test(line));
}

describe('messages that fit Message_MaxAllowedSize', () => {
	const fixture = fixturePerTest('message size');

	it('announce a comment of 480 family emoji at the submit, cut on whole emoji under 5000 units, once', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const sent = await sendFeedback(host, 'alice', 'general', { comment: FAMILY.repeat(480) });

		const [announced, ...more] = roomMessages(host, 'feedback');
		assert.deepEqual(more, [], 'one announcement');
		const text = announced?.text ?? '';
		assert.ok(text.length <= 5000, `${text.length} units fit the server's default 5000`);
		assert.ok(text.length > 5000 - FAMILY.length, 'and use the room there is');
		assert.ok(text.startsWith(await headingStart(host, sent.id)), 'the heading is whole');
		const families = assertCutBetweenFamilies(quotedIn(text.split('\n')[1]));
		assert.ok(families > 400 && families < 480, `${families} families shown`);

		await runAnnouncements(host);
		await runAnnouncements(host);
		assert.equal(roomMessages(host, 'feedback').length, 1, 'the job posts nothing more');
		assert.deepEqual(await failures(host), []);
	});

	it('with Message_MaxAllowedSize 500, announce a 450-character comment cut, named at the submit and anonymous by the job', async () => {
		const current = fixture();
		const { host } = current;
		host.setServerSetting(SIZE, 500);
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const named = await sendFeedback(host, 'alice', 'general', {
			comment: `@all ${'x'.repeat(445)}`,
			category: 'Idea',
		});
		const anonymous = await sendFeedback(host, 'bruno', 'general', {
			comment: 'y'.repeat(450),
			anonymous: ['anonymous'],
		});
		assert.equal(closeAnonymousHour(current), 1);
		await runAnnouncements(host);

		const messages = roomMessages(host, 'feedback');
		assert.equal(messages.length, 2);
		const [first, second] = messages.map((message) => message.text ?? '');
		for (const text of [first, second]) {
			assert.ok(text.length <= 500, `${text.length} units fit 500`);
			assert.ok(text.length > 490, `${text.length} units: cut no more than needed`);
		}
		assert.ok(first.startsWith(await headingStart(host, named.id)));
		assert.match(quotedIn(first.split('\n')[1]), /^@\u2060all x+…$/);
		assert.ok(second.startsWith(await headingStart(host, anonymous.id, true)));
		assert.match(quotedIn(second.split('\n')[1]), /^y+…$/);
		assertMemberTextInert(first, ['all', 'x']);
		await runAnnouncements(host);
		assert.equal(roomMessages(host, 'feedback').length, 2, 'each once');
		assert.deepEqual(await failures(host), []);
	});

	it('let the job post, cut, an announcement its submit could not post', async () => {
		const { host } = fixture();
		host.setServerSetting(SIZE, 300);
		// The submit's post is refused (a read-only room): the feedback waits for the job.
		await host.setSetting(SETTING.announceRoom, 'announcements');
		const sent = await sendFeedback(host, 'clara', 'general', { comment: FAMILY.repeat(300) });
		await host.setSetting(SETTING.announceRoom, 'feedback');
		await runAnnouncements(host);

		const [announced, ...more] = roomMessages(host, 'feedback');
		assert.deepEqual(more, []);
		const text = announced?.text ?? '';
		assert.ok(text.length <= 300, `${text.length} units fit 300`);
		assert.ok(text.startsWith(await headingStart(host, sent.id)));
		assertCutBetweenFamilies(quotedIn(text.split('\n')[1]));
		await runAnnouncements(host);
		assert.equal(roomMessages(host, 'feedback').length, 1);
	});

	it('tell an author a note of 460 family emoji, cut under 5000 units, once', async () => {
		const current = fixture();
		const { host } = current;
		const sent = await sendFeedback(host, 'alice', 'general', { comment: FAMILY.repeat(100) });
		await changeStatus(host, 'admin', sent.id, { status: 'planned', note: FAMILY.repeat(460) });
		await runStatusNotices(current);
		await runStatusNotices(current);

		const room = host.directRoom([appUsername(host), 'alice']);
		assert.ok(room, 'the author has a direct room with the app');
		const [told, ...more] = host.timeline(room.id);
		assert.deepEqual(more, [], 'one message');
		assert.ok(told.text.length <= 5000, `${told.text.length} units fit 5000`);
		assert.ok(told.text.length > 5000 - FAMILY.length, 'and use the room there is');
		const [heading, statusLine, noteLine] = told.text.split('\n');
		assert.match(heading, /^Update on your feedback · .* · ref [0-9a-f]{16}$/);
		assert.match(
			statusLine,
			new RegExp(`^Your feedback ${sent.shortId} \\(.*\\) is now: Planned\\.$`),
		);
		assert.ok(noteLine.startsWith('Note from the team: `'));
		assertCutBetweenFamilies(quotedIn(noteLine));
		assert.deepEqual(await failures(host), []);
	});

	it('with Message_MaxAllowedSize 500, tell an author a 450-character comment and note, cut', async () => {
		const current = fixture();
		const { host } = current;
		host.setServerSetting(SIZE, 500);
		const sent = await sendFeedback(host, 'bruno', 'general', { comment: 'c'.repeat(450) });
		await changeStatus(host, 'admin', sent.id, { status: 'done', note: 'n'.repeat(450) });
		await runStatusNotices(current);
		await runStatusNotices(current);

		const room = host.directRoom([appUsername(host), 'bruno']);
		assert.ok(room);
		const [told, ...more] = host.timeline(room.id);
		assert.deepEqual(more, [], 'one message');
		assert.ok(told.text.length <= 500, `${told.text.length} units fit 500`);
		const [heading, statusLine, noteLine] = told.text.split('\n');
		assert.match(heading, /^Novidades sobre o seu feedback · .* · ref [0-9a-f]{16}$/);
		assert.match(quotedIn(statusLine.replace(/\) agora está: Concluído\.$/, '')), /^c+…?$/);
		assert.match(quotedIn(noteLine), /^n+…$/);
		assert.deepEqual(await failures(host), []);
	});

	it('below what an announcement needs without the comment, log the setting to raise and keep the feedback', async () => {
		const { host } = fixture();
		host.setServerSetting(SIZE, 60);
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'fits nowhere' });
		assert.match(sent.confirmation, /^Thank you!/, 'stored and confirmed all the same');
		await runAnnouncements(host);
		assert.deepEqual(roomMessages(host, 'feedback'), [], 'nothing the server would refuse is sent');
		const logged = await failures(host);
		assert.ok(
			logged.some((line) =>
				/Message_MaxAllowedSize is 60, and this message needs \d+ UTF-16 units.*raise Message_MaxAllowedSize/.test(
					line,
				),
			),
			logged.join('\n'),
		);

		host.setServerSetting(SIZE, 300);
		await runAnnouncements(host);
		assert.equal(roomMessages(host, 'feedback').length, 1, 'announced once the setting allows it');
	});

	it('leave replies whole: ephemeral messages are not size-checked by the server (notifyUser)', async () => {
		const { host } = fixture();
		host.setServerSetting(SIZE, 100);
		const sent = await sendFeedback(host, 'alice', 'general', { comment: FAMILY.repeat(200) });
		assert.ok(sent.confirmation.includes(sent.shortId));
		const list = await listText(host, 'alice', '/feedback list');
		assert.ok(list.length > 100, `${list.length} units, more than the limit for posts`);
		assert.ok(list.includes(FAMILY.repeat(139)), 'the preview as long as without the limit');
	});

	it('post the weekly digest with long category names cut, under a small Message_MaxAllowedSize', async () => {
		const current = fixture();
		const { host } = current;
		host.setServerSetting(SIZE, 400);
		const categories = ['A', 'B', 'C'].map((letter) => `${letter}${FAMILY.repeat(63)}`);
		await host.setSetting(SETTING.categories, categories.join(', '));
		for (const category of categories) {
			await sendFeedback(host, 'alice', 'general', { comment: 'long category', category });
		}
		const now = new Date();
		const slot = latestSlot(now, now.getUTCDay(), now.getUTCHours());
		backdateFeedback(current, new Date(slot.getTime() - 1000));
		const weekday = WEEKDAYS[now.getUTCDay()];
		await host.setSetting('feedback_digest_weekday', weekday);
		await host.setSetting('feedback_digest_hour', now.getUTCHours());
		await host.setSetting('feedback_digest_room', 'feedback');
		await host.setSetting('feedback_digest_enabled', true);
		// As if the check had seen this configuration an hour before the slot.
		const key = `${now.getUTCDay()}-${now.getUTCHours()}`;
		await host.persistence.createWithAssociations(
			{ key, since: new Date(slot.getTime() - 60 * 60_000).toISOString() },
			buildAssociations({ scope: RecordScope.DigestConfiguration, keys: [`key:${key}`] }),
			host.getAppId(),
		);
		const runs = await host.advanceClock(60_000);
		assert.ok(
			runs.every((run) => run.ok),
			JSON.stringify(runs),
		);

		const digests = host
			.timeline('feedback')
			.filter((message) => message.text.startsWith('*Weekly feedback digest, '));
		assert.equal(digests.length, 1, 'the digest was posted');
		const { text } = digests[0];
		assert.ok(text.length <= 400, `${text.length} units fit 400`);
		const categoryLine = text.split('\n').find((line) => line.startsWith('By category: '));
		assert.ok(categoryLine, 'with its categories');
		const names = [...categoryLine.matchAll(/`([^`]*)` 1/g)].map((found) => found[1]);
		assert.equal(names.length, 3, 'every category is named');
		for (const [index, name] of names.entries()) {
			assert.ok(name.startsWith(['A', 'B', 'C'][index]), name);
			assert.match(name.slice(1), new RegExp(`^(?:${FAMILY})*…$`, 'u'), 'cut on a whole emoji');
		}
	});
});
