import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { findDirectRoom, isEncryptedRoom } from './directRoom';
import type { IModifyingRequest } from './requestContext';
import type { AuthorReach } from '../domain/statusNotice';
import { directRoomRefusesPlain } from '../domain/uploadRules';
import { engagementOf } from '../persistence/engagement';
import { readUploadSettings } from '../settings/serverSettings';

/**
 * Whether the server refuses the app's plain messages in the direct room of the app and this
 * member: an existing room by its `encrypted` flag, one still to be created by whether the server
 * will create it encrypted (app/e2e/server/beforeCreateRoom.ts), and E2E_Allow_Unencrypted_Messages.
 */
export async function directRoomIsClosed(
	read: IRead,
	appUser: IUser,
	member: IUser,
): Promise<boolean> {
	const [settings, room] = await Promise.all([
		readUploadSettings(read),
		findDirectRoom(read, appUser, member),
	]);
	return directRoomRefusesPlain(settings, {
		exists: room !== undefined,
		encrypted: room ? isEncryptedRoom(room) : false,
	});
}

/**
 * What the admin who changes a status can be told of how its author hears of it: not at all when
 * they turned notices off or stopped following it (StatusNoticeJob skips them), else as the
 * server lets the app reach them.
 */
export async function authorReach(
	request: IModifyingRequest,
	authorId: string,
	feedbackId: string,
): Promise<AuthorReach> {
	const { read, poster, stores } = request;
	const [noticesOn, engagement] = await Promise.all([
		stores.follows.noticesOn(authorId),
		engagementOf(stores, feedbackId),
	]);
	if (!noticesOn) {
		return { kind: 'notices-off' };
	}
	if (!engagement.followers.has(authorId)) {
		return { kind: 'unfollowed' };
	}
	const [appUser, author] = await Promise.all([
		poster.appUser(),
		read.getUserReader().getById(authorId),
	]);
	if (appUser && author && (await directRoomIsClosed(read, appUser, author))) {
		return { kind: 'encrypted' };
	}
	const undelivered = await stores.statusNotices.undelivered(authorId);
	return undelivered?.reason === 'refused'
		? { kind: 'refused', detail: undelivered.detail }
		: { kind: 'direct' };
}
