// "Me too" votes through the packaged app: a click on an announcement's button votes, a second
// withdraws, the count on the message is the stored truth, a click delivered twice counts once,
// and forged clicks change nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import {
	AppInterface,
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';
import {
	type UIKitIncomingInteraction,
	UIKitIncomingInteractionType,
} from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitIncomingInteractionContainerType } from '@rocket.chat/apps-engine/definition/uikit/UIKitIncomingInteractionContainer';

import {
	appLogLines,
	buttonClick,
	closeAnonymousHour,
	elementsIn,
	fixturePerTest,
	onlyReply,
	roomMessages,
	runAnnouncements,
	sendFeedback,
	SETTING,
} from './app-fixture';
import type { LocalHost } from '../../host';
import { FeedbackAction } from '../../src/domain/actions';
import { RecordScope } from '../../src/persistence/associations';

/** How far the vote count job's next run lies (its interval, '10 seconds'). */
const VOTE_COUNT_INTERVAL_MS = 10_000;

/** The announcement of a feedback in the feedback room. */
function announcementOf(host: LocalHost, feedbackId: string): IMessage {
	const found = roomMessages(host, 'feedback').filter(
		(message) =>
			message.sender.username === 'feedback.bot' &&
			(message.text ?? '').includes(`\`${feedbackId}\``),
	);
	assert.equal(found.length, 1, `one announcement of ${feedbackId}`);
	return found[0];
}

/** The label of the announcement's vote button, as members see it now. */
function voteLabel(host: LocalHost, feedbackId: string): string | undefined {
	return elementsIn(announcementOf(host, feedbackId)).find(
		(element) => element.actionId === FeedbackAction.Vote,
	)?.label;
}

/** A member clicks the announcement's "Me too"; resolves with the only private reply. */
async function vote(host: LocalHost, username: string, feedbackId: string): Promise<string> {
	const message = announcementOf(host, feedbackId);
	const clicked = await host.blockAction(
		username,
		{ messageId: message.id ?? '' },
		buttonClick(message, FeedbackAction.Vote),
	);
	assert.equal(clicked.error, undefined);
	return onlyReply(clicked);
}

/** How many records of a scope the app keeps. */
function recordCount(host: LocalHost, scope: RecordScope): number {
	return host.persistence.countRecords(host.getAppId(), [
		new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, scope),
	]);
}

/**
 * Sends the app a click on a message as the server hands it over (ee/server/apps/communication/
 * uikit.ts): any ids, as a forged request or a delivery of the same click again can carry them.
 */
async function deliverClick(
	host: LocalHost,
	username: string,
	message: IMessage,
	value: string,
	triggerId: string,
): Promise<void> {
	const interaction = {
		type: UIKitIncomingInteractionType.BLOCK,
		container: { type: UIKitIncomingInteractionContainerType.MESSAGE, id: message.id },
		appId: host.getAppId(),
		actionId: FeedbackAction.Vote,
		triggerId,
		user: host.user(username),
		room: message.room,
		message,
		payload: { blockId: 'feedback-vote:0', value },
	} as unknown as UIKitIncomingInteraction;
	// The bridge the server raises interactions through (listener.ts uiKitInteractionEvent).
	await host
		.engineBridges()
		.listener.uiKitInteractionEvent(AppInterface.IUIKitInteractionHandler, interaction);
}

