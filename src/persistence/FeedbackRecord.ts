import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { ISubmission } from '../feedback/submission';
import { contributorKey } from '../lib/ids';

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
	/** Null when anonymous: nothing stored with it can lead back to the author then. */
	readonly author: IFeedbackAuthor | null;
	/** A one-way key of a named author, to count distinct contributors; null when anonymous. */
	readonly contributor: string | null;
	/** The room the form was opened in; null when anonymous. */
	readonly roomId: string | null;
	readonly createdAt: string;
	readonly updatedAt: string;
}

/**
 * The record a valid submission becomes. Anonymous feedback keeps no author, no contributor
 * key and no room: nothing in it leads back to who sent it.
 */
export function buildFeedbackRecord(
	id: string,
	submission: ISubmission,
	user: IUser,
	roomId: string,
	now: Date,
): IFeedbackRecord {
	const time = now.toISOString();
	const named = !submission.anonymous;
	return {
		id,
		comment: submission.comment,
		category: submission.category,
		rating: submission.rating,
		anonymous: submission.anonymous,
		author: named ? { id: user.id, username: user.username, name: user.name } : null,
		contributor: named ? contributorKey(user.id) : null,
		roomId: named ? roomId : null,
		createdAt: time,
		updatedAt: time,
	};
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

function stringOr(value: unknown, fallback: string): string {
	return typeof value === 'string' ? value : fallback;
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
		// Anonymous entries stored before they lost their key count as anonymous all the same.
		contributor: anonymous ? null : stringOr(value.contributor, ''),
		roomId: !anonymous && typeof value.roomId === 'string' ? value.roomId : null,
		createdAt: typeof value.createdAt === 'string' ? value.createdAt : '',
		updatedAt: typeof value.updatedAt === 'string' ? value.updatedAt : '',
	};
}

/** Whether `a` is the copy reads keep over `b`: the first created, then the smaller text. */
function isEarlierCopy(a: IFeedbackRecord, b: IFeedbackRecord): boolean {
	if (a.createdAt !== b.createdAt) {
		return a.createdAt < b.createdAt;
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
