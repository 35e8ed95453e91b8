import type {
	ILogger,
	IPersistence,
	IPersistenceRead,
} from '@rocket.chat/apps-engine/definition/accessors';

import { noteReach } from './FeedbackRepository';
import type { FeedbackRepository, INewestRead } from './FeedbackRepository';
import { buildAssociations, RecordScope } from './associations';
import {
	isReadAgain,
	parseRecent,
	pruneRecent,
	readDeletionWindow,
	rememberDeletion,
} from './deletionWindow';
import type { RecentDeletions } from './deletionWindow';
import { foldPeriods, furthestTotal } from './periodFold';
import type { IFoldProgress } from '../domain/days';
import { foldProgressOf } from '../domain/days';
import { lastHourOf, periodsAfter, reachOf } from '../domain/periods';
import type { IFeedbackCounts } from '../domain/stats';
import type { ITally } from '../domain/tally';
import { count, emptyTally, mergeInto, parseTally, storedTally, tallyOf } from '../domain/tally';

/**
 * The stored shape of the running total. A total of an older version (categories as object keys,
 * anonymous entries under contributor keys) is rebuilt; one with contributor keys (version 2) is
 * read and stored again at once without them; one that reached a day (version 3) reaches that
 * day's last hour.
 */
const CLOSED_TOTAL_VERSION = 4;
const DAY_TOTAL_VERSION = 3;
const KEYED_TOTAL_VERSION = 2;

/** The tally of every closed period up to the hour `reach`, and the deletions it already took in. */
export interface IClosedTotal {
	readonly reach: string;
	readonly tally: ITally;
	/** Deletions of notes of earlier versions taken in (a finite set: no more such notes are written). */
	readonly deletedIds: ReadonlyArray<string>;
	/** Deletions taken in whose notes a later call still reads, by the hour of the deletion. */
	readonly recent: ReadonlyArray<[string, string]>;
	/** Every note of a deletion hour up to this one was read; none read by the hour yet when absent. */
	readonly notesReach?: string;
	/** Stored by the version before, with keys of named authors: to be stored again without. */
	readonly keyed?: boolean;
}

/**
 * Feedback records one call folds at most (a fraction of the engine's 30 s per request on a small
 * server): a store that was never folded (an app installed onto many entries, a total that could
 * not be read) is folded over several calls, each storing its progress, never in one request
 * that the engine would end before anything is stored.
 */
export const FOLD_BUDGET_RECORDS = 20_000;

/**
 * How long one call folds at most, whatever the records: at 1M stored over years a fold of
 * 20,000 records took longer than the engine's 30 s on a busy 2-core machine (docs/benchmarks.md),
 * and the upkeep folds both totals twice a run.
 */
export const FOLD_TIME_BUDGET_MS = 5_000;

/** The tally of all feedback now, and the closed total to store when it moved forward. */
export interface ITallyResult {
	readonly tally: ITally;
	readonly advanced?: IClosedTotal;
	/** Set when closed days are left to fold: the tally then counts only part of the feedback. */
	readonly preparing?: IFoldProgress;
}

/** The tally of all feedback now; `preparing` when it is not complete yet. */
export interface ITotalNow {
	readonly tally: ITally;
	readonly preparing?: IFoldProgress;
}

/** What the statistics count now; `preparing` when the tally or the author count is not complete. */
export interface ICountsNow extends IFeedbackCounts {
	readonly preparing?: IFoldProgress;
}

function parseClosedTotal(value: unknown): IClosedTotal | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	const stored = record.version === CLOSED_TOTAL_VERSION ? record.reach : record.throughDay;
	if (
		![CLOSED_TOTAL_VERSION, DAY_TOTAL_VERSION, KEYED_TOTAL_VERSION].includes(
			record.version as number,
		) ||
		typeof stored !== 'string' ||
		!Array.isArray(record.deletedIds)
	) {
		return undefined;
	}
	const tally = parseTally(record.tally);
	const deletedIds = record.deletedIds.filter((id): id is string => typeof id === 'string');
	if (!tally) {
		return undefined;
	}
	const reach = reachOf(stored);
	const recent = [...parseRecent(record.recent)];
	const notesReach = typeof record.notesReach === 'string' ? { notesReach: record.notesReach } : {};
	return record.version === KEYED_TOTAL_VERSION
		? { reach, tally, deletedIds, recent, keyed: true }
		: { reach, tally, deletedIds, recent, ...notesReach };
}

