import type {
	ILogger,
	IPersistence,
	IPersistenceRead,
} from '@rocket.chat/apps-engine/definition/accessors';

import type { FeedbackRepository } from './FeedbackRepository';
import { FOLD_BUDGET_RECORDS, FOLD_TIME_BUDGET_MS } from './RunningTotal';
import type { StatusLog } from './StatusLog';
import { buildAssociations, RecordScope } from './associations';
import {
	parseRecent,
	pruneRecent,
	readDeletionWindow,
	rememberDeletion,
	STATUS_DELETION_KEPT_MS,
} from './deletionWindow';
import type { RecentDeletions } from './deletionWindow';
import { foldPeriods, furthestTotal } from './periodFold';
import { HOUR_MS, startOfDay } from '../domain/days';
import type { IFoldProgress } from '../domain/days';
import { hourOf, lastHourOf, periodsAfter, reachOf, startOfHourKey } from '../domain/periods';
import type { IPeriod } from '../domain/periods';
import {
	FeedbackStatus,
	isStatus,
	newestChange,
	oldestChange,
	responseBucketOf,
	RESPONSE_BUCKETS_MS,
	statusAfter,
	statusBeforeWindow,
} from '../domain/status';
import type { IStatusBefore, IStatusChange } from '../domain/status';

/** Version 2 reaches an hour; version 1 reached a day (read as that day's last hour). */
const STATUS_TOTAL_VERSION = 2;
const DAY_STATUS_TOTAL_VERSION = 1;

/** Triage statistics: feedback per status (other than new) and times to a first change. */
export interface IStatusCounts {
	/** Existing feedback by status, `new` left out (it is the total less these). */
	readonly byStatus: Map<FeedbackStatus, number>;
	/** First changes per bucket of RESPONSE_BUCKETS_MS. */
	readonly responseBuckets: Array<number>;
}

/** The triage statistics now; `preparing` when closed days are left to fold (counts are partial). */
export interface IStatusNow extends IStatusCounts {
	readonly preparing?: IFoldProgress;
}

/** The folded part: every change of periods up to the hour `reach`, and the deletions taken in. */
interface IFoldedStatus extends IStatusCounts {
	readonly reach: string;
	/** Deleted feedback taken out from notes of earlier versions (a finite set). */
	readonly deletedIds: ReadonlySet<string>;
	/** Deleted feedback taken out from notes filed by the hour, kept a while after that hour. */
	readonly recent: RecentDeletions;
	/** Every note of a deletion hour up to this one was read; none read by the hour yet when absent. */
	readonly notesReach?: string;
}

function emptyFold(): IFoldedStatus {
	return {
		reach: '',
		byStatus: new Map(),
		responseBuckets: RESPONSE_BUCKETS_MS.map(() => 0),
		deletedIds: new Set(),
		recent: new Map(),
	};
}

function parseFold(value: unknown): IFoldedStatus | undefined {
	const record = value as Record<string, unknown> | null;
	const stored = record?.version === STATUS_TOTAL_VERSION ? record.reach : record?.throughDay;
	if (
		typeof record !== 'object' ||
		(record?.version !== STATUS_TOTAL_VERSION && record?.version !== DAY_STATUS_TOTAL_VERSION) ||
		typeof stored !== 'string' ||
		!Array.isArray(record.byStatus) ||
		!Array.isArray(record.responseBuckets) ||
		!Array.isArray(record.deletedIds)
	) {
		return undefined;
	}
	const byStatus = new Map<FeedbackStatus, number>();
	for (const pair of record.byStatus as ReadonlyArray<unknown>) {
		if (!Array.isArray(pair) || !isStatus(pair[0]) || typeof pair[1] !== 'number') {
			return undefined;
		}
		byStatus.set(pair[0], pair[1]);
	}
	const buckets = (record.responseBuckets as ReadonlyArray<unknown>).map((count) =>
		typeof count === 'number' ? count : 0,
	);
	return {
		reach: reachOf(stored),
		byStatus,
		responseBuckets: RESPONSE_BUCKETS_MS.map((_, index) => buckets[index] ?? 0),
		deletedIds: new Set(record.deletedIds.filter((id): id is string => typeof id === 'string')),
		recent: parseRecent(record.recent),
		...(typeof record.notesReach === 'string' ? { notesReach: record.notesReach } : {}),
	};
}

