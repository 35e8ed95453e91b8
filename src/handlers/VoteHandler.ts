import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

import type { VoteCounts } from './VoteCounts';
import type { IBlockActionRequest } from './requestContext';
import { decodeFeedbackId } from '../domain/actions';
import { newId } from '../domain/ids';
import { shortIdOf } from '../domain/record';
import type { IVoteRefresh } from '../domain/voteRefresh';
import { voteClick } from '../domain/votes';
import { announcementKeyOf } from '../ui/messages';

/**
 * A member's "me too" click on an announcement: stores the click as an event of its own (a vote,
 * or the withdrawal of the member's vote), tells the member privately, then brings the count the
 * announcement shows to the stored truth (VoteCounts). A click delivered twice (the same trigger
 * id, on one instance or two) is one event and is answered the same both times.
 */
export class VoteHandler {
	constructor(
		private readonly counts: VoteCounts,
		private readonly now: () => Date = () => new Date(),
	) {}

	/** Handles one click; never throws for a refusal (the member's client shows nothing for one). */
	public async vote(request: IBlockActionRequest): Promise<void> {
		const { user, logger, persistence, stores } = request;
		const target = await this.announcementClicked(request);
		if (!target) {
			// A block action can carry any ids: only a click on the app's own announcement of the
			// very feedback the button names counts.
			logger.warn(
				`refused a vote of ${user.username}: the click names a feedback its message does not announce`,
			);
			return;
		}
		const { feedbackId, message, room } = target;
		const t = await request.translator();
		const id = shortIdOf(feedbackId);
		if (!(await stores.feedback.find(feedbackId))) {
			await request.poster.replyPrivately(user, room, t('vote_gone', { id }));
			return;
		}
		// A click without a trigger id cannot be recognised when delivered again: it gets its own.
		const clickId = request.triggerId === '' ? newId() : request.triggerId;
		const refresh: IVoteRefresh = {
			feedbackId,
			memberId: user.id,
			clickId,
			at: this.now().toISOString(),
		};
		let voted: boolean;
		try {
			// Noted before the vote: a process that stops after storing the vote leaves the note,
			// and the job refreshes the count (VoteCountJob).
			await stores.voteRefreshes.add(persistence, refresh);
			const click = voteClick(await stores.votes.ofMember(user.id, feedbackId), clickId);
			if (click.kind === 'new') {
				await stores.votes.add(persistence, { ...refresh, voted: click.voted });
			}
			voted = click.voted;
		} catch (error) {
			logger.error(`storing a vote on feedback ${id} failed`, error);
			await request.poster.replyPrivately(user, room, t('vote_failed', { id }));
			return;
		}
		await request.poster.replyPrivately(
			user,
			room,
			t(voted ? 'vote_added' : 'vote_withdrawn', { id }),
		);
		try {
			if (await this.counts.refresh(request, feedbackId, [message.id])) {
				await stores.voteRefreshes.remove(persistence, refresh);
			}
		} catch (error) {
			// The note stays: the job brings the count to the stored votes.
			logger.error(`updating the vote count of feedback ${id} failed; the job will`, error);
		}
	}

	/**
	 * The feedback a click votes on, when the message clicked is the app's own announcement of
	 * exactly the feedback the button's value names; undefined for anything else.
	 */
	private async announcementClicked(
		request: IBlockActionRequest,
	): Promise<{ feedbackId: string; message: IMessage & { id: string }; room: IRoom } | undefined> {
		const { message } = request;
		const feedbackId = decodeFeedbackId(request.value);
		if (!feedbackId || !message?.id || !message.room) {
			return undefined;
		}
		const appUser = await request.poster.appUser();
		const isOwn = message.sender?.id === appUser?.id;
		const announced = announcementKeyOf(message.text)?.feedbackId;
		return isOwn && announced === feedbackId
			? { feedbackId, message: { ...message, id: message.id }, room: message.room }
			: undefined;
	}
}
