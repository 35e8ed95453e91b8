import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { MessageBridge } from '@rocket.chat/apps-engine/server/bridges';
import type { ITypingDescriptor } from '@rocket.chat/apps-engine/server/bridges/MessageBridge';

import type { IHostHooks } from './hooks';
import type { SessionState } from '../client/session-state';
import { randomId } from '../random-id';
import { NotSupportedByLocalHostError } from './unsupported';
import type { Directory } from '../server/directory';
import { updateAppMessage } from '../server/message-update';
import { INVALID_ROOM_ERROR, validateAppMessage } from '../server/server-rules';
import type { ServerSettings } from '../server/server-settings';

/** What the app sees when a message was stored but the answer was lost (`loseAnswers`). */
export const LOST_ANSWER_ERROR = 'Injected fault: the message was stored, the answer was lost';

/**
 * Messages an app sends: stored after the server's checks (then the message listeners run, as
 * Rocket.Chat's sendMessage does), or shown to members only (notifyUser, notifyRoom).
 */
export class LocalMessageBridge extends MessageBridge {
	private answersToLose = 0;

	private postsToHold = 0;

	/** Posts waiting for releaseHeldPosts, each resolved to go on. */
	private readonly held: Array<() => void> = [];

	constructor(
		private readonly directory: Directory,
		private readonly session: SessionState,
		private readonly hooks: IHostHooks,
		private readonly serverSettings: ServerSettings,
	) {
		super();
	}

	protected async create(message: IMessage, appId: string): Promise<string> {
		if (this.postsToHold > 0) {
			this.postsToHold -= 1;
			await new Promise<void>((resolve) => this.held.push(resolve));
		}
		const { users, rooms, messages } = this.directory;
		const sender = message.sender ?? users.appUser(appId);
		if (!sender) {
			throw new Error(`App ${appId} sent a message without a sender and has no app user`);
		}
		// The server's checks and errors (host/server/server-rules.ts names the files they follow).
		const createdAt = validateAppMessage(message, {
			room: message.room?.id ? rooms.byId(message.room.id) : undefined,
			sender: users.byId(sender.id),
			setting: (id) => this.serverSettings.value(id),
			now: new Date(),
		});
		const stored = messages.append({ ...message, sender, createdAt });
		// Like Rocket.Chat's sendMessage, an app's message also runs the message listeners.
		this.hooks.messageCreated(stored);
		if (this.answersToLose > 0) {
			this.answersToLose -= 1;
			throw new Error(LOST_ANSWER_ERROR);
		}
		return stored.id ?? '';
	}

	/**
	 * The next `count` app messages are stored, then the call fails: the app never learns they
	 * landed. On a server this is the engine's 30 s call timeout (or a dropped answer across the
	 * Deno bridge) after apps/meteor/app/lib/server/functions/sendMessage.ts inserted the message.
	 */
	public loseAnswers(count: number): void {
		this.answersToLose = count;
	}

	/**
	 * The next `count` app messages wait, before they are checked and stored, until
	 * releaseHeldPosts: a server or database slow to insert. A run of a job whose post is held
	 * outlasts the engine's call timeout while the app's code goes on, as on a loaded server.
	 */
	public holdPosts(count: number): void {
		this.postsToHold = count;
	}

	/** How many posts are waiting now. */
	public heldPosts(): number {
		return this.held.length;
	}

	/** Lets every held post go on (and holds no more); resolves with how many there were. */
	public releaseHeldPosts(): number {
		this.postsToHold = 0;
		const waiting = this.held.splice(0);
		for (const resume of waiting) {
			resume();
		}
		return waiting.length;
	}

	// The server's rules for an app's edit (host/server/message-update.ts names the files they
	// follow); the stored message then reaches the members' clients, as the server streams an
	// edited message to the room.
	protected async update(message: IMessage): Promise<void> {
		const updated = updateAppMessage(message, {
			directory: this.directory,
			setting: (id) => this.serverSettings.value(id),
			now: new Date(),
		});
		if (updated) {
			this.session.messageChanged(updated);
		}
	}

	protected async notifyUser(user: IUser, message: IMessage, appId: string): Promise<void> {
		this.deliverEphemeral(user, message, appId, message.id || randomId());
	}

	// As the server's: nothing without a room id; the message's own room must exist; then every
	// member of the given room (none when it does not exist) gets the message.
	protected async notifyRoom(room: IRoom, message: IMessage, appId: string): Promise<void> {
		if (!room?.id) {
			return;
		}
		const { rooms } = this.directory;
		if (!message.room?.id || !rooms.byId(message.room.id)) {
			throw new Error(INVALID_ROOM_ERROR);
		}
		const members = rooms.byId(room.id) ? rooms.members(room.id) : [];
		// One conversion, so one id for every member.
		const id = message.id || randomId();
		for (const member of members) {
			// The server sends it to the given room's id, where the client shows it.
			this.deliverEphemeral(member, { ...message, room }, appId, id);
		}
	}

	/**
	 * Shows a member an ephemeral message as the server's notifyUser does: the converter
	 * (converters/messages.ts `convertAppMessage`) needs a stored room and gives the message an id
	 * (`Random.id()` when it has none), then `notify.ephemeralMessage` reaches the member's client.
	 * Its blocks stay as the app built them (no appId is added, unlike a created message's).
	 */
	private deliverEphemeral(user: IUser, message: IMessage, appId: string, id: string): void {
		const room = message.room?.id ? this.directory.rooms.byId(message.room.id) : undefined;
		if (!room) {
			throw new Error(INVALID_ROOM_ERROR);
		}
		this.session.addNotification(user.username, {
			id,
			appId,
			room: room.slugifiedName ?? room.id,
			roomId: room.id,
			text: message.text ?? '',
			...(message.blocks ? { blocks: message.blocks } : {}),
			...(message.attachments ? { attachments: message.attachments } : {}),
			createdAt: new Date(),
			message: { ...message, id },
		});
	}

	protected async typing(_options: ITypingDescriptor): Promise<void> {
		throw new NotSupportedByLocalHostError('MessageBridge', 'typing');
	}

	protected async getById(messageId: string): Promise<IMessage> {
		return this.directory.messages.byId(messageId) as IMessage;
	}

	// As apps/meteor/app/apps/server/bridges/messages.ts delete: no id is refused, the message is
	// converted back (convertAppMessage refuses a room that does not exist), and deleting an id
	// already gone is no error (lib/server/functions/deleteMessage.ts removes by id).
	protected async delete(message: IMessage): Promise<void> {
		if (!message.id) {
			throw new Error('Invalid message id');
		}
		if (!message.room?.id || !this.directory.rooms.byId(message.room.id)) {
			throw new Error('Invalid room provided on the message.');
		}
		this.directory.messages.delete(message.id);
	}

	protected async addReaction(): Promise<void> {
		throw new NotSupportedByLocalHostError('MessageBridge', 'addReaction');
	}

	protected async removeReaction(): Promise<void> {
		throw new NotSupportedByLocalHostError('MessageBridge', 'removeReaction');
	}
}
