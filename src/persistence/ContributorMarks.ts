import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import type { IFoldProgress } from '../domain/days';
import type { IFeedbackRecord } from '../domain/record';

/** What the marks ask of the feedback store: a member's named feedback, and the days of everyone's. */
export interface INamedFeedbackSource {
	listForUser(userId: string): Promise<ReadonlyArray<IFeedbackRecord>>;
	days(): Promise<ReadonlyArray<string>>;
	recordsOfDay(day: string): Promise<ReadonlyArray<IFeedbackRecord>>;
}

/** Other records that name an author and go with their last named feedback (StatusNotices). */
export interface IAuthorRecords {
	forgetAuthor(persistence: IPersistence, userId: string): Promise<void>;
	/** The authors such records name now. */
	authorsNamed(): Promise<ReadonlySet<string>>;
}

/** How far the marks of feedback stored before the marks existed have been written. */
interface IBackfillProgress {
	/** Every day up to this one (oldest first) has its authors marked. */
	readonly throughDay: string;
	readonly done: boolean;
}

const BACKFILL_VERSION = 1;

/** Minutes in the sweep's cycle: each member's marks are checked once an hour. */
const SWEEP_BUCKETS = 60;

function userIdOf(value: unknown): string | undefined {
	const userId = (value as { userId?: unknown } | null)?.userId;
	return typeof userId === 'string' && userId !== '' ? userId : undefined;
}

/** A small stable number of a text: which minute of the hour a member's marks are swept in. */
function bucketOf(text: string): number {
	let hash = 0;
	for (let index = 0; index < text.length; index += 1) {
		hash = (hash * 31 + text.charCodeAt(index)) % 1_000_003;
	}
	return hash % SWEEP_BUCKETS;
}

/**
 * Distinct named authors, counted without a key derived from anyone's id. A member who has named
 * feedback stored has a mark under their USER association (their named feedback names them
 * already); when their last named feedback is deleted, the marks go too, so nothing that outlives
 * their feedback (a deletion note, a running total) names them or holds a key a reader could
 * compute from the user list. The count is the number of members with a mark.
 *
 * Cluster rules, with no transaction: a named submit marks its author before storing the feedback
 * and looks again after (a delete running at the same moment may have just removed the marks); a
 * delete that finds no named feedback left removes the marks, then looks again and marks anew if a
 * submit stored one meanwhile. Every order of those reads and writes ends with a mark exactly when
 * named feedback is stored. Marks written twice by racing submits count once. A step that never
 * ran (a fault, a restart) leaves at worst a mark without feedback, which the hourly sweep removes.
 */
export class ContributorMarks {
	constructor(
		private readonly reader: IPersistenceRead,
		private readonly feedback: INamedFeedbackSource,
		private readonly authorRecords: IAuthorRecords,
	) {}

	/** Marks a member as an author of named feedback, unless a mark is there already. */
	public async mark(persistence: IPersistence, userId: string): Promise<void> {
		const marks = await this.reader.readByAssociations(this.associations(userId));
		if (marks.some((value) => userIdOf(value) === userId)) {
			return;
		}
		await persistence.createWithAssociations({ userId }, this.associations(userId));
	}

	/**
	 * Removes a member's marks, and the other records that name them as an author, when they have no
	 * named feedback left (after a delete).
	 */
	public async unmarkIfNoneLeft(persistence: IPersistence, userId: string): Promise<void> {
		if ((await this.feedback.listForUser(userId)).length > 0) {
			return;
		}
		await persistence.removeByAssociations(this.associations(userId));
		await this.authorRecords.forgetAuthor(persistence, userId);
		// A submit of theirs may have stored named feedback after the first look, and found the
		// mark this removed: the look after the removal sees that feedback and marks again.
		if ((await this.feedback.listForUser(userId)).length > 0) {
			await this.mark(persistence, userId);
		}
	}

