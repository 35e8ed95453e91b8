import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { heldMerges, mergedInto, parseMergeRecord, rootOf } from '../domain/merges';
import type { IMergeRecord } from '../domain/merges';

function parsed(values: ReadonlyArray<unknown>): Array<IMergeRecord> {
	return values.map(parseMergeRecord).filter((merge): merge is IMergeRecord => merge !== undefined);
}

/**
 * Merges of duplicates: one record per merge, created, never updated; every read resolves racing
 * merges the same way (domain/merges.ts heldMerges). A feedback's group reads only the merges
 * connected to it; admin actions, rare, read the set whole.
 */
export class MergeLog {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Stores a merge (checked by the caller against what holds now). */
	public async add(persistence: IPersistence, merge: IMergeRecord): Promise<void> {
		await persistence.createWithAssociations(
			merge,
			buildAssociations({
				scope: RecordScope.FeedbackMerge,
				keys: [`source:${merge.sourceId}`, `target:${merge.targetId}`, `merge:${merge.id}`],
			}),
		);
	}

	/** Every merge stored, held or not (copies of one merge stored by a race included). */
	public async records(): Promise<Array<IMergeRecord>> {
		return parsed(
			await this.reader.readByAssociations(buildAssociations({ scope: RecordScope.FeedbackMerge })),
		);
	}

	/** The merges that hold now: each merged feedback's merge. */
	public async held(): Promise<Map<string, IMergeRecord>> {
		return heldMerges(await this.records());
	}

	/**
	 * Where a feedback's votes and followers count, and every feedback that counts there. Reads
	 * only the merges connected to it, by their keys (two reads per feedback reached: none merged
	 * means two reads, however many merges are stored). Whether a merge holds depends only on the
	 * merges it is connected to (domain/merges.ts heldMerges), so this is what a read of every
	 * merge would resolve.
	 */
	public async groupOf(
		feedbackId: string,
	): Promise<{ readonly rootId: string; readonly members: Array<string> }> {
		const held = heldMerges(await this.connectedTo(feedbackId));
		const rootId = rootOf(held, feedbackId);
		return { rootId, members: mergedInto(held, rootId) };
	}

	/** Every merge connected to a feedback through the feedback it names, as source or target. */
	private async connectedTo(feedbackId: string): Promise<Array<IMergeRecord>> {
		const byId = new Map<string, IMergeRecord>();
		const reached = new Set([feedbackId]);
		let frontier = [feedbackId];
		while (frontier.length > 0) {
			const found = await Promise.all(
				frontier.flatMap((id) =>
					['source', 'target'].map((side) =>
						this.reader.readByAssociations(
							buildAssociations({ scope: RecordScope.FeedbackMerge, keys: [`${side}:${id}`] }),
						),
					),
				),
			);
			frontier = [];
			for (const merge of parsed(found.flat())) {
				byId.set(`${merge.id}\n${merge.at}\n${merge.sourceId}\n${merge.targetId}`, merge);
				for (const id of [merge.sourceId, merge.targetId]) {
					if (!reached.has(id)) {
						reached.add(id);
						frontier.push(id);
					}
				}
			}
		}
		return [...byId.values()];
	}

	/** Removes one merge (every copy of it). */
	public async removeOne(persistence: IPersistence, merge: IMergeRecord): Promise<void> {
		await persistence.removeByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackMerge, keys: [`merge:${merge.id}`] }),
		);
	}

	/** Removes the merges naming a feedback as the duplicate (it was deleted). */
	public async removeOf(persistence: IPersistence, feedbackId: string): Promise<void> {
		await persistence.removeByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackMerge, keys: [`source:${feedbackId}`] }),
		);
	}
}
