// Issue 22, followers: follow and unfollow by command and by the "Stop following" button, notices
// off and on, and the daily digest of changes to what a member follows, on the TestWorld's clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { FeedbackAction } from '../../src/domain/actions';
import { parseFeedbackCommand } from '../../src/domain/command';
import { DAY_CLOSING_GRACE_MS, DAY_MS } from '../../src/domain/days';
import {
	daysToSend,
	digestsOfDay,
	followDigestReference,
	FOLLOW_DIGEST_MEMBERS_PER_RUN,
} from '../../src/domain/followDigest';
import type { IFollowedChange } from '../../src/domain/followDigest';
import { FeedbackStatus } from '../../src/domain/status';
import { NOTICE_QUIET_MS } from '../../src/domain/statusNotice';
import { translatorFor } from '../../src/i18n/translate';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { engagementOf } from '../../src/persistence/engagement';
import { storesFor } from '../../src/persistence/stores';
import { formatFollowDigest } from '../../src/ui/followText';
import { APP_ID, TestWorld } from '../support/TestWorld';
import { feedbackRecord } from '../support/feedbackRecord';
import { assertMemberTextInert } from '../support/messageSafety';

const FIRST_DAY = '2026-01-01';

/** A member sends a feedback; resolves with its id. */
async function sendFeedback(
	world: TestWorld,
	author: IUser,
	comment: string,
	extra: Record<string, unknown> = {},
): Promise<string> {
	await world.instance.run(author, '');
	const response = await world.instance.submit(author, world.lastView(author), {
		comment,
		category: 'Idea',
		...extra,
	});
	assert.equal(response.success, true);
	const ids = world.persistence
		.matching(APP_ID, buildAssociations({ scope: RecordScope.Feedback }))
		.map((record) => (record.data as { id: string }).id);
	return ids[ids.length - 1];
}

/** An admin saves a status (and note) of a feedback through the admin view's status form. */
async function changeStatus(
	world: TestWorld,
	feedbackId: string,
	status: string,
	note = '',
): Promise<string> {
	const opened = await world.instance.click(
		world.admin,
		{ id: 'feedback-admin', type: 'modal', blocks: [] } as never,
		FeedbackAction.AdminChangeStatus,
		feedbackId,
	);
	const { view } = opened as { view?: IUIKitSurface };
	assert.ok(view, JSON.stringify(opened));
	const saved = await world.instance.submitStatus(
		world.admin,
		{ ...view, appId: APP_ID } as IUIKitSurface,
		{ status, note },
	);
	assert.equal(saved.success, true, JSON.stringify(saved));
	// What the admin reads after saving (the list, with what the save did).
	return JSON.stringify(saved);
}

/** What the app posted in a member's direct room with it, oldest first. */
function directMessagesTo(world: TestWorld, user: IUser): Array<IMessage> {
	const rooms = new Set(
		world.directRooms
			.filter((room) => (room.usernames ?? []).includes(user.username))
			.map((room) => room.id),
	);
	return world.roomMessages.filter((message) => rooms.has(message.room.id));
}

/** The digests (by their heading) a member got. */
function digestsTo(world: TestWorld, user: IUser): Array<string> {
	return directMessagesTo(world, user)
		.map((message) => message.text ?? '')
		.filter((text) =>
			/^(Changes to feedback you follow|Änderungen an Feedback|Mudanças em feedback)/.test(text),
		);
}

/** The followers of a feedback as every read sees them. */
async function followersOf(world: TestWorld, feedbackId: string): Promise<Array<string>> {
	const stores = storesFor(world.persistence.reader(APP_ID), world.instance.log.logger);
	return [...(await engagementOf(stores, feedbackId)).followers].sort();
}

/** Lets the day of the world's clock close (past its grace), at 02:00:01 UTC the day after. */
function closeToday(world: TestWorld): void {
	const now = world.now().getTime();
	const end = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS + DAY_CLOSING_GRACE_MS;
	world.advance(end - now + 1000);
}

