import type {
	ILogger,
	IModify,
	IRead,
	IUploadCreator,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage, IMessageRaw } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { LayoutBlock } from '@rocket.chat/ui-kit';

import { keptCopy, surplusCopies } from '../domain/convergence';

/**
 * How many of a room's newest messages are searched for copies of a post: the most one read
 * returns (the engine's RoomRead.getMessages refuses a limit over 100). A copy older than that
 * is not found, so a retry after 100 other messages may post again.
 */
export const COPY_SEARCH_LIMIT = 100;

/** A message the app posts exactly once at rest. */
export interface IOncePost {
	readonly room: IRoom;
	readonly text: string;
	/** Whether a message of the app already in the room is a copy of this post. */
	readonly isCopy: (message: IMessageRaw) => boolean;
	/** Custom fields to attach (only where the server accepts them). */
	readonly customFields?: Readonly<Record<string, unknown>>;
	/** Blocks under the text (each naming the app: see ui/blocks.ts actions); copies are told apart by text only. */
	readonly blocks?: Array<LayoutBlock>;
	/**
	 * Versions of one post (src/domain/convergence.ts `rank`): a copy ranked at or below `own`
	 * stands for this post (nothing is posted), one ranked above it is replaced by it.
	 */
	readonly rank?: { readonly own: string; readonly of: (message: IMessageRaw) => string };
}

/** What postOnce did: posted now, or found the post already there. */
export type OncePostOutcome = 'posted' | 'found';

/** What placeOnce did, and the copy left in the room: the one every instance keeps. */
export interface IOncePlacement {
	readonly outcome: OncePostOutcome;
	/** The kept copy as this run last read it (another run's text when that one is kept). */
	readonly kept?: IMessageRaw;
}

type UploadBytes = Parameters<IUploadCreator['uploadBuffer']>[0];

// node's Buffer, which every app runtime gives the app (the Deno runtime passes `buffer`'s to the
// app's code); typed here because the app compiles without node's types.
declare const Buffer: { from(text: string, encoding: 'utf8'): UploadBytes };

/** Where a private reply goes beside its room: a thread, and blocks under its text. */
export interface IReplyOptions {
	readonly threadId?: string;
	readonly blocks?: Array<LayoutBlock>;
}

/**
 * The one place the app posts, uploads and tells as its own user. `postOnce` is exact under at-least-once delivery:
 * it looks for a copy first (a retry after a lost answer finds it), posts, then reads the room back
 * and deletes every copy but the one all instances keep (src/domain/convergence.ts), so racing
 * posters end with one message. Reads and deletes follow the server's bridges:
 * apps/meteor/app/apps/server/bridges/rooms.ts getMessages (visible, non-system messages, sorted
 * by `ts`) and bridges/messages.ts delete (the message needs its id and room).
 */
export class AppPoster {
	/** The app's user as this poster read it: it never changes while the app is installed. */
	private appUserRead: Promise<IUser | undefined> | undefined;

	constructor(
		private readonly read: IRead,
		private readonly modify: IModify,
		private readonly logger: ILogger,
	) {}

	/** The app's user, the sender of everything the app posts: read once per poster (a failed read is read again). */
	public async appUser(): Promise<IUser | undefined> {
		this.appUserRead ??= this.read.getUserReader().getAppUser();
		try {
			return await this.appUserRead;
		} catch (error) {
			this.appUserRead = undefined;
			throw error;
		}
	}

	/** The app's user, or an error saying what cannot be done without it. */
	public async requireAppUser(what: string): Promise<IUser> {
		const appUser = await this.appUser();
		if (!appUser) {
			throw new Error(`the app user cannot be found: ${what}`);
		}
		return appUser;
	}

	/** Sends text only the user sees (an ephemeral message) in the room, from the app's user. */
	public async replyPrivately(
		user: IUser,
		room: IRoom,
		text: string,
		options: IReplyOptions = {},
	): Promise<void> {
		const notifier = this.modify.getNotifier();
		const builder = notifier.getMessageBuilder().setRoom(room).setText(text).setGroupable(false);
		if (options.blocks) {
			builder.setBlocks(options.blocks);
		}
		const appUser = await this.appUser();
		if (appUser) {
			builder.setSender(appUser);
		}
		if (options.threadId) {
			builder.setThreadId(options.threadId);
		}
		await notifier.notifyUser(user, builder.getMessage());
	}

	/** Uploads a text file (UTF-8) to the room as the given app user (looked up once by the caller). */
	public async uploadText(
		room: IRoom,
		appUser: IUser,
		filename: string,
		content: string,
	): Promise<void> {
		// A Buffer, not a plain Uint8Array: the bridge's JSON check turns a Uint8Array into an object
		// keyed by index, a Buffer into an array (several times faster: docs/benchmarks.md).
		const bytes = Buffer.from(content, 'utf8');
		await this.modify
			.getCreator()
			.getUploadCreator()
			.uploadBuffer(bytes, { filename, room, user: appUser });
	}

	/** Posts a message from the app's user; resolves with the new message's id. */
	public async post(
		room: IRoom,
		text: string,
		customFields?: Readonly<Record<string, unknown>>,
	): Promise<string> {
		return this.postAs(await this.appUser(), room, text, customFields);
	}

