import type { ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { UserType } from '@rocket.chat/apps-engine/definition/users';

import type { IRequest } from './requestContext';
import type { ShardedCounter } from '../persistence/ShardedCounter';

/** Counts every message sent on the server except the app's own. */
export class MessageSentHandler {
	// The bot user never changes, so one look-up serves every message (this is the hot path).
	private appUserId: Promise<string | undefined> | undefined;

	constructor(private readonly messageCounter: ShardedCounter) {}

	/** Resolves once the message is counted in persistence (or the failure is logged). */
	public async handle(message: IMessage, request: IRequest): Promise<void> {
		const { read, persistence, logger } = request;
		if (await this.isOwnMessage(message, read, logger)) {
			return;
		}
		try {
			await this.messageCounter.increment(persistence);
		} catch (error) {
			logger.error('counting a message failed; it will be written with the next one', error);
		}
	}

	/**
	 * Whether the app itself sent the message. When the app user cannot be looked up (twice), a
	 * person's message is still counted: only an app user's message can be the app's own, and
	 * that one is left out and logged as such.
	 */
	private async isOwnMessage(message: IMessage, read: IRead, logger: ILogger): Promise<boolean> {
		for (let attempt = 1; attempt <= 2; attempt += 1) {
			try {
				return message.sender.id === (await this.botUserId(read));
			} catch (error) {
				if (attempt === 2) {
					if (message.sender.type !== UserType.APP) {
						logger.warn('looking up the app user failed; counting the message of a person', error);
						return false;
					}
					logger.error(
						`looking up the app user failed; a message of app user ${message.sender.username} is not counted`,
						error,
					);
					return true;
				}
			}
		}
		return false;
	}

	private botUserId(read: IRead): Promise<string | undefined> {
		this.appUserId ??= read
			.getUserReader()
			.getAppUser()
			.then((user) => user?.id);
		// A failed look-up is not cached: the next attempt asks again.
		this.appUserId.catch(() => {
			this.appUserId = undefined;
		});
		return this.appUserId;
	}
}
