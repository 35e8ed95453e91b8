import type {
	ILogger,
	IPersistence,
	IPersistenceRead,
} from '@rocket.chat/apps-engine/definition/accessors';

import { distinctNewestFirst, shortIdOf } from './FeedbackRecord';
import type { IFeedbackRecord } from './FeedbackRecord';
import { buildAssociations, RecordScope } from './associations';
import { dayOf, isDayClosed } from './days';
import type { IPage } from '../feedback/stats';
import type { ITally, ITallyEntry } from '../feedback/tally';
import { count, emptyTally, mergeInto, parseTally, storedTally, tallyOf } from '../feedback/tally';

/**
 * The stored shape of the running total. A total of another version (an older app stored
 * categories as object keys, and anonymous entries under contributor keys) is rebuilt.
 */
const CLOSED_TOTAL_VERSION = 2;

/** What a deleted feedback counted for, kept so the running total of past days can be corrected. */
interface IDeletedFeedback extends ITallyEntry {
	readonly id: string;
	readonly day: string;
}

/** The tally of every closed day up to `throughDay`, and the deletions it already took in. */
interface IClosedTotal {
	readonly throughDay: string;
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
		contributor: typeof value.contributor === 'string' ? value.contributor : null,
	};
}

function parseClosedTotal(value: unknown): IClosedTotal | undefined {
	if (
		!isObject(value) ||
		value.version !== CLOSED_TOTAL_VERSION ||
		typeof value.throughDay !== 'string' ||
		!Array.isArray(value.deletedIds)
	) {
		return undefined;
	}
	const tally = parseTally(value.tally);
	const deletedIds = value.deletedIds.filter((id): id is string => typeof id === 'string');
	return tally ? { throughDay: value.throughDay, tally, deletedIds } : undefined;
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
 * admin's list reads only the newest days, and statistics read one running total of the
 * closed days instead of their records. Every read collapses duplicates by id.
 */
export class FeedbackStore {
	constructor(
		private readonly reader: IPersistenceRead,
		private readonly logger?: ILogger,
	) {}

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

	/** Whether a feedback with this exact id is stored. */
	public async exists(id: string): Promise<boolean> {
		const found = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.Feedback, keys: [`id:${id}`] }),
		);
		return found.length > 0;
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
		const notes = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackDeleted, keys: [`id:${id}`] }),
		);
		return notes.length > 0;
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
		const days = await this.days();
		const read = new Map<string, Array<IFeedbackRecord>>();
		const collected: Array<IFeedbackRecord> = [];
		for (const day of days) {
			if (collected.length >= wanted) {
				break;
			}
			const records = await this.recordsOfDay(day);
			read.set(day, records);
			collected.push(...records);
		}
		// The total comes from the tally; the days and records read above are not read again.
		const { total } = await this.tallyOver(persistence, now, days, read);
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
	 * counted for is written down first, so the total of closed days can be corrected. A note
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
	 * The tally of all stored feedback. Closed days are read once and folded into one running
	 * total; later calls read that total, the days still open, and check only the deletions
	 * noted since. A total depends only on records that no longer change and is consistent on
	 * its own (its tally and the deletions it took in go together), so instances folding at
	 * once agree, and an older total written last is merely folded forward again.
	 */
	public async tally(persistence: IPersistence, now: Date): Promise<ITally> {
		return this.tallyOver(persistence, now, await this.days(), new Map());
	}

	/** The tally, given the days with feedback and the records of days already read. */
	private async tallyOver(
		persistence: IPersistence,
		now: Date,
		days: ReadonlyArray<string>,
		read: ReadonlyMap<string, Array<IFeedbackRecord>>,
	): Promise<ITally> {
		const [{ closedTotal, unreadable }, allDeleted] = await Promise.all([
			this.closedTotal(),
			this.deleted(buildAssociations({ scope: RecordScope.FeedbackDeleted })),
		]);
		const throughDay = closedTotal?.throughDay ?? '';
		const tally = emptyTally();
		const deletedIds = new Set(closedTotal?.deletedIds ?? []);
		// A total that cannot be read is rebuilt from every day, once: the rebuilt one replaces it.
		let changed = unreadable;
		if (unreadable) {
			this.logger?.warn('the running total of closed days could not be read; rebuilding it');
		}
		if (closedTotal) {
			mergeInto(tally, closedTotal.tally);
			// Deletions in folded days since the total was written: checked once, then taken in.
			for (const note of allDeleted.filter(
				(entry) => entry.day <= throughDay && !deletedIds.has(entry.id),
			)) {
				if (!(await this.exists(note.id))) {
					count(tally, note, -1);
					deletedIds.add(note.id);
					changed = true;
				}
			}
		}
		const open = emptyTally();
		let newThroughDay = throughDay;
		// Oldest first: days close in that order, so folding stops at the first open day.
		let folding = true;
		for (const day of days.filter((candidate) => candidate > throughDay).reverse()) {
			const records = read.get(day) ?? (await this.recordsOfDay(day));
			folding = folding && isDayClosed(day, now);
			if (!folding) {
				mergeInto(open, tallyOf(records));
				continue;
			}
			// Notes after records: a feedback deleted in between is then either counted and its
			// note not taken in, or not counted and its note taken in; never both.
			const notes = await this.deleted(
				buildAssociations({ scope: RecordScope.FeedbackDeleted, keys: [`day:${day}`] }),
			);
			const present = new Set(records.map((record) => record.id));
			notes.filter((note) => !present.has(note.id)).forEach((note) => deletedIds.add(note.id));
			mergeInto(tally, tallyOf(records));
			newThroughDay = day;
			changed = true;
		}
		if (changed) {
			await this.saveClosedTotal(persistence, {
				throughDay: newThroughDay,
				tally,
				deletedIds: [...deletedIds],
			});
		}
		mergeInto(tally, open);
		return tally;
	}

	/** Stores the running total; a failed write is logged and only means the next call folds again. */
	private async saveClosedTotal(
		persistence: IPersistence,
		closedTotal: IClosedTotal,
	): Promise<void> {
		try {
			await persistence.updateByAssociations(
				buildAssociations({ scope: RecordScope.FeedbackTotal }),
				{
					version: CLOSED_TOTAL_VERSION,
					throughDay: closedTotal.throughDay,
					tally: storedTally(closedTotal.tally),
					deletedIds: closedTotal.deletedIds,
				},
				true,
			);
		} catch (error) {
			this.logger?.error('saving the running total of closed days failed', error);
		}
	}

	/**
	 * The stored running total; of two copies (racing upserts), the one that reaches furthest.
	 * Unreadable when copies are stored but none can be read.
	 */
	private async closedTotal(): Promise<{ closedTotal?: IClosedTotal; unreadable: boolean }> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackTotal }),
		);
		let best: IClosedTotal | undefined;
		for (const candidate of stored.map(parseClosedTotal)) {
			if (
				candidate &&
				(!best ||
					candidate.throughDay > best.throughDay ||
					(candidate.throughDay === best.throughDay &&
						candidate.deletedIds.length > best.deletedIds.length))
			) {
				best = candidate;
			}
		}
		return { closedTotal: best, unreadable: stored.length > 0 && best === undefined };
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

	private async deleted(
		associations: ReturnType<typeof buildAssociations>,
	): Promise<Array<IDeletedFeedback>> {
		return distinctDeleted(await this.reader.readByAssociations(associations));
	}
}