function copyOf(tally: ITally): ITally {
	const copy = emptyTally();
	mergeInto(copy, tally);
	return copy;
}

/**
 * Statistics that cost the same at 100k feedback as at 1k. Closed days (see days.ts) are folded
 * into one stored running total; a tally reads that total, the days still open, and checks only
 * the deletions noted since. Reading never writes: `refresh` stores a total that moved forward.
 * A total depends only on records that no longer change and is consistent on its own (its tally
 * and the deletions it took in go together), so instances storing one at once agree, and an
 * older total stored last is merely folded forward again.
 */
export class RunningTotal {
	constructor(
		private readonly reader: IPersistenceRead,
		private readonly feedback: FeedbackRepository,
		private readonly logger: ILogger,
		private readonly foldBudget = FOLD_BUDGET_RECORDS,
	) {}

	/** The tally of all feedback, storing the running total when it moved forward. */
	public async refresh(
		persistence: IPersistence,
		now: Date,
		known?: INewestRead,
	): Promise<ITotalNow> {
		const { tally, advanced, preparing } = await this.compute(persistence, now, known);
		if (advanced) {
			await this.save(persistence, advanced);
		}
		return preparing ? { tally, preparing } : { tally };
	}

	/**
	 * The tally (as `refresh`) and the distinct named authors, marking the authors of feedback
	 * stored before marks existed as far as the budget goes.
	 */
	public async counts(persistence: IPersistence, now: Date): Promise<ICountsNow> {
		const { tally, preparing: folding } = await this.refresh(persistence, now);
		const marks = this.feedback.contributors;
		const preparing = foldProgressOf(folding, await marks.backfill(persistence, this.foldBudget));
		const contributors = await marks.count();
		return preparing ? { tally, contributors, preparing } : { tally, contributors };
	}

	/** Folds closed days as far as the budget goes and stores the total; reads no open day. */
	public async fold(persistence: IPersistence, now: Date): Promise<IFoldProgress | undefined> {
		const { advanced, preparing } = await this.compute(persistence, now, undefined, true);
		if (advanced) {
			await this.save(persistence, advanced);
		}
		return preparing;
	}

