import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations } from './associations';
import type { RecordScope } from './associations';

// Retirement of the shards of instances that are gone, exactly.
//
// A shard freezes itself: its instance never writes it once it has not written it for a while
// (ShardedCounter.ts). So a shard whose stored `writtenAt` is older than SHARD_RETIRE_AFTER_MS is
// frozen for good, and its count can move into one retired record:
// `{ version, count, absorbed: [{ shard, count, at, gone? }], legacy: [{ shard, count, firstSeen }] }`.
// The sum is retired.count + the largest copy of every shard record not in `absorbed`.
//
// Why it is exact, whatever runs at once:
// - Every version of the retired record is consistent on its own: its count is the sum of the
//   frozen counts it absorbed, and it names each absorbed shard as long as the shard's record
//   may still be read, so the shard counts either there or from its record, once.
// - A version lacking a shard is harmless while the shard's record exists. A record is removed
//   only when the copy a run read names it absorbed more than REMOVAL_MARGIN_MS ago. Every
//   version lacking it was computed from reads taken before clocks saw the shard frozen (after
//   that every run absorbs it), and a run saves within RUN_DEADLINE_MS of its reads or not at
//   all: all such versions were saved long before the margin ended.
// - Racing upserts may store copies of the retired record, and an update then writes one copy
//   of the server's choosing. Every save stores one more than the version it was computed from,
//   and readers take the highest (version, count, content), all the same copy. A removal is
//   decided from the copy taken at its run's read; a copy lacking that shard was saved before
//   (above) and ranked lower. Any later save comes from a read that saw the lacking copy too (or
//   its run outlived the deadline), so it ranks above it: the lacking copy is never taken again.
//   Ranking by count alone would not do: a save that only forgets entries keeps the count, so a
//   stale copy of equal count could win on content.
// - A stale computation saved late only overwrites a newer copy with one that lacks shards whose
//   records are still there (the margin), which then count from their records; the next run
//   absorbs them again.
// - Readers read the shards first, then the retired record: a shard found removed was removed
//   before the retired record was read, and every copy taken after a removal holds its count.
//   An entry is forgotten only REMOVAL_MARGIN_MS after a run first found its record gone, so a
//   reader counts a shard twice only if its two reads are more than that apart (it stores
//   nothing: the next read is right).
// Timing assumed: instances' clocks within minutes of each other; a persistence call lands within
// minutes of being sent (the engine times calls out after 30 s).
//
// Bounds: `absorbed` holds the shards absorbed in the last 2 × REMOVAL_MARGIN_MS plus two upkeep
// runs (removed by the first run after the margin, forgotten a margin after that); `legacy` at
// most the shards of earlier versions still stored; shard records are at most the live instances
// plus the shards started (app starts, instances idle for SHARD_IDLE_MS) in the last
// SHARD_RETIRE_AFTER_MS + REMOVAL_MARGIN_MS + an upkeep run. A run reads them all and the
// retired record, saves at most once, and removes what it may.

/** A shard not written for this long is never written again by its instance. */
export const SHARD_IDLE_MS = 60 * 60 * 1000;

/**
 * An instance whose last write failed (it may have landed) writes its shard once more to settle
 * it while the shard is younger than this: far from SHARD_RETIRE_AFTER_MS, so it is never retired.
 */
export const SHARD_SETTLE_MS = 12 * 60 * 60 * 1000;

/** A shard not written for this long is frozen: far beyond SHARD_SETTLE_MS plus clock skew. */
export const SHARD_RETIRE_AFTER_MS = 24 * 60 * 60 * 1000;

/** How long after its absorption a shard record is removed: no run that read before can save. */
export const REMOVAL_MARGIN_MS = 60 * 60 * 1000;

/** A run that took longer than this (from its reads) saves nothing: far below the margin. */
export const RUN_DEADLINE_MS = 5 * 60 * 1000;

/** One shard as read: the largest of its stored copies. */
export interface ICounterShard {
	readonly shard: string;
	readonly count: number;
	/** When its instance wrote it (ms); absent for shards written by earlier versions. */
	readonly writtenAt?: number;
}

interface IAbsorbed {
	readonly shard: string;
	readonly count: number;
	readonly at: string;
	/** When a run first saw its record gone. */
	readonly gone?: string;
}