/** A world whose digest job has seen its first day, with bruno's feedback followed by alice and clara. */
async function followedWorld(): Promise<{ world: TestWorld; id: string }> {
	const world = new TestWorld();
	assert.equal((await world.instance.runFollowDigest()).firstSeen, true);
	const id = await sendFeedback(world, world.bruno, 'Dark mode');
	await world.instance.run(world.alice, `follow ${id.slice(0, 8)}`);
	await world.instance.run(world.clara, `follow ${id}`);
	return { world, id };
}

describe('the follow commands', () => {
	it('parse follow, unfollow and notices, and nothing else as them', () => {
		assert.deepEqual(parseFeedbackCommand(['follow', '1A2B3C4D']), {
			kind: 'follow',
			following: true,
			id: '1a2b3c4d',
		});
		assert.deepEqual(parseFeedbackCommand(['unfollow', 'x']), {
			kind: 'follow',
			following: false,
			id: 'x',
		});
		assert.deepEqual(parseFeedbackCommand(['follow']), {
			kind: 'follow',
			following: true,
			id: undefined,
		});
		assert.deepEqual(parseFeedbackCommand(['follow', 'a', 'b']), {
			kind: 'follow',
			following: true,
			id: undefined,
		});
		assert.deepEqual(parseFeedbackCommand(['notices', 'OFF']), { kind: 'notices', on: false });
		assert.deepEqual(parseFeedbackCommand(['notices', 'on']), { kind: 'notices', on: true });
		assert.deepEqual(parseFeedbackCommand(['notices']), { kind: 'notices', on: undefined });
		assert.deepEqual(parseFeedbackCommand(['notices', 'maybe']), {
			kind: 'notices',
			on: undefined,
		});
	});

	it("follow and unfollow anyone's feedback by its short or full id, and say what changed", async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world, world.bruno, 'Dark mode');
		const short = id.slice(0, 8);
		await world.instance.run(world.alice, `follow ${short}`);
		assert.equal(
			world.lastNotice(world.alice),
			`You follow feedback ${short}: once a day you get a direct message with its status changes. /feedback unfollow ${short} stops it.`,
		);
		assert.deepEqual(await followersOf(world, id), [world.alice.id, world.bruno.id].sort());
		await world.instance.run(world.alice, `unfollow ${id}`);
		assert.equal(
			world.lastNotice(world.alice),
			`You no longer follow feedback ${short}; you follow it again if you vote for it or type /feedback follow ${short}.`,
		);
		assert.deepEqual(await followersOf(world, id), [world.bruno.id]);
		// The author can stop following their own feedback too.
		await world.instance.run(world.bruno, `unfollow ${short}`);
		assert.deepEqual(await followersOf(world, id), []);
	});

	it('answer a missing, malformed, unknown or deleted id with a clear message and store nothing', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world, world.bruno, 'Dark mode');
		const follows = () =>
			world.persistence.matching(APP_ID, buildAssociations({ scope: RecordScope.FeedbackFollow }))
				.length;
		await world.instance.run(world.alice, 'follow');
		assert.match(world.lastNotice(world.alice), /^Say which feedback to follow, for example/);
		await world.instance.run(world.alice, 'unfollow');
		assert.match(world.lastNotice(world.alice), /^Say which feedback to stop following/);
		await world.instance.run(world.alice, 'follow @all');
		assert.equal(
			world.lastNotice(world.alice),
			'`@\u2060all` is not a feedback id. Ids are the 8 characters shown in /feedback list.',
		);
		await world.instance.run(world.alice, 'follow 00000000');
		assert.equal(
			world.lastNotice(world.alice),
			'No feedback has the id 00000000: it may have been deleted.',
		);
		await world.instance.run(world.bruno, `delete ${id.slice(0, 8)}`);
		await world.instance.run(world.alice, `follow ${id.slice(0, 8)}`);
		assert.match(world.lastNotice(world.alice), /^No feedback has the id /);
		assert.equal(follows(), 0);
	});

	it('refuses following an anonymous feedback before its announcement, and stores nothing', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world, world.bruno, 'Quietly', { anonymous: ['anonymous'] });
		const short = id.slice(0, 8);
		const follows = () =>
			world.persistence.matching(APP_ID, buildAssociations({ scope: RecordScope.FeedbackFollow }))
				.length;
		for (const command of [`follow ${short}`, `unfollow ${short}`]) {
			await world.instance.run(world.bruno, command);
			assert.match(
				world.lastNotice(world.bruno),
				new RegExp(`^O feedback ${short} foi enviado anonimamente e ainda não foi anunciado`),
			);
		}
		assert.equal(follows(), 0, 'no record of the author knowing its id early');
		const stores = storesFor(world.persistence.reader(APP_ID), world.instance.log.logger);
		await stores.announcements.markAnnounced(world.writer(), id, world.now(), true);
		await world.instance.run(world.alice, `follow ${short}`);
		assert.match(world.lastNotice(world.alice), /^You follow feedback /);
		assert.equal(follows(), 1);
	});

	it('notices off and on are stored choices; anything else gets the usage', async () => {
		const world = new TestWorld();
		const stores = () => storesFor(world.persistence.reader(APP_ID), world.instance.log.logger);
		await world.instance.run(world.dora, 'notices off');
		assert.match(world.lastNotice(world.dora), /^Notices are off: you get no direct messages/);
		assert.equal(await stores().follows.noticesOn(world.dora.id), false);
		await world.instance.run(world.dora, 'notices loud');
		assert.match(
			world.lastNotice(world.dora),
			/^Type \/feedback notices off to get no direct messages/,
		);
		assert.equal(await stores().follows.noticesOn(world.dora.id), false);
		await world.instance.run(world.dora, 'notices on');
		assert.match(world.lastNotice(world.dora), /^Notices are on:/);
		assert.equal(await stores().follows.noticesOn(world.dora.id), true);
	});

	it('deleting a feedback removes its follows', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world, world.bruno, 'Dark mode');
		await world.instance.run(world.alice, `follow ${id.slice(0, 8)}`);
		const follows = () =>
			world.persistence.matching(
				APP_ID,
				buildAssociations({ scope: RecordScope.FeedbackFollow, keys: [`feedback:${id}`] }),
			).length;
		assert.equal(follows(), 1);
		await world.instance.run(world.bruno, `delete ${id.slice(0, 8)}`);
		assert.equal(follows(), 0);
	});
});