/** When a period starts, in ms. */
function startOfPeriod(period: IPeriod): number {
	return period.kind === 'day' ? startOfDay(period.key) : startOfHourKey(period.key);
}

function bump(counts: Map<FeedbackStatus, number>, status: FeedbackStatus, by: number): void {
	if (status !== FeedbackStatus.New) {
		counts.set(status, (counts.get(status) ?? 0) + by);
	}
}

/**
 * Triage statistics at a cost that does not grow with the feedback: closed days of status
 * changes are folded into one stored total, as RunningTotal does for feedback. Folding a day
 * reads, for each feedback changed that day, its earlier changes (to know the status it left);
 * open days are applied on top the same way. Deleted feedback is taken out once, by the status
 * it had. Reading never writes: `refresh` stores a total that moved forward.
 */
export class StatusTotal {
	constructor(
		private readonly reader: IPersistenceRead,
		private readonly statuses: StatusLog,
		private readonly feedback: FeedbackRepository,
		private readonly logger: ILogger,
		private readonly foldBudget = FOLD_BUDGET_RECORDS,
	) {}

	/** Folds closed days as far as the budget goes and stores the total; reads no open day. */
	public async fold(persistence: IPersistence, now: Date): Promise<IFoldProgress | undefined> {
		return (await this.refresh(persistence, now, true)).preparing;
	}

	/** The counts now (of closed days only with `closedOnly`), storing the folded total when it moved forward. */
	public async refresh(
		persistence: IPersistence,
		now: Date,
		closedOnly = false,
	): Promise<IStatusNow> {
		const [stored, firstHourlyDay] = await Promise.all([
			this.stored(),
			this.feedback.hourly.firstDayFiledHourly(persistence, now),
		]);
		const fold = stored ?? emptyFold();
		const days = await this.statuses.daysFrom(fold.reach.slice(0, 10), now);
		const byStatus = new Map(fold.byStatus);
		const responseBuckets = [...fold.responseBuckets];
		const deletedIds = new Set(fold.deletedIds);
		const recent: RecentDeletions = new Map(fold.recent);
		const isDeleted = (id: string) => deletedIds.has(id) || recent.has(id);
		const foldedReach = fold.reach;
		const window = await readDeletionWindow(this.feedback, fold.notesReach, now);
		let changed = stored !== undefined && window.nextReach !== fold.notesReach;

		for (const note of [...window.legacy, ...window.recent]) {
			if (recent.has(note.id) && note.deletedHour !== undefined) {
				rememberDeletion(recent, note.id, note.deletedHour);
			}
			if (isDeleted(note.id) || (await this.feedback.find(note.id))) {
				continue;
			}
			const folded = (await this.statuses.changesOf(note.id)).filter(
				(change) => hourOf(change.at) <= foldedReach,
			);
			bump(byStatus, statusAfter(folded), -1);
			if (note.deletedHour === undefined) {
				deletedIds.add(note.id);
			} else {
				rememberDeletion(recent, note.id, note.deletedHour);
			}
			changed = true;
		}
		const open: Array<IStatusChange> = [];
		const folded = await foldPeriods({
			periods: periodsAfter(days, foldedReach, firstHourlyDay, now),
			reach: foldedReach,
			now,
			budget: this.foldBudget,
			deadline: Date.now() + FOLD_TIME_BUDGET_MS,
			closedOnly,
			daysBefore: async () =>
				(await this.statuses.days()).filter((day) => lastHourOf(day) <= foldedReach).length,
			read: (period) => this.statuses.changesIn(period),
			foldPeriod: (period, changes) =>
				this.apply(changes, startOfPeriod(period), isDeleted, byStatus, responseBuckets),
			openPeriod: async (_period, changes) => {
				open.push(...changes);
			},
		});
		const { reach } = folded;
		// A status change racing a delete lands after it: its feedback stays known as deleted a
		// while after every change up to the delete is folded (not while closed periods are left).
		const kept = new Map(recent);
		if (!folded.preparing) {
			pruneRecent(kept, window.nextReach, STATUS_DELETION_KEPT_MS);
		}
		if (changed || folded.periodsFolded > 0 || kept.size !== recent.size) {
			await this.save(persistence, {
				reach,
				byStatus,
				responseBuckets,
				deletedIds,
				recent: kept,
				notesReach: window.nextReach,
			});
		}
		if (folded.preparing) {
			return { byStatus, responseBuckets, preparing: folded.preparing };
		}
		// Open days on top of the fold, not stored: they may still change.
		const liveCounts = new Map(byStatus);
		const liveBuckets = [...responseBuckets];
		const openFrom = reach === '' ? Number.NEGATIVE_INFINITY : startOfHourKey(reach) + HOUR_MS;
		await this.apply(open, openFrom, isDeleted, liveCounts, liveBuckets);
		return { byStatus: liveCounts, responseBuckets: liveBuckets };
	}

