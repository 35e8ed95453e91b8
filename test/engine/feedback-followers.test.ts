// Issue 22, followers, through the packaged app on the host: the follow commands, "Stop following"
// in the author's notice, and the daily digest to followers. The app reads real time, so a test
// moves the status changes days back (test/support/follow-digest.ts) and notes the digest's first
// day before them, as the job notes it; the host's clock only makes the job due.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	appUsername,
	changeStatus,
	fixturePerTest,
	reply,
	runStatusNotices,
	sendFeedback,
} from './app-fixture';
import type { LocalHost } from '../../host';
import { FeedbackAction } from '../../src/domain/actions';
import { FOLLOW_DIGEST_PROCESSOR_ID } from '../../src/handlers/FollowDigestJob';
import { daysAgo, followDigestStartedOn, moveStatusChangesBack } from '../support/follow-digest';
import { assertMemberTextInert } from '../support/messageSafety';

const FIVE_MINUTES = 5 * 60_000;

/** The app's messages in a member's direct room with it. */
function directTexts(host: LocalHost, username: string): string[] {
	const room = host.directRoom([appUsername(host), username]);
	return room ? host.timeline(room.id).map((message) => message.text) : [];
}

/** Lets the digest job's period come; every run of it must succeed. */
async function runDigest(host: LocalHost): Promise<void> {
	const runs = (await host.advanceClock(FIVE_MINUTES)).filter((run) =>
		run.name.startsWith(FOLLOW_DIGEST_PROCESSOR_ID),
	);
	assert.ok(runs.length >= 1, 'the digest job ran');
	assert.ok(
		runs.every((run) => run.ok),
		JSON.stringify(runs),
	);
}

describe('followers', () => {
	const fixture = fixturePerTest('followers');

	it('follow, unfollow and notices by command, with clear answers to bad input', async () => {
		const { host } = fixture();
		const sent = await sendFeedback(host, 'bruno', 'general', { comment: 'dark mode' });
		assert.match(
			await reply(host, 'alice', `/feedback follow ${sent.shortId}`),
			new RegExp(`^You follow feedback ${sent.shortId}: once a day`),
		);
		assert.equal(
			await reply(host, 'alice', `/feedback unfollow ${sent.id}`),
			`You no longer follow feedback ${sent.shortId}; you follow it again if you vote for it or type /feedback follow ${sent.shortId}.`,
		);
		assert.equal(
			await reply(host, 'alice', '/feedback follow ffffffff'),
			'No feedback has the id ffffffff: it may have been deleted.',
		);
		assert.match(
			await reply(host, 'alice', '/feedback unfollow'),
			/^Say which feedback to stop following/,
		);
		assert.match(await reply(host, 'alice', '/feedback notices'), /^Type \/feedback notices off/);
		assert.match(await reply(host, 'alice', '/feedback notices off'), /^Notices are off/);
		assert.match(await reply(host, 'alice', '/feedback notices on'), /^Notices are on/);
	});

	it('"Stop following" in the author\'s notice: the author hears of no later change', async () => {
		const current = fixture();
		const { host } = current;
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'tabs' });
		await changeStatus(host, 'admin', sent.id, { status: 'planned' });
		await runStatusNotices(current);
		const room = host.directRoom([appUsername(host), 'alice']);
		assert.ok(room);
		const [notice] = host.timeline(room.id);
		const clicked = await host.blockAction(
			'alice',
			{ messageId: notice.id },
			{
				blockId: FeedbackAction.StopFollowing,
				actionId: FeedbackAction.StopFollowing,
				value: sent.id,
			},
		);
		assert.deepEqual(
			clicked.notifications.map((notification) => notification.text),
			[
				`You no longer follow feedback ${sent.shortId}; you follow it again if you vote for it or type /feedback follow ${sent.shortId}.`,
			],
		);
		await changeStatus(host, 'admin', sent.id, { status: 'done' });
		await runStatusNotices(current);
		assert.equal(host.timeline(room.id).length, 1, 'no second notice');
	});

	it('the daily digest: one message per follower and day, every change, in their language, inert, not to the author nor to notices off, not before the first day', async () => {
		const { host } = fixture();
		const appId = host.getAppId();
		const hostile = '@all *bold* https://example.com';
		const sent = await sendFeedback(host, 'bruno', 'general', { comment: `dark ${hostile}` });
		for (const member of ['alice', 'clara', 'dora']) {
			await reply(host, member, `/feedback follow ${sent.shortId}`);
		}
		await reply(host, 'dora', '/feedback notices off');
		// Made four days ago: before the digest's first day.
		await changeStatus(host, 'admin', sent.id, { status: 'declined', note: 'too old' });
		await moveStatusChangesBack(host.persistence, appId, 2);
		// Made two days ago (and the one before moved to four days ago).
		await changeStatus(host, 'admin', sent.id, { status: 'planned', note: `soon ${hostile}` });
		await changeStatus(host, 'admin', sent.id, { status: 'done' });
		await moveStatusChangesBack(host.persistence, appId, 2);
		// The job's first run notes today; as if it had run three days ago.
		await runDigest(host);
		await followDigestStartedOn(host.persistence, appId, daysAgo(3));
		host.loseMessageAnswers(1);
		await runDigest(host);
		await runDigest(host);
		await runDigest(host);

		const [alice, ...moreAlice] = directTexts(host, 'alice');
		assert.deepEqual(moreAlice, [], 'one digest for alice');
		const lines = alice.split('\n');
		assert.match(
			lines[0],
			new RegExp(`^Changes to feedback you follow on ${daysAgo(2)} \\(UTC\\) · ref [0-9a-f]{16}$`),
		);
		assert.match(lines[1], new RegExp(`feedback ${sent.shortId} .* is now: Planned\\.$`));
		assert.match(lines[2], /^Note from the team: `soon /);
		assert.match(lines[3], new RegExp(`feedback ${sent.shortId} .* is now: Done\\.$`));
		assert.doesNotMatch(alice, /Declined|too old/, 'the day before the first day is not sent');
		assertMemberTextInert(alice, ['@all', '*bold*', 'https://example.com']);
		const clara = directTexts(host, 'clara');
		assert.equal(clara.length, 1);
		assert.match(clara[0], /^Änderungen an Feedback, dem du folgst/);
		assert.deepEqual(directTexts(host, 'bruno'), [], 'the author is told at once instead');
		assert.deepEqual(directTexts(host, 'dora'), [], 'notices off');
	});
});
