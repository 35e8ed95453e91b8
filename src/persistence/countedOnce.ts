import type { FeedbackRepository } from './FeedbackRepository';
import type { MergeLog } from './MergeLog';
import type { ICountsNow } from './RunningTotal';
import { rootOf } from '../domain/merges';
import { count, emptyTally, mergeInto } from '../domain/tally';

/**
 * The statistics' counts with every group of merged feedback counted once: of each group (a
 * root and the duplicates merged into it) that still has feedback stored, all but one are taken
 * out of the tally, the root kept while it is there. It reads the merges and each merged
 * feedback (a few reads per merge; merges are rare). A deleted feedback is already out of the
 * tally and is never found here, so it is never taken out twice.
 */
export async function countedOnce(
	stores: { readonly feedback: FeedbackRepository; readonly merges: MergeLog },
	counts: ICountsNow,
): Promise<ICountsNow> {
	const held = await stores.merges.held();
	if (held.size === 0) {
		return counts;
	}
	const groups = new Map<string, Array<string>>();
	for (const sourceId of held.keys()) {
		const rootId = rootOf(held, sourceId);
		const members = groups.get(rootId) ?? [rootId];
		members.push(sourceId);
		groups.set(rootId, members);
	}
	const tally = emptyTally();
	mergeInto(tally, counts.tally);
	await Promise.all(
		[...groups.values()].map(async (members) => {
			const records = await Promise.all(members.map((id) => stores.feedback.find(id)));
			const stored = records.filter((record) => record !== undefined);
			for (const record of stored.slice(1)) {
				count(tally, record, -1);
			}
		}),
	);
	return { ...counts, tally };
}