	/**
	 * Moves each feedback changed in `changes` (all made from `windowStart`, ms, on) from the
	 * status it had before them to its newest. What it had is told by its oldest change there
	 * when it can (statusBeforeWindow), else read from its history: one read per feedback.
	 */
	private async apply(
		changes: ReadonlyArray<IStatusChange>,
		windowStart: number,
		isDeleted: (feedbackId: string) => boolean,
		byStatus: Map<FeedbackStatus, number>,
		responseBuckets: Array<number>,
	): Promise<void> {
		const byFeedback = new Map<string, Array<IStatusChange>>();
		for (const change of changes) {
			if (!isDeleted(change.feedbackId)) {
				byFeedback.set(change.feedbackId, [...(byFeedback.get(change.feedbackId) ?? []), change]);
			}
		}
		for (const [feedbackId, own] of byFeedback) {
			const newest = newestChange(own);
			const first = oldestChange(own);
			if (!newest || !first) {
				continue;
			}
			const before =
				statusBeforeWindow(own, windowStart) ?? (await this.readBefore(feedbackId, windowStart));
			bump(byStatus, before.status, -1);
			bump(byStatus, newest.status, 1);
			if (!before.changed) {
				const waited = Date.parse(first.at) - Date.parse(first.feedbackCreatedAt);
				responseBuckets[responseBucketOf(Math.max(0, waited))] += 1;
			}
		}
	}

	/** A feedback's status before `windowStart`, from its whole history. */
	private async readBefore(feedbackId: string, windowStart: number): Promise<IStatusBefore> {
		const earlier = (await this.statuses.changesOf(feedbackId)).filter(
			(change) => Date.parse(change.at) < windowStart,
		);
		return { status: statusAfter(earlier), changed: earlier.length > 0 };
	}

	private async save(persistence: IPersistence, fold: IFoldedStatus): Promise<void> {
		try {
			await persistence.updateByAssociations(
				buildAssociations({ scope: RecordScope.StatusTotal }),
				{
					version: STATUS_TOTAL_VERSION,
					reach: fold.reach,
					byStatus: [...fold.byStatus],
					responseBuckets: fold.responseBuckets,
					deletedIds: [...fold.deletedIds],
					recent: [...fold.recent],
					...(fold.notesReach === undefined ? {} : { notesReach: fold.notesReach }),
				},
				true,
			);
		} catch (error) {
			this.logger.error('saving the running total of status changes failed', error);
		}
	}

	/** The stored fold; of racing copies, the one that reaches furthest. */
	private async stored(): Promise<IFoldedStatus | undefined> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.StatusTotal }),
		);
		const best = furthestTotal(stored.map(parseFold), (fold) => ({
			notesReach: fold.notesReach ?? '',
			deletions: fold.deletedIds.size + fold.recent.size,
		}));
		if (stored.length > 0 && !best) {
			this.logger.warn('the running total of status changes could not be read; rebuilding it');
		}
		return best;
	}
}