/** A shard of an earlier version (no `writtenAt`), and since when it has had this count. */
interface ILegacyShard {
	readonly shard: string;
	readonly count: number;
	readonly firstSeen: string;
}

/** The counts of retired shards, as stored. */
export interface IRetiredShards {
	readonly version: number;
	readonly count: number;
	readonly absorbed: ReadonlyArray<IAbsorbed>;
	readonly legacy: ReadonlyArray<ILegacyShard>;
}

const NONE_RETIRED: IRetiredShards = { version: 0, count: 0, absorbed: [], legacy: [] };

/** What one retirement run did. */
export interface IRetirementResult {
	readonly absorbed: number;
	readonly removed: number;
	/** True when the run took too long to save safely and saved nothing. */
	readonly abandoned: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function isCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

function isTime(value: unknown): value is string {
	return typeof value === 'string' && Number.isFinite(Date.parse(value));
}

function parseShard(value: unknown): ICounterShard | undefined {
	if (!isRecord(value) || typeof value.shard !== 'string' || !isCount(value.count)) {
		return undefined;
	}
	return isTime(value.writtenAt)
		? { shard: value.shard, count: value.count, writtenAt: Date.parse(value.writtenAt) }
		: { shard: value.shard, count: value.count };
}

/**
 * The shards read, one per id. A shard's count only grows, so when a racing upsert stored one
 * shard twice the larger copy is the newer one: take the maximum, never the sum.
 */
export function largestShards(values: ReadonlyArray<unknown>): Map<string, ICounterShard> {
	const shards = new Map<string, ICounterShard>();
	for (const value of values) {
		const shard = parseShard(value);
		const known = shard && shards.get(shard.shard);
		if (shard && (!known || shard.count > known.count)) {
			shards.set(shard.shard, shard);
		}
	}
	return shards;
}

/** Sums shards, the largest copy of each, leaving out those already absorbed. */
export function sumShards(
	values: ReadonlyArray<unknown>,
	absorbed: ReadonlySet<string> = new Set(),
): number {
	let total = 0;
	for (const shard of largestShards(values).values()) {
		total += absorbed.has(shard.shard) ? 0 : shard.count;
	}
	return total;
}

function parseRetired(value: unknown): IRetiredShards | undefined {
	if (!isRecord(value) || !isCount(value.version) || !isCount(value.count)) {
		return undefined;
	}
	const entries = (list: unknown) => (Array.isArray(list) ? list.filter(isRecord) : []);
	return {
		version: value.version,
		count: value.count,
		absorbed: entries(value.absorbed).flatMap((entry) =>
			typeof entry.shard === 'string' && isCount(entry.count) && isTime(entry.at)
				? [
						isTime(entry.gone)
							? { shard: entry.shard, count: entry.count, at: entry.at, gone: entry.gone }
							: { shard: entry.shard, count: entry.count, at: entry.at },
					]
				: [],
		),
		legacy: entries(value.legacy).flatMap((entry) =>
			typeof entry.shard === 'string' && isCount(entry.count) && isTime(entry.firstSeen)
				? [{ shard: entry.shard, count: entry.count, firstSeen: entry.firstSeen }]
				: [],
		),
	};
}

/**
 * The copy of the retired record to use: the highest version, then the largest count, then
 * the larger content, so every reader takes the same one (see the top of this file).
 */
export function pickRetired(values: ReadonlyArray<unknown>): IRetiredShards {
	let best = NONE_RETIRED;
	for (const candidate of values.map(parseRetired)) {
		if (candidate && ranksAbove(candidate, best)) {
			best = candidate;
		}
	}
	return best;
}

function ranksAbove(candidate: IRetiredShards, other: IRetiredShards): boolean {
	if (candidate.version !== other.version) {
		return candidate.version > other.version;
	}
	if (candidate.count !== other.count) {
		return candidate.count > other.count;
	}
	return JSON.stringify(candidate) > JSON.stringify(other);
}

/** The counter's sum from a read of its shards and a later read of its retired record. */
export function counterTotal(
	shardValues: ReadonlyArray<unknown>,
	retiredValues: ReadonlyArray<unknown>,
): number {
	const retired = pickRetired(retiredValues);
	return retired.count + sumShards(shardValues, new Set(retired.absorbed.map((e) => e.shard)));
}

/** Moves the counts of frozen shards into the retired record and removes their records. */
export class ShardRetirement {
	constructor(
		private readonly shardScope: RecordScope,
		private readonly retiredScope: RecordScope,
		private readonly now: () => Date,
	) {}

