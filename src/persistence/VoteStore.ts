import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { parseVoteEvent } from '../domain/votes';
import type { IVoteEvent } from '../domain/votes';

function parsed(values: ReadonlyArray<unknown>): Array<IVoteEvent> {
	return values.map(parseVoteEvent).filter((event): event is IVoteEvent => event !== undefined);
}

/**
 * The "me too" clicks: one record per click, created under the member and keyed by feedback and
 * click, never updated (domain/votes.ts). A click stored twice by a race is two copies of one event.
 */
export class VoteStore {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Stores one click's event. */
	public async add(persistence: IPersistence, event: IVoteEvent): Promise<void> {
		await persistence.createWithAssociations(
			event,
			buildAssociations({
				userId: event.memberId,
				scope: RecordScope.FeedbackVote,
				keys: [`feedback:${event.feedbackId}`, `click:${event.clickId}`],
			}),
		);
	}

	/** Every click on a feedback, of every member. */
	public async ofFeedback(feedbackId: string): Promise<Array<IVoteEvent>> {
		return parsed(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.FeedbackVote, keys: [`feedback:${feedbackId}`] }),
			),
		);
	}

	/** Every click on any of these feedback (a target and its duplicates). */
	public async ofAll(feedbackIds: ReadonlyArray<string>): Promise<Array<IVoteEvent>> {
		return (await Promise.all(feedbackIds.map((id) => this.ofFeedback(id)))).flat();
	}

	/**
	 * Every click on every feedback: the admin view sorted by votes needs each feedback's count,
	 * one read of every stored click (O(stored clicks) per page view).
	 */
	public async all(): Promise<Array<IVoteEvent>> {
		return parsed(
			await this.reader.readByAssociations(buildAssociations({ scope: RecordScope.FeedbackVote })),
		);
	}

	/** One member's clicks on a feedback. */
	public async ofMember(memberId: string, feedbackId: string): Promise<Array<IVoteEvent>> {
		return parsed(
			await this.reader.readByAssociations(
				buildAssociations({
					userId: memberId,
					scope: RecordScope.FeedbackVote,
					keys: [`feedback:${feedbackId}`],
				}),
			),
		);
	}

	/** Removes every click on a feedback (it was deleted). */
	public async removeOf(persistence: IPersistence, feedbackId: string): Promise<void> {
		await persistence.removeByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackVote, keys: [`feedback:${feedbackId}`] }),
		);
	}
}
