import type { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

/** The direct room of the app's user and a member, created the first time (needs room.write). */
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
	const created = await read.getRoomReader().getById(roomId);
	if (!created) {
		throw new Error(`the direct room ${roomId} with ${member.username} cannot be read back`);
	}
	return created;
}
