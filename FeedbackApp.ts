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
import {
	blockActionRequest,
	eventRequest,
	viewCloseRequest,
	viewSubmitRequest,
} from './src/handlers/requestContext';
import { settingDefinitions } from './src/settings/settings';

/**
 * Wires the platform's entry points to the handlers; no logic lives here. Each entry point builds
 * its request (src/handlers/requestContext.ts) with `this.getLogger()`: the runtime calls it on
 * an App that carries the request's logger.
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
		await this.handlers.messageSent.handle(
			message,
			eventRequest(read, persistence, this.getLogger()),
		);
	}

	public async executeViewSubmitHandler(
		context: UIKitViewSubmitInteractionContext,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		const request = viewSubmitRequest(context, read, modify, persistence, this.getLogger());
		return this.handlers.views.submit(request);
	}

	public async executeBlockActionHandler(
		context: UIKitBlockInteractionContext,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		const request = blockActionRequest(context, read, modify, persistence, this.getLogger());
		return this.handlers.blockActions.handle(request);
	}

	public async executeViewClosedHandler(
		context: UIKitViewCloseInteractionContext,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		const request = viewCloseRequest(context, read, modify, persistence, this.getLogger());
		return this.handlers.views.close(request);
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
			this.handlers.followDigest.processor(),
			this.handlers.surveyRounds.processor(),
			this.handlers.voteCounts.processor(),
			this.handlers.weDid.processor(),
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
