import { randomUUID } from 'crypto';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';

import { reviveDates } from './revive';
import type { RoomStore } from './rooms';
import type { UserStore } from './users';
import { type Database, parseJson } from '../database';

/** A stored message: room and sender are kept by id and resolved on read. */
interface IStoredMessage extends Omit<IMessage, 'room' | 'sender' | 'editor'> {
	id: string;
	roomId: string;
	senderId: string;
	editorId?: string;
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

	/** Replaces a stored message's content (same id). */
	public update(message: IMessage): void {
		const current = message.id ? this.stored(message.id) : undefined;
		if (!current || !message.id) {
			throw new Error(`Unknown message id ${JSON.stringify(message.id)}`);
		}
		const { room: _room, sender: _sender, editor, ...rest } = message;
		const updated: IStoredMessage = {
			...current,
			...rest,
			id: message.id,
			editorId: editor?.id ?? current.editorId,
			updatedAt: new Date(),
		};
		this.database
			.prepare('UPDATE messages SET message = ? WHERE id = ?')
			.run(JSON.stringify(updated), message.id);
	}

	/** Finds a message by id. */
	public byId(id: string): IMessage | undefined {
		const stored = this.stored(id);
		return stored ? this.toMessage(stored) : undefined;
	}

	/** Deletes a message by id. */
	public delete(id: string): void {
		this.database.prepare('DELETE FROM messages WHERE id = ?').run(id);
	}

	/** A room's messages, oldest first. */
	public ofRoom(roomId: string): IMessage[] {
		const rows = this.database
			.prepare('SELECT message FROM messages WHERE room_id = ? ORDER BY seq')
			.all(roomId) as Array<{ message: string }>;
		return rows.map((row) =>
			this.toMessage(parseJson<IStoredMessage>(row.message, 'messages.message')),
		);
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
		}));
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
