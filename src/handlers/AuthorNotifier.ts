import type { ILogger, IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { directRoomWith } from './directRoom';
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
		const room = await directRoomWith(read, modify, appUser, author);
		const t = translatorFor(await languageForMember(read, author, logger));
		const message = modify
			.getCreator()
			.startMessage()
			.setRoom(room)
			.setSender(appUser)
			.setText(formatStatusNotice(record, change, t));
		await modify.getCreator().finish(message);
	}
}
