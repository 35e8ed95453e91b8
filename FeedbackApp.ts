import { App } from '@rocket.chat/apps-engine/definition/App';
import type {
	IAppAccessors,
	IConfigurationExtend,
	IConfigurationModify,
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
	UIKitBlockInteractionContext,
	UIKitViewCloseInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';

import { createHandlers } from './src/handlers/FeedbackHandlers';
import type { IFeedbackHandlers } from './src/handlers/FeedbackHandlers';
import { settingDefinitions } from './src/settings/settings';

/**
 * Wires the platform's entry points to the handlers; no logic lives here. Each entry point hands
 * on `this.getLogger()`: the runtime calls it on an App that carries the request's logger.
 */
export class FeedbackApp extends App implements IPostMessageSent, IUIKitInteractionHandler {
	private readonly handlers: IFeedbackHandlers;

	constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
		super(info, logger, accessors);
		this.handlers = createHandlers({ appId: info.id, app: this });
	}

	public async executePostMessageSent(
		message: IMessage,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
	): Promise<void> {
		await this.handlers.messageSent.handle(message, read, persistence, this.getLogger());
	}

	public async executeViewSubmitHandler(
		context: UIKitViewSubmitInteractionContext,
		read: IRead,
		http: IHttp,
		persistence: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		const { interactions, form } = this.handlers;
		return interactions.isAdminView(context.getInteractionData().view.id)
			? interactions.submitAdmin(context, read, persistence, this.getLogger())
			: form.submit(context, read, http, persistence, modify, this.getLogger());
	}

	public async executeBlockActionHandler(
		context: UIKitBlockInteractionContext,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
	): Promise<IUIKitResponse> {
		return this.handlers.interactions.blockAction(context, read, persistence, this.getLogger());
	}

	public async executeViewClosedHandler(
		context: UIKitViewCloseInteractionContext,
		read: IRead,
		http: IHttp,
		persistence: IPersistence,
	): Promise<IUIKitResponse> {
		return this.handlers.form.close(context, read, http, persistence, this.getLogger());
	}

	protected async extendConfiguration(
		configuration: IConfigurationExtend,
		_environmentRead: IEnvironmentRead,
	): Promise<void> {
		await Promise.all(
			settingDefinitions.map((setting) => configuration.settings.provideSetting(setting)),
		);
		await configuration.slashCommands.provideSlashCommand(this.handlers.command);
		// Recurring jobs. The server's scheduler may store one twice and run the copies at once,
		// overlap runs and drop every job on a failed start: each job is exact under all of that,
		// and RecurringJobsKeeper schedules them again when none ran lately.
		await configuration.scheduler.registerProcessors([
			this.handlers.announcements.processor(),
			this.handlers.pendingForms.processor(),
			this.handlers.digest.processor(),
			this.handlers.upkeep.processor(),
			this.handlers.statusNotices.processor(),
		]);
	}

	public async onEnable(
		_environment: IEnvironmentRead,
		configurationModify: IConfigurationModify,
	): Promise<boolean> {
		await this.handlers.digest.retireLegacyJob(configurationModify.scheduler, this.getLogger());
		return true;
	}
}
