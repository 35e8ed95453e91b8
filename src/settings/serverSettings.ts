import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { acceptsFeedbackIdField } from '../domain/customFields';

/** Server (workspace) settings the app reads; needs the `server-setting.read` permission. */
export enum ServerSettingId {
	/** The workspace's default language; `''` on a new server. */
	Language = 'Language',
	/** Whether messages may carry customFields at all (off on a new server). */
	CustomFieldsEnabled = 'Message_CustomFields_Enabled',
	/** The JSON schema every message's customFields must satisfy. */
	CustomFields = 'Message_CustomFields',
	/**
	 * The largest upload in bytes: -1 (any negative) is no limit, 0 refuses every file with
	 * content (FileUpload.validateFileUpload refuses `max > -1 && size > max`).
	 */
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