	/** One run: absorbs frozen shards, removes those absorbed long enough ago, forgets the gone. */
	public async retire(
		reader: IPersistenceRead,
		persistence: IPersistence,
	): Promise<IRetirementResult> {
		const startedAt = this.now().getTime();
		// Shards first, then the retired record: see the top of this file.
		const shards = largestShards(
			await reader.readByAssociations(buildAssociations({ scope: this.shardScope })),
		);
		const read = pickRetired(
			await reader.readByAssociations(buildAssociations({ scope: this.retiredScope })),
		);
		const now = this.now();
		const { next, absorbed } = this.nextVersion(read, shards, now);
		let abandoned = false;
		if (next !== read) {
			abandoned = this.now().getTime() - startedAt > RUN_DEADLINE_MS;
			if (!abandoned) {
				await persistence.updateByAssociations(
					buildAssociations({ scope: this.retiredScope }),
					next,
					true,
				);
			}
		}
		// Decided from the copy read, which every later copy extends: safe whenever it runs.
		const removable = read.absorbed.filter(
			(entry) =>
				shards.has(entry.shard) && now.getTime() - Date.parse(entry.at) > REMOVAL_MARGIN_MS,
		);
		for (const entry of removable) {
			await persistence.removeByAssociations(
				buildAssociations({ scope: this.shardScope, keys: [`shard:${entry.shard}`] }),
			);
		}
		return { absorbed: abandoned ? 0 : absorbed, removed: removable.length, abandoned };
	}

	/** The next version of the retired record (`read` itself when nothing changes). */
	private nextVersion(
		read: IRetiredShards,
		shards: ReadonlyMap<string, ICounterShard>,
		now: Date,
	): { next: IRetiredShards; absorbed: number } {
		const at = now.toISOString();
		const absorbedIds = new Set(read.absorbed.map((entry) => entry.shard));
		const absorbed: Array<IAbsorbed> = [];
		for (const entry of read.absorbed) {
			// Records never come back, so an entry whose record is gone can go; only a margin after
			// that, so a reader that read the shard before its removal still finds it here.
			if (shards.has(entry.shard)) {
				absorbed.push(entry);
			} else if (entry.gone === undefined) {
				absorbed.push({ ...entry, gone: at });
			} else if (now.getTime() - Date.parse(entry.gone) <= REMOVAL_MARGIN_MS) {
				absorbed.push(entry);
			}
		}
		const kept = absorbed.length;
		let { count } = read;
		const legacy: Array<ILegacyShard> = [];
		const seenLegacy = new Map(read.legacy.map((entry) => [entry.shard, entry]));
		for (const shard of shards.values()) {
			if (absorbedIds.has(shard.shard)) {
				continue;
			}
			let frozen: boolean;
			if (shard.writtenAt !== undefined) {
				frozen = now.getTime() - shard.writtenAt > SHARD_RETIRE_AFTER_MS;
			} else {
				// An earlier version's shard has no time: it is frozen once its count has stayed the
				// same for SHARD_RETIRE_AFTER_MS since a run first saw it so (a change starts over).
				const seen = seenLegacy.get(shard.shard);
				frozen =
					seen?.count === shard.count &&
					now.getTime() - Date.parse(seen.firstSeen) > SHARD_RETIRE_AFTER_MS;
				if (!frozen) {
					legacy.push(
						seen?.count === shard.count
							? seen
							: { shard: shard.shard, count: shard.count, firstSeen: at },
					);
				}
			}
			if (frozen) {
				count += shard.count;
				absorbed.push({ shard: shard.shard, count: shard.count, at });
			}
		}
		const unchanged =
			JSON.stringify([count, absorbed, legacy]) ===
			JSON.stringify([read.count, read.absorbed, read.legacy]);
		return {
			next: unchanged ? read : { version: read.version + 1, count, absorbed, legacy },
			absorbed: absorbed.length - kept,
		};
	}
}
