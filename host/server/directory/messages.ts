import { randomUUID } from 'crypto';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';

import { reviveDates } from './revive';
import type { RoomStore } from './rooms';
import type { UserStore } from './users';
import { type Database, parseJson } from '../database';

/**
 * A stored message: room, sender and editor are kept by id and resolved on read. A history row
 * (Message_KeepHistory) is the message as it was before an edit, `_hidden` with its `parent`.
 */
export interface IStoredMessage extends Omit<IMessage, 'room' | 'sender' | 'editor'> {
	id: string;
	roomId: string;
	senderId: string;
	editorId?: string;
	_hidden?: true;
	parent?: string;
}

/** A message of a room's timeline, in the shape tests read. */
export interface ITimelineMessage {
	id: string;
	room: string;
	sender: string;
	text: string;
	createdAt: Date;
	threadId?: string;
	blocks?: unknown[];
	attachments?: unknown[];
	/** The custom fields the server stored with the message (see server-rules.ts). */
	customFields?: Record<string, unknown>;
	/** When it was last edited (functions/updateMessage.ts sets it), and by whom (username). */
	editedAt?: Date;
	editedBy?: string;
}

/** The rooms' message timelines, in SQLite so every host process sees them. */
export class MessageStore {
	constructor(
		private readonly database: Database,
		private readonly users: UserStore,
		private readonly rooms: RoomStore,
	) {}

	/** Appends a message to its room's timeline and returns it with its id and date. */
	public append(message: IMessage): IMessage {
		if (!message.room?.id || !this.rooms.byId(message.room.id)) {
			throw new Error(
				`Cannot store a message for unknown room ${JSON.stringify(message.room?.id)}`,
			);
		}
		if (!message.sender?.id || !this.users.byId(message.sender.id)) {
			throw new Error(
				`Cannot store a message from unknown sender ${JSON.stringify(message.sender?.id)}`,
			);
		}
		const { room, sender, editor, ...rest } = message;
		const stored: IStoredMessage = {
			...rest,
			id: message.id ?? randomUUID(),
			roomId: room.id,
			senderId: sender.id,
			editorId: editor?.id,
			createdAt: message.createdAt ? new Date(message.createdAt) : new Date(),
		};
		this.database
			.prepare('INSERT INTO messages (id, room_id, message) VALUES (?, ?, ?)')
			.run(stored.id, stored.roomId, JSON.stringify(stored));
		return this.toMessage(stored);
	}

	/** Writes a stored message over the one with its id (as Messages.updateOne `$set` it whole). */
	public replace(message: IStoredMessage, updatedAt: Date): void {
		const result = this.database
			.prepare('UPDATE messages SET message = ?, room_id = ? WHERE id = ?')
			.run(JSON.stringify({ ...message, updatedAt }), message.roomId, message.id);
		if (result.changes === 0) {
			throw new Error(`Unknown message id ${JSON.stringify(message.id)}`);
		}
	}

	/**
	 * Keeps a message as it is now in a hidden history row, as Messages.cloneAndSaveAsHistoryById
	 * (packages/models/src/models/Messages.ts) does: a copy under a new id, `_hidden`, with its
	 * `parent` and the edit's time and editor as `editedAt` / `editedBy`.
	 */
	public keepHistory(id: string, editorId: string, editedAt: Date): void {
		const current = this.stored(id);
		if (!current) {
			throw new Error('Record not found');
		}
		const copy: IStoredMessage = {
			...current,
			id: randomUUID(),
			_hidden: true,
			parent: id,
			editedAt,
			editorId,
		};
		this.database
			.prepare('INSERT INTO messages (id, room_id, message) VALUES (?, ?, ?)')
			.run(copy.id, copy.roomId, JSON.stringify(copy));
	}

	/** A message's history rows (Message_KeepHistory), oldest first. */
	public history(id: string): IMessage[] {
		const current = this.stored(id);
		return this.storedOfRoom(current?.roomId ?? '')
			.filter((stored) => stored.parent === id)
			.map((stored) => this.toMessage(stored));
	}

	/** Finds a message by id, as the server's findOneById: a history row too. */
	public byId(id: string): IMessage | undefined {
		const stored = this.stored(id);
		return stored ? this.toMessage(stored) : undefined;
	}

	/** A message as stored (room, sender and editor by id), or undefined. */
	public storedById(id: string): IStoredMessage | undefined {
		return this.stored(id);
	}

	/** Deletes a message by id. */
	public delete(id: string): void {
		this.database.prepare('DELETE FROM messages WHERE id = ?').run(id);
	}

	/** A room's messages, oldest first; history rows are hidden, as the server's visible queries hide them. */
	public ofRoom(roomId: string): IMessage[] {
		return this.storedOfRoom(roomId)
			.filter((stored) => stored._hidden !== true)
			.map((stored) => this.toMessage(stored));
	}

	/** A room's messages, oldest first, in a compact shape for tests and the CLI. */
	public timeline(roomId: string): ITimelineMessage[] {
		return this.ofRoom(roomId).map((message) => ({
			id: message.id ?? '',
			// A direct room has no name: its id.
			room: message.room.slugifiedName ?? message.room.id,
			sender: message.sender.username,
			text: message.text ?? '',
			createdAt: message.createdAt ?? new Date(0),
			...(message.threadId ? { threadId: message.threadId } : {}),
			...(message.blocks ? { blocks: message.blocks } : {}),
			...(message.attachments ? { attachments: message.attachments } : {}),
			...(message.customFields ? { customFields: message.customFields } : {}),
			...(message.editedAt ? { editedAt: message.editedAt } : {}),
			...(message.editor ? { editedBy: message.editor.username } : {}),
		}));
	}

	private storedOfRoom(roomId: string): IStoredMessage[] {
		const rows = this.database
			.prepare('SELECT message FROM messages WHERE room_id = ? ORDER BY seq')
			.all(roomId) as Array<{ message: string }>;
		return rows.map((row) => parseJson<IStoredMessage>(row.message, 'messages.message'));
	}

	private stored(id: string): IStoredMessage | undefined {
		const row = this.database.prepare('SELECT message FROM messages WHERE id = ?').get(id) as
			| { message: string }
			| undefined;
		return row ? parseJson<IStoredMessage>(row.message, 'messages.message') : undefined;
	}

	private toMessage(stored: IStoredMessage): IMessage {
		const { roomId, senderId, editorId, ...rest } = stored;
		const room = this.rooms.byId(roomId);
		const sender = this.users.byId(senderId);
		if (!room || !sender) {
			throw new Error(`Message ${stored.id} refers to a missing room or sender`);
		}
		const editor = editorId ? this.users.byId(editorId) : undefined;
		return reviveDates({ ...rest, room, sender, ...(editor ? { editor } : {}) }, [
			'createdAt',
			'updatedAt',
			'editedAt',
		]);
	}
}
