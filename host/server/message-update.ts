// An app's edit of a stored message, as Rocket.Chat does it since the engine's builders send only
// what changed (apps-engine 1.62: deno-runtime ModifyUpdater `_finishMessage` sends
// `{ id, ...builder.getChanges() }`, e.g. `{ id, editor, blocks }`):
// apps/meteor/app/apps/server/bridges/messages.ts `update` needs an editor, converts the changes
// partially (converters/messages.ts `convertAppMessage(message, true)`) and calls
// app/lib/server/functions/updateMessage.ts, which merges them over the stored message, keeps a
// history row when Message_KeepHistory is on, sets editedAt/editedBy, does nothing when the room
// is gone, runs Message.beforeSave and validates customFields as on create, then stores it.
// Neither the size rule (Message_MaxAllowedSize: only executeSendMessage and the `updateMessage`
// method check it) nor the editing permissions and time limit (the method's) apply to an app.
// Not modelled: beforeSave's rewrites (markdown, mentions, the bad-words filter, off by default;
// none refuses an edit: the @all/@here and MAC checks skip edited messages), URL previews, and
// the apps' IPreMessageUpdated*/IPostMessageUpdated listeners (the host runs no pre-send
// listeners for an app's own posts either).
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';

import type { Directory, IStoredMessage } from './directory';
import { validateCustomMessageFields } from './server-rules';

/** bridges/messages.ts `update`: the changes carry no editor. */
export const INVALID_EDITOR_ERROR = 'Invalid editor assigned to the message for the update.';

/** functions/updateMessage.ts: no stored message has the id. */
export const INVALID_MESSAGE_ID_ERROR = 'Invalid message ID.';

/**
 * convertAppMessage reads the editor with `editor!._id` after `Users.findOneById`: an editor who
 * is no user fails there, with the runtime's own TypeError, before the bridge's own check.
 */
export const MISSING_EDITOR_ERROR = "Cannot read properties of null (reading '_id')";

/** The message fields convertAppMessage maps (livechat's `token` too); a partial conversion keeps those given. */
const CONVERTED_FIELDS = [
	'threadId',
	'text',
	'createdAt',
	'emoji',
	'avatarUrl',
	'alias',
	'customFields',
	'groupable',
	'attachments',
	'reactions',
	'parseUrls',
	'blocks',
	'token',
] as const;

/** What an edit looks at besides the changes: the stores, the server settings, the clock. */
export interface IMessageUpdateContext {
	readonly directory: Directory;
	readonly setting: (id: string) => unknown;
	readonly now: Date;
}

/**
 * Applies an app's changes to a stored message as the server does; resolves the message as
 * stored, or undefined when its room is gone (the server then returns without storing).
 */
export function updateAppMessage(
	changes: IMessage,
	context: IMessageUpdateContext,
): IMessage | undefined {
	const { directory, now } = context;
	if (!changes.editor) {
		throw new Error(INVALID_EDITOR_ERROR);
	}
	const converted = convertChanges(changes, directory);
	// The bridge's own lookup of the editor cannot fail once the converter found them.
	const editorId = changes.editor.id;
	const original = changes.id ? directory.messages.storedById(changes.id) : undefined;
	if (!original) {
		throw new Error(INVALID_MESSAGE_ID_ERROR);
	}
	const merged: IStoredMessage = { ...original, ...converted };
	if (context.setting('Message_KeepHistory')) {
		// Before the room check and the custom fields: a refused edit still leaves its history row.
		directory.messages.keepHistory(original.id, editorId, now);
	}
	merged.editedAt = now;
	merged.editorId = editorId;
	if (!directory.rooms.byId(merged.roomId)) {
		return undefined;
	}
	// Any truthy value is checked, the stored ones too: fields posted while allowed are refused
	// once an admin turned custom fields off or changed the schema.
	if (merged.customFields) {
		validateCustomMessageFields(
			merged.customFields,
			context.setting('Message_CustomFields_Enabled'),
			context.setting('Message_CustomFields'),
		);
	}
	// BaseRaw.updateOne stamps `_updatedAt` itself, whatever the app sent.
	directory.messages.replace(merged, now);
	return directory.messages.byId(merged.id);
}

/**
 * convertAppMessage(message, true): the room only when it exists, the sender as given (looked up
 * when known), the editor looked up, and of the other fields only those the app changed.
 */
function convertChanges(changes: IMessage, directory: Directory): Partial<IStoredMessage> {
	const converted: Partial<IStoredMessage> = {};
	if (changes.room?.id && directory.rooms.byId(changes.room.id)) {
		converted.roomId = changes.room.id;
	}
	if (changes.sender?.id) {
		converted.senderId = changes.sender.id;
	}
	if (changes.editor && !directory.users.byId(changes.editor.id)) {
		throw new TypeError(MISSING_EDITOR_ERROR);
	}
	const given = changes as unknown as Record<string, unknown>;
	for (const field of CONVERTED_FIELDS) {
		if (given[field] !== undefined) {
			(converted as Record<string, unknown>)[field] = given[field];
		}
	}
	return converted;
}
