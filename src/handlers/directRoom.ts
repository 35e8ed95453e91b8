import type { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

/**
 * Whether a room is end-to-end encrypted. The server's room converter
 * (apps/meteor/app/apps/server/converters/rooms.ts `convertRoom`) does not map the room's
 * `encrypted`, so it reaches the app among `_unmappedProperties_` (transformMappedData).
 */
export function isEncryptedRoom(room: IRoom): boolean {
	const unmapped = (room as { _unmappedProperties_?: { encrypted?: unknown } })
		._unmappedProperties_;
	return unmapped?.encrypted === true;
}

/** The direct room of the app's user and a member, if there is one (nothing is created). */
export async function findDirectRoom(
	read: IRead,
	appUser: IUser,
	member: IUser,
): Promise<IRoom | undefined> {
	const room = await read.getRoomReader().getDirectByUsernames([appUser.username, member.username]);
	// The bridge answers null when there is none.
	return room ?? undefined;
}

/**
 * The direct room of the app's user and a member, created the first time (needs room.write).
 * Rocket.Chat's createDirectRoom (apps/meteor/app/lib/server/functions/createDirectRoom.ts)
 * finds, then inserts a room with a random id, so two creators at once can each insert one
 * (servers that still derived a two-member room's id from its members refuse the second insert
 * instead). Whoever created, the room used is the one the lookup returns, the same for every
 * caller, and a creator whose room the lookup does not return deletes it, still empty: racing
 * creators end with one room. (Should two lookups disagree, both rooms go, the post fails and is
 * retried by the job, which then finds or creates one.)
 */
export async function directRoomWith(
	read: IRead,
	modify: IModify,
	appUser: IUser,
	member: IUser,
): Promise<IRoom> {
	const usernames = [appUser.username, member.username];
	const existing = await read.getRoomReader().getDirectByUsernames(usernames);
	if (existing) {
		return existing;
	}
	const builder = modify
		.getCreator()
		.startRoom()
		.setType(RoomType.DIRECT_MESSAGE)
		.setCreator(appUser)
		.setMembersToBeAddedByUsernames(usernames);
	const roomId = await modify.getCreator().finish(builder);
	const found = await read.getRoomReader().getDirectByUsernames(usernames);
	if (found && found.id !== roomId) {
		await modify.getDeleter().deleteRoom(roomId);
	}
	if (found) {
		return found;
	}
	const created = await read.getRoomReader().getById(roomId);
	if (!created) {
		throw new Error(`the direct room ${roomId} with ${member.username} cannot be read back`);
	}
	return created;
}
