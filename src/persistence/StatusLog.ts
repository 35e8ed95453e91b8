import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { distinctBy } from './distinct';
import { dayOf } from '../domain/days';
import { isLaterChange, isStatus, statusAfter } from '../domain/status';
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

function distinctChanges(values: ReadonlyArray<unknown>): Array<IStatusChange> {
	return distinctBy(values, parseChange, (item) => item.id);
}

/** A change's associations: its feedback, the day it was made and the day its feedback was created. */
function changeAssociations(change: IStatusChange) {
	return buildAssociations({
		scope: RecordScope.StatusChange,
		keys: [
			`feedback:${change.feedbackId}`,
			`day:${dayOf(change.at)}`,
			`created:${dayOf(change.feedbackCreatedAt)}`,
		],
	});
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
	constructor(private readonly reader: IPersistenceRead) {}

	/** Appends a change (the day marker first, as for feedback). */
	public async append(persistence: IPersistence, change: IStatusChange): Promise<void> {
		const day = dayOf(change.at);
		await persistence.updateByAssociations(
			buildAssociations({ scope: RecordScope.StatusDay, keys: [day] }),
			{ day },
			true,
		);
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

	/** Whether every change is filed under its feedback's creation day too (changes stored before that was done are filed by `fileByCreation`). */
	public async isFiledByCreation(): Promise<boolean> {
		const markers = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.StatusFiling }),
		);
		return markers.length > 0;
	}

	/**
	 * Files the changes stored without their feedback's creation day (by an earlier version of the
	 * app) under it: a copy with the same id, which every read counts once. At most `budget` copies
	 * a call; true once every change is filed, and then says so in a marker for good.
	 */
	public async fileByCreation(
		persistence: IPersistence,
		feedbackDays: ReadonlyArray<string>,
		budget: number,
	): Promise<boolean> {
		const filed = new Set<string>();
		for (const day of feedbackDays) {
			for (const change of distinctChanges(
				await this.reader.readByAssociations(
					buildAssociations({ scope: RecordScope.StatusChange, keys: [`created:${day}`] }),
				),
			)) {
				filed.add(change.id);
			}
		}
		const unfiled = (await this.allChanges()).filter((change) => !filed.has(change.id));
		for (const change of unfiled.slice(0, budget)) {
			await persistence.createWithAssociations(change, changeAssociations(change));
		}
		if (unfiled.length > budget) {
			return false;
		}
		await persistence.updateByAssociations(
			buildAssociations({ scope: RecordScope.StatusFiling }),
			{ filedByCreation: true },
			true,
		);
		return true;
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
	 * admin view's status filter several times slower in the bench: 1k entries over 200 days).
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
	public async changesOfDay(day: string): Promise<Array<IStatusChange>> {
		return distinctChanges(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.StatusChange, keys: [`day:${day}`] }),
			),
		);
	}

	/** Days with changes, oldest first. */
	public async days(): Promise<Array<string>> {
		const markers = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.StatusDay }),
		);
		const days = new Set<string>();
		for (const marker of markers) {
			const { day } = marker as { day?: unknown };
			if (typeof day === 'string') {
				days.add(day);
			}
		}
		return [...days].sort();
	}
}
