import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { noticesOn, parseFollowEvent, parseNoticeChoice } from '../domain/following';
import type { IFollowEvent, INoticeChoice } from '../domain/following';

/**
 * Members' explicit follows and unfollows of feedback, and their choice of notices: one record per
 * choice, created under the member, never updated (domain/following.ts: the newest wins).
 */
export class FollowStore {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Stores a follow or an unfollow. */
	public async add(persistence: IPersistence, event: IFollowEvent): Promise<void> {
		await persistence.createWithAssociations(
			event,
			buildAssociations({
				userId: event.memberId,
				scope: RecordScope.FeedbackFollow,
				keys: [`feedback:${event.feedbackId}`, `click:${event.clickId}`],
			}),
		);
	}

	/** Every follow and unfollow of a feedback. */
	public async ofFeedback(feedbackId: string): Promise<Array<IFollowEvent>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackFollow, keys: [`feedback:${feedbackId}`] }),
		);
		return stored
			.map(parseFollowEvent)
			.filter((event): event is IFollowEvent => event !== undefined);
	}

	/** Removes every follow and unfollow of a feedback (it was deleted). */
	public async removeOf(persistence: IPersistence, feedbackId: string): Promise<void> {
		await persistence.removeByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackFollow, keys: [`feedback:${feedbackId}`] }),
		);
	}

	/** Stores a member's choice to receive notices of what they follow, or not. */
	public async chooseNotices(persistence: IPersistence, choice: INoticeChoice): Promise<void> {
		await persistence.createWithAssociations(
			choice,
			buildAssociations({
				userId: choice.memberId,
				scope: RecordScope.NoticeChoice,
				keys: [`click:${choice.clickId}`],
			}),
		);
	}

	/** Whether a member receives notices of what they follow (on until they turn them off). */
	public async noticesOn(memberId: string): Promise<boolean> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ userId: memberId, scope: RecordScope.NoticeChoice }),
		);
		return noticesOn(
			stored
				.map(parseNoticeChoice)
				.filter((choice): choice is INoticeChoice => choice !== undefined),
		);
	}
}
