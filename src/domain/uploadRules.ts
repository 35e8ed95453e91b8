// What the server's settings let the app upload and post, read the way Rocket.Chat applies them,
// so the export and the author's notices can say what stops them before they start:
// - uploads: apps/meteor/app/file-upload/server/lib/FileUpload.ts `validateFileUpload`
//   (FileUpload_Enabled, FileUpload_Enabled_Direct, FileUpload_MaxFileSize) and
//   app/utils/lib/restrictions.ts (FileUpload_MediaTypeWhiteList / FileUpload_MediaTypeBlackList);
// - encryption: app/e2e/server/beforeCreateRoom.ts (a new direct room is `encrypted` with E2E_Enable
//   and E2E_Enabled_Default_DirectRooms) and app/lib/server/methods/sendMessage.ts
//   `executeSendMessage` (a plain message in an encrypted room is refused unless
//   E2E_Allow_Unencrypted_Messages is on; the app's messages and file messages are all plain).

/** The type the server gives the export's files (by the `.csv` name). */
export const CSV_TYPE = 'text/csv';

/** The server's settings that decide where the app may upload and post. */
export interface IUploadSettings {
	/** FileUpload_Enabled (default on). */
	readonly uploadsEnabled: boolean;
	/** FileUpload_Enabled_Direct (default on). */
	readonly directUploadsEnabled: boolean;
	/** FileUpload_MediaTypeWhiteList (default empty: every type). */
	readonly whiteList: string;
	/** FileUpload_MediaTypeBlackList (default `image/svg+xml`). */
	readonly blackList: string;
	/** FileUpload_MaxFileSize in bytes; Infinity when there is no limit (-1). */
	readonly maxFileSize: number;
	/** E2E_Enable (default off). */
	readonly e2eEnabled: boolean;
	/** E2E_Enabled_Default_DirectRooms (default off). */
	readonly e2eDefaultDirectRooms: boolean;
	/** E2E_Allow_Unencrypted_Messages (default off). */
	readonly e2eAllowUnencrypted: boolean;
}

/** Why the server will not take an upload (or its file message) where the app meant to put it. */
export type UploadRefusal =
	| { readonly kind: 'uploads-off' }
	| { readonly kind: 'direct-off' }
	| { readonly kind: 'csv-refused' }
	| { readonly kind: 'limit-below-header'; readonly limit: number; readonly smallest: number }
	| { readonly kind: 'direct-encrypted' }
	| { readonly kind: 'room-encrypted' }
	| { readonly kind: 'room-unknown' }
	| { readonly kind: 'room-no-access' }
	| { readonly kind: 'room-read-only' }
	| { readonly kind: 'too-large' }
	| { readonly kind: 'app-prevented'; readonly reason: string };

/** Where an upload goes: the admin's direct room with the app (maybe not created yet) or a room. */
export type UploadTarget =
	| { readonly kind: 'direct'; readonly exists: boolean; readonly encrypted: boolean }
	| { readonly kind: 'room'; readonly encrypted: boolean };

function listOf(text: string): string[] | undefined {
	return text === '' ? undefined : text.split(',').map((item) => item.trim());
}

function isOnList(type: string, list: ReadonlyArray<string>): boolean {
	const group = type.replace(/(\/.*)$/, '/*');
	return list.includes(type) || list.some((item) => item.indexOf('/*') > 0 && item === group);
}

/** fileUploadIsValidContentTypeFromSettings: the black list wins; an empty or `*` white list takes all. */
export function isTypeAccepted(type: string, whiteList: string, blackList: string): boolean {
	const black = listOf(blackList);
	const white = whiteList === '*' ? undefined : listOf(whiteList);
	if (black && isOnList(type, black)) {
		return false;
	}
	return !white || isOnList(type, white);
}

/** Whether the server refuses the app's plain messages in an encrypted room. */
export function refusesPlainInEncrypted(settings: IUploadSettings): boolean {
	return settings.e2eEnabled && !settings.e2eAllowUnencrypted;
}

/**
 * Whether a direct room refuses the app's plain messages: an existing room by its own flag, a
 * room still to be created by whether the server will create it encrypted.
 */
export function directRoomRefusesPlain(
	settings: IUploadSettings,
	room: { readonly exists: boolean; readonly encrypted: boolean },
): boolean {
	const encrypted = room.exists
		? room.encrypted
		: settings.e2eEnabled && settings.e2eDefaultDirectRooms;
	return encrypted && refusesPlainInEncrypted(settings);
}

/**
 * The first rule that stops an export before it uploads anything, in the server's order, or
 * undefined. `smallestFile` is the size of a file holding the header alone.
 */
export function exportRefusal(
	settings: IUploadSettings,
	target: UploadTarget,
	smallestFile: number,
): UploadRefusal | undefined {
	if (!settings.uploadsEnabled) {
		return { kind: 'uploads-off' };
	}
	if (target.kind === 'direct' && !settings.directUploadsEnabled) {
		return { kind: 'direct-off' };
	}
	if (settings.maxFileSize < smallestFile) {
		return { kind: 'limit-below-header', limit: settings.maxFileSize, smallest: smallestFile };
	}
	if (!isTypeAccepted(CSV_TYPE, settings.whiteList, settings.blackList)) {
		return { kind: 'csv-refused' };
	}
	if (target.kind === 'direct' && directRoomRefusesPlain(settings, target)) {
		return { kind: 'direct-encrypted' };
	}
	if (target.kind === 'room' && target.encrypted && refusesPlainInEncrypted(settings)) {
		return { kind: 'room-encrypted' };
	}
	return undefined;
}

/** The error code in a server error's message (Meteor.Error writes `reason [code]`). */
function errorCodeOf(message: string): string | undefined {
	return /\[([\w-]+)\]\s*$/.exec(message)?.[1];
}

/** executeSendMessage's reason for a plain message in an encrypted room. */
export const UNENCRYPTED_REFUSAL = 'Not allowed to send un-encrypted messages in an encrypted room';

/**
 * The rule behind a server's refusal of an upload, when it is one the app can name; undefined
 * for anything else (a failure worth trying again). `target` tells where the upload went.
 */
export function refusalOfUploadError(
	error: unknown,
	target: UploadTarget,
): UploadRefusal | undefined {
	const message = error instanceof Error ? error.message : String(error);
	if (message.includes(UNENCRYPTED_REFUSAL)) {
		return { kind: target.kind === 'direct' ? 'direct-encrypted' : 'room-encrypted' };
	}
	switch (errorCodeOf(message)) {
		case 'error-file-upload-disabled':
			return { kind: 'uploads-off' };
		case 'error-direct-message-file-upload-not-allowed':
			return { kind: 'direct-off' };
		case 'error-invalid-file-type':
			return { kind: 'csv-refused' };
		case 'error-file-too-large':
			return { kind: 'too-large' };
		case 'error-app-prevented':
			return {
				kind: 'app-prevented',
				reason: message.replace(/\s*\[error-app-prevented\]\s*$/, ''),
			};
		default:
			return /readonly/.test(message) ? { kind: 'room-read-only' } : undefined;
	}
}

/** Whether a failed direct message to a member is the server refusing it for good (not worth retrying). */
export function isPermanentMessageRefusal(error: unknown): boolean {
	const message = error instanceof Error ? error.message : String(error);
	return (
		message.includes(UNENCRYPTED_REFUSAL) ||
		['error-not-allowed', 'error-invalid-user', 'error-app-prevented'].includes(
			errorCodeOf(message) ?? '',
		)
	);
}