	/** The number of distinct members with named feedback stored. */
	public async count(): Promise<number> {
		const marks = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.Contributor }),
		);
		return new Set(marks.map(userIdOf).filter((id): id is string => id !== undefined)).size;
	}

	/**
	 * Removes the marks and author records left without feedback (a delete cut short, a notice sent
	 * as the last feedback went), for the members whose turn it is this minute: every member once
	 * an hour, a sixtieth of them per run.
	 */
	public async sweep(persistence: IPersistence, now: Date): Promise<void> {
		const [marks, named] = await Promise.all([
			this.reader.readByAssociations(buildAssociations({ scope: RecordScope.Contributor })),
			this.authorRecords.authorsNamed(),
		]);
		const minute = now.getUTCMinutes() % SWEEP_BUCKETS;
		const due = new Set(
			[...marks.map(userIdOf), ...named].filter(
				(id): id is string => id !== undefined && bucketOf(id) === minute,
			),
		);
		for (const userId of due) {
			await this.unmarkIfNoneLeft(persistence, userId);
		}
	}

	/**
	 * Marks the authors of named feedback stored before marks existed, a few days at a time within
	 * the budget of records; says what is left, or undefined once every day is done.
	 */
	public async backfill(
		persistence: IPersistence,
		budgetRecords: number,
	): Promise<IFoldProgress | undefined> {
		const progress = await this.backfillProgress();
		if (progress.done) {
			return undefined;
		}
		const days = [...(await this.feedback.days())].sort();
		const left = days.filter((day) => day > progress.throughDay);
		const authors = new Set<string>();
		let { throughDay } = progress;
		let records = 0;
		let daysDone = 0;
		for (const day of left) {
			if (records >= budgetRecords) {
				break;
			}
			for (const record of await this.feedback.recordsOfDay(day)) {
				if (record.author) {
					authors.add(record.author.id);
				}
				records += 1;
			}
			throughDay = day;
			daysDone += 1;
		}
		for (const userId of authors) {
			await this.mark(persistence, userId);
		}
		const done = daysDone === left.length;
		await persistence.updateByAssociations(
			buildAssociations({ scope: RecordScope.ContributorBackfill }),
			{ version: BACKFILL_VERSION, throughDay, done },
			true,
		);
		return done
			? undefined
			: { daysFolded: days.length - left.length + daysDone, daysLeft: left.length - daysDone };
	}

	/** Notes that every author is marked already: a store this version wrote from the start. */
	public async markBackfilled(persistence: IPersistence): Promise<void> {
		await persistence.updateByAssociations(
			buildAssociations({ scope: RecordScope.ContributorBackfill }),
			{ version: BACKFILL_VERSION, throughDay: '', done: true },
			true,
		);
	}

	/** Whether the marks of earlier feedback are all written; what is left when they are not. */
	public async backfillLeft(): Promise<IFoldProgress | undefined> {
		const progress = await this.backfillProgress();
		if (progress.done) {
			return undefined;
		}
		const days = await this.feedback.days();
		const left = days.filter((day) => day > progress.throughDay).length;
		return { daysFolded: days.length - left, daysLeft: left };
	}

	/** The furthest progress stored (racing runs may store an older one last: it is only redone). */
	private async backfillProgress(): Promise<IBackfillProgress> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.ContributorBackfill }),
		);
		let best: IBackfillProgress = { throughDay: '', done: false };
		for (const value of stored) {
			const record = value as Partial<Record<keyof IBackfillProgress | 'version', unknown>> | null;
			if (
				record?.version !== BACKFILL_VERSION ||
				typeof record.throughDay !== 'string' ||
				typeof record.done !== 'boolean'
			) {
				continue;
			}
			if (record.done || (!best.done && record.throughDay > best.throughDay)) {
				best = { throughDay: record.throughDay, done: record.done };
			}
		}
		return best;
	}

	private associations(userId: string) {
		return buildAssociations({ userId, scope: RecordScope.Contributor });
	}
}
