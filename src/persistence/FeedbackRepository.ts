import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { ContributorMarks } from './ContributorMarks';
import { DayMarkers } from './DayMarkers';
import { distinctNewestFirst } from './FeedbackRecord';
import { FollowStore } from './FollowStore';
import { HourlyFiling } from './HourlyFiling';
import type { MarkedDays } from './MarkedDays';
import { MergeLog } from './MergeLog';
import { StatusNotices } from './StatusNotices';
import { VoteStore } from './VoteStore';
import { buildAssociations, RecordScope } from './associations';
import { distinctBy } from './distinct';
import { dayOf } from '../domain/days';
import { hourOf, lastHourOf, periodsAfter } from '../domain/periods';
import type { IPeriod } from '../domain/periods';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import type { ITallyEntry } from '../domain/tally';

/** What a deleted feedback counted for, kept so the running total of past days can be corrected. */
export interface IDeletionNote extends ITallyEntry {
	readonly id: string;
	/** The day its feedback was created. */
	readonly day: string;
	/** The hour its feedback was created; absent in notes of earlier versions (their day is read whole). */
	readonly hour?: string;
	/** The hour it was deleted; absent in notes of earlier versions. */
	readonly deletedHour?: string;
}

/** The last hour a total must reach to hold the feedback of a note. */
export function noteReach(note: IDeletionNote): string {
	return note.hour ?? lastHourOf(note.day);
}

/** Some of everyone's feedback, newest first: one day, or some hours of one. */
export interface IFeedbackChunk {
	readonly day: string;
	/** The periods the chunk holds every record of, newest first. */
	readonly periods: ReadonlyArray<IPeriod>;
	readonly records: ReadonlyArray<IFeedbackRecord>;
}

/**
 * Hours of a day filed by the hour read one by one, newest first, before the rest of the day is
 * read at once: enough for a page on a busy day, few round trips on a quiet one.
 */
const HOURS_READ_ALONE = 3;

/** The newest feedback a page reaches, and what was read on the way (for the total). */
export interface INewestRead {
	readonly items: ReadonlyArray<IFeedbackRecord>;
	/** The records of the periods read, by period key. */
	readonly read: ReadonlyMap<string, Array<IFeedbackRecord>>;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function parseNote(value: unknown): IDeletionNote | undefined {
	if (!isObject(value) || typeof value.id !== 'string' || typeof value.day !== 'string') {
		return undefined;
	}
	return {
		id: value.id,
		day: value.day,
		...(typeof value.hour === 'string' ? { hour: value.hour } : {}),
		...(typeof value.deletedHour === 'string' ? { deletedHour: value.deletedHour } : {}),
		category: typeof value.category === 'string' ? value.category : '',
		rating: typeof value.rating === 'number' ? value.rating : null,
		// Notes of earlier versions said named by a contributor key, and anonymous by its absence.
		anonymous:
			typeof value.anonymous === 'boolean'
				? value.anonymous
				: typeof value.contributor !== 'string',
	};
}

/** A note as stored: what it counted for, and nothing of its author. */
function storedNote(note: IDeletionNote): IDeletionNote {
	const { id, day, hour, deletedHour, category, rating, anonymous } = note;
	return {
		id,
		day,
		...(hour === undefined ? {} : { hour }),
		...(deletedHour === undefined ? {} : { deletedHour }),
		category,
		rating,
		anonymous,
	};
}

function distinctNotes(values: ReadonlyArray<unknown>): Array<IDeletionNote> {
	return distinctBy(values, parseNote, (item) => item.id);
}

/**
 * Notes one per deletion: a delete that failed and was tried again notes one feedback twice, in
 * two hours, and a total reading by the hour must meet the later one.
 */
function distinctDeletions(values: ReadonlyArray<unknown>): Array<IDeletionNote> {
	return distinctBy(values, parseNote, (item) => `${item.id} ${item.deletedHour ?? ''}`);
}

/**
 * Feedback records: created once, never updated, grouped by the UTC day they were created so
 * the newest can be read without the rest. Every read collapses racing duplicates by id.
 */
export class FeedbackRepository {
	/** Distinct named authors (marks kept beside their named feedback). */
	public readonly contributors: ContributorMarks;

