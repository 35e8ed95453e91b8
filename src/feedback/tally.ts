/** What one feedback adds to the statistics. */
export interface ITallyEntry {
	readonly category: string;
	readonly rating: number | null;
	readonly contributor: string;
}

/** Additive statistics of a set of feedback: counts that can be summed and subtracted. */
export interface ITally {
	total: number;
	categories: Record<string, number>;
	ratingSum: number;
	ratingCount: number;
	/** Entries per contributor key; a contributor counts while this is above zero. */
	contributors: Record<string, number>;
}

/** A tally of nothing. */
export function emptyTally(): ITally {
	return { total: 0, categories: {}, ratingSum: 0, ratingCount: 0, contributors: {} };
}

function bump(counts: Record<string, number>, key: string, by: number): void {
	const next = (counts[key] ?? 0) + by;
	if (next === 0) {
		delete counts[key];
	} else {
		counts[key] = next;
	}
}

/** Adds (sign 1) or takes away (sign -1) one feedback. */
export function count(tally: ITally, entry: ITallyEntry, sign: 1 | -1): void {
	tally.total += sign;
	bump(tally.categories, entry.category, sign);
	bump(tally.contributors, entry.contributor, sign);
	if (entry.rating !== null) {
		tally.ratingSum += sign * entry.rating;
		tally.ratingCount += sign;
	}
}

/** Adds every count of `other` into `tally`. */
export function mergeInto(tally: ITally, other: ITally): void {
	tally.total += other.total;
	tally.ratingSum += other.ratingSum;
	tally.ratingCount += other.ratingCount;
	for (const [category, amount] of Object.entries(other.categories)) {
		bump(tally.categories, category, amount);
	}
	for (const [contributor, amount] of Object.entries(other.contributors)) {
		bump(tally.contributors, contributor, amount);
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

function countsOf(value: unknown): Record<string, number> | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return undefined;
	}
	const counts: Record<string, number> = {};
	for (const [key, amount] of Object.entries(value)) {
		if (typeof amount !== 'number' || !Number.isFinite(amount)) {
			return undefined;
		}
		counts[key] = amount;
	}
	return counts;
}

/** A stored value as a tally, or undefined when it is not one. */
export function parseTally(value: unknown): ITally | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	const categories = countsOf(record.categories);
	const contributors = countsOf(record.contributors);
	const numbers = [record.total, record.ratingSum, record.ratingCount];
	if (!categories || !contributors || !numbers.every((number) => typeof number === 'number')) {
		return undefined;
	}
	return {
		total: record.total as number,
		categories,
		ratingSum: record.ratingSum as number,
		ratingCount: record.ratingCount as number,
		contributors,
	};
}
