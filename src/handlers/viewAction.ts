import type { ILogger, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Translator } from '../i18n/translate';

/** What a button or select of one of the app's views asks for. */
export interface IViewAction {
	readonly actionId: string;
	readonly value: unknown;
	readonly user: IUser;
	readonly read: IRead;
	readonly persistence: IPersistence;
	readonly t: Translator;
	readonly logger: ILogger;
}