	/** From which day records are read by the hour. */
	public readonly hourly: HourlyFiling;

	/** The days that have feedback. */
	public readonly dayMarkers: DayMarkers;

	private legacy?: Promise<Array<IDeletionNote>>;

	constructor(private readonly reader: IPersistenceRead) {
		this.contributors = new ContributorMarks(reader, this, new StatusNotices(reader));
		this.hourly = new HourlyFiling(reader);
		this.dayMarkers = new DayMarkers(
			reader,
			RecordScope.FeedbackDay,
			RecordScope.FeedbackDayFiling,
		);
	}

	/**
	 * Stores one feedback under the app-wide set, its id, short id and day, and under its author
	 * (USER) when it is named: anonymous feedback carries nothing that leads to its author. The
	 * day's marker is skipped when `markedDays` says this instance wrote it already.
	 */
	public async create(
		persistence: IPersistence,
		record: IFeedbackRecord,
		markedDays?: MarkedDays,
	): Promise<void> {
		const day = dayOf(record.createdAt);
		const author = record.author?.id;
		// Markers first (side by side: neither needs the other): a marker without feedback is
		// harmless (the sweep removes a stray author mark), feedback without one is not listed or
		// not counted.
		await Promise.all([
			markedDays?.has(day)
				? undefined
				: this.dayMarkers.mark(persistence, day).then(() => markedDays?.add(day)),
			author === undefined ? undefined : this.contributors.mark(persistence, author),
		]);
		await persistence.createWithAssociations(
			record,
			buildAssociations({
				userId: author,
				scope: RecordScope.Feedback,
				keys: [
					`id:${record.id}`,
					`short:${shortIdOf(record.id)}`,
					`day:${day}`,
					`hour:${hourOf(record.createdAt)}`,
				],
			}),
		);
		if (author !== undefined) {
			// Again after: a delete of their last named feedback may have removed the mark meanwhile.
			await this.contributors.mark(persistence, author);
		}
	}

