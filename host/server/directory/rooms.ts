import { randomUUID } from 'crypto';

import { type IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { UserStore } from './users';
import { randomId } from '../../random-id';
import { type Database, parseJson } from '../database';
import { hasPermission, MeteorError } from '../server-rules';

/** Rocket.Chat's default `DirectMesssage_maxUsers` (sic): members of a direct room, creator included. */
export const DIRECT_MESSAGE_MAX_USERS = 8;

/** A stored room: the creator and members are kept by id and resolved on read. */
export interface IStoredRoom {
	id: string;
	/** The room's name; a direct room has none and is stored under its id. */
	name: string;
	displayName?: string;
	type: RoomType;
	creatorId: string;
	memberIds: string[];
	createdAt: string;
	description?: string;
	readOnly?: boolean;
	/** A direct room's members' usernames, ordered by name as the server stores them. */
	usernames?: string[];
	/** End-to-end encrypted (the server's room field `encrypted`). */
	encrypted?: boolean;
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

	/**
	 * Starts a direct room as Rocket.Chat's createDirectMessage (apps/meteor/server/methods/
	 * createDirectMessage.ts) and createDirectRoom (app/lib/server/functions/createDirectRoom.ts)
	 * do, for the apps' room bridge (app/apps/server/bridges/rooms.ts `create`, type 'd'): the
	 * creator and the members named (the creator's own name is dropped, unknown ones are refused
	 * with `error-invalid-user`); the creator needs `create-d` (roles admin, user, bot, app);
	 * at most DirectMesssage_maxUsers members; when a direct room of exactly these users exists,
	 * its id is returned and nothing is created. A new room gets a `Random.id()` (older servers
	 * joined the two user ids), no name, its members' user ids sorted and their usernames ordered
	 * by name, and the `extraData` createRoom's callbacks gave it (`encrypted`). Returns the room id.
	 */
	public createDirect(
		creatorId: string,
		memberUsernames: string[],
		extraData: { readonly encrypted?: boolean } = {},
	): string {
		const me = this.users.byId(creatorId);
		if (!me?.username) {
			throw new MeteorError('error-invalid-user', 'Invalid user');
		}
		const others = [...new Set(memberUsernames.filter((username) => username !== me.username))].map(
			(username) => {
				const user = this.users.byUsernameIgnoringCase(username);
				if (!user) {
					throw new MeteorError('error-invalid-user', 'Invalid user');
				}
				return user;
			},
		);
		const members = [me, ...others.filter((user) => user.id !== me.id)];
		const uids = members.map((member) => member.id).sort();
		const existing = this.directWithUserIds(uids);
		if (!hasPermission(me, 'create-d')) {
			// Without create-d, view-d-room may still reach an existing one.
			if (existing && hasPermission(me, 'view-d-room')) {
				return existing.id;
			}
			throw new MeteorError('error-not-allowed', 'Not allowed');
		}
		if (members.length > DIRECT_MESSAGE_MAX_USERS) {
			throw new Error('error-direct-message-max-user-exceeded');
		}
		if (existing) {
			return existing.id;
		}
		const usernames = [...members]
			.sort((a, b) => (a.name || a.username).localeCompare(b.name || b.username))
			.map((member) => member.username);
		const id = randomId();
		const stored: IStoredRoom = {
			id,
			name: id,
			type: RoomType.DIRECT_MESSAGE,
			// Not the server's: it stores no creator (`u`) on a direct room; kept to know who opened it.
			creatorId: me.id,
			memberIds: uids,
			usernames,
			createdAt: new Date().toISOString(),
			...extraData,
		};
		this.database
			.prepare('INSERT INTO rooms (id, name, room) VALUES (?, ?, ?)')
			.run(stored.id, stored.name, JSON.stringify(stored));
		return id;
	}

	/**
	 * The direct room whose usernames are exactly these (Rooms.findDirectRoomContainingAllUsernames:
	 * `usernames: { $size, $all }`, `usersCount`), as getDirectByUsernames looks it up.
	 */
	public directByUsernames(usernames: string[]): IRoom | undefined {
		const wanted = [...new Set(usernames)].sort().join('\n');
		return this.all().find(
			(room) =>
				room.type === RoomType.DIRECT_MESSAGE &&
				usernames.length === room.usernames.length &&
				[...room.usernames].sort().join('\n') === wanted,
		);
	}

	/** The direct rooms a user is in, oldest first. */
	public directRoomsOf(userId: string): IRoom[] {
		return this.all().filter(
			(room) => room.type === RoomType.DIRECT_MESSAGE && (room.userIds ?? []).includes(userId),
		);
	}

	/** Who started a direct room (the server keeps it only as the creator's open subscription). */
	public directCreatorId(roomId: string): string | undefined {
		const stored = this.stored('SELECT room FROM rooms WHERE id = ?', roomId);
		return stored?.type === RoomType.DIRECT_MESSAGE ? stored.creatorId : undefined;
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

	/** Turns a room's end-to-end encryption on or off, as a member's room setting does. */
	public setEncrypted(roomId: string, encrypted: boolean): void {
		this.save({ ...this.requireStored(roomId), encrypted });
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

	/** Rooms.findOneDirectRoomContainingAllUserIDs: the direct room of exactly these user ids. */
	private directWithUserIds(uids: string[]): IRoom | undefined {
		const wanted = [...uids].sort().join('\n');
		return this.all().find(
			(room) =>
				room.type === RoomType.DIRECT_MESSAGE &&
				[...(room.userIds ?? [])].sort().join('\n') === wanted,
		);
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
		const members = stored.memberIds
			.map((id) => this.users.byId(id))
			.filter((user): user is IUser => user !== undefined);
		if (stored.type === RoomType.DIRECT_MESSAGE) {
			return this.toDirectRoom(stored, members);
		}
		const creator = this.users.byId(stored.creatorId);
		if (!creator) {
			throw new Error(`Room ${stored.name} has an unknown creator ${stored.creatorId}`);
		}
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
			// Unmapped by the server's converter, as for a direct room (below).
			...(stored.encrypted === undefined
				? {}
				: { _unmappedProperties_: { encrypted: stored.encrypted } }),
		} as IRoom;
	}

	/**
	 * A direct room as the server's converter gives it (app/apps/server/converters/rooms.ts
	 * `convertRoom`): no name (`slugifiedName` and `displayName` come from `name` and `fname`,
	 * which a direct room lacks), no creator (no `u`), the members' `userIds`, and `encrypted`,
	 * which the converter does not map, among `_unmappedProperties_` when the room has it.
	 * `usernames` is given as the host gives it for every room.
	 */
	private toDirectRoom(stored: IStoredRoom, members: IUser[]): IRoom {
		const byId = new Map(members.map((member) => [member.id, member]));
		const usernames =
			stored.usernames ?? stored.memberIds.map((id) => byId.get(id)?.username ?? id);
		return {
			id: stored.id,
			type: RoomType.DIRECT_MESSAGE,
			usernames,
			userIds: [...stored.memberIds],
			isDefault: false,
			isReadOnly: false,
			displaySystemMessages: true,
			createdAt: new Date(stored.createdAt),
			updatedAt: new Date(stored.createdAt),
			...(stored.encrypted === undefined
				? {}
				: { _unmappedProperties_: { encrypted: stored.encrypted } }),
		} as unknown as IRoom;
	}
}
