import { followFactsOf } from './engagement';
import type { IFollowFactStores } from './engagement';
import { followersOf } from '../domain/following';
import { mergedInto, rootOf } from '../domain/merges';
import type { EntryEngagement, IMergeRecord } from '../domain/merges';
import type { IFeedbackRecord } from '../domain/record';
import { votersAcross } from '../domain/votes';
import type { IVoteEvent } from '../domain/votes';

/**
 * The engagement of a page's entries, as persistence/engagement.ts counts it, over merges read
 * once for the page: each entry's group (itself and its duplicates) reads its votes, follows and
 * the duplicates' records, a few reads per member of each group.
 */
export async function engagementOfEntries(
	stores: IFollowFactStores,
	records: ReadonlyArray<IFeedbackRecord>,
	held: ReadonlyMap<string, IMergeRecord>,
): Promise<Map<string, EntryEngagement>> {
	const known = new Map(records.map((record) => [record.id, record]));
	const counted = await Promise.all(
		records.map(async (record): Promise<readonly [string, EntryEngagement]> => {
			if (held.has(record.id)) {
				return [record.id, { kind: 'duplicate', rootId: rootOf(held, record.id) }];
			}
			const facts = await Promise.all(
				mergedInto(held, record.id).map((id) => followFactsOf(stores, id, known.get(id))),
			);
			const votes = votersAcross(facts.flatMap((fact) => fact.votes)).size;
			return [record.id, { kind: 'counted', votes, followers: followersOf(facts).size }];
		}),
	);
	return new Map(counted);
}

/** Each feedback's count of votes, its duplicates' included (each member once), by root. */
export function voteCountsByRoot(
	events: ReadonlyArray<IVoteEvent>,
	held: ReadonlyMap<string, IMergeRecord>,
): Map<string, number> {
	const byRoot = new Map<string, Array<IVoteEvent>>();
	for (const event of events) {
		const root = rootOf(held, event.feedbackId);
		const group = byRoot.get(root) ?? [];
		group.push(event);
		byRoot.set(root, group);
	}
	const counts = new Map<string, number>();
	for (const [root, group] of byRoot) {
		const voters = votersAcross(group).size;
		if (voters > 0) {
			counts.set(root, voters);
		}
	}
	return counts;
}
