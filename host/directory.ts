import { randomUUID } from 'crypto';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { UserStatusConnection, UserType } from '@rocket.chat/apps-engine/definition/users';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { type Database, parseJson } from './database';

/** A fixture member as the host seeds it. */
export interface IFixtureUser {
	username: string;
	name: string;
	/** The language the member chose in their preferences; none means the workspace default. */
	language?: string;
	roles: string[];
}

/** A fixture room as the host seeds it: every fixture user is a member. */
export interface IFixtureRoom {
	id: string;
	name: string;
	/** A read-only room: only holders of post-readonly may post (the server's `ro`). */
	readOnly?: boolean;
}

export const FIXTURE_USERS: readonly IFixtureUser[] = [
	{ username: 'admin', name: 'Ada Admin', language: 'en', roles: ['admin', 'user'] },
	{ username: 'alice', name: 'Alice Doe', language: 'en', roles: ['user'] },
	{ username: 'bruno', name: 'Bruno Silva', language: 'pt-BR', roles: ['user'] },
	{ username: 'clara', name: 'Clara Schmidt', language: 'de', roles: ['user'] },
	// Kept the workspace default: the server's converter then gives no language at all.
	{ username: 'dora', name: 'Dora Diaz', roles: ['user'] },
];

export const FIXTURE_ROOMS: readonly IFixtureRoom[] = [
	{ id: 'GENERAL', name: 'general' },
	{ id: 'feedback-room', name: 'feedback' },
	{ id: 'announcements-room', name: 'announcements', readOnly: true },
];

const FIXTURE_CREATED_AT = new Date('2024-01-01T00:00:00.000Z');

/** A stored room: the creator and members are kept by id and resolved on read. */
interface IStoredRoom {
	id: string;
	name: string;
	displayName?: string;
	type: RoomType;
	creatorId: string;
	memberIds: string[];
	createdAt: string;
	description?: string;
	readOnly?: boolean;
}

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

/** Date fields the engine and apps expect as Date objects after a JSON round trip. */
function reviveDates<T extends object>(value: T, fields: readonly string[]): T {
	const revived: Record<string, unknown> = { ...(value as Record<string, unknown>) };
	for (const field of fields) {
		const raw = revived[field];
		if (typeof raw === 'string') {
			revived[field] = new Date(raw);
		}
	}
	return revived as unknown as T;
}

/** Users, rooms and message timelines of the local workspace, in SQLite so every host process sees them. */
export class Directory {
	constructor(private readonly database: Database) {}

	/** Inserts the fixture users and rooms unless they exist (idempotent across restarts). */
	public seed(): void {
		this.database
			.transaction(() => {
				for (const fixture of FIXTURE_USERS) {
					const user: IUser = {
						id: `user-${fixture.username}`,
						username: fixture.username,
						name: fixture.name,
						emails: [{ address: `${fixture.username}@example.com`, verified: true }],
						type: UserType.USER,
						isEnabled: true,
						roles: fixture.roles,
						status: 'online',
						statusConnection: UserStatusConnection.ONLINE,
						utcOffset: 0,
						createdAt: FIXTURE_CREATED_AT,
						updatedAt: FIXTURE_CREATED_AT,
						lastLoginAt: FIXTURE_CREATED_AT,
						settings: {
							preferences: fixture.language ? { language: fixture.language } : {},
						},
					};
					this.database
						.prepare(
							'INSERT OR IGNORE INTO users (id, username, app_id, user) VALUES (?, ?, NULL, ?)',
						)
						.run(user.id, user.username, JSON.stringify(user));
				}
				const memberIds = FIXTURE_USERS.map((fixture) => `user-${fixture.username}`);
				for (const fixture of FIXTURE_ROOMS) {
					const room: IStoredRoom = {
						id: fixture.id,
						name: fixture.name,
						type: RoomType.CHANNEL,
						creatorId: 'user-admin',
						memberIds,
						createdAt: FIXTURE_CREATED_AT.toISOString(),
						...(fixture.readOnly ? { readOnly: true } : {}),
					};
					this.database
						.prepare('INSERT OR IGNORE INTO rooms (id, name, room) VALUES (?, ?, ?)')
						.run(room.id, room.name, JSON.stringify(room));
				}
			})
			.immediate();
	}