describe('"Stop following" in the author\'s status notice', () => {
	it('is one button per feedback named, naming the app; a click unfollows the clicking member only', async () => {
		const { world, id } = await followedWorld();
		await changeStatus(world, id, 'planned');
		world.advance(NOTICE_QUIET_MS);
		await world.instance.runStatusNotices();
		const [notice] = directMessagesTo(world, world.bruno);
		assert.ok(notice, 'bruno was told');
		const blocks = notice.blocks as unknown as Array<{
			appId?: string;
			elements: Array<{ appId?: string; actionId: string; value: string }>;
		}>;
		assert.equal(blocks.length, 1);
		assert.equal(blocks[0].appId, APP_ID);
		assert.deepEqual(
			blocks[0].elements.map((element) => [element.appId, element.actionId, element.value]),
			[[APP_ID, FeedbackAction.StopFollowing, id]],
		);
		// alice replays bruno's click: only alice stops following.
		await world.instance.clickInMessage(world.alice, notice.room, FeedbackAction.StopFollowing, id);
		assert.deepEqual(await followersOf(world, id), [world.bruno.id, world.clara.id].sort());
		await world.instance.clickInMessage(world.bruno, notice.room, FeedbackAction.StopFollowing, id);
		await world.instance.clickInMessage(world.bruno, notice.room, FeedbackAction.StopFollowing, id);
		assert.deepEqual(await followersOf(world, id), [world.clara.id]);
		assert.match(world.lastNotice(world.bruno), /^Você não segue mais o feedback/);
		// The author who stopped following hears of no later change, and the admin is told so.
		assert.match(await changeStatus(world, id, 'done'), /they stopped following it/);
		world.advance(NOTICE_QUIET_MS);
		await world.instance.runStatusNotices();
		assert.equal(directMessagesTo(world, world.bruno).length, 1);
	});

	it('refuses and logs a value that is not a feedback id, or names a deleted one', async () => {
		const { world, id } = await followedWorld();
		const before = await followersOf(world, id);
		await world.instance.clickInMessage(
			world.alice,
			world.general,
			FeedbackAction.StopFollowing,
			'{"id":1}',
		);
		assert.ok(
			world.instance.log.warnings.some((line) => line.includes('its value is not a feedback id')),
			world.instance.log.warnings.join('\n'),
		);
		await world.instance.run(world.bruno, `delete ${id.slice(0, 8)}`);
		await world.instance.clickInMessage(
			world.alice,
			world.general,
			FeedbackAction.StopFollowing,
			id,
		);
		assert.ok(
			world.instance.log.warnings.some((line) => line.includes(`feedback ${id} is not stored`)),
		);
		assert.match(
			world.lastNotice(world.alice),
			/was deleted: there is nothing to follow any more\.$/,
		);
		assert.ok(before.includes(world.alice.id));
		assert.equal(
			world.persistence.matching(
				APP_ID,
				buildAssociations({ scope: RecordScope.FeedbackFollow, keys: [`feedback:${id}`] }),
			).length,
			0,
			'no unfollow stored',
		);
	});

	it('an author whose notices are off is not told', async () => {
		const { world, id } = await followedWorld();
		await world.instance.run(world.bruno, 'notices off');
		assert.match(await changeStatus(world, id, 'planned'), /they turned their notices off/);
		world.advance(NOTICE_QUIET_MS);
		await world.instance.runStatusNotices();
		assert.deepEqual(directMessagesTo(world, world.bruno), []);
	});
});

