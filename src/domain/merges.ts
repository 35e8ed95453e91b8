// Merging duplicates: an admin merges one feedback (the duplicate) into another (its target).
// A merge is a record of its own, never an update of either feedback, so two admins on two
// instances never lose one; racing merges are resolved the same way by every read: the earliest
// merge of a duplicate wins, and a merge that would close a cycle is ignored. Votes and followers
// of a duplicate count for the end of its chain (its root), each member once.

/** One merge, as stored. */
export interface IMergeRecord {
	readonly id: string;
	readonly sourceId: string;
	readonly targetId: string;
	readonly adminId: string;
	readonly at: string;
}

function isEarlierMerge(a: IMergeRecord, b: IMergeRecord): boolean {
	return a.at !== b.at ? a.at < b.at : a.id < b.id;
}

/**
 * Which merges hold: in time order, a merge holds when its duplicate is not merged yet and its
 * target does not lead back to it. Resolves with each merged feedback's direct target.
 */
export function heldMerges(records: ReadonlyArray<IMergeRecord>): Map<string, IMergeRecord> {
	const ordered = [...records].sort((a, b) => (isEarlierMerge(a, b) ? -1 : 1));
	const held = new Map<string, IMergeRecord>();
	for (const merge of ordered) {
		if (held.has(merge.sourceId) || merge.sourceId === merge.targetId) {
			continue;
		}
		if (rootOf(held, merge.targetId) === merge.sourceId) {
			continue;
		}
		held.set(merge.sourceId, merge);
	}
	return held;
}

/** Where a feedback's votes and followers count: the end of its chain of held merges. */
export function rootOf(held: ReadonlyMap<string, IMergeRecord>, feedbackId: string): string {
	let current = feedbackId;
	const seen = new Set<string>();
	for (let merge = held.get(current); merge && !seen.has(current); merge = held.get(current)) {
		seen.add(current);
		current = merge.targetId;
	}
	return current;
}

/** The feedback whose votes and followers count for `rootId`: itself and every duplicate leading to it. */
export function mergedInto(held: ReadonlyMap<string, IMergeRecord>, rootId: string): Array<string> {
	const duplicates = [...held.keys()].filter((id) => id !== rootId && rootOf(held, id) === rootId);
	return [rootId, ...duplicates.sort()];
}

/** What the admin view shows of who stands behind an entry. */
export type EntryEngagement =
	/** Voters and followers, with those of the duplicates merged into it, each member once. */
	| { readonly kind: 'counted'; readonly votes: number; readonly followers: number }
	/** Merged: its votes and followers count at `rootId`. */
	| { readonly kind: 'duplicate'; readonly rootId: string };

/** Why a merge an admin asks for is refused, or undefined when it may be stored. */
export type MergeRefusal =
	| 'same-entry'
	| 'source-gone'
	| 'target-gone'
	| 'source-merged'
	| 'target-merged'
	| 'cycle';

/** Checks a merge against the merges that hold now. */
export function checkMerge(
	held: ReadonlyMap<string, IMergeRecord>,
	sourceId: string,
	targetId: string,
	exists: { readonly source: boolean; readonly target: boolean },
): MergeRefusal | undefined {
	if (sourceId === targetId) {
		return 'same-entry';
	}
	if (!exists.source) {
		return 'source-gone';
	}
	if (!exists.target) {
		return 'target-gone';
	}
	if (held.has(sourceId)) {
		return 'source-merged';
	}
	// Before target-merged: a target merged into this very source is one entry with it already.
	if (rootOf(held, targetId) === sourceId) {
		return 'cycle';
	}
	return held.has(targetId) ? 'target-merged' : undefined;
}

/** A stored value as a merge record, or undefined when it is not one. */
export function parseMergeRecord(value: unknown): IMergeRecord | undefined {
	const { id, sourceId, targetId, adminId, at } = (value ?? {}) as Record<string, unknown>;
	return typeof id === 'string' &&
		typeof sourceId === 'string' &&
		typeof targetId === 'string' &&
		typeof adminId === 'string' &&
		typeof at === 'string' &&
		!Number.isNaN(Date.parse(at))
		? { id, sourceId, targetId, adminId, at }
		: undefined;
}
