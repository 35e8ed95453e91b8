import type { ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { acceptsFeedbackIdField } from '../domain/customFields';
import { DEFAULT_MESSAGE_MAX_SIZE } from '../domain/messageSize';

/** Server (workspace) settings the app reads; needs the `server-setting.read` permission. */
export enum ServerSettingId {
	/** The workspace's default language; `''` on a new server. */
	Language = 'Language',
	/** Whether messages may carry customFields at all (off on a new server). */
	CustomFieldsEnabled = 'Message_CustomFields_Enabled',
	/** The JSON schema every message's customFields must satisfy. */
	CustomFields = 'Message_CustomFields',
	/** The longest message text the server takes, in UTF-16 units (5000 on a new server). */
	MessageMaxSize = 'Message_MaxAllowedSize',
	/** The largest upload in bytes (0 or less: no limit). */
	MaxFileSize = 'FileUpload_MaxFileSize',
}

/** A server setting's value; unknown ids and unreadable settings give undefined. */
export async function readServerSetting(read: IRead, id: ServerSettingId): Promise<unknown> {
	return read.getEnvironmentReader().getServerSettings().getValueById(id);
}

/** The workspace's default language, if the admin set one. */
export async function readWorkspaceLanguage(read: IRead): Promise<string | undefined> {
	const value = await readServerSetting(read, ServerSettingId.Language);
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Whether the server would accept a message whose customFields are `{ feedbackId }`. */
export async function serverAcceptsFeedbackId(read: IRead, feedbackId: string): Promise<boolean> {
	const [enabled, schema] = await Promise.all([
		readServerSetting(read, ServerSettingId.CustomFieldsEnabled),
		readServerSetting(read, ServerSettingId.CustomFields),
	]);
	return acceptsFeedbackIdField(enabled, schema, feedbackId);
}

/**
 * The longest message text the server takes, in UTF-16 units, as executeSendMessage compares it
 * (apps/meteor/app/lib/server/methods/sendMessage.ts: `msg.length > value`, so 500.5 takes 500);
 * the server's default, logged, when it cannot be read.
 */
export async function readMessageMaxSize(read: IRead, logger: ILogger): Promise<number> {
	try {
		const value = await readServerSetting(read, ServerSettingId.MessageMaxSize);
		const size = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof size === 'number' && !Number.isNaN(size)) {
			return Math.floor(size);
		}
		logger.warn(
			`Message_MaxAllowedSize reads ${JSON.stringify(value)}; messages are kept to ${DEFAULT_MESSAGE_MAX_SIZE}`,
		);
	} catch (error) {
		logger.warn(
			`reading Message_MaxAllowedSize failed; messages are kept to ${DEFAULT_MESSAGE_MAX_SIZE}`,
			error,
		);
	}
	return DEFAULT_MESSAGE_MAX_SIZE;
}
