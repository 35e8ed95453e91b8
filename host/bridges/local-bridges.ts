import {
	type ApiBridge,
	type AppActivationBridge,
	AppBridges,
	type AppDetailChangesBridge,
	CloudWorkspaceBridge,
	type CommandBridge,
	ContactBridge,
	EmailBridge,
	type EnvironmentalVariableBridge,
	ExperimentalBridge,
	HttpBridge,
	type IInternalBridge,
	type IInternalFederationBridge,
	type IListenerBridge,
	LivechatBridge,
	type MessageBridge,
	ModerationBridge,
	OutboundMessageBridge,
	RoleBridge,
	type RoomBridge,
	type ServerSettingBridge,
	type UiInteractionBridge,
	type UploadBridge,
	type UserBridge,
	VideoConferenceBridge,
} from '@rocket.chat/apps-engine/server/bridges';
import { OAuthAppsBridge } from '@rocket.chat/apps-engine/server/bridges/OAuthAppsBridge';
import { ThreadBridge } from '@rocket.chat/apps-engine/server/bridges/ThreadBridge';

import { LocalAppActivationBridge } from './activation';
import { LocalApiBridge } from './api';
import { LocalAppDetailChangesBridge } from './app-detail-changes';
import { LocalCommandBridge } from './command';
import { LocalEnvironmentalVariableBridge } from './environment';
import type { IHostHooks } from './hooks';
import { LocalInternalBridge } from './internal';
import { LocalInternalFederationBridge } from './internal-federation';
import { LocalListenerBridge } from './listener';
import { LocalMessageBridge } from './message';
import { LocalRoomBridge } from './room';
import { LocalSchedulerBridge } from './scheduler';
import { LocalServerSettingBridge } from './server-setting';
import { LocalUiInteractionBridge } from './ui-interaction';
import { unsupportedBridge } from './unsupported';
import { LocalUploadBridge } from './upload';
import { LocalUserBridge } from './user';
import type { SessionState } from '../client/session-state';
import type { Database } from '../server/database';
import type { Directory } from '../server/directory';
import { UploadStore } from '../server/directory/uploads';
import type { SqlitePersistenceBridge } from '../server/persistence-bridge';
import type { ILocalSchedulerOptions } from '../server/scheduler/job-runner';
import { ServerSettings } from '../server/server-settings';

/** Every bridge the AppManager needs, on the host's database and session state. */
export class LocalBridges extends AppBridges {
	public readonly command = new LocalCommandBridge();

	public readonly user: LocalUserBridge;

	public readonly room: LocalRoomBridge;

	public readonly message: LocalMessageBridge;

	public readonly uiInteraction: LocalUiInteractionBridge;

	public readonly serverSetting: LocalServerSettingBridge;

	public readonly environment: LocalEnvironmentalVariableBridge;

	public readonly appDetailChanges: LocalAppDetailChangesBridge;

	public readonly activation = new LocalAppActivationBridge();

	public readonly internal: LocalInternalBridge;

	public readonly federation: LocalInternalFederationBridge;

	public readonly scheduler: LocalSchedulerBridge;

	public readonly api = new LocalApiBridge();

	public readonly listener: LocalListenerBridge;

	public readonly upload: LocalUploadBridge;

	private readonly unsupported = {
		contact: unsupportedBridge('ContactBridge', ContactBridge.prototype),
		http: unsupportedBridge('HttpBridge', HttpBridge.prototype),
		livechat: unsupportedBridge('LivechatBridge', LivechatBridge.prototype),
		email: unsupportedBridge('EmailBridge', EmailBridge.prototype),
		cloudWorkspace: unsupportedBridge('CloudWorkspaceBridge', CloudWorkspaceBridge.prototype),
		videoConference: unsupportedBridge('VideoConferenceBridge', VideoConferenceBridge.prototype),
		oauthApps: unsupportedBridge('OAuthAppsBridge', OAuthAppsBridge.prototype),
		moderation: unsupportedBridge('ModerationBridge', ModerationBridge.prototype),
		thread: unsupportedBridge('ThreadBridge', ThreadBridge.prototype),
		role: unsupportedBridge('RoleBridge', RoleBridge.prototype),
		outboundMessage: unsupportedBridge('OutboundMessageBridge', OutboundMessageBridge.prototype),
		experimental: unsupportedBridge('ExperimentalBridge', ExperimentalBridge.prototype),
	};

