import type { IMessageRaw } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom, IRoomRaw } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { RoomBridge } from '@rocket.chat/apps-engine/server/bridges';
import type {
	GetMessagesOptions,
	GetRoomsFilters,
	GetRoomsOptions,
} from '@rocket.chat/apps-engine/server/bridges/RoomBridge';

import { NotSupportedByLocalHostError } from './unsupported';
import type { MessageStore } from '../server/directory/messages';
import type { RoomStore } from '../server/directory/rooms';
import type { ServerSettings } from '../server/server-settings';

/**
 * Rooms for apps, after apps/meteor/app/apps/server/bridges/rooms.ts: lookups, members, a room's
 * messages, rooms an app creates (channels, private groups, direct rooms). The engine's RoomBridge
 * checks the app's permissions first: `room.read` for every lookup (getDirectByUsernames too),
 * `room.write` for create, update, delete and removing members.
 */
export class LocalRoomBridge extends RoomBridge {
	constructor(
		private readonly rooms: RoomStore,
		private readonly messages: MessageStore,
		private readonly serverSettings: ServerSettings,
	) {
		super();
	}

	// As the server's: channels and groups by name, a direct room through createDirectMessage
	// with the room's creator as the one who starts it (members by username). createDirectMessage
	// calls createRoom('d'), whose beforeCreateRoomCallback (app/e2e/server/beforeCreateRoom.ts)
	// sets `encrypted` on a new direct room when E2E_Enable and E2E_Enabled_Default_DirectRooms
	// are on; an existing room is returned as it is.
	protected async create(room: IRoom, members: Array<string>): Promise<string> {
		switch (room.type) {
			case RoomType.CHANNEL:
			case RoomType.PRIVATE_GROUP:
				return this.rooms.create(room, members);
			case RoomType.DIRECT_MESSAGE: {
				const setting = (id: string) => this.serverSettings.value(id);
				const encrypted =
					setting('E2E_Enable') === true && setting('E2E_Enabled_Default_DirectRooms') === true;
				return this.rooms.createDirect(room.creator.id, members, encrypted ? { encrypted } : {});
			}
			default:
				throw new Error('Only channels, private groups and direct messages can be created.');
		}
	}

	protected async getById(roomId: string): Promise<IRoom> {
		return this.rooms.byId(roomId) as IRoom;
	}

	protected async getByName(roomName: string): Promise<IRoom> {
		// A direct room has no name (the host files it under its id).
		const room = this.rooms.byName(roomName);
		return (room?.type === RoomType.DIRECT_MESSAGE ? undefined : room) as IRoom;
	}

	protected async getCreatorById(roomId: string): Promise<IUser | undefined> {
		return this.rooms.byId(roomId)?.creator;
	}

	protected async getCreatorByName(roomName: string): Promise<IUser | undefined> {
		return (await this.getByName(roomName))?.creator;
	}

	// Rooms.findDirectRoomContainingAllUsernames: exactly these usernames.
	protected async getDirectByUsernames(usernames: Array<string>): Promise<IRoom | undefined> {
		return this.rooms.directByUsernames(usernames);
	}

	protected async getMembers(roomId: string): Promise<Array<IUser>> {
		return this.rooms.members(roomId);
	}

	protected async getAllRooms(
		filters: GetRoomsFilters,
		options: GetRoomsOptions,
	): Promise<Array<IRoomRaw>> {
		const types =
			filters.types && filters.types.length > 0 ? new Set<string>(filters.types) : undefined;
		const rooms = this.rooms.all().filter((room) => !types || types.has(room.type));
		const skip = options.skip ?? 0;
		const limit = options.limit ?? rooms.length;
		return rooms.slice(skip, skip + limit).map((room) => ({
			id: room.id,
			slugifiedName: room.slugifiedName,
			displayName: room.displayName,
			type: room.type,
			...(room.creator
				? {
						creator: {
							_id: room.creator.id,
							username: room.creator.username,
							name: room.creator.name,
						},
					}
				: {}),
			isDefault: room.isDefault,
			isReadOnly: room.isReadOnly,
			createdAt: room.createdAt,
		})) as unknown as IRoomRaw[];
	}

	protected async update(room: IRoom, members: Array<string>): Promise<void> {
		this.rooms.update(room, members);
	}

	protected async createDiscussion(): Promise<string> {
		throw new NotSupportedByLocalHostError('RoomBridge', 'createDiscussion');
	}

	protected async delete(roomId: string): Promise<void> {
		this.rooms.delete(roomId);
	}

	protected async getModerators(): Promise<Array<IUser>> {
		return [];
	}

	protected async getOwners(roomId: string): Promise<Array<IUser>> {
		// A direct room's subscriptions carry no roles: no owner.
		const room = this.rooms.byId(roomId);
		return room?.creator ? [room.creator] : [];
	}

	protected async getLeaders(): Promise<Array<IUser>> {
		return [];
	}

	protected async getMessages(roomId: string, options: GetMessagesOptions): Promise<IMessageRaw[]> {
		const messages = this.messages.ofRoom(roomId);
		const newestFirst = options.sort?.createdAt === 'desc';
		const ordered = newestFirst ? [...messages].reverse() : messages;
		const skip = options.skip ?? 0;
		const limit = options.limit ?? ordered.length;
		return ordered.slice(skip, skip + limit).map((message) => ({
			id: message.id ?? '',
			roomId: message.room.id,
			sender: {
				_id: message.sender.id,
				username: message.sender.username,
				name: message.sender.name,
			},
			text: message.text,
			createdAt: message.createdAt,
			updatedAt: message.updatedAt,
			threadId: message.threadId,
			blocks: message.blocks,
			attachments: message.attachments,
		})) as unknown as IMessageRaw[];
	}

	protected async removeUsers(roomId: string, usernames: Array<string>): Promise<void> {
		this.rooms.removeMembers(roomId, usernames);
	}

	protected async getUnreadByUser(): Promise<IMessageRaw[]> {
		throw new NotSupportedByLocalHostError('RoomBridge', 'getUnreadByUser');
	}

	protected async getUserUnreadMessageCount(): Promise<number> {
		throw new NotSupportedByLocalHostError('RoomBridge', 'getUserUnreadMessageCount');
	}
}
