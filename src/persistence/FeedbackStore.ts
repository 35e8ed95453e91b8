import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { distinctNewestFirst, shortIdOf } from './FeedbackRecord';
import type { IFeedbackRecord } from './FeedbackRecord';
import { buildAssociations, RecordScope } from './associations';
import { dayOf, isDayClosed } from './days';
import type { IPage } from '../feedback/stats';
import type { ITally, ITallyEntry } from '../feedback/tally';
import { count, emptyTally, mergeInto, parseTally, tallyOf } from '../feedback/tally';

/** What a deleted feedback counted for, kept so a past day's summary can be corrected. */
interface IDeletedFeedback extends ITallyEntry {
	readonly id: string;
	readonly day: string;
}

/** The tally of one closed day, and the deletions it already took into account. */
interface IDaySummary {
	readonly day: string;
	readonly tally: ITally;
	readonly deletedIds: ReadonlyArray<string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function parseDeleted(value: unknown): IDeletedFeedback | undefined {
	if (!isObject(value) || typeof value.id !== 'string' || typeof value.day !== 'string') {
		return undefined;
	}
	return {
		id: value.id,
		day: value.day,
		category: typeof value.category === 'string' ? value.category : '',
		rating: typeof value.rating === 'number' ? value.rating : null,
		contributor: typeof value.contributor === 'string' ? value.contributor : '',
	};
}

function parseSummary(value: unknown): IDaySummary | undefined {
	if (!isObject(value) || typeof value.day !== 'string' || !Array.isArray(value.deletedIds)) {
		return undefined;
	}
	const tally = parseTally(value.tally);
	const deletedIds = value.deletedIds.filter((id): id is string => typeof id === 'string');
	return tally ? { day: value.day, tally, deletedIds } : undefined;
}

/** Deleted entries, one per id (a retried delete may store two). */
function distinctDeleted(values: ReadonlyArray<unknown>): Array<IDeletedFeedback> {
	const byId = new Map<string, IDeletedFeedback>();
	for (const deleted of values.map(parseDeleted)) {
		if (deleted && !byId.has(deleted.id)) {
			byId.set(deleted.id, deleted);
		}
	}
	return [...byId.values()];
}

/**
 * Reads and writes feedback. Records are grouped by the UTC day they were created, so the
 * admin's list reads only the newest days, and statistics read a stored summary per closed
 * day instead of its records. Every read collapses duplicates by id.
 */
export class FeedbackStore {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Stores one feedback under its author, the app-wide set, its id, short id and day. */
	public async create(
		persistence: IPersistence,
		record: IFeedbackRecord,
		authorId: string,
	): Promise<void> {
		const day = dayOf(record.createdAt);
		// The marker first: a marker without feedback is harmless, feedback without one is not listed.
		const marker = buildAssociations({ scope: RecordScope.FeedbackDay, keys: [day] });
		await persistence.updateByAssociations(marker, { day }, true);
		await persistence.createWithAssociations(
			record,
			buildAssociations({
				userId: authorId,
				scope: RecordScope.Feedback,
				keys: [`id:${record.id}`, `short:${shortIdOf(record.id)}`, `day:${day}`],
			}),
		);
	}

