import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { distinctNewestFirst } from './FeedbackRecord';
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
		contributor: typeof value.contributor === 'string' ? value.contributor : null,
	};
}

function distinctNotes(values: ReadonlyArray<unknown>): Array<IDeletionNote> {
	return distinctBy(values, parseNote, (item) => item.id);
}

/**
 * Feedback records: created once, never updated, grouped by the UTC day they were created so
 * the newest can be read without the rest. Every read collapses racing duplicates by id.
 */
export class FeedbackRepository {
	constructor(private readonly reader: IPersistenceRead) {}

	/**
	 * Stores one feedback under the app-wide set, its id, short id and day, and under its author
	 * (USER) when it is named: anonymous feedback carries nothing that leads to its author.
	 */
	public async create(persistence: IPersistence, record: IFeedbackRecord): Promise<void> {
		const day = dayOf(record.createdAt);
		// The marker first: a marker without feedback is harmless, feedback without one is not listed.
		const marker = buildAssociations({ scope: RecordScope.FeedbackDay, keys: [day] });
		await persistence.updateByAssociations(marker, { day }, true);
		await persistence.createWithAssociations(
			record,
			buildAssociations({
				userId: record.author?.id,
				scope: RecordScope.Feedback,
				keys: [`id:${record.id}`, `short:${shortIdOf(record.id)}`, `day:${day}`],
			}),
		);
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
	 * whose feedback is still there (the removal failed) changes nothing.
	 */
	public async remove(
		persistence: IPersistence,
		record: IFeedbackRecord,
		userId?: string,
	): Promise<void> {
		const note: IDeletionNote = {
			id: record.id,
			day: dayOf(record.createdAt),
			category: record.category,
			rating: record.rating,
			contributor: record.contributor,
		};
		await persistence.createWithAssociations(
			note,
			buildAssociations({
				scope: RecordScope.FeedbackDeleted,
				keys: [`id:${note.id}`, `day:${note.day}`],
			}),
		);
		await persistence.removeByAssociations(
			buildAssociations({ userId, scope: RecordScope.Feedback, keys: [`id:${record.id}`] }),
		);
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
		const keys = id === undefined ? [] : [`id:${id}`];
		return distinctNotes(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.FeedbackDeleted, keys }),
			),
		);
	}

	/** The deletion notes of the feedback of one day. */
	public async deletionNotesOfDay(day: string): Promise<Array<IDeletionNote>> {
		return distinctNotes(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.FeedbackDeleted, keys: [`day:${day}`] }),
			),
		);
	}
}
