// Announcements through the packaged app: a named feedback by its submit, an anonymous one (or
// one whose post failed) by the recurring job, once each, with custom fields only where the
// server accepts them, and never at the feedback's cost.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';

import {
	appLogLines,
	closeAnonymousHour,
	feedbackCount,
	fixturePerTest,
	onlyReply,
	roomMessages,
	runAnnouncements,
	sendFeedback,
	SETTING,
	statsMessageCount,
	storedFeedback,
} from './app-fixture';
import { timed } from './timing';
import { type LocalHost, READ_ONLY_ROOM_ERROR } from '../../host';
import { copyRankOf } from '../../src/domain/record';

/** A Message_CustomFields schema that declares the app's field. */
const SCHEMA_WITH_FEEDBACK_ID = JSON.stringify({
	properties: { feedbackId: { type: 'string', pattern: '^[0-9a-f-]{36}$' } },
});

/** The jobs stored for a processor id (the engine names them `<processor>_<appId>`). */
function jobsOf(host: LocalHost, processor: string) {
	return host.scheduledJobs().filter((job) => job.name === `${processor}_${host.getAppId()}`);
}

/** How an announcement's heading starts: the full id and the stored copy's creation time. */
async function headingStart(host: LocalHost, sent: { id: string }, anonymous = false) {
	const record = (await storedFeedback(host)).find((stored) => stored.id === sent.id);
	assert.ok(record, `feedback ${sent.id} is stored`);
	const kind = anonymous ? 'New anonymous feedback' : 'New feedback';
	return `${kind} \`${record.id}\`, sent \`${copyRankOf(record)}\`,`;
}

/** A message the app tried to post: the room's id, and the server's refusal if it refused. */
interface IPostAttempt {
	roomId: string;
	error?: string;
}

/**
 * Records every message the app creates from now on, refused ones included: the host's message
 * bridge refuses what the server refuses (host/server/server-rules.ts) and the app only logs it.
 */
function watchPosts(host: LocalHost): IPostAttempt[] {
	const attempts: IPostAttempt[] = [];
	const bridge = host.engineBridges().getMessageBridge();
	const create = bridge.doCreate.bind(bridge);
	bridge.doCreate = async (message: IMessage, appId: string) => {
		const roomId = message.room?.id ?? '?';
		try {
			const id = await create(message, appId);
			attempts.push({ roomId });
			return id;
		} catch (error) {
			attempts.push({ roomId, error: error instanceof Error ? error.message : String(error) });
			throw error;
		}
	};
	return attempts;
}

