import type { ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { acceptsFeedbackIdField } from '../domain/customFields';
import { DEFAULT_MESSAGE_MAX_SIZE } from '../domain/messageSize';
import type { IUploadSettings } from '../domain/uploadRules';

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
	/**
	 * The largest upload in bytes: -1 (any negative) is no limit, 0 refuses every file with
	 * content (FileUpload.validateFileUpload refuses `max > -1 && size > max`).
	 */
	MaxFileSize = 'FileUpload_MaxFileSize',
	/** Whether the server takes uploads at all. */
	UploadsEnabled = 'FileUpload_Enabled',
	/** Whether the server takes uploads into direct rooms. */
	DirectUploadsEnabled = 'FileUpload_Enabled_Direct',
	/** Accepted media types, comma-separated (empty: all). */
	MediaTypeWhiteList = 'FileUpload_MediaTypeWhiteList',
	/** Refused media types, comma-separated. */
	MediaTypeBlackList = 'FileUpload_MediaTypeBlackList',
	/** End-to-end encryption. */
	E2EEnabled = 'E2E_Enable',
	/** New direct rooms are encrypted. */
	E2EDefaultDirectRooms = 'E2E_Enabled_Default_DirectRooms',
	/** Plain messages are taken in encrypted rooms. */
	E2EAllowUnencrypted = 'E2E_Allow_Unencrypted_Messages',
}

/** Rocket.Chat's FileUpload_MaxFileSize default: 100 MiB (apps/meteor/server/settings/file-upload.ts). */
const DEFAULT_MAX_FILE_SIZE = 104857600;

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

/** A boolean setting, or the server's default when it cannot be read as one. */
function flag(value: unknown, fallback: boolean): boolean {
	return typeof value === 'boolean' ? value : fallback;
}

/**
 * The largest file the server accepts. Rocket.Chat refuses a file when `max > -1 && size > max`
 * with `max = parseInt(FileUpload_MaxFileSize)` (FileUpload.validateFileUpload): -1 (or any
 * negative) is no limit, 0 refuses every file; unreadable, the default.
 */
export function maxFileSizeOf(value: unknown): number {
	const parsed = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
	if (!Number.isFinite(parsed)) {
		return DEFAULT_MAX_FILE_SIZE;
	}
	return parsed < 0 ? Number.POSITIVE_INFINITY : Math.floor(parsed);
}

/** The upload and encryption settings (apps/meteor/server/settings/file-upload.ts, e2e.ts defaults). */
export async function readUploadSettings(read: IRead): Promise<IUploadSettings> {
	const ids = [
		ServerSettingId.UploadsEnabled,
		ServerSettingId.DirectUploadsEnabled,
		ServerSettingId.MediaTypeWhiteList,
		ServerSettingId.MediaTypeBlackList,
		ServerSettingId.MaxFileSize,
		ServerSettingId.E2EEnabled,
		ServerSettingId.E2EDefaultDirectRooms,
		ServerSettingId.E2EAllowUnencrypted,
	];
	const [enabled, direct, white, black, max, e2e, e2eDirect, e2eAllow] = await Promise.all(
		ids.map((id) => readServerSetting(read, id).catch(() => undefined)),
	);
	return {
		uploadsEnabled: flag(enabled, true),
		directUploadsEnabled: flag(direct, true),
		whiteList: typeof white === 'string' ? white : '',
		blackList: typeof black === 'string' ? black : 'image/svg+xml',
		maxFileSize: maxFileSizeOf(max),
		e2eEnabled: flag(e2e, false),
		e2eDefaultDirectRooms: flag(e2eDirect, false),
		e2eAllowUnencrypted: flag(e2eAllow, false),
	};
}
