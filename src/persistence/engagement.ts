import type { FollowStore } from './FollowStore';
import type { VoteStore } from './VoteStore';
import type { IFeedbackStores } from './stores';
import { followersOf } from '../domain/following';
import type { IFollowFacts } from '../domain/following';
import type { IFeedbackRecord } from '../domain/record';
import { votersAcross } from '../domain/votes';

/** Who stands behind a feedback: counted with the duplicates merged into it, each member once. */
export interface IEngagement {
	/** The feedback asked about. */
	readonly feedbackId: string;
	/** Where its votes and followers count: itself, or the end of its chain of merges. */
	readonly rootId: string;
	/** The root and every duplicate merged into it (ids). */
	readonly group: ReadonlyArray<string>;
	readonly voters: ReadonlySet<string>;
	readonly followers: ReadonlySet<string>;
}

/** The stores following is read from. */
export interface IFollowFactStores {
	readonly feedback: { find(id: string): Promise<IFeedbackRecord | undefined> };
	readonly votes: VoteStore;
	readonly follows: FollowStore;
}

/**
 * What decides who follows one feedback: its named author (from `known` when the caller has the
 * record), its votes and its follows.
 */
export async function followFactsOf(
	stores: IFollowFactStores,
	feedbackId: string,
	known?: IFeedbackRecord,
): Promise<IFollowFacts> {
	const [record, votes, follows] = await Promise.all([
		known ?? stores.feedback.find(feedbackId),
		stores.votes.ofFeedback(feedbackId),
		stores.follows.ofFeedback(feedbackId),
	]);
	const author =
		record && !record.anonymous && record.author !== null
			? { id: record.author.id, at: record.createdAt }
			: null;
	return { feedbackId, author, votes, follows };
}

/**
 * How many members vote for a feedback together with its merged group, each once: the count its
 * announcement shows. Reads the merges and each member of the group's votes only (engagementOf
 * reads the records and follows too).
 */
export async function voteCountOf(
	stores: IFeedbackStores,
	feedbackId: string,
): Promise<{
	readonly group: ReadonlyArray<string>;
	readonly count: number;
}> {
	const { members } = await stores.merges.groupOf(feedbackId);
	return { group: members, count: votersAcross(await stores.votes.ofAll(members)).size };
}

/**
 * Reads a feedback's votes and followers, together with every duplicate merged into the feedback
 * they count for: a member who voted on both counts once. Reads the merges, then each member of
 * the group's record, votes and follows (a few reads per feedback in the group).
 */
export async function engagementOf(
	stores: IFeedbackStores,
	feedbackId: string,
): Promise<IEngagement> {
	const { rootId, members } = await stores.merges.groupOf(feedbackId);
	const facts = await Promise.all(members.map((id) => followFactsOf(stores, id)));
	return {
		feedbackId,
		rootId,
		group: members,
		voters: votersAcross(facts.flatMap((fact) => fact.votes)),
		followers: followersOf(facts),
	};
}