	/** The tally of all feedback (of closed periods only with `closedOnly`), reusing what a page read; stores nothing. */
	private async compute(
		persistence: IPersistence,
		now: Date,
		known?: INewestRead,
		closedOnly = false,
	): Promise<ITallyResult> {
		const [stored, firstHourlyDay] = await Promise.all([
			this.stored(),
			this.feedback.hourly.firstDayFiledHourly(persistence, now),
		]);
		const { closedTotal, unreadable } = stored;
		const reach = closedTotal?.reach ?? '';
		const days = await this.feedback.daysFrom(reach.slice(0, 10), now);
		const closed = closedTotal ? copyOf(closedTotal.tally) : emptyTally();
		const deletedIds = new Set(closedTotal?.deletedIds ?? []);
		const recent: RecentDeletions = new Map(closedTotal?.recent ?? []);
		const window = await readDeletionWindow(this.feedback, closedTotal?.notesReach, now);
		// A total that cannot be read is rebuilt from every day, once: the rebuilt one replaces it;
		// one with keys of named authors is stored again without them.
		let changed = unreadable || closedTotal?.keyed === true;
		if (unreadable) {
			this.logger.warn('the running total of closed days could not be read; rebuilding it');
		}
		// Deletions in folded periods since the total was stored: checked, then taken in once.
		for (const note of [...window.legacy, ...window.recent]) {
			const taken = note.deletedHour === undefined ? deletedIds.has(note.id) : recent.has(note.id);
			if (taken && note.deletedHour !== undefined) {
				rememberDeletion(recent, note.id, note.deletedHour);
			}
			if (taken || noteReach(note) > reach || (await this.feedback.find(note.id))) {
				continue;
			}
			count(closed, note, -1);
			if (note.deletedHour === undefined) {
				deletedIds.add(note.id);
			} else {
				rememberDeletion(recent, note.id, note.deletedHour);
			}
			changed = true;
		}
		// Stored as the notes read move on; a store with no total yet reads them all until it has one.
		changed = changed || (closedTotal !== undefined && window.nextReach !== closedTotal.notesReach);
		const open = emptyTally();
		const folded = await foldPeriods({
			periods: periodsAfter(days, reach, firstHourlyDay, now),
			reach,
			now,
			budget: this.foldBudget,
			deadline: Date.now() + FOLD_TIME_BUDGET_MS,
			closedOnly,
			daysBefore: async () =>
				(await this.feedback.dayMarkers.all()).filter((day) => lastHourOf(day) <= reach).length,
			read: (period) =>
				Promise.resolve(known?.read.get(period.key) ?? this.feedback.recordsOf(period)),
			foldPeriod: async (period, records) => {
				// Notes after records: a feedback deleted in between is then either counted and its
				// note not taken in, or not counted and its note taken in; never both.
				// Only notes a later call reads again need remembering.
				const notes = await this.feedback.deletionNotesOf(period);
				const present = new Set(records.map((record) => record.id));
				for (const note of notes.filter((entry) => !present.has(entry.id))) {
					if (note.deletedHour === undefined) {
						deletedIds.add(note.id);
					} else if (isReadAgain(note.deletedHour, window.nextReach)) {
						rememberDeletion(recent, note.id, note.deletedHour);
					}
				}
				mergeInto(closed, tallyOf(records));
			},
			openPeriod: async (_period, records) => mergeInto(open, tallyOf(records)),
		});
		const tally = copyOf(closed);
		mergeInto(tally, open);
		pruneRecent(recent, window.nextReach);
		const advanced =
			changed || folded.periodsFolded > 0
				? {
						reach: folded.reach,
						tally: closed,
						deletedIds: [...deletedIds],
						recent: [...recent],
						notesReach: window.nextReach,
						...(closedTotal?.keyed ? { keyed: true } : {}),
					}
				: undefined;
		return folded.preparing
			? { tally, advanced, preparing: folded.preparing }
			: { tally, advanced };
	}

	/** Stores the running total; a failed write is logged and only means the next call folds again. */
	public async save(persistence: IPersistence, closedTotal: IClosedTotal): Promise<void> {
		const associations = buildAssociations({ scope: RecordScope.FeedbackTotal });
		try {
			if (closedTotal.keyed) {
				// An update replaces one copy only: a second copy (racing upserts) would keep the keys.
				// Meanwhile a reader finds no total and folds every day itself: slower, still right.
				await persistence.removeByAssociations(associations);
			}
			await persistence.updateByAssociations(
				associations,
				{
					version: CLOSED_TOTAL_VERSION,
					reach: closedTotal.reach,
					tally: storedTally(closedTotal.tally),
					deletedIds: closedTotal.deletedIds,
					recent: closedTotal.recent,
					...(closedTotal.notesReach === undefined ? {} : { notesReach: closedTotal.notesReach }),
				},
				true,
			);
		} catch (error) {
			this.logger.error('saving the running total of closed days failed', error);
		}
	}

	/**
	 * The stored running total; of two copies (racing upserts), the one that reaches furthest.
	 * Unreadable when copies are stored but none can be read.
	 */
	private async stored(): Promise<{ closedTotal?: IClosedTotal; unreadable: boolean }> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackTotal }),
		);
		const best = furthestTotal(stored.map(parseClosedTotal), (total) => ({
			notesReach: total.notesReach ?? '',
			deletions: total.deletedIds.length + total.recent.length,
		}));
		return { closedTotal: best, unreadable: stored.length > 0 && best === undefined };
	}
}
