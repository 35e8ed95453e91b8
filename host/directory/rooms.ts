import { randomUUID } from 'crypto';

import type { IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { UserStore } from './users';
import { type Database, parseJson } from '../database';

/** A stored room: the creator and members are kept by id and resolved on read. */
export interface IStoredRoom {
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

/** The workspace's rooms and their members, in SQLite so every host process sees them. */
export class RoomStore {
	constructor(
		private readonly database: Database,
		private readonly users: UserStore,
	) {}

	/** Finds a room by id. */
	public byId(id: string): IRoom | undefined {
		const stored = this.stored('SELECT room FROM rooms WHERE id = ?', id);
		return stored ? this.toRoom(stored) : undefined;
	}

	/** Finds a room by name (with or without a leading #). */
	public byName(name: string): IRoom | undefined {
		const stored = this.stored('SELECT room FROM rooms WHERE name = ?', name.replace(/^#/, ''));
		return stored ? this.toRoom(stored) : undefined;
	}

	/** Finds a room by name or fails with the list of known rooms. */
	public require(name: string): IRoom {
		const room = this.byName(name);
		if (!room) {
			throw new Error(
				`Unknown room "${name}"; known rooms: ${this.all()
					.map((known) => `#${known.slugifiedName}`)
					.join(', ')}`,
			);
		}
		return room;
	}

	/** Every room. */
	public all(): IRoom[] {
		const rows = this.database.prepare('SELECT room FROM rooms ORDER BY rowid').all() as Array<{
			room: string;
		}>;
		return rows.map((row) => this.toRoom(parseJson<IStoredRoom>(row.room, 'rooms.room')));
	}

	/** Ids of the rooms a user belongs to. */
	public idsOfMember(userId: string): string[] {
		return this.all()
			.filter((room) => (room.userIds ?? []).includes(userId))
			.map((room) => room.id);
	}

	/** Members of a room. */
	public members(roomId: string): IUser[] {
		return this.requireStored(roomId)
			.memberIds.map((id) => this.users.byId(id))
			.filter((user): user is IUser => user !== undefined);
	}

	/** Stores a room unless one with its id exists (seeding is idempotent across restarts). */
	public insertIfMissing(room: IStoredRoom): void {
		this.database
			.prepare('INSERT OR IGNORE INTO rooms (id, name, room) VALUES (?, ?, ?)')
			.run(room.id, room.name, JSON.stringify(room));
	}

	/** Stores a new room with members given by username and returns its id. */
	public create(room: IRoom, memberUsernames: string[]): string {
		const name = room.slugifiedName || room.displayName;
		if (!name) {
			throw new Error('A room needs a name');
		}
		if (this.byName(name)) {
			throw new Error(`A room named "${name}" already exists`);
		}
		const stored: IStoredRoom = {
			id: room.id || randomUUID(),
			name,
			displayName: room.displayName,
			type: room.type,
			creatorId: room.creator?.id ?? 'user-admin',
			memberIds: this.users.idsOfUsernames(memberUsernames),
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
	public update(room: IRoom, memberUsernames: string[]): void {
		const stored = this.requireStored(room.id);
		this.save({
			...stored,
			displayName: room.displayName ?? stored.displayName,
			description: room.description ?? stored.description,
			readOnly: room.isReadOnly ?? stored.readOnly,
			memberIds: [...new Set([...stored.memberIds, ...this.users.idsOfUsernames(memberUsernames)])],
		});
	}

	/** Removes members (by username) from a room. */
	public removeMembers(roomId: string, usernames: string[]): void {
		const stored = this.requireStored(roomId);
		const removed = new Set(this.users.idsOfUsernames(usernames));
		this.save({ ...stored, memberIds: stored.memberIds.filter((id) => !removed.has(id)) });
	}

	/** Deletes a room and its messages (the server deletes a room's messages with it). */
	public delete(roomId: string): void {
		this.database
			.transaction(() => {
				this.database.prepare('DELETE FROM messages WHERE room_id = ?').run(roomId);
				this.database.prepare('DELETE FROM rooms WHERE id = ?').run(roomId);
			})
			.immediate();
	}

	private save(room: IStoredRoom): void {
		this.database
			.prepare('UPDATE rooms SET room = ? WHERE id = ?')
			.run(JSON.stringify(room), room.id);
	}

	private requireStored(roomId: string): IStoredRoom {
		const stored = this.stored('SELECT room FROM rooms WHERE id = ?', roomId);
		if (!stored) {
			throw new Error(`Unknown room id "${roomId}"`);
		}
		return stored;
	}

	private stored(sql: string, key: string): IStoredRoom | undefined {
		const row = this.database.prepare(sql).get(key) as { room: string } | undefined;
		return row ? parseJson<IStoredRoom>(row.room, 'rooms.room') : undefined;
	}

	private toRoom(stored: IStoredRoom): IRoom {
		const creator = this.users.byId(stored.creatorId);
		if (!creator) {
			throw new Error(`Room ${stored.name} has an unknown creator ${stored.creatorId}`);
		}
		const members = stored.memberIds
			.map((id) => this.users.byId(id))
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
}
