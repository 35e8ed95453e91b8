// "You said, we did" through the packaged app: off by default; on, a status change to Done in the
// admin view is posted once in the announcement room by the recurring job, with the admin's note,
// inert, never naming the author; a save submitted twice posts once; no room posts nothing and
// keeps nothing; a failed write or a lost post answer is retried, and still posts once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import {
	appLogLines,
	changeStatus,
	fixturePerTest,
	openAdminView,
	openStatusForm,
	roomMessages,
	sendFeedback,
	SETTING,
	statusFormActions,
	viewLines,
} from './app-fixture';
import type { LocalHost } from '../../host';
import { assertMemberTextInert } from '../support/messageSafety';

const WE_DID_SETTING = 'feedback_we_did_posts';

/** How far the job's next run lies (its interval, '10 seconds'). */
const WE_DID_INTERVAL_MS = 10_000;

/** The pending posts the app keeps (RecordScope.WeDidPending). */
const PENDING_SET = new RocketChatAssociationRecord(
	RocketChatAssociationModel.MISC,
	'we-did-pending',
);

/** Lets the scheduler run the due jobs of the next period; every run must succeed. */
async function runWeDid(host: LocalHost): Promise<void> {
	const runs = await host.advanceClock(WE_DID_INTERVAL_MS);
	assert.ok(
		runs.some((run) => run.name.startsWith('we-did-posts_')),
		`the job ran: ${JSON.stringify(runs)}`,
	);
	assert.ok(
		runs.every((run) => run.ok),
		JSON.stringify(runs),
	);
}

/** The "You said, we did" posts of #feedback (its announcements of new feedback aside). */
function weDidPosts(host: LocalHost): string[] {
	return roomMessages(host, 'feedback')
		.map((message) => message.text ?? '')
		.filter((text) => text.startsWith('*You said, we did*'));
}

function pendingCount(host: LocalHost): number {
	return host.persistence.countRecords(host.getAppId(), [PENDING_SET]);
}