	/**
	 * Posts unless a copy is in the room already, then leaves exactly one copy. Throws when a
	 * read, the post or a delete fails: the caller keeps the work and runs it again, which converges.
	 */
	public async postOnce(post: IOncePost): Promise<OncePostOutcome> {
		return (await this.placeOnce(post)).outcome;
	}

	/**
	 * As postOnce, and says which copy the room keeps: a caller that notes what a post said (what an
	 * author was told) notes the kept copy's content, which racing runs may have built differently.
	 */
	public async placeOnce(post: IOncePost): Promise<IOncePlacement> {
		const appUser = await this.appUser();
		const before = await this.copiesOf(post, appUser);
		const { rank } = post;
		if (before.some((copy) => !rank || rank.of(copy) <= rank.own)) {
			await this.removeSurplus(post, before, appUser);
			return { outcome: 'found', kept: this.keptOf(post, before) };
		}
		await this.postAs(appUser, post.room, post.text, post.customFields, post.blocks);
		const after = await this.copiesOf(post, appUser);
		await this.removeSurplus(post, after, appUser);
		return { outcome: 'posted', kept: this.keptOf(post, after) };
	}

	/**
	 * Replaces the blocks of one of the app's messages; its text and custom fields stay. The
	 * server requires an editor and a stored message, then validates the message's custom fields
	 * again and keeps a history row under Message_KeepHistory
	 * (apps/meteor/app/apps/server/bridges/messages.ts update, lib/server/functions/updateMessage.ts):
	 * throws when it refuses.
	 */
	public async updateBlocks(messageId: string, blocks: Array<LayoutBlock>): Promise<void> {
		const appUser = await this.requireAppUser('its message cannot be updated');
		const updater = this.modify.getUpdater();
		// The runtime's builder sends only what changed (the blocks) with the editor.
		const builder = await updater.message(messageId, appUser);
		builder.setBlocks(blocks);
		await updater.finish(builder);
	}

	/** Deletes every copy of the post but the kept one; resolves with how many were deleted. */
	public async converge(post: IOncePost): Promise<number> {
		const appUser = await this.appUser();
		return this.removeSurplus(post, await this.copiesOf(post, appUser), appUser);
	}

	/** Posts from the given app user (looked up once by the caller). */
	private async postAs(
		appUser: IUser | undefined,
		room: IRoom,
		text: string,
		customFields?: Readonly<Record<string, unknown>>,
		blocks?: Array<LayoutBlock>,
	): Promise<string> {
		const creator = this.modify.getCreator();
		const builder = creator.startMessage().setRoom(room).setText(text);
		if (blocks) {
			builder.setBlocks(blocks);
		}
		for (const [key, value] of Object.entries(customFields ?? {})) {
			builder.addCustomField(key, value);
		}
		if (blocks) {
			builder.setBlocks(blocks);
		}
		if (appUser) {
			builder.setSender(appUser);
		}
		return creator.finish(builder);
	}

	/** The app's messages among the room's newest that are copies of the post. */
	private async copiesOf(post: IOncePost, appUser: IUser | undefined): Promise<IMessageRaw[]> {
		const newest = await this.read.getRoomReader().getMessages(post.room.id, {
			limit: COPY_SEARCH_LIMIT,
			sort: { createdAt: 'desc' },
		});
		return newest.filter(
			(message) =>
				typeof message.id === 'string' &&
				(appUser === undefined || message.sender?._id === appUser.id) &&
				post.isCopy(message),
		);
	}

	/** The copies as src/domain/convergence.ts orders them, each with its message. */
	private ranked(post: IOncePost, copies: ReadonlyArray<IMessageRaw>) {
		const { rank } = post;
		return copies.map((copy) => ({
			id: copy.id,
			createdAt: copy.createdAt,
			raw: copy,
			...(rank ? { rank: rank.of(copy) } : {}),
		}));
	}

	private keptOf(post: IOncePost, copies: ReadonlyArray<IMessageRaw>): IMessageRaw | undefined {
		return keptCopy(this.ranked(post, copies))?.raw;
	}

	private async removeSurplus(
		post: IOncePost,
		copies: ReadonlyArray<IMessageRaw>,
		appUser: IUser | undefined,
	): Promise<number> {
		const { room } = post;
		const surplus = surplusCopies(this.ranked(post, copies));
		if (surplus.length === 0) {
			return 0;
		}
		if (!appUser) {
			throw new Error('the app user cannot be found: duplicate posts cannot be removed');
		}
		const deleter = this.modify.getDeleter();
		await Promise.all(
			surplus.map(({ raw }) => {
				// The server converts the message back and needs its id and room (bridges/messages.ts).
				const message: IMessage = {
					id: raw.id,
					room,
					sender: appUser,
					text: raw.text,
					createdAt: raw.createdAt,
				};
				return deleter.deleteMessage(message, appUser);
			}),
		);
		this.logger.debug(`removed ${surplus.length} duplicate post(s) in room ${room.id}`);
		return surplus.length;
	}
}
