import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import type { AppListenerManager } from '@rocket.chat/apps-engine/server/managers/AppListenerManager';

import type { Directory } from './directory';
import {
	type IMessageRuleContext,
	MessageRefusedError,
	revalidateMessage,
	validateUserMessage,
} from './server-rules';
import type { ServerSettings } from './server-settings';

/**
 * What the server does with a message a member sends, before the post-save listeners: its checks
 * (host/server/server-rules.ts names the files they follow), the apps' pre-send listeners (prevent,
 * extend, modify), the checks again on what the apps made of it, then the message is stored.
 */
export class MemberMessages {
	constructor(
		private readonly directory: Directory,
		private readonly settings: ServerSettings,
	) {}

	/**
	 * Checks a member's message, runs the apps' pre-send listeners and stores what they made of
	 * it; resolves undefined when an app prevented it. A refusal throws the server's error.
	 */
	public async send(
		listeners: AppListenerManager,
		message: IMessage,
	): Promise<IMessage | undefined> {
		this.validate(message);
		if ((await listeners.executeListener(AppInterface.IPreMessageSentPrevent, message)) === true) {
			return undefined;
		}
		let sent = message;
		sent =
			((await listeners.executeListener(AppInterface.IPreMessageSentExtend, sent)) as
				| IMessage
				| undefined) ?? sent;
		sent =
			((await listeners.executeListener(AppInterface.IPreMessageSentModify, sent)) as
				| IMessage
				| undefined) ?? sent;
		revalidateMessage(sent, this.rules(message));
		return this.directory.appendMessage(sent);
	}

	/** Checks and stores a member's message without the pre-send listeners (the cluster driver's path). */
	public store(message: IMessage): IMessage {
		this.validate(message);
		return this.directory.appendMessage(message);
	}

	/** The server's checks before any app: a refusal is a MessageRefusedError with the server's text. */
	private validate(message: IMessage): void {
		try {
			validateUserMessage(message, this.rules(message));
		} catch (error) {
			throw new MessageRefusedError(error instanceof Error ? error : new Error(String(error)));
		}
	}

	/** What the server's message rules look at: the stored room and sender, the settings, the time. */
	private rules(message: IMessage): IMessageRuleContext {
		return {
			room: this.directory.roomById(message.room.id),
			sender: this.directory.userById(message.sender.id),
			setting: (id) => this.settings.value(id),
			now: new Date(),
		};
	}
}
