import type { ILogger, IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { workspaceLanguage } from './language';
import type { IFeedbackRecord } from '../domain/record';
import type { IFeedbackSettings } from '../domain/settings';
import { translatorFor } from '../i18n/translate';
import { serverAcceptsFeedbackId } from '../settings/serverSettings';
import { formatAnnouncement } from '../ui/messages';

/** Posts a new feedback in the announcement room, from the app's user. */
export class Announcer {
	constructor(public readonly logger: ILogger) {}

	/** Posts the announcement; a room that does not exist is logged and skipped. */
	public async announce(
		read: IRead,
		modify: IModify,
		record: IFeedbackRecord,
		settings: IFeedbackSettings,
	): Promise<void> {
		if (settings.announceRoom === '') {
			return;
		}
		const room = await read.getRoomReader().getByName(settings.announceRoom);
		if (!room) {
			this.logger.warn(`announcement room "${settings.announceRoom}" does not exist`);
			return;
		}
		const [language, withCustomFields] = await Promise.all([
			workspaceLanguage(read, this.logger),
			serverAcceptsFeedbackId(read, record.id),
		]);
		const text = formatAnnouncement(record, translatorFor(language ?? ''));
		const builder = modify.getCreator().startMessage().setRoom(room).setText(text);
		// A default server refuses any customFields ("Custom fields not enabled"): attach the id
		// only where the admin's settings accept it, so the announcement is always posted.
		if (withCustomFields) {
			builder.addCustomField('feedbackId', record.id);
		}
		const appUser = await read.getUserReader().getAppUser();
		if (appUser) {
			builder.setSender(appUser);
		}
		if (room.isReadOnly) {
			// The server refuses the app user there unless an admin gave it post-readonly.
			this.logger.warn(`announcement room "${settings.announceRoom}" is read-only`);
		}
		await modify.getCreator().finish(builder);
	}
}
