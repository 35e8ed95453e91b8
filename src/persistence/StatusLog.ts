import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { DayMarkers } from './DayMarkers';
import { buildAssociations, RecordScope } from './associations';
import { dayOf } from '../domain/days';
import { hourOf, lastHourOf } from '../domain/periods';
import type { IPeriod } from '../domain/periods';
import { isKeptCopy, isLaterChange, isStatus, statusAfter } from '../domain/status';
import type { IPreviousChange, IStatusChange, FeedbackStatus } from '../domain/status';

/** What a change says its writer saw; undefined when absent or malformed (the history is read then). */
function parsePrevious(value: unknown): IPreviousChange | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const { readAt, change } = value as Record<string, unknown>;
	if (typeof readAt !== 'string') {
		return undefined;
	}
	if (change === null) {
		return { readAt, change: null };
	}
	if (typeof change !== 'object' || change === undefined) {
		return undefined;
	}
	const { id, at, status } = change as Record<string, unknown>;
	return typeof id === 'string' && typeof at === 'string' && isStatus(status)
		? { readAt, change: { id, at, status } }
		: undefined;
}

function parseChange(value: unknown): IStatusChange | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	const { id, feedbackId, feedbackCreatedAt, status, note, adminId, at, previous } = record;
	if (
		typeof id !== 'string' ||
		typeof feedbackId !== 'string' ||
		typeof at !== 'string' ||
		!isStatus(status)
	) {
		return undefined;
	}
	const seen = parsePrevious(previous);
	return {
		id,
		feedbackId,
		feedbackCreatedAt: typeof feedbackCreatedAt === 'string' ? feedbackCreatedAt : at,
		status,
		note: typeof note === 'string' ? note : '',
		adminId: typeof adminId === 'string' ? adminId : '',
		at,
		...(seen ? { previous: seen } : {}),
	};
}

/** Days of changes `statusOfAllByDays` reads at once. */
const DAYS_READ_TOGETHER = 8;

/** Changes one per id: copies of one form's change collapse into the copy every read keeps. */
function distinctChanges(values: ReadonlyArray<unknown>): Array<IStatusChange> {
	const byId = new Map<string, IStatusChange>();
	for (const change of values.map(parseChange)) {
		const known = change && byId.get(change.id);
		if (change && (!known || isKeptCopy(change, known))) {
			byId.set(change.id, change);
		}
	}
	return [...byId.values()];
}

/**
 * A change's associations: its feedback, the day and hour it was made and the day its feedback
 * was created.
 */
function changeAssociations(change: IStatusChange) {
	return buildAssociations({
		scope: RecordScope.StatusChange,
		keys: [
			`feedback:${change.feedbackId}`,
			`day:${dayOf(change.at)}`,
			`created:${dayOf(change.feedbackCreatedAt)}`,
			`hour:${hourOf(change.at)}`,
		],
	});
}

/** Whether a stored change is filed under its feedback's creation day: written so (it carries `previous`) or a copy. */
function isFiledRecord(record: unknown): boolean {
	const { previous, filedCopy } = record as { previous?: unknown; filedCopy?: unknown };
	return (typeof previous === 'object' && previous !== null) || filedCopy === true;
}

/** The newest status of each feedback among some changes. */
function statusesByFeedback(changes: ReadonlyArray<IStatusChange>): Map<string, FeedbackStatus> {
	const newest = new Map<string, IStatusChange>();
	for (const change of changes) {
		const known = newest.get(change.feedbackId);
		if (!known || isLaterChange(change, known)) {
			newest.set(change.feedbackId, change);
		}
	}
	return new Map([...newest].map(([id, change]) => [id, change.status]));
}

/**
 * Status changes, appended and never updated: the newest change of a feedback is its status.
 * Filed under the feedback, the UTC day of the change (with one marker per day, so the statistics
 * fold closed days as they do for feedback) and the day the feedback was created (so a status
 * filter reads the changes of the days it pages through, not all of them).
 */
export class StatusLog {
	/** The days that have changes. */
	public readonly dayMarkers: DayMarkers;

	constructor(private readonly reader: IPersistenceRead) {
		this.dayMarkers = new DayMarkers(reader, RecordScope.StatusDay, RecordScope.StatusDayFiling);
	}

	/** Appends a change (the day marker first, as for feedback). */
	public async append(persistence: IPersistence, change: IStatusChange): Promise<void> {
		await this.dayMarkers.mark(persistence, dayOf(change.at));
		await persistence.createWithAssociations(change, changeAssociations(change));
	}

	/** The status of each feedback created on one UTC day that was ever changed (complete once `isFiledByCreation`). */
	public async statusesOfCreatedDay(day: string): Promise<Map<string, FeedbackStatus>> {
		return statusesByFeedback(
			distinctChanges(
				await this.reader.readByAssociations(
					buildAssociations({ scope: RecordScope.StatusChange, keys: [`created:${day}`] }),
				),
			),
		);
	}

	/** Whether every change is filed under its feedback's creation day too (see `fileByCreation`). */
	public async isFiledByCreation(): Promise<boolean> {
		return (await this.filingState()).done;
	}