describe("the followers' daily digest", () => {
	it('once the day closes, one message per follower listing every change of the day, in their language, not to the author', async () => {
		const { world, id } = await followedWorld();
		await world.instance.run(world.dora, `follow ${id.slice(0, 8)}`);
		await world.instance.run(world.dora, 'notices off');
		await changeStatus(world, id, 'planned');
		await changeStatus(world, id, 'done', 'shipped in 2.1');
		assert.equal((await world.instance.runFollowDigest()).sent, 0, 'the day is still open');
		closeToday(world);
		const run = await world.instance.runFollowDigest();
		assert.deepEqual(run.daysDone, [FIRST_DAY]);
		const [alice] = digestsTo(world, world.alice);
		assert.equal(digestsTo(world, world.alice).length, 1);
		const short = id.slice(0, 8);
		const lines = alice.split('\n');
		assert.equal(
			lines[0],
			`Changes to feedback you follow on ${FIRST_DAY} (UTC) · ref ${followDigestReference(world.alice.id, FIRST_DAY)}`,
		);
		assert.match(
			lines[1],
			new RegExp(
				`^2026-01-01 \\d\\d:\\d\\d UTC: feedback ${short} \\(\`Idea\`, \`Dark mode\`\\) is now: Planned\\.$`,
			),
		);
		assert.match(lines[2], new RegExp(`feedback ${short} .* is now: Done\\.$`));
		assert.equal(lines[3], 'Note from the team: `shipped in 2.1`');
		const [clara] = digestsTo(world, world.clara);
		assert.match(clara, /^Änderungen an Feedback, dem du folgst, am 2026-01-01/);
		assert.deepEqual(digestsTo(world, world.bruno), [], 'the author is told at once instead');
		assert.deepEqual(directMessagesTo(world, world.dora), [], 'notices off');
		// Later runs, on any instance, send nothing more.
		world.advance(60_000);
		await world.instance.runFollowDigest();
		await world.newInstance().runFollowDigest();
		assert.equal(digestsTo(world, world.alice).length, 1);
		assert.equal(digestsTo(world, world.clara).length, 1);
	});

	it('sends nothing for days before the first day it saw', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world, world.bruno, 'Dark mode');
		await world.instance.run(world.alice, `follow ${id.slice(0, 8)}`);
		await changeStatus(world, id, 'planned');
		closeToday(world);
		assert.equal((await world.instance.runFollowDigest()).firstSeen, true);
		await changeStatus(world, id, 'done');
		closeToday(world);
		await world.instance.runFollowDigest();
		const digests = digestsTo(world, world.alice);
		assert.equal(digests.length, 1);
		assert.match(digests[0], /on 2026-01-02 \(UTC\)/);
		assert.doesNotMatch(digests[0], /Planned/);
	});

	it('two runs at once, on two instances, send one message per member', async () => {
		const { world, id } = await followedWorld();
		await changeStatus(world, id, 'planned');
		closeToday(world);
		await Promise.all([world.instance.runFollowDigest(), world.newInstance().runFollowDigest()]);
		assert.equal(digestsTo(world, world.alice).length, 1);
		assert.equal(digestsTo(world, world.clara).length, 1);
	});

	it('a post whose answer is lost is not posted again', async () => {
		const { world, id } = await followedWorld();
		await changeStatus(world, id, 'planned');
		closeToday(world);
		world.losingMessageAnswers = 1;
		const first = await world.instance.runFollowDigest();
		assert.deepEqual(first.daysDone, [], 'the day is tried again');
		const second = await world.instance.runFollowDigest();
		assert.deepEqual(second.daysDone, [FIRST_DAY]);
		assert.equal(digestsTo(world, world.alice).length, 1);
		assert.equal(digestsTo(world, world.clara).length, 1);
	});

	it('a change to a duplicate reaches the followers of what it was merged into', async () => {
		const { world, id } = await followedWorld();
		const duplicate = await sendFeedback(world, world.dora, 'Night theme');
		const stores = storesFor(world.persistence.reader(APP_ID), world.instance.log.logger);
		await stores.merges.add(world.writer(), {
			id: 'merge-1',
			sourceId: duplicate,
			targetId: id,
			adminId: world.admin.id,
			at: world.tick().toISOString(),
		});
		await changeStatus(world, duplicate, 'declined', 'duplicate');
		closeToday(world);
		await world.instance.runFollowDigest();
		assert.match(
			digestsTo(world, world.alice)[0],
			new RegExp(`feedback ${duplicate.slice(0, 8)} `),
		);
		// Bruno wrote the target, not the duplicate: he is a follower like the others.
		assert.equal(digestsTo(world, world.bruno).length, 1);
		assert.deepEqual(digestsTo(world, world.dora), [], 'its author is told at once');
	});
});

