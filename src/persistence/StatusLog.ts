import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { distinctBy } from './distinct';
import { dayOf } from '../domain/days';
import {
	FeedbackStatus,
	isLaterChange,
	isStatus,
	newestChange,
	statusAfter,
} from '../domain/status';
import type { IStatusChange } from '../domain/status';

function parseChange(value: unknown): IStatusChange | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	const { id, feedbackId, feedbackCreatedAt, status, note, adminId, at } = record;
	if (
		typeof id !== 'string' ||
		typeof feedbackId !== 'string' ||
		typeof at !== 'string' ||
		!isStatus(status)
	) {
		return undefined;
	}
	return {
		id,
		feedbackId,
		feedbackCreatedAt: typeof feedbackCreatedAt === 'string' ? feedbackCreatedAt : at,
		status,
		note: typeof note === 'string' ? note : '',
		adminId: typeof adminId === 'string' ? adminId : '',
		at,
	};
}

/** Days of changes `statusOfAllByDays` reads at once. */
const DAYS_READ_TOGETHER = 8;

function distinctChanges(values: ReadonlyArray<unknown>): Array<IStatusChange> {
	return distinctBy(values, parseChange, (item) => item.id);
}

/**
 * Status changes, appended and never updated: the newest change of a feedback is its status.
 * Filed under the feedback and the UTC day of the change, with one marker per day, so the
 * statistics fold closed days as they do for feedback.
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
		await persistence.createWithAssociations(
			change,
			buildAssociations({
				scope: RecordScope.StatusChange,
				keys: [`feedback:${change.feedbackId}`, `day:${day}`],
			}),
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
		const byFeedback = new Map<string, Array<IStatusChange>>();
		for (const change of await this.allChanges()) {
			byFeedback.set(change.feedbackId, [...(byFeedback.get(change.feedbackId) ?? []), change]);
		}
		return new Map(
			[...byFeedback].map(([id, own]) => [id, newestChange(own)?.status ?? FeedbackStatus.New]),
		);
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
