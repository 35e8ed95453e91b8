import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { UIKitIncomingInteraction } from '@rocket.chat/apps-engine/definition/uikit';
import type { IListenerBridge } from '@rocket.chat/apps-engine/server/bridges';

import type { IHostHooks } from './hooks';

/** Events the server side raises for apps' listeners; the host runs them through its engine. */
export class LocalListenerBridge implements IListenerBridge {
	constructor(private readonly hooks: IHostHooks) {}

	public async messageEvent(
		int: AppInterface,
		message: IMessage,
	): Promise<void | boolean | IMessage> {
		return (await this.hooks.dispatchListener(int, message)) as void | boolean | IMessage;
	}

	public async roomEvent(int: AppInterface, room: IRoom): Promise<void | boolean | IRoom> {
		return (await this.hooks.dispatchListener(int, room)) as void | boolean | IRoom;
	}

	public async uiKitInteractionEvent(
		int: AppInterface,
		action: UIKitIncomingInteraction,
	): Promise<void | boolean> {
		return (await this.hooks.dispatchListener(int, action)) as void | boolean;
	}
}