	/** Finds a user by id. */
	public userById(id: string): IUser | undefined {
		const row = this.database.prepare('SELECT user FROM users WHERE id = ?').get(id) as
			| { user: string }
			| undefined;
		return row ? this.toUser(row.user) : undefined;
	}

	/** Finds a user by username (with or without a leading @). */
	public userByUsername(username: string): IUser | undefined {
		const row = this.database
			.prepare('SELECT user FROM users WHERE username = ?')
			.get(username.replace(/^@/, '')) as { user: string } | undefined;
		return row ? this.toUser(row.user) : undefined;
	}

	/** Finds a user by username or fails with the list of known users. */
	public requireUser(username: string): IUser {
		const user = this.userByUsername(username);
		if (!user) {
			throw new Error(
				`Unknown user "${username}"; known users: ${this.allUsers()
					.map((known) => known.username)
					.join(', ')}`,
			);
		}
		return user;
	}

	/** Every user, fixture members and app users. */
	public allUsers(): IUser[] {
		const rows = this.database.prepare('SELECT user FROM users ORDER BY rowid').all() as Array<{
			user: string;
		}>;
		return rows.map((row) => this.toUser(row.user));
	}

	/** The user the engine created for an app (`<slug>.bot`). */
	public appUser(appId: string): IUser | undefined {
		const row = this.database.prepare('SELECT user FROM users WHERE app_id = ?').get(appId) as
			| { user: string }
			| undefined;
		return row ? this.toUser(row.user) : undefined;
	}

	/** Stores a new user and returns its id. */
	public createUser(data: Partial<IUser>): string {
		if (!data.username) {
			throw new Error('A user needs a username');
		}
		if (this.userByUsername(data.username)) {
			throw new Error(`Username "${data.username}" is already in use`);
		}
		const now = new Date();
		const user: IUser = {
			emails: [],
			type: UserType.USER,
			isEnabled: true,
			name: data.username,
			roles: ['user'],
			status: 'offline',
			statusConnection: UserStatusConnection.OFFLINE,
			utcOffset: 0,
			createdAt: now,
			updatedAt: now,
			lastLoginAt: now,
			...data,
			id: data.id ?? randomUUID(),
			username: data.username,
		};
		this.database
			.prepare('INSERT INTO users (id, username, app_id, user) VALUES (?, ?, ?, ?)')
			.run(user.id, user.username, user.appId ?? null, JSON.stringify(user));
		return user.id;
	}

	/** Merges changes into a stored user. */
	public updateUser(id: string, changes: Partial<IUser>): boolean {
		const user = this.userById(id);
		if (!user) {
			return false;
		}
		const updated: IUser = { ...user, ...changes, id, updatedAt: new Date() };
		this.database
			.prepare('UPDATE users SET username = ?, user = ? WHERE id = ?')
			.run(updated.username, JSON.stringify(updated), id);
		return true;
	}

	/** Deletes a user by id. */
	public removeUser(id: string): boolean {
		return this.database.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
	}

	/** Deletes every user an app created. */
	public removeUsersOfApp(appId: string): boolean {
		return this.database.prepare('DELETE FROM users WHERE app_id = ?').run(appId).changes > 0;
	}

	/** Finds a room by id. */
	public roomById(id: string): IRoom | undefined {
		const stored = this.storedRoom('SELECT room FROM rooms WHERE id = ?', id);
		return stored ? this.toRoom(stored) : undefined;
	}