	/** Whether a feedback with this exact id is stored. */
	public async exists(id: string): Promise<boolean> {
		const found = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.Feedback, keys: [`id:${id}`] }),
		);
		return found.length > 0;
	}

	/** One member's feedback, newest first: read through their USER association only. */
	public async listForUser(userId: string): Promise<Array<IFeedbackRecord>> {
		return distinctNewestFirst(
			await this.reader.readByAssociations(
				buildAssociations({ userId, scope: RecordScope.Feedback }),
			),
		);
	}

	/** A page of everyone's feedback, newest first, reading only the days the page reaches. */
	public async pageOfAll(
		persistence: IPersistence,
		page: number,
		size: number,
		now: Date,
	): Promise<IPage<IFeedbackRecord>> {
		const wanted = page * size;
		const collected: Array<IFeedbackRecord> = [];
		for (const day of await this.days()) {
			if (collected.length >= wanted) {
				break;
			}
			collected.push(...(await this.recordsOfDay(day)));
		}
		const { total } = await this.tally(persistence, now);
		return {
			items: collected.slice((page - 1) * size, wanted),
			page,
			pages: Math.max(1, Math.ceil(total / size)),
			total,
		};
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
	 * counted for is written down first, so a closed day's summary can be corrected. A note
	 * whose feedback is still there (the removal failed) changes nothing: it is retried later.
	 */
	public async remove(
		persistence: IPersistence,
		record: IFeedbackRecord,
		userId?: string,
	): Promise<void> {
		const deleted: IDeletedFeedback = {
			id: record.id,
			day: dayOf(record.createdAt),
			category: record.category,
			rating: record.rating,
			contributor: record.contributor,
		};
		await persistence.createWithAssociations(
			deleted,
			buildAssociations({
				scope: RecordScope.FeedbackDeleted,
				keys: [`id:${deleted.id}`, `day:${deleted.day}`],
			}),
		);
		await persistence.removeByAssociations(
			buildAssociations({ userId, scope: RecordScope.Feedback, keys: [`id:${record.id}`] }),
		);
	}

	/**
	 * The tally of all stored feedback. A closed day is read once and summarized; later calls
	 * read its summary and check only the deletions noted since. Summaries are a function of
	 * records that no longer change, so instances writing the same one at once agree, and each
	 * summary is consistent on its own (its tally and the deletions it took in go together).
	 */
	public async tally(persistence: IPersistence, now: Date): Promise<ITally> {
		const [days, summaries, allDeleted] = await Promise.all([
			this.days(),
			this.summaries(),
			this.deleted(buildAssociations({ scope: RecordScope.FeedbackDeleted })),
		]);
		const tally = emptyTally();
		for (const day of days) {
			const summary = summaries.get(day);
			const dayTally = summary
				? await this.correctedSummary(persistence, summary, allDeleted)
				: await this.liveTally(persistence, day, now);
			mergeInto(tally, dayTally);
		}
		return tally;
	}

	/** A day's tally from its records; summarized when the day is closed. */
	private async liveTally(persistence: IPersistence, day: string, now: Date): Promise<ITally> {
		// Records before deletion notes: a feedback deleted in between is then either counted
		// and its note not taken in, or not counted and its note taken in; never both.
		const records = await this.recordsOfDay(day);
		const notes = await this.deleted(
			buildAssociations({ scope: RecordScope.FeedbackDeleted, keys: [`day:${day}`] }),
		);
		const present = new Set(records.map((record) => record.id));
		const tally = tallyOf(records);
		if (isDayClosed(day, now)) {
			const deletedIds = notes.map((note) => note.id).filter((id) => !present.has(id));
			await this.saveSummary(persistence, { day, tally, deletedIds });
		}
		return tally;
	}

	/**
	 * A summary less the feedback deleted since it was written. Only notes it has not taken in
	 * are checked, one read each, and folded into it so the next call does not check them again.
	 */
	private async correctedSummary(
		persistence: IPersistence,
		summary: IDaySummary,
		allDeleted: ReadonlyArray<IDeletedFeedback>,
	): Promise<ITally> {
		const taken = new Set(summary.deletedIds);
		const tally = emptyTally();
		mergeInto(tally, summary.tally);
		const gone: Array<string> = [];
		for (const note of allDeleted.filter(
			(entry) => entry.day === summary.day && !taken.has(entry.id),
		)) {
			if (!(await this.exists(note.id))) {
				count(tally, note, -1);
				gone.push(note.id);
			}
		}
		if (gone.length > 0) {
			await this.saveSummary(persistence, {
				...summary,
				tally,
				deletedIds: [...summary.deletedIds, ...gone],
			});
		}
		return tally;
	}

	/** Stores a day's summary; a failed write only means the next call computes it again. */
	private async saveSummary(persistence: IPersistence, summary: IDaySummary): Promise<void> {
		await persistence
			.updateByAssociations(
				buildAssociations({ scope: RecordScope.FeedbackSummary, keys: [summary.day] }),
				summary,
				true,
			)
			.catch(() => undefined);
	}

	/** Days with feedback, newest first. */
	private async days(): Promise<Array<string>> {
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

	private async recordsOfDay(day: string): Promise<Array<IFeedbackRecord>> {
		return distinctNewestFirst(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.Feedback, keys: [`day:${day}`] }),
			),
		);
	}

	/** Stored summaries by day; of two copies (racing writers), the one that saw more deletions. */
	private async summaries(): Promise<Map<string, IDaySummary>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackSummary }),
		);
		const byDay = new Map<string, IDaySummary>();
		for (const summary of stored.map(parseSummary)) {
			const current = summary && byDay.get(summary.day);
			if (summary && (!current || summary.deletedIds.length > current.deletedIds.length)) {
				byDay.set(summary.day, summary);
			}
		}
		return byDay;
	}

	private async deleted(
		associations: ReturnType<typeof buildAssociations>,
	): Promise<Array<IDeletedFeedback>> {
		return distinctDeleted(await this.reader.readByAssociations(associations));
	}
}