	/**
	 * Files the changes an earlier version of the app stored without their feedback's creation day
	 * under it: a copy with the same id (marked as a copy), which every read counts once. A change
	 * carrying `previous`, or copied already, is filed. Days of changes are taken oldest first, at
	 * most `budget` changes a call, and how far it got is stored; true once every day is done,
	 * which the stored state then says for good.
	 */
	public async fileByCreation(persistence: IPersistence, budget: number): Promise<boolean> {
		const state = await this.filingState();
		if (state.done) {
			return true;
		}
		let { throughDay } = state;
		let read = 0;
		for (const day of (await this.days()).filter((candidate) => candidate > state.throughDay)) {
			if (read >= budget) {
				await this.saveFiling(persistence, throughDay, false);
				return false;
			}
			const stored = await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.StatusChange, keys: [`day:${day}`] }),
			);
			read += stored.length;
			const filed = new Set(
				stored.filter(isFiledRecord).map((record) => (record as { id?: unknown }).id),
			);
			for (const change of distinctChanges(stored).filter((entry) => !filed.has(entry.id))) {
				await persistence.createWithAssociations(
					{ ...change, filedCopy: true },
					changeAssociations(change),
				);
			}
			throughDay = day;
		}
		await this.saveFiling(persistence, throughDay, true);
		return true;
	}

	/** Notes that every change is filed under its feedback's creation day: a store this version wrote from the start. */
	public async markFiledByCreation(persistence: IPersistence): Promise<void> {
		await this.saveFiling(persistence, '', true);
	}

	/** How far the filing by creation day got; of racing copies, the furthest. */
	private async filingState(): Promise<{ throughDay: string; done: boolean }> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.StatusFiling }),
		);
		let state = { throughDay: '', done: false };
		for (const record of stored as Array<{ throughDay?: unknown; done?: unknown }>) {
			const throughDay = typeof record.throughDay === 'string' ? record.throughDay : '';
			state = {
				throughDay: throughDay > state.throughDay ? throughDay : state.throughDay,
				done: state.done || record.done === true,
			};
		}
		return state;
	}

	private async saveFiling(
		persistence: IPersistence,
		throughDay: string,
		done: boolean,
	): Promise<void> {
		await persistence.updateByAssociations(
			buildAssociations({ scope: RecordScope.StatusFiling }),
			{ throughDay, done },
			true,
		);
	}

	/** Every change of one feedback. */
	public async changesOf(feedbackId: string): Promise<Array<IStatusChange>> {
		return distinctChanges(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.StatusChange, keys: [`feedback:${feedbackId}`] }),
			),
		);
	}

	/** The status of each feedback asked for, `new` when never changed (reads run side by side). */
	public async statusesOf(
		feedbackIds: ReadonlyArray<string>,
	): Promise<Map<string, FeedbackStatus>> {
		const found = await Promise.all(feedbackIds.map((id) => this.changesOf(id)));
		return new Map(feedbackIds.map((id, index) => [id, statusAfter(found[index])]));
	}

	/** Every change ever made (a status filter needs them all). */
	public async allChanges(): Promise<Array<IStatusChange>> {
		return distinctChanges(
			await this.reader.readByAssociations(buildAssociations({ scope: RecordScope.StatusChange })),
		);
	}

	/**
	 * The status of every feedback that was ever changed, from one read of every change: the
	 * quickest for the admin view's status filter, but that read grows with the changes.
	 */
	public async statusOfAll(): Promise<Map<string, FeedbackStatus>> {
		return statusesByFeedback(await this.allChanges());
	}

	/**
	 * The same statuses, read a few days of changes at a time, oldest first, so no read holds
	 * more than those days' changes and only a status per changed feedback is kept: for the
	 * export, whose memory must not grow with the feedback (a read per day with changes made the
	 * admin view's status filter slower: docs/benchmarks.md).
	 */
	public async statusOfAllByDays(): Promise<Map<string, FeedbackStatus>> {
		const statuses = new Map<string, FeedbackStatus>();
		const days = await this.days();
		for (let start = 0; start < days.length; start += DAYS_READ_TOGETHER) {
			// A few days side by side: their round trips overlap, and memory stays a few days' worth.
			const changesByDay = await Promise.all(
				days.slice(start, start + DAYS_READ_TOGETHER).map((day) => this.changesOfDay(day)),
			);
			for (const changes of changesByDay) {
				const newestOfDay = new Map<string, IStatusChange>();
				for (const change of changes) {
					const known = newestOfDay.get(change.feedbackId);
					if (!known || isLaterChange(change, known)) {
						newestOfDay.set(change.feedbackId, change);
					}
				}
				// Any change of a later day is later than every change of this one.
				for (const [feedbackId, change] of newestOfDay) {
					statuses.set(feedbackId, change.status);
				}
			}
		}
		return statuses;
	}

	/** The changes made on one UTC day. */
	public changesOfDay(day: string): Promise<Array<IStatusChange>> {
		return this.changesIn({ key: day, last: lastHourOf(day), kind: 'day' });
	}

	/** The changes made in one period (a day, or an hour of a day filed by the hour). */
	public async changesIn(period: IPeriod): Promise<Array<IStatusChange>> {
		return distinctChanges(
			await this.reader.readByAssociations(
				buildAssociations({
					scope: RecordScope.StatusChange,
					keys: [`${period.kind}:${period.key}`],
				}),
			),
		);
	}

	/** Days with changes, oldest first. */
	public days(): Promise<Array<string>> {
		return this.dayMarkers.all();
	}

	/** Days with changes from `fromDay` on, oldest first (every day for ''): the recent months only. */
	public daysFrom(fromDay: string, now: Date): Promise<Array<string>> {
		return this.dayMarkers.from(fromDay, now);
	}
}
