import type {
	IMessageAttachment,
	IMessageFile,
} from '@rocket.chat/apps-engine/definition/messages';
import { type IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { type IUpload, StoreType } from '@rocket.chat/apps-engine/definition/uploads';
import type { IUploadDetails } from '@rocket.chat/apps-engine/definition/uploads/IUploadDetails';
import { type IUser, UserType } from '@rocket.chat/apps-engine/definition/users';
import { UploadBridge } from '@rocket.chat/apps-engine/server/bridges';

import type { IHostHooks } from './hooks';
import { NotSupportedByLocalHostError } from './unsupported';
import { randomId } from '../random-id';
import type { Directory } from '../server/directory';
import { type IUploadRecord, UPLOADS_STORE, type UploadStore } from '../server/directory/uploads';
import {
	hasPermission,
	isValidContentType,
	MeteorError,
	validateUserMessage,
} from '../server/server-rules';
import type { ServerSettings } from '../server/server-settings';

// The upload bridge of the local host, after Rocket.Chat's, file by file (RocketChat/Rocket.Chat):
// - apps/meteor/app/apps/server/bridges/uploads.ts (AppUploadBridge): createUpload needs a user
//   (or a livechat visitor), sets `details.type = determineFileType(buffer, name)`, then
//   `Upload.uploadFile({ buffer, details, userId })` and `Upload.sendFileMessage({ userId, roomId,
//   file })`, and answers the upload converted for the app (converters/uploads.ts);
// - apps/meteor/server/services/upload/service.ts: uploadFile is `FileUpload.getStore('Uploads')
//   .insert(details, buffer)` run as the user;
// - apps/meteor/app/file-upload/server/lib/FileUpload.ts: `FileUploadClass.insert` runs the store's
//   filter (server/ufs/ufs-filter.ts `Filter.check`) BEFORE anything is stored, and the Uploads
//   filter's onCheck is `FileUpload.validateFileUpload`, which throws
//   `Meteor.Error('error-file-too-large', 'File exceeds allowed size of <filesize(max)>')` when
//   `maxFileSize > -1 && file.size > maxFileSize`, maxFileSize being `parseInt(FileUpload_MaxFileSize)`;
// - apps/meteor/app/file-upload/server/methods/sendFileMessage.ts: the message with the file
//   (`msg: ''`, `groupable: false`, `file`, `files`, one attachment) goes through executeSendMessage.
// The engine's UploadBridge (node_modules/@rocket.chat/apps-engine/server/bridges/UploadBridge.js)
// checks the app's permission first: `upload.write` for doCreateUpload, `upload.read` for doGetById
// and doGetBuffer; without it the call logs a PermissionDeniedError and resolves to undefined.

/** The Uploads store's filter: no file under one byte (ufs-filter.ts `minSize`). */
const MIN_FILE_SIZE = 1;

/**
 * The MIME type by file name, as `mime-type`'s lookup (mime-db) gives it for the extensions an app
 * is likely to upload; determineFileType (ee/lib/misc/determineFileType.ts) tries the name first.
 */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
	csv: 'text/csv',
	txt: 'text/plain',
	md: 'text/markdown',
	html: 'text/html',
	json: 'application/json',
	xml: 'application/xml',
	pdf: 'application/pdf',
	zip: 'application/zip',
	gz: 'application/gzip',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	svg: 'image/svg+xml',
	mp3: 'audio/mpeg',
	ogg: 'audio/ogg',
	mp4: 'video/mp4',
	webm: 'video/webm',
};