	constructor(
		database: Database,
		directory: Directory,
		session: SessionState,
		public readonly persistence: SqlitePersistenceBridge,
		hooks: IHostHooks,
		schedulerOptions: ILocalSchedulerOptions = {},
		environment: Readonly<Record<string, string>> = {},
	) {
		super();
		this.environment = new LocalEnvironmentalVariableBridge(environment);
		this.scheduler = new LocalSchedulerBridge(database, schedulerOptions);
		const serverSettings = new ServerSettings(database);
		this.serverSetting = new LocalServerSettingBridge(serverSettings);
		this.appDetailChanges = new LocalAppDetailChangesBridge(hooks);
		this.user = new LocalUserBridge(directory.users, directory.rooms);
		this.room = new LocalRoomBridge(directory.rooms, directory.messages, serverSettings);
		this.message = new LocalMessageBridge(directory, session, hooks, serverSettings);
		this.uiInteraction = new LocalUiInteractionBridge(session);
		this.internal = new LocalInternalBridge(directory.rooms);
		this.federation = new LocalInternalFederationBridge(database);
		this.listener = new LocalListenerBridge(hooks);
		this.upload = new LocalUploadBridge(
			new UploadStore(database),
			directory,
			serverSettings,
			hooks,
		);
	}

	// The AppBridges contract: the bridge the engine asks for, or one that says it is not supported.
	public getCommandBridge(): CommandBridge {
		return this.command;
	}

	public getContactBridge(): ContactBridge {
		return this.unsupported.contact;
	}

	public getApiBridge(): ApiBridge {
		return this.api;
	}

	public getAppDetailChangesBridge(): AppDetailChangesBridge {
		return this.appDetailChanges;
	}

	public getEnvironmentalVariableBridge(): EnvironmentalVariableBridge {
		return this.environment;
	}

	public getHttpBridge(): HttpBridge {
		return this.unsupported.http;
	}

	public getListenerBridge(): IListenerBridge {
		return this.listener;
	}

	public getLivechatBridge(): LivechatBridge {
		return this.unsupported.livechat;
	}

	public getMessageBridge(): MessageBridge {
		return this.message;
	}

	public getPersistenceBridge(): SqlitePersistenceBridge {
		return this.persistence;
	}

	public getAppActivationBridge(): AppActivationBridge {
		return this.activation;
	}

	public getRoomBridge(): RoomBridge {
		return this.room;
	}

	public getInternalBridge(): IInternalBridge {
		return this.internal;
	}

	public getInternalFederationBridge(): IInternalFederationBridge {
		return this.federation;
	}

	public getServerSettingBridge(): ServerSettingBridge {
		return this.serverSetting;
	}

	public getUploadBridge(): UploadBridge {
		return this.upload;
	}

	public getEmailBridge(): EmailBridge {
		return this.unsupported.email;
	}

	public getUserBridge(): UserBridge {
		return this.user;
	}

	public getUiInteractionBridge(): UiInteractionBridge {
		return this.uiInteraction;
	}

	public getSchedulerBridge(): LocalSchedulerBridge {
		return this.scheduler;
	}

	public getCloudWorkspaceBridge(): CloudWorkspaceBridge {
		return this.unsupported.cloudWorkspace;
	}

	public getVideoConferenceBridge(): VideoConferenceBridge {
		return this.unsupported.videoConference;
	}

	public getOAuthAppsBridge(): OAuthAppsBridge {
		return this.unsupported.oauthApps;
	}

	public getModerationBridge(): ModerationBridge {
		return this.unsupported.moderation;
	}

	public getThreadBridge(): ThreadBridge {
		return this.unsupported.thread;
	}

	public getRoleBridge(): RoleBridge {
		return this.unsupported.role;
	}

	public getOutboundMessageBridge(): OutboundMessageBridge {
		return this.unsupported.outboundMessage;
	}

	public getExperimentalBridge(): ExperimentalBridge {
		return this.unsupported.experimental;
	}
}
