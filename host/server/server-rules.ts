// The rules Rocket.Chat applies to a message before storing it, as pure functions, so the
// local host refuses exactly what the server refuses, with the server's error texts.
// An app's message: apps/meteor/app/apps/server/bridges/messages.ts `create` converts it
// (converters/messages.ts `convertAppMessage`) and calls `executeSendMessage`
// (app/lib/server/methods/sendMessage.ts), which checks the timestamp and size, then
// `canSendMessageAsync` (app/authorization/server/functions/canSendMessage.ts), then
// `sendMessage` → `validateMessage` (app/lib/server/functions/sendMessage.ts) →
// `validateCustomMessageFields` (app/lib/server/lib/validateCustomMessageFields.ts); in an
// encrypted room executeSendMessage refuses a plain message (`isRefusedAsUnencrypted`).
// Only a created message's text is size-checked: attachments and blocks are not counted, and
// neither edits (bridges/messages.ts `update` → functions/updateMessage.ts) nor ephemeral messages
// (`notifyUser`, a broadcast) are checked at all, here as there.
// Not modelled: muted users and blocked direct messages (the host has neither), attachment
// field checks, and the @all/@here permission check of the message service's beforeSave.
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { type IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { type IUser, UserType } from '@rocket.chat/apps-engine/definition/users';
import Ajv, { type ValidateFunction } from 'ajv';

/** An error as Meteor.Error words it: `reason [error]`. */
export class MeteorError extends Error {
	constructor(
		public readonly error: string,
		public readonly reason: string,
	) {
		super(`${reason} [${error}]`);
	}
}

/**
 * The server refused a member's message before any app saw it (what the client shows as the
 * method's error); the message is the server's.
 */
export class MessageRefusedError extends Error {
	constructor(public readonly refusal: Error) {
		super(refusal.message);
		this.name = 'MessageRefusedError';
	}
}

/** Roles holding a permission on a fresh server (app/authorization/server/constant/permissions.ts). */
export const DEFAULT_PERMISSION_ROLES: Readonly<Record<string, readonly string[]>> = {
	'post-readonly': ['admin', 'owner', 'moderator'],
	'message-impersonate': ['bot', 'app'],
	'view-c-room': ['admin', 'user', 'federated-external', 'bot', 'app', 'anonymous'],
	'create-d': ['admin', 'user', 'bot', 'app'],
	'view-d-room': ['admin', 'user', 'bot', 'app', 'guest'],
};

/** The server's error for a message into a read-only room (canSendMessage.ts). */
export const READ_ONLY_ROOM_ERROR = "You can't send messages because the room is readonly.";

/** The converter's error for a message naming a room that does not exist (converters/messages.ts). */
export const INVALID_ROOM_ERROR = 'Invalid room provided on the message.';

/** executeSendMessage's reason for a plain message in an encrypted room (methods/sendMessage.ts). */
export const UNENCRYPTED_MESSAGE_REASON =
	'Not allowed to send un-encrypted messages in an encrypted room';

/**
 * Whether a room is end-to-end encrypted, read where apps find it: the server's room converter
 * (app/apps/server/converters/rooms.ts `convertRoom`) does not map the room's `encrypted`, so
 * transformMappedData hands it over among the room's `_unmappedProperties_`.
 */
export function isEncryptedRoom(room: IRoom): boolean {
	const unmapped = (room as { _unmappedProperties_?: { encrypted?: unknown } })
		._unmappedProperties_;
	return unmapped?.encrypted === true;
}

/** What the rules look at besides the message: the stored room and sender, the settings, the clock. */
export interface IMessageRuleContext {
	/** The room looked up by the message's room id; undefined when there is none. */
	readonly room: IRoom | undefined;
	/** The sender looked up by id; undefined when unknown. */
	readonly sender: IUser | undefined;
	/** A server setting's current value. */
	readonly setting: (id: string) => unknown;
	/** The server's clock. */
	readonly now: Date;
}

/**
 * Whether a user holds a permission, globally or in a room. Room roles are modelled
 * minimally: the room's creator is its owner (the server subscribes the creator as owner).
 */
export function hasPermission(user: IUser, permission: string, room?: IRoom): boolean {
	const holders = DEFAULT_PERMISSION_ROLES[permission] ?? [];
	const roles = [...(user.roles ?? [])];
	if (room && room.creator?.id === user.id) {
		roles.push('owner');
	}
	return roles.some((role) => holders.includes(role));
}

/** Checks a message an app creates as the server does; returns the date the server stores it with. */
export function validateAppMessage(message: IMessage, context: IMessageRuleContext): Date {
	// convertAppMessage: the room must exist (looked up by id).
	const { room } = context;
	if (!room) {
		throw new Error(INVALID_ROOM_ERROR);
	}
	// convertAppMessage always sets `ts`, so executeSendMessage treats it as the client's.
	const createdAt = checkTimestamp(message.createdAt, context.now);
	checkMessageSize(message.text, context.setting('Message_MaxAllowedSize'));
	const sender = requireSender(context.sender);
	checkCanSendMessage(room, sender);
	checkEncryptedRoom(room, context.setting);
	validateMessage(message, room, sender, context.setting);
	return createdAt;
}

/** Checks a message a member sends (the `sendMessage` method → executeSendMessage) as the server does. */
export function validateUserMessage(message: IMessage, context: IMessageRuleContext): void {
	checkMessageSize(message.text, context.setting('Message_MaxAllowedSize'));
	const sender = requireSender(context.sender);
	if (!context.room) {
		throw new Error('error-invalid-room');
	}
	checkCanSendMessage(context.room, sender);
	checkEncryptedRoom(context.room, context.setting);
	validateMessage(message, context.room, sender, context.setting);
}

/** After apps' pre-send listeners changed a message, the server runs validateMessage again. */
export function revalidateMessage(message: IMessage, context: IMessageRuleContext): void {
	if (context.room && context.sender) {
		validateMessage(message, context.room, context.sender, context.setting);
	}
}

/** executeSendMessage: a client's timestamp may be off by 60 s at most; beyond 10 s the server's clock wins. */
function checkTimestamp(createdAt: Date | undefined, now: Date): Date {
	if (!createdAt) {
		return now;
	}
	const sent = new Date(createdAt);
	const difference = Math.abs(sent.getTime() - now.getTime());
	if (difference > 60_000) {
		throw new MeteorError('error-message-ts-out-of-sync', 'Message timestamp is out of sync');
	}
	return difference > 10_000 ? now : sent;
}

/** executeSendMessage: text longer than Message_MaxAllowedSize (UTF-16 units, as JS counts) is refused. */
function checkMessageSize(text: string | undefined, maxAllowedSize: unknown): void {
	if (text && text.length > Number(maxAllowedSize ?? 0)) {
		throw new MeteorError(
			'error-message-size-exceeded',
			'Message size exceeds Message_MaxAllowedSize',
		);
	}
}

/** executeSendMessage: the sender must be a stored user with a username. */
function requireSender(sender: IUser | undefined): IUser {
	if (!sender?.username) {
		throw new MeteorError('error-invalid-user', 'Invalid user');
	}
	return sender;
}

/** canSendMessage.ts: room access (not asked of app users) and read-only rooms. */
function checkCanSendMessage(room: IRoom, sender: IUser): void {
	// `type !== 'app'`: canAccessRoom; public channels need view-c-room, others membership.
	if (sender.type !== UserType.APP) {
		const member = (room.userIds ?? []).includes(sender.id);
		const publicChannel =
			room.type === RoomType.CHANNEL && hasPermission(sender, 'view-c-room', room);
		if (!member && !publicChannel) {
			throw new Error('error-not-allowed');
		}
	}
	// The server also lets a manually unmuted user post; the host has no unmuted lists.
	if (room.isReadOnly === true && !hasPermission(sender, 'post-readonly', room)) {
		throw new Error(READ_ONLY_ROOM_ERROR);
	}
}

/**
 * executeSendMessage, right after canSendMessageAsync: in an encrypted room, with E2E_Enable on
 * and E2E_Allow_Unencrypted_Messages off, a message whose `t` is not 'e2e' is refused. An app's
 * message never is 'e2e' (the apps' message converter sets no `t` from an app), nor is a file
 * message (sendFileMessage sends the app's upload without msgData), nor a member's from the page.
 */
export function isRefusedAsUnencrypted(room: IRoom, setting: (id: string) => unknown): boolean {
	return (
		isEncryptedRoom(room) &&
		setting('E2E_Enable') === true &&
		setting('E2E_Allow_Unencrypted_Messages') !== true
	);
}

function checkEncryptedRoom(room: IRoom, setting: (id: string) => unknown): void {
	if (isRefusedAsUnencrypted(room, setting)) {
		throw new MeteorError('error-not-allowed', UNENCRYPTED_MESSAGE_REASON);
	}
}

/**
 * restrictions.ts fileUploadIsValidContentTypeFromSettings: lists are comma-separated and
 * trimmed, `type/*` matches a whole group; a type on the black list is refused, an empty or `*`
 * white list accepts the rest, else the type must be on it. A missing type is refused when there
 * is a black list.
 */
export function isValidContentType(type: string, whiteList: unknown, blackList: unknown): boolean {
	const listOf = (value: unknown) =>
		typeof value === 'string' && value !== ''
			? value.split(',').map((item) => item.trim())
			: undefined;
	const onList = (list: string[]) =>
		list.includes(type) ||
		list.filter((item) => item.indexOf('/*') > 0).includes(type.replace(/(\/.*)$/, '/*'));
	const black = listOf(blackList);
	const white = whiteList === '*' ? undefined : listOf(whiteList);
	if (!type && black) {
		return false;
	}
	if (black && onList(black)) {
		return false;
	}
	return !white || onList(white);
}

/** functions/sendMessage.ts validateMessage: impersonation and custom fields. */
function validateMessage(
	message: IMessage,
	room: IRoom,
	sender: IUser,
	setting: (id: string) => unknown,
): void {
	if ((message.alias || message.avatarUrl) && !hasPermission(sender, 'message-impersonate', room)) {
		throw new Error('Not enough permission');
	}
	// Any truthy value is checked, `{}` included (then `required` in the schema refuses it).
	if (message.customFields) {
		validateCustomMessageFields(
			message.customFields,
			setting('Message_CustomFields_Enabled'),
			setting('Message_CustomFields'),
		);
	}
}

// One ajv instance with default options, as the server's module has.
const ajv = new Ajv();
const compiledSchemas = new Map<string, ValidateFunction>();

/** The server compiles the schema text with `type: 'object'` and no extra properties. */
function customFieldsValidate(schemaText: string): ValidateFunction {
	const cached = compiledSchemas.get(schemaText);
	if (cached) {
		return cached;
	}
	// JSON.parse and property access throw as on the server ('' → "Unexpected end of JSON input").
	const schema = JSON.parse(schemaText) as { type?: unknown };
	if (schema.type && schema.type !== 'object') {
		throw new Error('Invalid custom fields config');
	}
	const validate = ajv.compile({ ...schema, type: 'object', additionalProperties: false });
	compiledSchemas.set(schemaText, validate);
	return validate;
}

/** validateCustomMessageFields.ts: custom fields need the setting on and must fit its schema. */
export function validateCustomMessageFields(
	customFields: unknown,
	messageCustomFieldsEnabled: unknown,
	messageCustomFields: unknown,
): void {
	if (messageCustomFieldsEnabled !== true) {
		throw new Error('Custom fields not enabled');
	}
	const validate = customFieldsValidate(String(messageCustomFields));
	if (!validate(customFields)) {
		throw new Error('Invalid custom fields');
	}
}