describe('"Me too" votes on announcements', () => {
	const fixture = fixturePerTest('votes');

	async function announced(comment = 'The search is slow'): Promise<string> {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const sent = await sendFeedback(host, 'alice', 'general', { comment, category: 'Bug' });
		return sent.id;
	}

	it('votes, withdraws and votes again; each member counts once and the count changes in place', async () => {
		const { host } = fixture();
		const id = await announced('Ping @all about `code`');
		const textBefore = announcementOf(host, id).text;
		assert.equal(voteLabel(host, id), 'Me too · 0');

		assert.match(
			await vote(host, 'bruno', id),
			/^Você disse “eu também” ao feedback [0-9a-f]{8}\./,
		);
		assert.equal(voteLabel(host, id), 'Me too · 1', 'the workspace language, as the text');
		assert.match(await vote(host, 'clara', id), /^Du hast bei Feedback/);
		assert.equal(voteLabel(host, id), 'Me too · 2');
		assert.match(await vote(host, 'bruno', id), /^Você desfez seu “eu também”/);
		assert.equal(voteLabel(host, id), 'Me too · 1');
		assert.match(await vote(host, 'bruno', id), /^Você disse “eu também”/);
		assert.equal(voteLabel(host, id), 'Me too · 2');

		const after = announcementOf(host, id);
		assert.equal(after.text, textBefore, 'the text (and its hostile comment) is left as it was');
		assert.equal(roomMessages(host, 'feedback').length, 1, 'updated, never posted again');
		assert.equal(after.editor?.username, 'feedback.bot', 'edited by the app user');
		assert.equal(recordCount(host, RecordScope.VoteCountRefresh), 0, 'every count verified');
	});

	it('counts a click delivered twice (the same trigger id) once, and says the same both times', async () => {
		const { host } = fixture();
		const id = await announced();
		const message = announcementOf(host, id);
		const before = host.session.notifications('bruno').length;
		await deliverClick(host, 'bruno', message, id, 'trigger-once');
		await deliverClick(host, 'bruno', message, id, 'trigger-once');
		const replies = host.session
			.notifications('bruno')
			.slice(before)
			.map((reply) => reply.text);
		assert.equal(replies.length, 2);
		assert.equal(replies[0], replies[1]);
		assert.match(replies[0], /eu também/);
		assert.equal(voteLabel(host, id), 'Me too · 1', 'not withdrawn by its second delivery');
		assert.equal(recordCount(host, RecordScope.FeedbackVote), 1, 'one event');
	});

	it('refuses and logs a forged click: a value naming another feedback, a message that is no announcement', async () => {
		const { host } = fixture();
		const id = await announced();
		const other = (
			await sendFeedback(host, 'bruno', 'general', { comment: 'Other', category: 'Idea' })
		).id;
		const message = announcementOf(host, id);
		const before = host.session.notifications('dora').length;
		// The value names another feedback than the one the clicked announcement names.
		await deliverClick(host, 'dora', message, other, 'forged-1');
		// A member's own message that quotes an announcement's heading.
		const posted = await host.sendMessage('dora', 'feedback', message.text ?? '');
		assert.ok(posted);
		await deliverClick(
			host,
			'dora',
			host.directory.messageById(posted.id) as IMessage,
			id,
			'forged-2',
		);
		// Not a feedback id at all.
		await deliverClick(host, 'dora', message, 'not-an-id', 'forged-3');

		assert.equal(recordCount(host, RecordScope.FeedbackVote), 0, 'nothing stored');
		assert.equal(host.session.notifications('dora').length, before, 'nothing said');
		assert.equal(voteLabel(host, id), 'Me too · 0');
		assert.equal(voteLabel(host, other), 'Me too · 0');
		const refused = (await appLogLines(host)).filter((line) =>
			line.includes('refused a vote of dora'),
		);
		assert.equal(refused.length, 3, refused.join('\n'));
		assert.ok(
			refused.every((line) => line.startsWith('warning')),
			refused.join('\n'),
		);
	});

	it('tells the member privately that a deleted feedback takes no votes, and stores none', async () => {
		const { host } = fixture();
		const id = await announced();
		const deleted = await host.runSlashCommand(
			'alice',
			'general',
			`/feedback delete ${id.slice(0, 8)}`,
		);
		assert.match(onlyReply(deleted), /deleted/);
		assert.equal(
			await vote(host, 'bruno', id),
			`O feedback ${id.slice(0, 8)} foi excluído e não recebe mais votos.`,
		);
		assert.equal(recordCount(host, RecordScope.FeedbackVote), 0);
		assert.equal(voteLabel(host, id), 'Me too · 0');
	});

	it('works the same on an anonymous feedback, and nothing of the vote names its author', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const sent = await sendFeedback(host, 'alice', 'general', {
			comment: 'Nobody knows it was me',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		assert.equal(closeAnonymousHour(fixture()), 1);
		await runAnnouncements(host);
		assert.equal(voteLabel(host, sent.id), 'Me too · 0');
		const reply = await vote(host, 'bruno', sent.id);
		assert.match(reply, /eu também/);
		assert.equal(voteLabel(host, sent.id), 'Me too · 1');
		const message = announcementOf(host, sent.id);
		const shown = JSON.stringify([message.text, message.blocks, reply]);
		for (const trace of ['alice', 'Alice', host.user('alice').id]) {
			assert.ok(!shown.includes(trace), `nothing shown names the author (${trace})`);
		}
	});

	it('leaves a count whose update failed to the job, which brings it to the stored truth', async () => {
		const { host } = fixture();
		const id = await announced();
		const bridge = host.engineBridges().getMessageBridge();
		const update = bridge.doUpdate.bind(bridge);
		let failures = 0;
		bridge.doUpdate = async (message: IMessage, appId: string) => {
			if (failures < 1) {
				failures += 1;
				throw new Error('injected update failure');
			}
			return update(message, appId);
		};
		assert.match(await vote(host, 'bruno', id), /eu também/, 'the vote is stored and said');
		assert.equal(failures, 1);
		assert.equal(voteLabel(host, id), 'Me too · 0', 'the message is behind');
		assert.equal(recordCount(host, RecordScope.VoteCountRefresh), 1, 'noted for the job');
		assert.ok((await appLogLines(host)).some((line) => line.includes('updating the vote count')));

		await host.advanceClock(VOTE_COUNT_INTERVAL_MS);
		assert.equal(voteLabel(host, id), 'Me too · 1');
		assert.equal(recordCount(host, RecordScope.VoteCountRefresh), 0, 'the note is removed');
	});
});
