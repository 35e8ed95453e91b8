import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { distinctNewestFirst, shortIdOf } from './FeedbackRecord';
import type { IFeedbackRecord } from './FeedbackRecord';
import { buildAssociations, RecordScope } from './associations';

/** Reads and writes feedback records. Every read collapses duplicates by id. */
export class FeedbackStore {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Stores one feedback under its author, the app-wide set, its id and its short id. */
	public async create(
		persistence: IPersistence,
		record: IFeedbackRecord,
		authorId: string,
	): Promise<void> {
		await persistence.createWithAssociations(
			record,
			buildAssociations({
				userId: authorId,
				scope: RecordScope.Feedback,
				keys: [`id:${record.id}`, `short:${shortIdOf(record.id)}`],
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

	/** Everyone's feedback, newest first. */
	public async listAll(): Promise<Array<IFeedbackRecord>> {
		return distinctNewestFirst(
			await this.reader.readByAssociations(buildAssociations({ scope: RecordScope.Feedback })),
		);
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

	/** Removes every stored copy of exactly one feedback (and, with userId, only if it is theirs). */
	public async remove(persistence: IPersistence, id: string, userId?: string): Promise<void> {
		await persistence.removeByAssociations(
			buildAssociations({ userId, scope: RecordScope.Feedback, keys: [`id:${id}`] }),
		);
	}
}
