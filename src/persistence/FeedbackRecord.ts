/** The author as stored on a named (not anonymous) feedback. */
export interface IFeedbackAuthor {
	readonly id: string;
	readonly username: string;
	readonly name: string;
}

/** One feedback as stored in persistence. */
export interface IFeedbackRecord {
	readonly id: string;
	readonly comment: string;
	readonly category: string;
	readonly rating: number | null;
	readonly anonymous: boolean;
	/** Absent when anonymous: nothing the app shows can name the author then. */
	readonly author: IFeedbackAuthor | null;
	/** A one-way key of the author, used only to count distinct contributors. */
	readonly contributor: string;
	readonly roomId: string | null;
	readonly createdAt: string;
	readonly updatedAt: string;
}

const SHORT_ID_LENGTH = 8;

/** The id members see and type: the first characters of the full id. */
export function shortIdOf(id: string): string {
	return id.slice(0, SHORT_ID_LENGTH);
}

/** Ids members may type: a short id or a full one, hexadecimal with dashes. */
export function isFeedbackIdInput(text: string): boolean {
	return text.length >= SHORT_ID_LENGTH && text.length <= 36 && /^[0-9a-f-]+$/.test(text);
}

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
		contributor: typeof value.contributor === 'string' ? value.contributor : '',
		roomId: typeof value.roomId === 'string' ? value.roomId : null,
		createdAt: typeof value.createdAt === 'string' ? value.createdAt : '',
		updatedAt: typeof value.updatedAt === 'string' ? value.updatedAt : '',
	};
}

/**
 * Parsed records, one per id (racing writes can store a record twice), newest first.
 * Ties keep a stable order by id so pages never shuffle.
 */
export function distinctNewestFirst(values: ReadonlyArray<unknown>): Array<IFeedbackRecord> {
	const byId = new Map<string, IFeedbackRecord>();
	for (const value of values) {
		const record = parseFeedbackRecord(value);
		if (record && !byId.has(record.id)) {
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
