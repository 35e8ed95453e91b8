import { isDayClosed } from '../domain/days';
import type { IFoldProgress } from '../domain/days';

/** One fold of the days after a stored total: where to start, how far to go, what to do with each day. */
export interface IDayFold<T> {
	/** Every day with records, in any order. */
	readonly days: ReadonlyArray<string>;
	/** The last day the stored total holds ('' for none). */
	readonly throughDay: string;
	readonly now: Date;
	/** Records one call folds at most (FOLD_BUDGET_RECORDS): the rest is left for the next call. */
	readonly budget: number;
	/** Stop at the first open day instead of reading the open days too. */
	readonly closedOnly: boolean;
	read(day: string): Promise<ReadonlyArray<T>>;
	/** Takes a closed day into the total to store. */
	foldDay(day: string, records: ReadonlyArray<T>): Promise<void>;
	/** Takes an open day into the counts of now only: it may still change. */
	openDay(day: string, records: ReadonlyArray<T>): Promise<void>;
}

/** How far a fold went. */
export interface IDayFoldResult {
	/** The last day folded (the stored total's own when none was). */
	readonly throughDay: string;
	readonly daysFolded: number;
	/** Set when closed days are left for another call: the counts then hold only part of them. */
	readonly preparing?: IFoldProgress;
}

/**
 * Folds the closed days after the stored total, oldest first, into the total, within the budget;
 * then, unless closed days are left or `closedOnly`, reads the open days on top. Days close in
 * order (domain/days.ts), so the first open day ends the folding.
 */
export async function foldDays<T>(fold: IDayFold<T>): Promise<IDayFoldResult> {
	const later = [...fold.days].filter((day) => day > fold.throughDay).sort();
	let { throughDay } = fold;
	let recordsFolded = 0;
	let daysFolded = 0;
	let daysLeft = 0;
	let folding = true;
	for (const day of later) {
		folding = folding && isDayClosed(day, fold.now);
		if (folding && recordsFolded >= fold.budget) {
			daysLeft += 1;
			continue;
		}
		if (daysLeft > 0 || (!folding && fold.closedOnly)) {
			// Partial anyway, or open days not wanted: they are not worth reading.
			break;
		}
		const records = await fold.read(day);
		if (folding) {
			await fold.foldDay(day, records);
			throughDay = day;
			recordsFolded += records.length;
			daysFolded += 1;
		} else {
			await fold.openDay(day, records);
		}
	}
	if (daysLeft === 0) {
		return { throughDay, daysFolded };
	}
	// Count every closed day left, not only those before the loop stopped.
	const closedLeft = later.filter((day) => day > throughDay && isDayClosed(day, fold.now)).length;
	const foldedBefore = fold.days.filter((day) => day <= fold.throughDay).length;
	return {
		throughDay,
		daysFolded,
		preparing: { daysFolded: foldedBefore + daysFolded, daysLeft: closedLeft },
	};
}

/**
 * Of the stored copies of a total (racing upserts can store two), the one that reaches furthest:
 * the latest day, then the most deletions taken in.
 */
export function furthestTotal<T extends { readonly throughDay: string }>(
	candidates: ReadonlyArray<T | undefined>,
	deletionsOf: (total: T) => number,
): T | undefined {
	let best: T | undefined;
	for (const candidate of candidates) {
		if (
			candidate &&
			(!best ||
				candidate.throughDay > best.throughDay ||
				(candidate.throughDay === best.throughDay && deletionsOf(candidate) > deletionsOf(best)))
		) {
			best = candidate;
		}
	}
	return best;
}
