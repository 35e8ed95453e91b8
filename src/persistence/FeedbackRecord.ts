import { copyRankOf, type IFeedbackAuthor, type IFeedbackRecord } from '../domain/record';

// How feedback records are read back from storage: any stored value is parsed defensively, and
// racing writes that stored one id twice are collapsed the same way by every read.

function isRecordObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function parseAuthor(value: unknown): IFeedbackAuthor | null {
	if (!isRecordObject(value) || typeof value.id !== 'string') {
		return null;
	}
	return {
		id: value.id,
		username: typeof value.username === 'string' ? value.username : '',
		name: typeof value.name === 'string' ? value.name : '',
	};
}

/** A stored value as a IFeedbackRecord, or undefined when it is not one. */
export function parseFeedbackRecord(value: unknown): IFeedbackRecord | undefined {
	if (!isRecordObject(value) || typeof value.id !== 'string' || typeof value.comment !== 'string') {
		return undefined;
	}
	const anonymous = value.anonymous === true;
	return {
		id: value.id,
		comment: value.comment,
		category: typeof value.category === 'string' ? value.category : '',
		rating: typeof value.rating === 'number' ? value.rating : null,
		anonymous,
		author: anonymous ? null : parseAuthor(value.author),
		roomId: !anonymous && typeof value.roomId === 'string' ? value.roomId : null,
		createdAt: typeof value.createdAt === 'string' ? value.createdAt : '',
		updatedAt: typeof value.updatedAt === 'string' ? value.updatedAt : '',
	};
}

/** Whether `a` is the copy reads keep over `b`: the lower rank (domain/record.ts copyRankOf). */
function isEarlierCopy(a: IFeedbackRecord, b: IFeedbackRecord): boolean {
	const [rankA, rankB] = [copyRankOf(a), copyRankOf(b)];
	if (rankA !== rankB) {
		return rankA < rankB;
	}
	return JSON.stringify(a) < JSON.stringify(b);
}

/**
 * Parsed records, one per id (racing writes can store a record twice), newest first.
 * Ties keep a stable order by id so pages never shuffle.
 */
export function distinctNewestFirst(values: ReadonlyArray<unknown>): Array<IFeedbackRecord> {
	const byId = new Map<string, IFeedbackRecord>();
	for (const value of values) {
		const record = parseFeedbackRecord(value);
		const kept = record && byId.get(record.id);
		// Racing submits can store one id twice with different text: every read keeps the same copy.
		if (record && (!kept || isEarlierCopy(record, kept))) {
			byId.set(record.id, record);
		}
	}
	return [...byId.values()].sort((a, b) => {
		if (a.createdAt !== b.createdAt) {
			return a.createdAt < b.createdAt ? 1 : -1;
		}
		return a.id.localeCompare(b.id);
	});
}
