import type { ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { chosenLanguageOf, firstShippedLanguage, shippedLanguage } from '../i18n/translate';
import { readWorkspaceLanguage } from '../settings/serverSettings';

/**
 * The language to answer a member in: the one they chose, else the workspace's default
 * (the server gives a member's language only when they chose one), else English.
 */
export async function languageForMember(
	read: IRead,
	user: IUser,
	logger: ILogger,
): Promise<string> {
	// Read the server setting only when needed: this runs on every command and submit.
	const chosen = shippedLanguage(chosenLanguageOf(user));
	return chosen ?? firstShippedLanguage([await workspaceLanguage(read, logger)]);
}

/** The workspace's default language; a failed read is logged and means English. */
export async function workspaceLanguage(read: IRead, logger: ILogger): Promise<string | undefined> {
	try {
		return await readWorkspaceLanguage(read);
	} catch (error) {
		logger.warn('reading the workspace language failed; answering in English', error);
		return undefined;
	}
}
