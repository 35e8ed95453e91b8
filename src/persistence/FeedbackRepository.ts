import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { ContributorMarks } from './ContributorMarks';
import { distinctNewestFirst } from './FeedbackRecord';
import { StatusNotices } from './StatusNotices';
import { buildAssociations, RecordScope } from './associations';
import { distinctBy } from './distinct';
import { dayOf } from '../domain/days';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import type { ITallyEntry } from '../domain/tally';

/** What a deleted feedback counted for, kept so the running total of past days can be corrected. */
export interface IDeletionNote extends ITallyEntry {
	readonly id: string;
	readonly day: string;
}

/** The newest feedback a page reaches, and what was read on the way (for the total). */
export interface INewestRead {
	readonly items: ReadonlyArray<IFeedbackRecord>;
	/** Days with feedback, newest first. */
	readonly days: ReadonlyArray<string>;
	/** The records of the days read, by day. */
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
	const { id, day, category, rating, anonymous } = note;
	return { id, day, category, rating, anonymous };
}

function distinctNotes(values: ReadonlyArray<unknown>): Array<IDeletionNote> {
	return distinctBy(values, parseNote, (item) => item.id);
}

/**
 * Feedback records: created once, never updated, grouped by the UTC day they were created so
 * the newest can be read without the rest. Every read collapses racing duplicates by id.
 */
export class FeedbackRepository {
	/** Distinct named authors (marks kept beside their named feedback). */
	public readonly contributors: ContributorMarks;

	constructor(private readonly reader: IPersistenceRead) {
		this.contributors = new ContributorMarks(reader, this, new StatusNotices(reader));
	}

	/**
	 * Stores one feedback under the app-wide set, its id, short id and day, and under its author
	 * (USER) when it is named: anonymous feedback carries nothing that leads to its author.
	 */
	public async create(persistence: IPersistence, record: IFeedbackRecord): Promise<void> {
		const day = dayOf(record.createdAt);
		const author = record.author?.id;
		// Markers first: a marker without feedback is harmless (the sweep removes a stray author
		// mark), feedback without one is not listed or not counted.
		const marker = buildAssociations({ scope: RecordScope.FeedbackDay, keys: [day] });
		await persistence.updateByAssociations(marker, { day }, true);
		if (author !== undefined) {
			await this.contributors.mark(persistence, author);
		}
		await persistence.createWithAssociations(
			record,
			buildAssociations({
				userId: author,
				scope: RecordScope.Feedback,
				keys: [`id:${record.id}`, `short:${shortIdOf(record.id)}`, `day:${day}`],
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

	/** Everyone's newest feedback, at least `count` of it, reading only the days needed. */
	public async newest(count: number): Promise<INewestRead> {
		const days = await this.days();
		const read = new Map<string, Array<IFeedbackRecord>>();
		const items: Array<IFeedbackRecord> = [];
		for (const day of days) {
			if (items.length >= count) {
				break;
			}
			const records = await this.recordsOfDay(day);
			read.set(day, records);
			items.push(...records);
		}
		return { items, days, read };
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
	 * of the author, and an author left with no named feedback loses their mark.
	 */
	public async remove(
		persistence: IPersistence,
		record: IFeedbackRecord,
		userId?: string,
	): Promise<void> {
		await this.note(persistence, {
			id: record.id,
			day: dayOf(record.createdAt),
			category: record.category,
			rating: record.rating,
			anonymous: record.anonymous,
		});
		await persistence.removeByAssociations(
			buildAssociations({ userId, scope: RecordScope.Feedback, keys: [`id:${record.id}`] }),
		);
		if (record.author) {
			await this.contributors.unmarkIfNoneLeft(persistence, record.author.id);
		}
	}

	private async note(persistence: IPersistence, note: IDeletionNote): Promise<void> {
		await persistence.createWithAssociations(
			storedNote(note),
			buildAssociations({
				scope: RecordScope.FeedbackDeletion,
				keys: [`id:${note.id}`, `day:${note.day}`],
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
		const markers = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackDay }),
		);
		const days = new Set<string>();
		for (const marker of markers) {
			if (isObject(marker) && typeof marker.day === 'string') {
				days.add(marker.day);
			}
		}
		return [...days].sort().reverse();
	}

	/** The feedback of one day, newest first. */
	public async recordsOfDay(day: string): Promise<Array<IFeedbackRecord>> {
		return distinctNewestFirst(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.Feedback, keys: [`day:${day}`] }),
			),
		);
	}

	/** Deletion notes: of one feedback id, or all of them when no id is given. */
	public async deletionNotes(id?: string): Promise<Array<IDeletionNote>> {
		return this.readNotes(id === undefined ? [] : [`id:${id}`]);
	}

	/** The deletion notes of the feedback of one day. */
	public async deletionNotesOfDay(day: string): Promise<Array<IDeletionNote>> {
		return this.readNotes([`day:${day}`]);
	}

	/** Notes of earlier versions, then this one's, in that order (moveEarlierNotes). */
	private async readNotes(keys: ReadonlyArray<string>): Promise<Array<IDeletionNote>> {
		const earlier = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackDeletedEarlier, keys }),
		);
		const current = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackDeletion, keys }),
		);
		return distinctNotes([...current, ...earlier]);
	}
}
