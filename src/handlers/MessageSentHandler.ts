import type { ILogger, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';

import type { ShardedCounter } from '../persistence/ShardedCounter';

/** Counts every message sent on the server except the app's own. */
export class MessageSentHandler {
	// The bot user never changes, so one look-up serves every message (this is the hot path).
	private appUserId: Promise<string | undefined> | undefined;

	constructor(
		private readonly logger: ILogger,
		private readonly messageCounter: ShardedCounter,
	) {}

	/** Resolves once the message is counted in persistence (or the failure is logged). */
	public async handle(message: IMessage, read: IRead, persistence: IPersistence): Promise<void> {
		try {
			if (message.sender.id === (await this.botUserId(read))) {
				return;
			}
			await this.messageCounter.increment(persistence);
		} catch (error) {
			this.logger.error('counting a message failed; it will be written with the next one', error);
		}
	}

	private botUserId(read: IRead): Promise<string | undefined> {
		this.appUserId ??= read
			.getUserReader()
			.getAppUser()
			.then((user) => user?.id);
		// A failed look-up is not cached: the next message asks again.
		this.appUserId.catch(() => {
			this.appUserId = undefined;
		});
		return this.appUserId;
	}
}
