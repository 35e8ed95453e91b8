import type { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { LayoutBlock } from '@rocket.chat/ui-kit';

/** Sends text only the user sees (an ephemeral message) in the room, from the app's bot user. */
export async function replyPrivately(
	read: IRead,
	modify: IModify,
	user: IUser,
	room: IRoom,
	text: string,
	threadId?: string,
	blocks?: Array<LayoutBlock>,
): Promise<void> {
	const notifier = modify.getNotifier();
	const builder = notifier.getMessageBuilder().setRoom(room).setText(text).setGroupable(false);
	if (blocks) {
		builder.setBlocks(blocks);
	}
	const appUser = await read.getUserReader().getAppUser();
	if (appUser) {
		builder.setSender(appUser);
	}
	if (threadId) {
		builder.setThreadId(threadId);
	}
	await notifier.notifyUser(user, builder.getMessage());
}
