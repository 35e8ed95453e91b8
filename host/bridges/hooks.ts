import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';

/**
 * The only way the bridges reach the host (events the server would raise). The host hands them
 * in; no bridge imports the host or the engine.
 */
export interface IHostHooks {
	/** A message was stored (by the app): the server then runs the message listeners. */
	messageCreated(message: IMessage): void;
	/** Listener bridge calls from the server side. */
	dispatchListener(int: AppInterface, payload: unknown): Promise<unknown>;
	/** An app setting changed here: the server broadcasts it to every instance. */
	appSettingChanged(appId: string, setting: ISetting): void;
}
