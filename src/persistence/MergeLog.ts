import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { heldMerges, mergedInto, parseMergeRecord, rootOf } from '../domain/merges';
import type { IMergeRecord } from '../domain/merges';

function parsed(values: ReadonlyArray<unknown>): Array<IMergeRecord> {
	return values.map(parseMergeRecord).filter((merge): merge is IMergeRecord => merge !== undefined);
}

/**
 * Merges of duplicates: one record per merge, created, never updated; every read resolves racing
 * merges the same way (domain/merges.ts heldMerges). Merges are rare admin actions, so the set is
 * read whole.
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

	/** Where a feedback's votes and followers count, and every feedback that counts there. */
	public async groupOf(
		feedbackId: string,
	): Promise<{ readonly rootId: string; readonly members: Array<string> }> {
		const held = await this.held();
		const rootId = rootOf(held, feedbackId);
		return { rootId, members: mergedInto(held, rootId) };
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
