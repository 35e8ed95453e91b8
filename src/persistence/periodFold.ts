import type { IFoldProgress } from '../domain/days';
import { isPeriodClosed } from '../domain/periods';
import type { IPeriod } from '../domain/periods';

/** One fold of the periods after a stored total: where to start, how far to go, what to do with each. */
export interface IPeriodFold<T> {
	/** The periods after the total's reach, oldest first (periodsAfter). */
	readonly periods: ReadonlyArray<IPeriod>;
	/** The last hour the stored total holds ('' for none). */
	readonly reach: string;
	readonly now: Date;
	/** Records one call folds at most (FOLD_BUDGET_RECORDS): the rest is left for the next call. */
	readonly budget: number;
	/**
	 * When (ms, on `clock`) a call stops folding, once it folded one period: reads cost more on a
	 * slow or busy server than records tell, and a request must end inside the engine's 30 s.
	 */
	readonly deadline?: number;
	readonly clock?: () => number;
	/** Stop at the first open period instead of reading the open periods too. */
	readonly closedOnly: boolean;
	/** Days the stored total holds already, for the progress told (read only when work is left). */
	daysBefore(): Promise<number>;
	read(period: IPeriod): Promise<ReadonlyArray<T>>;
	/** Takes a closed period into the total to store. */
	foldPeriod(period: IPeriod, records: ReadonlyArray<T>): Promise<void>;
	/** Takes an open period into the counts of now only: it may still change. */
	openPeriod(period: IPeriod, records: ReadonlyArray<T>): Promise<void>;
}

/** How far a fold went. */
export interface IPeriodFoldResult {
	/** The last hour folded (the stored total's own when none was). */
	readonly reach: string;
	readonly periodsFolded: number;
	/** Set when closed periods are left for another call: the counts then hold only part of them. */
	readonly preparing?: IFoldProgress;
}

/** Distinct days of some periods: progress is told in days, whatever the periods. */
function daysOf(periods: ReadonlyArray<IPeriod>): number {
	return new Set(periods.map((period) => period.key.slice(0, 10))).size;
}

/**
 * Folds the closed periods after the stored total, oldest first, into the total, within the
 * budget (an empty period counts as one record: its read is a round trip); then, unless closed
 * periods are left or `closedOnly`, reads the open periods on top. Periods close in order, so the
 * first open one ends the folding.
 */
export async function foldPeriods<T>(fold: IPeriodFold<T>): Promise<IPeriodFoldResult> {
	let { reach } = fold;
	let cost = 0;
	const folded: Array<IPeriod> = [];
	let left = false;
	let folding = true;
	for (const period of fold.periods) {
		folding = folding && isPeriodClosed(period, fold.now);
		const late =
			fold.deadline !== undefined &&
			folded.length > 0 &&
			(fold.clock ?? Date.now)() >= fold.deadline;
		if (folding && (cost >= fold.budget || late)) {
			left = true;
			break;
		}
		if (!folding && fold.closedOnly) {
			break;
		}
		const records = await fold.read(period);
		if (folding) {
			await fold.foldPeriod(period, records);
			reach = period.last;
			cost += Math.max(1, records.length);
			folded.push(period);
		} else {
			await fold.openPeriod(period, records);
		}
	}
	if (!left) {
		return { reach, periodsFolded: folded.length };
	}
	const closedLeft = fold.periods.filter(
		(period) => period.last > reach && isPeriodClosed(period, fold.now),
	);
	return {
		reach,
		periodsFolded: folded.length,
		preparing: {
			daysFolded: (await fold.daysBefore()) + daysOf(folded),
			daysLeft: daysOf(closedLeft),
		},
	};
}

/** How far a total's taking in of deletions got: compared after its reach. */
export interface IDeletionProgress {
	/** The last deletion hour whose notes were all read ('' for none). */
	readonly notesReach: string;
	/** Deletions it remembers taking in. */
	readonly deletions: number;
}

/**
 * Of the stored copies of a total (racing upserts can store two), the one that reaches furthest:
 * the latest hour, then the latest hour of deletion notes read, then the most deletions taken in.
 * Each copy is consistent on its own, so any is right; the furthest saves work.
 */
export function furthestTotal<T extends { readonly reach: string }>(
	candidates: ReadonlyArray<T | undefined>,
	progressOf: (total: T) => IDeletionProgress,
): T | undefined {
	let best: T | undefined;
	for (const candidate of candidates) {
		if (candidate && (!best || isFurther(candidate, best, progressOf))) {
			best = candidate;
		}
	}
	return best;
}

function isFurther<T extends { readonly reach: string }>(
	candidate: T,
	best: T,
	progressOf: (total: T) => IDeletionProgress,
): boolean {
	if (candidate.reach !== best.reach) {
		return candidate.reach > best.reach;
	}
	const [mine, theirs] = [progressOf(candidate), progressOf(best)];
	if (mine.notesReach !== theirs.notesReach) {
		return mine.notesReach > theirs.notesReach;
	}
	return mine.deletions > theirs.deletions;
}