describe('"You said, we did" posts', () => {
	const fixture = fixturePerTest('we did');

	it('are off by default: a change to Done posts nothing', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'quietly done' });
		const saved = await changeStatus(host, 'admin', sent.id, { status: 'done', note: 'fixed' });
		assert.doesNotMatch(viewLines(saved.view)[0], /announcement room/);
		await runWeDid(host);
		await runWeDid(host);
		assert.deepEqual(weDidPosts(host), []);
		assert.equal(pendingCount(host), 0);
	});

	it('when on, post a change to Done once, with the note, inert and without the author', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		await host.setSetting(WE_DID_SETTING, true);
		const comment = 'Falta *modo* escuro @all <https://evil.example|aqui> :tada: COMMENTMARK';
		const note = 'Shipped @here _today_ [x](https://evil.example) NOTEMARK';
		const sent = await sendFeedback(host, 'bruno', 'general', { comment, category: 'Idea' });
		const saved = await changeStatus(host, 'admin', sent.id, { status: 'done', note });
		assert.match(
			viewLines(saved.view)[0],
			/is now Done\. .* It is also posted in the announcement room as done, once\.$/,
		);
		assert.deepEqual(weDidPosts(host), [], 'posted by the job, not by the save');
		await runWeDid(host);
		await runWeDid(host);
		const [post, ...more] = weDidPosts(host);
		assert.deepEqual(more, [], 'one post');
		const [heading, feedbackLine, noteLine] = post.split('\n');
		assert.match(
			heading,
			new RegExp(
				`^\\*You said, we did\\*: feedback ${sent.shortId} is done · ref \`[0-9a-f]{16}\`$`,
			),
		);
		assert.match(feedbackLine, /^The feedback, in `Idea`: `.*COMMENTMARK`$/);
		assert.match(noteLine, /^Note from the team: `.*NOTEMARK`$/);
		assertMemberTextInert(post, ['COMMENTMARK', 'NOTEMARK', 'modo', 'today', 'evil']);
		assert.doesNotMatch(post, /bruno|Bruno|Silva/, 'never the author');
		const message = roomMessages(host, 'feedback').find((candidate) => candidate.text === post);
		assert.equal(message?.sender.id, host.directory.appUser(host.getAppId())?.id);
		assert.equal(pendingCount(host), 0, 'nothing left pending');

		// Moving on and back to Done is a new move; a note edited on a Done entry is not.
		await changeStatus(host, 'admin', sent.id, { status: 'planned' });
		await changeStatus(host, 'admin', sent.id, { status: 'done', note: 'again' });
		await changeStatus(host, 'admin', sent.id, { status: 'done', note: 'again, edited' });
		await runWeDid(host);
		assert.equal(weDidPosts(host).length, 2);
		assert.match(weDidPosts(host)[1], /\nNote from the team: `again`$/);
	});

	it('post once for a save submitted twice', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		await host.setSetting(WE_DID_SETTING, true);
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'twice' });
		await openAdminView(host);
		const form = await openStatusForm(host, 'admin', sent.id);
		const fields = statusFormActions(form);
		const values = { [fields.status]: 'done', [fields.note]: 'ok' };
		const first = await host.submitView('admin', values);
		const again = await host.submitViewAs('admin', form, values);
		assert.equal(first.accepted, true);
		assert.equal(again.accepted, true);
		await runWeDid(host);
		// Delivered once more after the post: the marker stands for it.
		await host.submitViewAs('admin', form, values);
		await runWeDid(host);
		await runWeDid(host);
		assert.equal(weDidPosts(host).length, 1, JSON.stringify(weDidPosts(host)));
		assert.equal(pendingCount(host), 0);
	});

	it('post nothing and keep nothing without an announcement room, with a warning naming the setting', async () => {
		const { host } = fixture();
		await host.setSetting(WE_DID_SETTING, true);
		await host.setSetting(SETTING.announceRoom, 'nowhere');
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'no room' });
		await changeStatus(host, 'admin', sent.id, { status: 'done' });
		assert.equal(pendingCount(host), 1, 'noted by the save');
		await runWeDid(host);
		assert.equal(pendingCount(host), 0, 'dropped by the job');
		assert.deepEqual(weDidPosts(host), []);
		const lines = await appLogLines(host);
		assert.ok(
			lines.some(
				(line) =>
					line.startsWith('warning') &&
					line.includes('feedback_announce_room') &&
					line.includes('nowhere'),
			),
			lines.join('\n'),
		);
		// A room named later does not bring the dropped post back.
		await host.setSetting(SETTING.announceRoom, 'feedback');
		await runWeDid(host);
		assert.deepEqual(weDidPosts(host), []);
	});

	it('are retried after a failed write and a lost post answer, and still posted once', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		await host.setSetting(WE_DID_SETTING, true);
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'flaky server' });
		await changeStatus(host, 'admin', sent.id, { status: 'done', note: 'eventually' });

		// The post lands but its answer is lost: the run fails; the next finds it.
		host.loseMessageAnswers(1);
		await runWeDid(host);
		assert.equal(weDidPosts(host).length, 1, 'the post landed');
		assert.equal(pendingCount(host), 1, 'kept for the next run');

		// Marking it fails: kept again; the next run finds the post and posts nothing more.
		host.setFaultInjection({ rate: 1, methods: ['updateByAssociations'] });
		await runWeDid(host);
		host.setFaultInjection({ rate: 0 });
		assert.equal(pendingCount(host), 1);
		await runWeDid(host);
		await runWeDid(host);
		assert.equal(weDidPosts(host).length, 1);
		assert.equal(pendingCount(host), 0);
		const lines = await appLogLines(host);
		assert.ok(
			lines.some((line) => line.includes('posting \\"You said, we did\\" of change')),
			lines.join('\n'),
		);
	});
});
