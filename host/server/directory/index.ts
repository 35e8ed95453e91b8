import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { seedFixtures } from './fixtures';
import { type ITimelineMessage, MessageStore } from './messages';
import { RoomStore } from './rooms';
import { UserStore } from './users';
import type { Database } from '../database';

export { FIXTURE_ROOMS, FIXTURE_USERS, type IFixtureRoom, type IFixtureUser } from './fixtures';
export { type IStoredMessage, type ITimelineMessage, MessageStore } from './messages';
export { RoomStore } from './rooms';
export { UserStore } from './users';

/**
 * Users, rooms and message timelines of the local workspace, in SQLite so every host process
 * sees them: one store each (`users`, `rooms`, `messages`). The methods below keep the lookups
 * the host, the page and the tests make in one place.
 */
export class Directory {
	public readonly users: UserStore;

	public readonly rooms: RoomStore;

	public readonly messages: MessageStore;

	constructor(private readonly database: Database) {
		this.users = new UserStore(database);
		this.rooms = new RoomStore(database, this.users);
		this.messages = new MessageStore(database, this.users, this.rooms);
	}

	/** Inserts the fixture users and rooms unless they exist (idempotent across restarts). */
	public seed(): void {
		seedFixtures(this.database, this.users, this.rooms);
	}

	/** Finds a user by id. */
	public userById(id: string): IUser | undefined {
		return this.users.byId(id);
	}

	/** Finds a user by username (with or without a leading @). */
	public userByUsername(username: string): IUser | undefined {
		return this.users.byUsername(username);
	}

	/** Finds a user by username or fails with the list of known users. */
	public requireUser(username: string): IUser {
		return this.users.require(username);
	}

	/** Every user, fixture members and app users. */
	public allUsers(): IUser[] {
		return this.users.all();
	}

	/** The user the engine created for an app (`<slug>.bot`). */
	public appUser(appId: string): IUser | undefined {
		return this.users.appUser(appId);
	}

	/** Finds a room by id. */
	public roomById(id: string): IRoom | undefined {
		return this.rooms.byId(id);
	}

	/** Finds a room by name (with or without a leading #). */
	public roomByName(name: string): IRoom | undefined {
		return this.rooms.byName(name);
	}

	/** Finds a room by name or fails with the list of known rooms. */
	public requireRoom(name: string): IRoom {
		return this.rooms.require(name);
	}

	/** Every room. */
	public allRooms(): IRoom[] {
		return this.rooms.all();
	}

	/** Members of a room. */
	public membersOf(roomId: string): IUser[] {
		return this.rooms.members(roomId);
	}

	/** Appends a message to its room's timeline and returns it with its id and date. */
	public appendMessage(message: IMessage): IMessage {
		return this.messages.append(message);
	}

	/** Finds a message by id. */
	public messageById(id: string): IMessage | undefined {
		return this.messages.byId(id);
	}

	/** A room's messages, oldest first. */
	public messagesOf(roomId: string): IMessage[] {
		return this.messages.ofRoom(roomId);
	}

	/** A room's messages, oldest first, in a compact shape for tests and the CLI. */
	public timeline(roomId: string): ITimelineMessage[] {
		return this.messages.timeline(roomId);
	}
}