/** Magic numbers `file-type` reads when the name tells nothing (a few of its many). */
const SIGNATURES: ReadonlyArray<readonly [string, readonly number[]]> = [
	['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
	['image/jpeg', [0xff, 0xd8, 0xff]],
	['image/gif', [0x47, 0x49, 0x46, 0x38]],
	['application/pdf', [0x25, 0x50, 0x44, 0x46]],
	['application/zip', [0x50, 0x4b, 0x03, 0x04]],
];

/** The extension of a file name, lower case, without the dot ('' when none). */
function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** determineFileType: by name, else by content, else `application/octet-stream`. */
export function determineFileType(content: Uint8Array, name: string): string {
	const byName = MIME_BY_EXTENSION[extensionOf(name)];
	if (byName) {
		return byName;
	}
	const sniffed = SIGNATURES.find(([, bytes]) => bytes.every((byte, i) => content[i] === byte));
	return sniffed ? sniffed[0] : 'application/octet-stream';
}

/**
 * A size as the `filesize` package (3.x, the server's) writes it by default: powers of 1024,
 * B/KB/MB/GB..., at most two decimals, no trailing zeros.
 */
export function formatFileSize(bytes: number): string {
	const symbols = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
	if (bytes <= 0) {
		return '0 B';
	}
	const exponent = Math.min(Math.floor(Math.log(bytes) / Math.log(1024)), symbols.length - 1);
	const value = Number((bytes / 1024 ** exponent).toFixed(exponent === 0 ? 0 : 2));
	return `${value} ${symbols[exponent]}`;
}

/** The largest upload in bytes, read as the server does: `parseInt` of the setting (NaN: no limit). */
export function maxFileSizeOf(value: unknown): number {
	return Number.parseInt(String(value), 10);
}

/** The bridge: uploads stored in the host's SQLite database, shown in the room as the server does. */
export class LocalUploadBridge extends UploadBridge {
	constructor(
		private readonly uploads: UploadStore,
		private readonly directory: Directory,
		private readonly serverSettings: ServerSettings,
		private readonly hooks: IHostHooks,
		private readonly now: () => Date = () => new Date(),
	) {
		super();
	}

	// convertById: the upload's record, its room and user converted; undefined when unknown.
	protected async getById(id: string): Promise<IUpload> {
		const record = this.uploads.recordById(id);
		return (record ? this.toApp(record) : undefined) as IUpload;
	}

	// Upload.getFileBuffer reads the file from its store; anything but a Buffer is 'Unknown error'.
	protected async getBuffer(upload: IUpload): Promise<Buffer> {
		const stored = upload?.id ? this.uploads.byId(upload.id) : undefined;
		if (!stored) {
			throw new Error('Unknown error');
		}
		return stored.content;
	}

	protected async createUpload(
		details: IUploadDetails,
		buffer: Buffer,
		_appId: string,
	): Promise<IUpload> {
		if (!details.userId && !details.visitorToken) {
			throw new Error('Missing user to perform the upload operation');
		}
		if (details.visitorToken) {
			throw new NotSupportedByLocalHostError('UploadBridge', 'createUpload for a livechat visitor');
		}
		// The Deno runtime hands a Uint8Array (msgpack bin) that may be a view on its read buffer.
		const content = Buffer.from(buffer);
		const type = determineFileType(content, details.name);
		const file = {
			name: details.name,
			// The accessor (server/accessors/UploadCreator.js) measured it: `buffer.length`.
			size: Number(details.size) || 0,
			type,
			rid: details.rid,
			userId: details.userId,
		};
		this.checkFilter(file);
		const record = this.uploads.insert({
			id: randomId(),
			roomId: file.rid,
			userId: file.userId,
			name: file.name,
			type,
			extension: extensionOf(file.name),
			content,
			uploadedAt: this.now(),
		});
		// As on the server, a message the room refuses (e.g. read-only) fails the call after the
		// file was stored: the upload stays, without a message.
		this.sendFileMessage(record);
		return this.toApp(record);
	}

	/**
	 * ufs-filter.ts `Filter.check` with the Uploads store's options (minSize 1, no maxSize, any
	 * type), whose onCheck is FileUpload.validateFileUpload: that one throws its own errors at once;
	 * otherwise the filter throws the last error it noted (a custom check that fails wins).
	 */
	private checkFilter(file: {
		name: string;
		size: number;
		type: string;
		rid: string;
		userId: string;
	}): void {
		let error: Error | undefined;
		if (file.size <= 0 || file.size < MIN_FILE_SIZE) {
			error = new MeteorError(
				'file-too-small',
				`File size (size = ${file.size}) is too small (min = ${MIN_FILE_SIZE})`,
			);
		}
		if (!this.validateFileUpload(file)) {
			error = new MeteorError('invalid-file', 'File does not match filter');
		}
		if (error) {
			throw error;
		}
	}

	/**
	 * FileUpload.validateFileUpload, in its order: false for a room that does not exist or a user
	 * (not an app's) who cannot access it; then it throws, with the reason in the uploader's
	 * language (`user.language || 'en'`: an app user has none, so English), when
	 * `FileUpload_Enabled` is off, when `FileUpload_Enabled_Direct` is off and the room is direct,
	 * for a file too large, and for a type the media type lists refuse (an app's file is never an
	 * E2EE upload, so the E2E file rules do not apply). No app here implements IPreFileUpload, so
	 * that event is not raised.
	 */
	private validateFileUpload(file: {
		size: number;
		type: string;
		rid: string;
		userId: string;
	}): boolean {
		const user = file.userId ? this.directory.users.byId(file.userId) : undefined;
		const room = this.directory.rooms.byId(file.rid);
		if (!room) {
			return false;
		}
		if (user?.type !== UserType.APP && !canAccessRoom(room, user)) {
			return false;
		}
		const setting = (id: string) => this.serverSettings.value(id);
		if (!setting('FileUpload_Enabled')) {
			throw new MeteorError('error-file-upload-disabled', 'File uploads are disabled.');
		}
		if (!setting('FileUpload_Enabled_Direct') && room.type === RoomType.DIRECT_MESSAGE) {
			throw new MeteorError(
				'error-direct-message-file-upload-not-allowed',
				'File sharing not allowed in direct messages.',
			);
		}
		// -1 maxFileSize means there is no limit (as does NaN, which `> -1` is not).
		const maxFileSize = maxFileSizeOf(this.serverSettings.value('FileUpload_MaxFileSize'));
		if (maxFileSize > -1 && file.size > maxFileSize) {
			throw new MeteorError(
				'error-file-too-large',
				`File exceeds allowed size of ${formatFileSize(maxFileSize)}`,
			);
		}
		// app/utils/server/restrictions.ts fileUploadIsValidContentType with the two settings.
		const { type } = file;
		const white = setting('FileUpload_MediaTypeWhiteList');
		if (!isValidContentType(type, white, setting('FileUpload_MediaTypeBlackList'))) {
			throw new MeteorError('error-invalid-file-type', 'File type is not accepted.');
		}
		return true;
	}

	/**
	 * sendFileMessage: the uploader must exist; no message for a room that does not exist or that a
	 * member cannot access; the message carries the file and a `file` attachment (one that is not an
	 * image, audio or video: title, link, download link, format, size) and is sent through
	 * executeSendMessage, then the message listeners run as after any sendMessage. Stored here in
	 * the shape the apps' message converter gives (`title_link` → `title.link`...).
	 */
	private sendFileMessage(upload: IUploadRecord): void {
		const { users, rooms, messages } = this.directory;
		const sender = users.byId(upload.userId);
		if (!sender) {
			throw new MeteorError('error-invalid-user', 'Invalid user');
		}
		const room = rooms.byId(upload.roomId);
		if (!room || (sender.type !== UserType.APP && !canAccessRoom(room, sender))) {
			return;
		}
		// FileUpload.getPath(`${file._id}/${encodeURI(file.name)}`): where the client downloads it.
		const link = `/file-upload/${upload.id}/${encodeURI(upload.name)}`;
		const file: IMessageFile = { _id: upload.id, name: upload.name, type: upload.type };
		const attachment: IMessageAttachment & { format: string; size: number } = {
			type: 'file',
			title: { value: upload.name, link, displayDownloadLink: true },
			format: upload.extension,
			size: upload.size,
			fileId: upload.id,
		};
		const message = {
			room,
			sender,
			text: '',
			groupable: false,
			file,
			files: [{ ...file, size: upload.size, format: '' }],
			attachments: [attachment],
			createdAt: this.now(),
		};
		validateUserMessage(message, {
			room,
			sender,
			setting: (id) => this.serverSettings.value(id),
			now: message.createdAt,
		});
		const stored = messages.append(message);
		this.hooks.messageCreated(stored);
	}

	/** converters/uploads.ts convertToApp: the record's fields, its room and user converted. */
	private toApp(record: IUploadRecord): IUpload {
		const site = this.serverSettings.value('Site_Url');
		const siteUrl = (typeof site === 'string' ? site : '').replace(/\/$/, '');
		const path = `/ufs/${UPLOADS_STORE}/${record.id}/${encodeURI(record.name)}`;
		return {
			id: record.id,
			name: record.name,
			size: record.size as unknown as string,
			type: record.type,
			extension: record.extension,
			store: StoreType.GridFS,
			etag: record.id,
			path,
			token: '',
			url: `${siteUrl}${path}`,
			progress: 1,
			uploading: false,
			complete: true,
			updatedAt: record.uploadedAt,
			uploadedAt: record.uploadedAt,
			room: this.directory.rooms.byId(record.roomId) as IRoom,
			user: this.directory.users.byId(record.userId),
		};
	}
}

/** canAccessRoom as the host models it: a member, or anyone with view-c-room for a public channel. */
function canAccessRoom(room: IRoom, user: IUser | undefined): boolean {
	if (!user) {
		return false;
	}
	if ((room.userIds ?? []).includes(user.id)) {
		return true;
	}
	return room.type === RoomType.CHANNEL && hasPermission(user, 'view-c-room', room);
}