describe('announcements of new feedback', () => {
	const fixture = fixturePerTest('announcements');

	it('of a named feedback are posted by the submit, exactly once; an anonymous one by the job once its hour closed', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const named = await timed('submit with announcement', () =>
			sendFeedback(host, 'alice', 'general', {
				comment: 'Ping @all about `code`',
				category: 'Idea',
				rating: '5',
			}),
		);
		assert.equal(roomMessages(host, 'feedback').length, 1, 'announced by the submit');
		const anonymous = await sendFeedback(host, 'bruno', 'general', {
			comment: 'Ninguém sabe que fui eu',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		assert.equal(roomMessages(host, 'feedback').length, 1, 'the anonymous one waits for the job');
		await runAnnouncements(host);
		assert.equal(
			roomMessages(host, 'feedback').length,
			1,
			'and for the hour it was sent in to close',
		);

		assert.equal(closeAnonymousHour(fixture()), 1);
		await timed('announcement job', () => runAnnouncements(host));
		const messages = roomMessages(host, 'feedback');
		assert.equal(messages.length, 2, 'one announcement per feedback');
		assert.equal(host.timeline('general').length, 0, 'nothing in the room of the command');
		const [first, second] = messages;
		assert.equal(first.sender.username, 'feedback.bot');
		assert.equal(first.sender.id, host.directory.appUser(host.getAppId())?.id);
		assert.equal(
			first.text,
			`${await headingStart(host, named)} in \`Idea\` (5/5) from \`Alice Doe\`:\n> \`Ping @\u2060all about ˋcodeˋ\``,
			'the comment cannot mention anyone or break out of its quote',
		);
		// A default server refuses any customFields: the announcement goes out without them.
		assert.equal(first.customFields, undefined);

		// The announcement is in the workspace's language (none set: English), whoever sent it.
		assert.equal(
			second.text,
			`${await headingStart(host, anonymous, true)} in \`Bug\` (no rating):\n> \`Ninguém sabe que fui eu\``,
		);
		assert.equal(second.customFields, undefined);
		const { room: _room, ...withoutRoom } = second;
		assert.doesNotMatch(
			JSON.stringify(withoutRoom),
			/bruno|Bruno|Silva/,
			'nothing in the announcement names the anonymous author',
		);

		// Later runs post nothing more.
		await runAnnouncements(host);
		await runAnnouncements(host);
		assert.equal(roomMessages(host, 'feedback').length, 2, 'each feedback announced once');
		assert.equal(await statsMessageCount(host), 0, 'announcements are not counted as messages');
	});

	it('stay one when the post landed but its answer was lost, and a duplicate is deleted (getMessages, deleteMessage)', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		host.loseMessageAnswers(1);
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'answer lost' });
		const [landed] = roomMessages(host, 'feedback');
		assert.ok(landed?.text?.startsWith(await headingStart(host, sent)), 'the message landed');
		// A copy another instance posted a moment later (a racing run of the job).
		host.directory.messages.append({
			...landed,
			id: undefined,
			createdAt: new Date((landed.createdAt?.getTime() ?? 0) + 1000),
		});
		assert.equal(roomMessages(host, 'feedback').length, 2);

		await runAnnouncements(host);
		const messages = roomMessages(host, 'feedback');
		assert.equal(messages.length, 1, 'the job found the post and deleted the later copy');
		assert.equal(messages[0].id, landed.id, 'the earliest copy is kept');
		await runAnnouncements(host);
		assert.equal(roomMessages(host, 'feedback').length, 1, 'and posts nothing more');
		assert.ok(
			(await appLogLines(host)).some((line) => line.includes('announcing the feedback failed')),
			"the submit's lost answer is logged",
		);
	});

	it('attach the feedback id in customFields only when the server accepts it', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const announce = async (comment: string) => {
			const sent = await sendFeedback(host, 'alice', 'general', { comment });
			await runAnnouncements(host);
			const message = roomMessages(host, 'feedback').at(-1);
			assert.ok(message?.text?.startsWith(await headingStart(host, sent)), 'announced');
			return { sent, message: message as NonNullable<typeof message> };
		};

		// Custom fields off (the default), even with a schema that declares the field: none.
		host.setServerSetting('Message_CustomFields', SCHEMA_WITH_FEEDBACK_ID);
		const off = await announce('custom fields off');
		assert.equal(off.message.customFields, undefined);

		// On, with a schema that declares feedbackId: attached.
		host.setServerSetting('Message_CustomFields_Enabled', true);
		const on = await announce('custom fields on');
		assert.deepEqual(on.message.customFields, { feedbackId: on.sent.id });

		// On, with the server's default schema (a required `priority`): posted, without them.
		host.resetServerSetting('Message_CustomFields');
		const defaultSchema = await announce('custom fields on, default schema');
		assert.equal(defaultSchema.message.customFields, undefined);

		assert.equal(roomMessages(host, 'feedback').length, 3, 'every announcement was posted');
	});

	it('are in the workspace language, whatever the language of the author', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const clara = await sendFeedback(host, 'clara', 'general', { comment: 'Hallo', rating: '4' });
		await runAnnouncements(host);
		assert.equal(
			roomMessages(host, 'feedback').at(-1)?.text,
			`${await headingStart(host, clara)} in \`General\` (4/5) from \`Clara Schmidt\`:\n> \`Hallo\``,
		);

		host.setServerSetting('Language', 'de');
		const alice = await sendFeedback(host, 'alice', 'general', { comment: 'Hello' });
		await runAnnouncements(host);
		assert.equal(
			roomMessages(host, 'feedback').at(-1)?.text,
			`${(await headingStart(host, alice))
				.replace('New feedback', 'Neues Feedback')
				.replace(
					', sent ',
					', gesendet ',
				)} in \`General\` (keine Bewertung) von \`Alice Doe\`:\n> \`Hello\``,
		);
	});

	it('accept the room with a #, and skip a room that does not exist or none', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, '#feedback');
		await sendFeedback(host, 'clara', 'general', { comment: 'mit Raute' });
		await runAnnouncements(host);
		assert.equal(host.timeline('feedback').length, 1);

		await host.setSetting(SETTING.announceRoom, 'nowhere');
		const sent = await sendFeedback(host, 'clara', 'general', { comment: 'ohne Raum' });
		assert.match(sent.confirmation, /^Danke!/, 'stored and confirmed all the same');
		await runAnnouncements(host);

		await host.setSetting(SETTING.announceRoom, '');
		await sendFeedback(host, 'clara', 'general', { comment: 'kein Raum' });
		await runAnnouncements(host);
		assert.deepEqual([host.timeline('general').length, host.timeline('feedback').length], [0, 1]);
		assert.equal(feedbackCount(host), 3);
	});

	it('skip a feedback deleted before the job ran', async () => {
		const { host } = fixture();
		// The submit's own post is refused (a read-only room): the feedback waits for the job.
		await host.setSetting(SETTING.announceRoom, 'announcements');
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'changed my mind' });
		assert.equal(
			onlyReply(await host.runSlashCommand('alice', 'general', `/feedback delete ${sent.shortId}`)),
			`Feedback ${sent.shortId} was deleted.`,
		);
		await host.setSetting(SETTING.announceRoom, 'feedback');
		await runAnnouncements(host);
		assert.deepEqual(roomMessages(host, 'feedback'), []);
	});

	it('in a read-only room are refused at the submit, keep the feedback and its confirmation, and are retried on the next runs', async () => {
		const { host } = fixture();
		const posts = watchPosts(host);
		await host.setSetting(SETTING.announceRoom, 'announcements');
		const sent = await sendFeedback(host, 'alice', 'general', {
			comment: 'into a read-only room',
			category: 'Bug',
		});
		assert.equal(sent.confirmation, `Thank you! Your feedback was saved as ${sent.shortId}.`);
		assert.deepEqual(posts, [{ roomId: 'announcements-room', error: READ_ONLY_ROOM_ERROR }]);

		await runAnnouncements(host);
		assert.deepEqual(roomMessages(host, 'announcements'), [], 'nothing posted there');
		const [record] = await storedFeedback(host);
		assert.equal(record?.id, sent.id, 'the feedback is kept');
		assert.deepEqual(host.listenerErrors(), []);

		await runAnnouncements(host);
		assert.deepEqual(
			posts.map((post) => post.error),
			[READ_ONLY_ROOM_ERROR, READ_ONLY_ROOM_ERROR, READ_ONLY_ROOM_ERROR],
			'tried again on each run',
		);

		// Once the admin names a room the app may post in, the next run posts it, once.
		await host.setSetting(SETTING.announceRoom, 'feedback');
		await runAnnouncements(host);
		await runAnnouncements(host);
		const posted = roomMessages(host, 'feedback');
		assert.equal(posted.length, 1);
		assert.equal(
			posted[0].text,
			`${await headingStart(host, sent)} in \`Bug\` (no rating) from \`Alice Doe\`:\n> \`into a read-only room\``,
		);
		assert.equal(posts.length, 4);
	});

	it('that fail, or name a room that does not exist, leave a line in the app’s log', async () => {
		// The handlers take each request's logger: the Deno runtime stores only that one's lines.
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'announcements');
		const readOnly = await sendFeedback(host, 'alice', 'general', { comment: 'read-only' });
		await runAnnouncements(host);
		await host.setSetting(SETTING.announceRoom, 'nowhere');
		await sendFeedback(host, 'alice', 'general', { comment: 'no such room' });
		await runAnnouncements(host);
		const lines = await appLogLines(host);
		assert.ok(
			lines.some((line) => line.includes(`announcing feedback ${readOnly.id} failed`)),
			`the refused announcement is logged, in:\n${lines.join('\n')}`,
		);
		assert.ok(
			lines.some((line) => line.includes('announcement room \\"nowhere\\" does not exist')),
			'the missing room is logged',
		);
	});
});

