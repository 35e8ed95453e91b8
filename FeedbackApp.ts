import { App } from '@rocket.chat/apps-engine/definition/App';
import type {
	IAppAccessors,
	IConfigurationExtend,
	IEnvironmentRead,
	IHttp,
	ILogger,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage, IPostMessageSent } from '@rocket.chat/apps-engine/definition/messages';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import type {
	IUIKitInteractionHandler,
	IUIKitResponse,
	UIKitViewCloseInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';

import { AnnouncementJob } from './src/handlers/AnnouncementJob';
import { FeedbackCommand } from './src/handlers/FeedbackCommand';
import { FeedbackFormHandler } from './src/handlers/FeedbackFormHandler';
import { MessageSentHandler } from './src/handlers/MessageSentHandler';
import { PendingFormsJob } from './src/handlers/PendingFormsJob';
import { newId } from './src/lib/ids';
import { ShardedCounter } from './src/persistence/ShardedCounter';
import { RecordScope } from './src/persistence/associations';
import { settingDefinitions } from './src/settings/settings';

/** Wires the platform's entry points to the handlers; no logic lives here. */
export class FeedbackApp extends App implements IPostMessageSent, IUIKitInteractionHandler {
	// In memory on purpose: it is this instance's own shard, never shared state.
	private readonly messageCounter = new ShardedCounter(RecordScope.MessageCounter, newId);

	private readonly messageSent: MessageSentHandler;

	private readonly form: FeedbackFormHandler;

	constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
		super(info, logger, accessors);
		this.messageSent = new MessageSentHandler(logger, this.messageCounter);
		this.form = new FeedbackFormHandler(logger);
	}

	public async executePostMessageSent(
		message: IMessage,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
	): Promise<void> {
		await this.messageSent.handle(message, read, persistence);
	}

	public async executeViewSubmitHandler(
		context: UIKitViewSubmitInteractionContext,
		read: IRead,
		http: IHttp,
		persistence: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		return this.form.submit(context, read, http, persistence, modify);
	}

	public async executeViewClosedHandler(
		context: UIKitViewCloseInteractionContext,
		read: IRead,
		http: IHttp,
		persistence: IPersistence,
	): Promise<IUIKitResponse> {
		return this.form.close(context, read, http, persistence);
	}

	protected async extendConfiguration(
		configuration: IConfigurationExtend,
		_environmentRead: IEnvironmentRead,
	): Promise<void> {
		await Promise.all(
			settingDefinitions.map((setting) => configuration.settings.provideSetting(setting)),
		);
		await configuration.slashCommands.provideSlashCommand(
			new FeedbackCommand(this.getID(), this.getLogger(), this.messageCounter),
		);
		// Recurring jobs: the server runs each on one instance at a time for the whole cluster.
		await configuration.scheduler.registerProcessors([
			new AnnouncementJob(this.getLogger()).processor(),
			new PendingFormsJob(this.getLogger()).processor(),
		]);
	}
}