	/** Finds a room by name (with or without a leading #). */
	public roomByName(name: string): IRoom | undefined {
		const stored = this.storedRoom('SELECT room FROM rooms WHERE name = ?', name.replace(/^#/, ''));
		return stored ? this.toRoom(stored) : undefined;
	}

	/** Finds a room by name or fails with the list of known rooms. */
	public requireRoom(name: string): IRoom {
		const room = this.roomByName(name);
		if (!room) {
			throw new Error(
				`Unknown room "${name}"; known rooms: ${this.allRooms()
					.map((known) => `#${known.slugifiedName}`)
					.join(', ')}`,
			);
		}
		return room;
	}

	/** Every room. */
	public allRooms(): IRoom[] {
		const rows = this.database.prepare('SELECT room FROM rooms ORDER BY rowid').all() as Array<{
			room: string;
		}>;
		return rows.map((row) => this.toRoom(parseJson<IStoredRoom>(row.room, 'rooms.room')));
	}

	/** Ids of the rooms a user belongs to. */
	public roomIdsOfUser(userId: string): string[] {
		return this.allRooms()
			.filter((room) => (room.userIds ?? []).includes(userId))
			.map((room) => room.id);
	}

	/** Members of a room. */
	public membersOf(roomId: string): IUser[] {
		const stored = this.storedRoom('SELECT room FROM rooms WHERE id = ?', roomId);
		if (!stored) {
			throw new Error(`Unknown room id "${roomId}"`);
		}
		return stored.memberIds
			.map((id) => this.userById(id))
			.filter((user): user is IUser => user !== undefined);
	}

	/** Stores a new room with members given by username and returns its id. */
	public createRoom(room: IRoom, memberUsernames: string[]): string {
		const name = room.slugifiedName || room.displayName;
		if (!name) {
			throw new Error('A room needs a name');
		}
		if (this.roomByName(name)) {
			throw new Error(`A room named "${name}" already exists`);
		}
		const stored: IStoredRoom = {
			id: room.id || randomUUID(),
			name,
			displayName: room.displayName,
			type: room.type,
			creatorId: room.creator?.id ?? 'user-admin',
			memberIds: this.idsOfUsernames(memberUsernames),
			createdAt: new Date().toISOString(),
			description: room.description,
			readOnly: room.isReadOnly === true,
		};
		this.database
			.prepare('INSERT INTO rooms (id, name, room) VALUES (?, ?, ?)')
			.run(stored.id, stored.name, JSON.stringify(stored));
		return stored.id;
	}

	/** Replaces a room's description fields and adds members given by username. */
	public updateRoom(room: IRoom, memberUsernames: string[]): void {
		const stored = this.storedRoom('SELECT room FROM rooms WHERE id = ?', room.id);
		if (!stored) {
			throw new Error(`Unknown room id "${room.id}"`);
		}
		const updated: IStoredRoom = {
			...stored,
			displayName: room.displayName ?? stored.displayName,
			description: room.description ?? stored.description,
			readOnly: room.isReadOnly ?? stored.readOnly,
			memberIds: [...new Set([...stored.memberIds, ...this.idsOfUsernames(memberUsernames)])],
		};
		this.database
			.prepare('UPDATE rooms SET room = ? WHERE id = ?')
			.run(JSON.stringify(updated), room.id);
	}

	/** Removes members (by username) from a room. */
	public removeMembers(roomId: string, usernames: string[]): void {
		const stored = this.storedRoom('SELECT room FROM rooms WHERE id = ?', roomId);
		if (!stored) {
			throw new Error(`Unknown room id "${roomId}"`);
		}
		const removed = new Set(this.idsOfUsernames(usernames));
		const updated: IStoredRoom = {
			...stored,
			memberIds: stored.memberIds.filter((id) => !removed.has(id)),
		};
		this.database
			.prepare('UPDATE rooms SET room = ? WHERE id = ?')
			.run(JSON.stringify(updated), roomId);
	}

	/** Deletes a room and its messages. */
	public deleteRoom(roomId: string): void {
		this.database
			.transaction(() => {
				this.database.prepare('DELETE FROM messages WHERE room_id = ?').run(roomId);
				this.database.prepare('DELETE FROM rooms WHERE id = ?').run(roomId);
			})
			.immediate();
	}

	/** Appends a message to its room's timeline and returns it with its id and date. */
	public appendMessage(message: IMessage): IMessage {
		if (!message.room?.id || !this.roomById(message.room.id)) {
			throw new Error(
				`Cannot store a message for unknown room ${JSON.stringify(message.room?.id)}`,
			);
		}
		if (!message.sender?.id || !this.userById(message.sender.id)) {
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
	public updateMessage(message: IMessage): void {
		const current = message.id ? this.storedMessage(message.id) : undefined;
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
	public messageById(id: string): IMessage | undefined {
		const stored = this.storedMessage(id);
		return stored ? this.toMessage(stored) : undefined;
	}

	/** Deletes a message by id. */
	public deleteMessage(id: string): void {
		this.database.prepare('DELETE FROM messages WHERE id = ?').run(id);
	}

	/** A room's messages, oldest first. */
	public messagesOf(roomId: string): IMessage[] {
		const rows = this.database
			.prepare('SELECT message FROM messages WHERE room_id = ? ORDER BY seq')
			.all(roomId) as Array<{ message: string }>;
		return rows.map((row) =>
			this.toMessage(parseJson<IStoredMessage>(row.message, 'messages.message')),
		);
	}

	/** A room's messages, oldest first, in a compact shape for tests and the CLI. */
	public timeline(roomId: string): ITimelineMessage[] {
		return this.messagesOf(roomId).map((message) => ({
			id: message.id ?? '',
			room: message.room.slugifiedName,
			sender: message.sender.username,
			text: message.text ?? '',
			createdAt: message.createdAt ?? new Date(0),
			...(message.threadId ? { threadId: message.threadId } : {}),
			...(message.blocks ? { blocks: message.blocks } : {}),
			...(message.attachments ? { attachments: message.attachments } : {}),
			...(message.customFields ? { customFields: message.customFields } : {}),
		}));
	}

	private idsOfUsernames(usernames: string[]): string[] {
		return usernames.map((username) => this.requireUser(username).id);
	}

	private storedRoom(sql: string, key: string): IStoredRoom | undefined {
		const row = this.database.prepare(sql).get(key) as { room: string } | undefined;
		return row ? parseJson<IStoredRoom>(row.room, 'rooms.room') : undefined;
	}

	private storedMessage(id: string): IStoredMessage | undefined {
		const row = this.database.prepare('SELECT message FROM messages WHERE id = ?').get(id) as
			| { message: string }
			| undefined;
		return row ? parseJson<IStoredMessage>(row.message, 'messages.message') : undefined;
	}

	/**
	 * A stored user in the shape the server's converter gives apps
	 * (apps/meteor/app/apps/server/converters/users.ts): `settings.preferences` holds the
	 * language only when the member chose one, and nothing else.
	 */
	private toUser(json: string): IUser {
		const user = reviveDates(parseJson<IUser>(json, 'users.user'), [
			'createdAt',
			'updatedAt',
			'lastLoginAt',
		]);
		const language = user.settings?.preferences?.language;
		return { ...user, settings: { preferences: language ? { language } : {} } };
	}

	private toRoom(stored: IStoredRoom): IRoom {
		const creator = this.userById(stored.creatorId);
		if (!creator) {
			throw new Error(`Room ${stored.name} has an unknown creator ${stored.creatorId}`);
		}
		const members = stored.memberIds
			.map((id) => this.userById(id))
			.filter((user): user is IUser => user !== undefined);
		return {
			id: stored.id,
			slugifiedName: stored.name,
			displayName: stored.displayName ?? stored.name,
			type: stored.type,
			creator,
			usernames: members.map((member) => member.username),
			userIds: members.map((member) => member.id),
			isDefault: stored.id === 'GENERAL',
			isReadOnly: stored.readOnly === true,
			displaySystemMessages: true,
			createdAt: new Date(stored.createdAt),
			updatedAt: new Date(stored.createdAt),
			...(stored.description ? { description: stored.description } : {}),
		};
	}

	private toMessage(stored: IStoredMessage): IMessage {
		const { roomId, senderId, editorId, ...rest } = stored;
		const room = this.roomById(roomId);
		const sender = this.userById(senderId);
		if (!room || !sender) {
			throw new Error(`Message ${stored.id} refers to a missing room or sender`);
		}
		const editor = editorId ? this.userById(editorId) : undefined;
		return reviveDates({ ...rest, room, sender, ...(editor ? { editor } : {}) }, [
			'createdAt',
			'updatedAt',
			'editedAt',
		]);
	}
}
