import type { ILogger, IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { languageForMember } from './language';
import type { IFeedbackRecord } from '../domain/record';
import type { IStatusChange } from '../domain/status';
import { translatorFor } from '../i18n/translate';
import { formatStatusNotice } from '../ui/triageText';

/** Tells a named author, in a direct message from the app's user, that their feedback moved. */
export class AuthorNotifier {
	/** Sends the notice; an anonymous feedback has no author to tell. */
	public async notify(
		read: IRead,
		modify: IModify,
		record: IFeedbackRecord,
		change: IStatusChange,
		logger: ILogger,
	): Promise<void> {
		if (record.anonymous || record.author === null) {
			return;
		}
		const [appUser, author] = await Promise.all([
			read.getUserReader().getAppUser(),
			read.getUserReader().getById(record.author.id),
		]);
		if (!appUser || !author) {
			logger.warn(`the author of feedback ${record.id} or the app user cannot be found; not told`);
			return;
		}
		const room = await this.directRoom(read, modify, appUser, author);
		const t = translatorFor(await languageForMember(read, author, logger));
		const message = modify
			.getCreator()
			.startMessage()
			.setRoom(room)
			.setSender(appUser)
			.setText(formatStatusNotice(record, change, t));
		await modify.getCreator().finish(message);
	}

	/** The direct room of the app's user and the author, created the first time. */
	private async directRoom(
		read: IRead,
		modify: IModify,
		appUser: IUser,
		author: IUser,
	): Promise<IRoom> {
		const usernames = [appUser.username, author.username];
		const existing = await read.getRoomReader().getDirectByUsernames(usernames);
		if (existing) {
			return existing;
		}
		const builder = modify
			.getCreator()
			.startRoom()
			.setType(RoomType.DIRECT_MESSAGE)
			.setCreator(appUser)
			.setMembersToBeAddedByUsernames(usernames);
		const roomId = await modify.getCreator().finish(builder);
		const created = await read.getRoomReader().getById(roomId);
		if (!created) {
			throw new Error(`the direct room ${roomId} with ${author.username} cannot be read back`);
		}
		return created;
	}
}
