import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { startOfHour } from './days';
import { copyDigest } from './ids';
import type { ISubmission } from './submission';

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
	/** The room the form was opened in; null when anonymous. */
	readonly roomId: string | null;
	readonly createdAt: string;
	readonly updatedAt: string;
}

/**
 * The record a valid submission becomes. Anonymous feedback keeps no author and no room, and
 * only the hour it was sent: nothing in it leads back to who sent it.
 */
export function buildFeedbackRecord(
	id: string,
	submission: ISubmission,
	user: IUser,
	roomId: string,
	now: Date,
): IFeedbackRecord {
	const named = !submission.anonymous;
	const time = (named ? now : startOfHour(now)).toISOString();
	return {
		id,
		comment: submission.comment,
		category: submission.category,
		rating: submission.rating,
		anonymous: submission.anonymous,
		author: named ? { id: user.id, username: user.username, name: user.name } : null,
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

/**
 * Where a stored copy of a feedback ranks among racing copies of it (submits of one form on
 * several instances): the earliest first, and copies stored in the same millisecond by a digest of
 * their content. Reads keep the lowest, and the announcement names it, so the room and every read
 * agree on the copy (src/handlers/Announcer.ts).
 */
export function copyRankOf(
	record: Pick<
		IFeedbackRecord,
		'id' | 'createdAt' | 'comment' | 'category' | 'rating' | 'anonymous' | 'author' | 'roomId'
	>,
): string {
	// Field by field, so a record built at the submit and one read back digest alike.
	const content = [
		record.id,
		record.createdAt,
		record.comment,
		record.category,
		record.rating,
		record.anonymous,
		record.author?.id ?? null,
		record.author?.username ?? null,
		record.author?.name ?? null,
		record.roomId,
	];
	return `${record.createdAt} ${copyDigest(JSON.stringify(content))}`;
}