describe('who gets which digest of a day', () => {
	const t = translatorFor('en');
	const change = (id: string, feedbackId: string, at: string, note = '') => ({
		id,
		feedbackId,
		feedbackCreatedAt: '2026-01-01T00:00:00.000Z',
		status: FeedbackStatus.Planned,
		note,
		adminId: 'admin',
		at,
	});

	it('each follower once, every change oldest first, copies once, never the author of the feedback changed', () => {
		const named = feedbackRecord({ id: 'f1' });
		const anonymous = feedbackRecord({ id: 'f2', anonymous: true, author: null });
		const changes: Array<IFollowedChange> = [
			{
				change: change('c2', 'f1', '2026-01-01T10:00:00.000Z'),
				record: named,
				followers: new Set(['m1', named.author?.id ?? '']),
			},
			{
				change: change('c1', 'f2', '2026-01-01T09:00:00.000Z'),
				record: anonymous,
				followers: new Set(['m1', 'm2']),
			},
			{
				change: change('c2', 'f1', '2026-01-01T10:00:00.000Z'),
				record: named,
				followers: new Set(['m1']),
			},
		];
		const digests = digestsOfDay(FIRST_DAY, changes);
		assert.deepEqual(
			digests.map((digest) => [digest.memberId, digest.changes.map((item) => item.change.id)]),
			[
				['m1', ['c1', 'c2']],
				['m2', ['c1']],
			],
		);
		assert.equal(digests[0].reference, followDigestReference('m1', FIRST_DAY));
		assert.notEqual(followDigestReference('m1', FIRST_DAY), followDigestReference('m2', FIRST_DAY));
		assert.notEqual(
			followDigestReference('m1', FIRST_DAY),
			followDigestReference('m1', '2026-01-02'),
		);
	});

	it('closed days from the first day seen, after the last one done, at most a few a run', () => {
		const at = (iso: string) => new Date(iso);
		assert.deepEqual(daysToSend(FIRST_DAY, '', at('2026-01-02T01:59:59Z')), []);
		assert.deepEqual(daysToSend(FIRST_DAY, '', at('2026-01-02T02:00:00Z')), [FIRST_DAY]);
		assert.deepEqual(daysToSend(FIRST_DAY, FIRST_DAY, at('2026-01-03T02:00:00Z')), ['2026-01-02']);
		// A day done before the first day (an older marker) does not reach back.
		assert.deepEqual(daysToSend(FIRST_DAY, '2025-12-01', at('2026-01-02T02:00:00Z')), [FIRST_DAY]);
		assert.equal(daysToSend(FIRST_DAY, '', at('2026-03-01T00:00:00Z'), 7).length, 7);
		assert.ok(FOLLOW_DIGEST_MEMBERS_PER_RUN > 0);
	});

	it('says where a merged duplicate is followed now, not its target id as a note', () => {
		const duplicate = feedbackRecord({ id: '1a2b3c4d-0000-4000-8000-00000000000a' });
		const digest = digestsOfDay(FIRST_DAY, [
			{
				change: {
					...change('c1', duplicate.id, '2026-01-01T10:00:00.000Z', '9f8e7d6c'),
					status: FeedbackStatus.Duplicate,
				},
				record: duplicate,
				followers: new Set(['m1']),
			},
		])[0];
		const text = formatFollowDigest(digest, t);
		assert.match(text, /It was merged into 9f8e7d6c: follow that one now/);
		assert.doesNotMatch(text, /Note from the team/);
	});

	it("keeps what people typed inert, names no author, and fits the server's limit", () => {
		const hostile = feedbackRecord({
			id: '1a2b3c4d-0000-4000-8000-000000000009',
			comment: '@all look https://example.com *bold* :smile: '.repeat(20),
			category: '@here',
			author: { id: 'u1', username: 'mallory', name: 'Mallory' },
		});
		const digest = digestsOfDay(FIRST_DAY, [
			{
				change: change(
					'c1',
					hostile.id,
					'2026-01-01T10:00:00.000Z',
					'@all `x` [l](https://example.com) '.repeat(30),
				),
				record: hostile,
				followers: new Set(['m1']),
			},
		])[0];
		const text = formatFollowDigest(digest, t, 600);
		assert.ok(text.length <= 600, String(text.length));
		assertMemberTextInert(text, ['@all', '@here', 'https://example.com', '*bold*', ':smile:']);
		assert.doesNotMatch(text, /Mallory|mallory/);
		assert.equal(
			text.split('\n')[0],
			`Changes to feedback you follow on ${FIRST_DAY} (UTC) · ref ${digest.reference}`,
		);
	});
});