	/** The stored feedback with this exact id (of racing copies, always the same one). */
	public async find(id: string): Promise<IFeedbackRecord | undefined> {
		const found = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.Feedback, keys: [`id:${id}`] }),
		);
		return distinctNewestFirst(found)[0];
	}

	/** Whether a feedback with this id was deleted (its deletion note is kept). */
	public async wasDeleted(id: string): Promise<boolean> {
		return (await this.deletionNotes(id)).length > 0;
	}

	/** One member's feedback, newest first: read through their USER association only. */
	public async listForUser(userId: string): Promise<Array<IFeedbackRecord>> {
		return distinctNewestFirst(
			await this.reader.readByAssociations(
				buildAssociations({ userId, scope: RecordScope.Feedback }),
			),
		);
	}

	/** Everyone's newest feedback, at least `count` of it, reading only the days and hours needed. */
	public async newest(count: number, now: Date): Promise<INewestRead> {
		const read = new Map<string, Array<IFeedbackRecord>>();
		const items: Array<IFeedbackRecord> = [];
		if (count <= 0) {
			return { items, read };
		}
		for await (const chunk of this.newestFirst(now)) {
			items.push(...chunk.records);
			for (const period of chunk.periods) {
				read.set(
					period.key,
					chunk.records.filter(
						(record) => period.kind === 'day' || hourOf(record.createdAt) === period.key,
					),
				);
			}
			// Before the next chunk is read.
			if (items.length >= count) {
				break;
			}
		}
		return { items, read };
	}

	/**
	 * Everyone's feedback newest first, a chunk at a time (stop when you have enough): a day filed
	 * by the hour gives its newest hours one by one, then the rest of it in one read.
	 */
	public async *newestFirst(now: Date): AsyncGenerator<IFeedbackChunk> {
		const firstHourlyDay = await this.hourly.firstDayToRead();
		for await (const day of this.dayMarkers.newestFirst(now)) {
			if (day < firstHourlyDay) {
				const period: IPeriod = { key: day, last: lastHourOf(day), kind: 'day' };
				yield { day, periods: [period], records: await this.recordsOfDay(day) };
				continue;
			}
			const hours = periodsAfter([day], '', day, now).reverse();
			for (const period of hours.slice(0, HOURS_READ_ALONE)) {
				yield { day, periods: [period], records: await this.recordsOf(period) };
			}
			const rest = hours.slice(HOURS_READ_ALONE);
			if (rest.length > 0) {
				const latest = rest[0].key;
				const records = (await this.recordsOfDay(day)).filter(
					(record) => hourOf(record.createdAt) <= latest,
				);
				yield { day, periods: rest, records };
			}
		}
	}

	/** Feedback whose id starts with the typed id; only the member's own when userId is given. */
	public async findByTypedId(typedId: string, userId?: string): Promise<Array<IFeedbackRecord>> {
		const records = await this.reader.readByAssociations(
			buildAssociations({
				userId,
				scope: RecordScope.Feedback,
				keys: [`short:${shortIdOf(typedId)}`],
			}),
		);
		return distinctNewestFirst(records).filter((record) => record.id.startsWith(typedId));
	}

	/**
	 * Removes every stored copy of one feedback (with userId, only if it is theirs). What it
	 * counted for is noted first, so the running total of closed days can be corrected; a note
	 * whose feedback is still there (the removal failed) changes nothing. The note holds nothing
	 * of the author, and an author left with no named feedback loses their mark. Its votes, follows
	 * and its merge into another feedback go with it.
	 */
	public async remove(
		persistence: IPersistence,
		record: IFeedbackRecord,
		now: Date,
		userId?: string,
	): Promise<void> {
		await this.note(persistence, {
			id: record.id,
			day: dayOf(record.createdAt),
			hour: hourOf(record.createdAt),
			deletedHour: hourOf(now.toISOString()),
			category: record.category,
			rating: record.rating,
			anonymous: record.anonymous,
		});
		await persistence.removeByAssociations(
			buildAssociations({ userId, scope: RecordScope.Feedback, keys: [`id:${record.id}`] }),
		);
		// After the record: a delete that fails before this point leaves the feedback whole, with
		// its votes, follows and merges; one that fails here leaves a few records of a feedback
		// that is gone, which every read skips (nothing is shown or sent for a feedback not stored).
		await Promise.all([
			new VoteStore(this.reader).removeOf(persistence, record.id),
			new FollowStore(this.reader).removeOf(persistence, record.id),
			new MergeLog(this.reader).removeOf(persistence, record.id),
		]);
		if (record.author) {
			await this.contributors.unmarkIfNoneLeft(persistence, record.author.id);
		}
	}

	/**
	 * Notes a deletion under its feedback's id and day (and hour) of creation and, for a note of
	 * this version, the hour of the deletion; a note of an earlier version stays one without it.
	 */
	private async note(persistence: IPersistence, note: IDeletionNote): Promise<void> {
		const keys = [`id:${note.id}`, `day:${note.day}`];
		if (note.hour !== undefined) {
			keys.push(`hour:${note.hour}`);
		}
		if (note.deletedHour !== undefined) {
			keys.push(`deleted-day:${note.deletedHour.slice(0, 10)}`);
		}
		await persistence.createWithAssociations(
			storedNote(note),
			buildAssociations({
				scope:
					note.deletedHour === undefined
						? RecordScope.FeedbackDeletion
						: RecordScope.FeedbackDeletionByHour,
				keys,
			}),
		);
	}

	/**
	 * Moves deletion notes of earlier versions (which held a key of a named author's id) to the
	 * notes of this one, without it; says whether none is left. Each is written anew before the
	 * old one is removed, and reads take the earlier notes first, so a read meets every note.
	 */
	public async moveEarlierNotes(persistence: IPersistence, budget: number): Promise<boolean> {
		const earlier = distinctNotes(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.FeedbackDeletedEarlier }),
			),
		);
		for (const note of earlier.slice(0, budget)) {
			await this.note(persistence, note);
			await persistence.removeByAssociations(
				buildAssociations({ scope: RecordScope.FeedbackDeletedEarlier, keys: [`id:${note.id}`] }),
			);
		}
		return earlier.length <= budget;
	}

	/** Days with feedback, newest first. */
	public async days(): Promise<Array<string>> {
		return (await this.dayMarkers.all()).reverse();
	}

	/** Days with feedback from `fromDay` on, oldest first (every day for ''): the recent months only. */
	public daysFrom(fromDay: string, now: Date): Promise<Array<string>> {
		return this.dayMarkers.from(fromDay, now);
	}

	/** The feedback of one day, newest first. */
	public recordsOfDay(day: string): Promise<Array<IFeedbackRecord>> {
		return this.recordsOf({ key: day, last: lastHourOf(day), kind: 'day' });
	}

	/** The feedback of one period (a day, or an hour of a day filed by the hour), newest first. */
	public async recordsOf(period: IPeriod): Promise<Array<IFeedbackRecord>> {
		return distinctNewestFirst(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.Feedback, keys: [`${period.kind}:${period.key}`] }),
			),
		);
	}

	/** Deletion notes: of one feedback id, or all of them when no id is given. */
	public async deletionNotes(id?: string): Promise<Array<IDeletionNote>> {
		return this.readNotes(id === undefined ? [] : [`id:${id}`]);
	}

	/** The deletion notes of the feedback of one period: every deletion of one (a failed delete tried again notes it twice). */
	public async deletionNotesOf(period: IPeriod): Promise<Array<IDeletionNote>> {
		return this.readNotes([`${period.kind}:${period.key}`], distinctDeletions);
	}

	/** The notes of deletions made on one UTC day (a day's deletions are few: one read for its hours). */
	public async notesDeletedOn(day: string): Promise<Array<IDeletionNote>> {
		return distinctDeletions(
			await this.reader.readByAssociations(
				buildAssociations({
					scope: RecordScope.FeedbackDeletionByHour,
					keys: [`deleted-day:${day}`],
				}),
			),
		);
	}

	/** Every note of a deletion filed by its hour (read once, when a total starts taking them in by the hour). */
	public async notesDeletedByHour(): Promise<Array<IDeletionNote>> {
		return distinctDeletions(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.FeedbackDeletionByHour }),
			),
		);
	}

	/**
	 * The notes of earlier versions, without the hour of their deletion: no more are written, so
	 * they are read whole (once a request, for both totals).
	 */
	public legacyNotes(): Promise<Array<IDeletionNote>> {
		this.legacy ??= this.readLegacyNotes([]);
		return this.legacy;
	}

	/** Notes of earlier versions, then this one's, in that order (moveEarlierNotes). */
	private async readNotes(
		keys: ReadonlyArray<string>,
		distinct: (values: ReadonlyArray<unknown>) => Array<IDeletionNote> = distinctNotes,
	): Promise<Array<IDeletionNote>> {
		// No note moves into the notes filed by the hour: they are read beside the earlier ones.
		const [legacy, current] = await Promise.all([
			this.readLegacyNotes(keys),
			this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.FeedbackDeletionByHour, keys }),
			),
		]);
		return distinct([...current, ...legacy]);
	}

	/** Notes of the two earlier versions, the earliest read first (moveEarlierNotes). */
	private async readLegacyNotes(keys: ReadonlyArray<string>): Promise<Array<IDeletionNote>> {
		const earlier = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackDeletedEarlier, keys }),
		);
		const moved = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackDeletion, keys }),
		);
		return distinctNotes([...moved, ...earlier]);
	}
}