describe('the app’s scheduled jobs', () => {
	const fixture = fixturePerTest('jobs');

	it('are one recurring announcement job, one purge, one fold, one digest check, one status notice job, one followers’ digest job, one vote count refresh and one "You said, we did" job, also after runs and a restart', async () => {
		const { host } = fixture();
		const expectJobs = (when: string) => {
			const announce = jobsOf(host, 'announce-feedback');
			const purge = jobsOf(host, 'purge-pending-forms');
			const fold = jobsOf(host, 'upkeep');
			const digest = jobsOf(host, 'digest-check');
			assert.equal(announce.length, 1, `${when}: one announcement job`);
			assert.equal(purge.length, 1, `${when}: one purge job`);
			assert.equal(fold.length, 1, `${when}: one fold job`);
			assert.equal(announce[0].type, 'single', `${when}: recurring`);
			assert.equal(announce[0].repeatInterval, '5 seconds');
			assert.equal(purge[0].type, 'single', `${when}: recurring`);
			assert.equal(purge[0].repeatInterval, '1 hour');
			assert.equal(fold[0].type, 'single', `${when}: recurring`);
			assert.equal(fold[0].repeatInterval, '1 minute');
			assert.equal(digest.length, 1, `${when}: one digest check`);
			assert.equal(digest[0].repeatInterval, '1 minute');
			const notices = jobsOf(host, 'status-notices');
			assert.equal(notices.length, 1, `${when}: one status notice job`);
			assert.equal(notices[0].repeatInterval, '30 seconds');
			const followDigest = jobsOf(host, 'follow-digest');
			assert.equal(followDigest.length, 1, `${when}: one followers' digest job`);
			assert.equal(followDigest[0].repeatInterval, '5 minutes');
			const voteCounts = jobsOf(host, 'refresh-vote-counts');
			assert.equal(voteCounts.length, 1, `${when}: one vote count refresh`);
			assert.equal(voteCounts[0].repeatInterval, '10 seconds');
			const weDid = jobsOf(host, 'we-did-posts');
			assert.equal(weDid.length, 1, `${when}: one "You said, we did" job`);
			assert.equal(weDid[0].repeatInterval, '10 seconds');
			const surveyRounds = jobsOf(host, 'survey-rounds');
			assert.equal(surveyRounds.length, 1, `${when}: one survey round job`);
			assert.equal(surveyRounds[0].repeatInterval, '1 minute');
			assert.equal(host.scheduledJobs().length, 9, `${when}: no other job`);
		};
		expectJobs('after start');

		await host.setSetting(SETTING.announceRoom, 'feedback');
		await sendFeedback(host, 'alice', 'general', { comment: 'one' });
		await sendFeedback(host, 'bruno', 'general', { comment: 'dois' });
		await runAnnouncements(host);
		const runs = await host.advanceClock(5000);
		assert.ok(
			runs.every((run) => run.ok),
			JSON.stringify(runs),
		);
		expectJobs('after runs and submits');

		await timed('restart', () => host.restart());
		expectJobs('after a restart');
		assert.equal(roomMessages(host, 'feedback').length, 2);
	});
});
