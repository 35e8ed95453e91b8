/** What one feedback adds to the statistics. */
export interface ITallyEntry {
	readonly category: string;
	readonly rating: number | null;
	/** Anonymous feedback is counted apart; distinct named authors are counted by ContributorMarks. */
	readonly anonymous: boolean;
}

/**
 * Additive statistics of a set of feedback: counts that can be summed and subtracted. Counts
 * keyed by text people chose (categories) live in Maps: a category named `constructor` or
 * `__proto__` is a category like any other. Nothing in it is keyed by, or derived from, a member:
 * a tally outlives the feedback it counts (src/persistence/ContributorMarks.ts counts authors).
 */
export interface ITally {
	total: number;
	/** Feedback sent anonymously. */
	anonymous: number;
	categories: Map<string, number>;
	ratingSum: number;
	ratingCount: number;
}

/** A tally as stored: pairs rather than objects, so no key is special to a store or a parser. */
export interface IStoredTally {
	readonly total: number;
	readonly anonymous: number;
	readonly categories: ReadonlyArray<readonly [string, number]>;
	readonly ratingSum: number;
	readonly ratingCount: number;
}

/** A tally of nothing. */
export function emptyTally(): ITally {
	return {
		total: 0,
		anonymous: 0,
		categories: new Map(),
		ratingSum: 0,
		ratingCount: 0,
	};
}

function bump(counts: Map<string, number>, key: string, by: number): void {
	const next = (counts.get(key) ?? 0) + by;
	if (next === 0) {
		counts.delete(key);
	} else {
		counts.set(key, next);
	}
}

/** Adds (sign 1) or takes away (sign -1) one feedback. */
export function count(tally: ITally, entry: ITallyEntry, sign: 1 | -1): void {
	tally.total += sign;
	bump(tally.categories, entry.category, sign);
	if (entry.anonymous) {
		tally.anonymous += sign;
	}
	if (entry.rating !== null) {
		tally.ratingSum += sign * entry.rating;
		tally.ratingCount += sign;
	}
}

/** Adds every count of `other` into `tally`. */
export function mergeInto(tally: ITally, other: ITally): void {
	tally.total += other.total;
	tally.anonymous += other.anonymous;
	tally.ratingSum += other.ratingSum;
	tally.ratingCount += other.ratingCount;
	for (const [category, amount] of other.categories) {
		bump(tally.categories, category, amount);
	}
}

/** The tally of a list of entries. */
export function tallyOf(entries: ReadonlyArray<ITallyEntry>): ITally {
	const tally = emptyTally();
	for (const entry of entries) {
		count(tally, entry, 1);
	}
	return tally;
}

/** The tally in its stored form. */
export function storedTally(tally: ITally): IStoredTally {
	return {
		total: tally.total,
		anonymous: tally.anonymous,
		categories: [...tally.categories],
		ratingSum: tally.ratingSum,
		ratingCount: tally.ratingCount,
	};
}

function isCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

function countsOf(value: unknown): Map<string, number> | undefined {
	if (!Array.isArray(value)) {
		return undefined;
	}
	const counts = new Map<string, number>();
	for (const pair of value as ReadonlyArray<unknown>) {
		if (!Array.isArray(pair) || typeof pair[0] !== 'string' || !isCount(pair[1])) {
			return undefined;
		}
		bump(counts, pair[0], pair[1]);
	}
	return counts;
}

/**
 * A stored value as a tally, or undefined when it is not one. A tally stored by an earlier version
 * also held contributor keys: they are not read, and the next save leaves them out.
 */
export function parseTally(value: unknown): ITally | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	const categories = countsOf(record.categories);
	const { total, anonymous, ratingSum, ratingCount } = record;
	if (
		!categories ||
		!isCount(total) ||
		!isCount(anonymous) ||
		!isCount(ratingSum) ||
		!isCount(ratingCount)
	) {
		return undefined;
	}
	return { total, anonymous, categories, ratingSum, ratingCount };
}
