import { generateKeyPairSync } from 'crypto';

import type { AppStatus } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { IMessage, IMessageRaw } from '@rocket.chat/apps-engine/definition/messages';
import type { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import type { IRoom, IRoomRaw } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import type { ISlashCommand } from '@rocket.chat/apps-engine/definition/slashcommands';
import type {
	IUIKitInteraction,
	UIKitIncomingInteraction,
} from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser, IUserCreationOptions } from '@rocket.chat/apps-engine/definition/users';
import { UserType } from '@rocket.chat/apps-engine/definition/users';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';
import {
	ApiBridge,
	AppActivationBridge,
	AppBridges,
	AppDetailChangesBridge,
	CloudWorkspaceBridge,
	CommandBridge,
	ContactBridge,
	EmailBridge,
	EnvironmentalVariableBridge,
	ExperimentalBridge,
	HttpBridge,
	type IInternalBridge,
	type IInternalFederationBridge,
	type IListenerBridge,
	LivechatBridge,
	MessageBridge,
	ModerationBridge,
	OutboundMessageBridge,
	RoleBridge,
	RoomBridge,
	type ServerSettingBridge,
	UiInteractionBridge,
	UploadBridge,
	UserBridge,
	VideoConferenceBridge,
} from '@rocket.chat/apps-engine/server/bridges';
import { InternalBridge } from '@rocket.chat/apps-engine/server/bridges/InternalBridge';
import type { ITypingDescriptor } from '@rocket.chat/apps-engine/server/bridges/MessageBridge';
import { OAuthAppsBridge } from '@rocket.chat/apps-engine/server/bridges/OAuthAppsBridge';
import type {
	GetMessagesOptions,
	GetRoomsFilters,
	GetRoomsOptions,
} from '@rocket.chat/apps-engine/server/bridges/RoomBridge';
import { ThreadBridge } from '@rocket.chat/apps-engine/server/bridges/ThreadBridge';
import type { AppApi } from '@rocket.chat/apps-engine/server/managers/AppApi';

import type { Database } from './database';
import type { Directory } from './directory';
import type { SqlitePersistenceBridge } from './persistence-bridge';
import { type ILocalSchedulerOptions, LocalSchedulerBridge } from './scheduler-bridge';
import { INVALID_ROOM_ERROR, validateAppMessage } from './server-rules';
import { LocalServerSettingBridge, ServerSettings } from './server-settings';
import type { SessionState } from './session-state';

/** The error every bridge method the local host does not provide throws. */
export class NotSupportedByLocalHostError extends Error {
	constructor(bridge: string, method: string) {
		super(`${bridge}.${method} is not supported by the local host`);
		this.name = 'NotSupportedByLocalHostError';
	}
}

/**
 * A bridge whose every implementation method throws NotSupportedByLocalHostError. The
 * engine's `do*` wrappers stay real (they check the app's permissions first, as on a
 * server); only the abstract methods they call are missing and answer the clear error.
 */
export function unsupportedBridge<T extends object>(bridgeName: string, prototype: T): T {
	return new Proxy(Object.create(prototype) as T, {
		get(target, property, receiver) {
			// `then` must stay undefined, or awaiting the bridge would call it.
			if (typeof property === 'symbol' || property === 'then' || property in target) {
				return Reflect.get(target, property, receiver);
			}
			return () => {
				throw new NotSupportedByLocalHostError(bridgeName, property);
			};
		},
	});
}

/** Callbacks through which the bridges reach the host (events the server would raise). */
export interface IHostHooks {
	/** A message was stored (by the app): the server then runs the message listeners. */
	messageCreated(message: IMessage): void;
	/** Listener bridge calls from the server side. */
	dispatchListener(int: AppInterface, payload: unknown): Promise<unknown>;
	/** An app setting changed here: the server broadcasts it to every instance. */
	appSettingChanged(appId: string, setting: ISetting): void;
}

/** Environment variables apps may read on a Rocket.Chat server; the values are the local host's. */
const READABLE_ENVIRONMENT: Readonly<Record<string, string>> = {
	NODE_ENV: 'development',
	ROOT_URL: 'http://localhost:3000',
	INSTANCE_IP: '127.0.0.1',
};

class LocalCommandBridge extends CommandBridge {
	/** Enabled commands by lower-case name. */
	public readonly commands = new Map<string, { appId: string; command: ISlashCommand }>();

	private readonly disabled = new Map<string, { appId: string; command: ISlashCommand }>();

	protected async doesCommandExist(command: string): Promise<boolean> {
		const name = command.toLowerCase();
		return this.commands.has(name) || this.disabled.has(name);
	}

	protected async enableCommand(command: string): Promise<void> {
		const name = command.toLowerCase();
		const entry = this.disabled.get(name);
		if (!entry) {
			throw new Error(`The command is not currently disabled: "${name}"`);
		}
		this.commands.set(name, entry);
		this.disabled.delete(name);
	}

	protected async disableCommand(command: string): Promise<void> {
		const name = command.toLowerCase();
		if (this.disabled.has(name)) {
			return;
		}
		const entry = this.commands.get(name);
		if (!entry) {
			throw new Error(`Command does not exist in the system currently: "${name}"`);
		}
		this.disabled.set(name, entry);
		this.commands.delete(name);
	}

	protected async modifyCommand(command: ISlashCommand, appId: string): Promise<void> {
		const name = command.command.toLowerCase();
		if (!this.commands.has(name)) {
			throw new Error(
				`Command does not exist in the system currently (or it is disabled): "${name}"`,
			);
		}
		this.commands.set(name, { appId, command });
	}

	protected async registerCommand(command: ISlashCommand, appId: string): Promise<void> {
		if (typeof command?.command !== 'string') {
			throw new Error(
				'Invalid Slash Command parameter provided, it must be a valid ISlashCommand object.',
			);
		}
		this.commands.set(command.command.toLowerCase(), { appId, command });
	}

	protected async unregisterCommand(command: string): Promise<void> {
		const name = command.toLowerCase();
		this.commands.delete(name);
		this.disabled.delete(name);
	}
}

class LocalUserBridge extends UserBridge {
	constructor(private readonly directory: Directory) {
		super();
	}

	protected async getById(id: string): Promise<IUser> {
		return this.directory.userById(id) as IUser;
	}

	protected async getByUsername(username: string): Promise<IUser> {
		return this.directory.userByUsername(username) as IUser;
	}

	// Public because the engine calls it directly when installing an app.
	public async getAppUser(appId?: string): Promise<IUser | undefined> {
		return appId ? this.directory.appUser(appId) : undefined;
	}

	protected async getActiveUserCount(): Promise<number> {
		return this.directory.allUsers().filter((user) => user.isEnabled && user.type === UserType.USER)
			.length;
	}

	protected async getUserUnreadMessageCount(): Promise<number> {
		throw new NotSupportedByLocalHostError('UserBridge', 'getUserUnreadMessageCount');
	}

	protected async getUserRoomIds(userId: string): Promise<string[]> {
		return this.directory.roomIdsOfUser(userId);
	}

	public async create(
		data: Partial<IUser>,
		appId: string,
		_options?: IUserCreationOptions,
	): Promise<string> {
		return this.directory.createUser({ ...data, appId: data.appId ?? appId });
	}

	public async remove(user: IUser): Promise<boolean> {
		return this.directory.removeUser(user.id);
	}

	protected async update(user: IUser, updates: Partial<IUser>): Promise<boolean> {
		return this.directory.updateUser(user.id, updates);
	}

	protected async deleteUsersCreatedByApp(
		appId: string,
		_type: UserType.APP | UserType.BOT,
	): Promise<boolean> {
		return this.directory.removeUsersOfApp(appId);
	}

	protected async deactivate(userId: IUser['id']): Promise<boolean> {
		return this.directory.updateUser(userId, { isEnabled: false });
	}
}

class LocalRoomBridge extends RoomBridge {
	constructor(private readonly directory: Directory) {
		super();
	}

	protected async create(room: IRoom, members: Array<string>): Promise<string> {
		return this.directory.createRoom(room, members);
	}

	protected async getById(roomId: string): Promise<IRoom> {
		return this.directory.roomById(roomId) as IRoom;
	}

	protected async getByName(roomName: string): Promise<IRoom> {
		return this.directory.roomByName(roomName) as IRoom;
	}

	protected async getCreatorById(roomId: string): Promise<IUser | undefined> {
		return this.directory.roomById(roomId)?.creator;
	}

	protected async getCreatorByName(roomName: string): Promise<IUser | undefined> {
		return this.directory.roomByName(roomName)?.creator;
	}

	protected async getDirectByUsernames(usernames: Array<string>): Promise<IRoom | undefined> {
		const wanted = [...usernames].sort().join(',');
		return this.directory
			.allRooms()
			.find(
				(room) =>
					room.type === RoomType.DIRECT_MESSAGE && [...room.usernames].sort().join(',') === wanted,
			);
	}

	protected async getMembers(roomId: string): Promise<Array<IUser>> {
		return this.directory.membersOf(roomId);
	}

	protected async getAllRooms(
		filters: GetRoomsFilters,
		options: GetRoomsOptions,
	): Promise<Array<IRoomRaw>> {
		const types =
			filters.types && filters.types.length > 0 ? new Set<string>(filters.types) : undefined;
		const rooms = this.directory.allRooms().filter((room) => !types || types.has(room.type));
		const skip = options.skip ?? 0;
		const limit = options.limit ?? rooms.length;
		return rooms.slice(skip, skip + limit).map((room) => ({
			id: room.id,
			slugifiedName: room.slugifiedName,
			displayName: room.displayName,
			type: room.type,
			creator: { _id: room.creator.id, username: room.creator.username, name: room.creator.name },
			isDefault: room.isDefault,
			isReadOnly: room.isReadOnly,
			createdAt: room.createdAt,
		})) as unknown as IRoomRaw[];
	}

	protected async update(room: IRoom, members: Array<string>): Promise<void> {
		this.directory.updateRoom(room, members);
	}

	protected async createDiscussion(): Promise<string> {
		throw new NotSupportedByLocalHostError('RoomBridge', 'createDiscussion');
	}

	protected async delete(roomId: string): Promise<void> {
		this.directory.deleteRoom(roomId);
	}

	protected async getModerators(): Promise<Array<IUser>> {
		return [];
	}

	protected async getOwners(roomId: string): Promise<Array<IUser>> {
		const room = this.directory.roomById(roomId);
		return room ? [room.creator] : [];
	}

	protected async getLeaders(): Promise<Array<IUser>> {
		return [];
	}

	protected async getMessages(roomId: string, options: GetMessagesOptions): Promise<IMessageRaw[]> {
		const messages = this.directory.messagesOf(roomId);
		const newestFirst = options.sort?.createdAt === 'desc';
		const ordered = newestFirst ? [...messages].reverse() : messages;
		const skip = options.skip ?? 0;
		const limit = options.limit ?? ordered.length;
		return ordered.slice(skip, skip + limit).map((message) => ({
			id: message.id ?? '',
			roomId: message.room.id,
			sender: {
				_id: message.sender.id,
				username: message.sender.username,
				name: message.sender.name,
			},
			text: message.text,
			createdAt: message.createdAt,
			updatedAt: message.updatedAt,
			threadId: message.threadId,
			blocks: message.blocks,
			attachments: message.attachments,
		})) as unknown as IMessageRaw[];
	}

	protected async removeUsers(roomId: string, usernames: Array<string>): Promise<void> {
		this.directory.removeMembers(roomId, usernames);
	}

	protected async getUnreadByUser(): Promise<IMessageRaw[]> {
		throw new NotSupportedByLocalHostError('RoomBridge', 'getUnreadByUser');
	}

	protected async getUserUnreadMessageCount(): Promise<number> {
		throw new NotSupportedByLocalHostError('RoomBridge', 'getUserUnreadMessageCount');
	}
}

class LocalMessageBridge extends MessageBridge {
	constructor(
		private readonly directory: Directory,
		private readonly session: SessionState,
		private readonly hooks: IHostHooks,
		private readonly serverSettings: ServerSettings,
	) {
		super();
	}

	protected async create(message: IMessage, appId: string): Promise<string> {
		const sender = message.sender ?? this.directory.appUser(appId);
		if (!sender) {
			throw new Error(`App ${appId} sent a message without a sender and has no app user`);
		}
		// The server's checks and errors (host/server-rules.ts names the files they follow).
		const createdAt = validateAppMessage(message, {
			room: message.room?.id ? this.directory.roomById(message.room.id) : undefined,
			sender: this.directory.userById(sender.id),
			setting: (id) => this.serverSettings.value(id),
			now: new Date(),
		});
		const stored = this.directory.appendMessage({ ...message, sender, createdAt });
		// Like Rocket.Chat's sendMessage, an app's message also runs the message listeners.
		this.hooks.messageCreated(stored);
		return stored.id ?? '';
	}

	protected async update(message: IMessage): Promise<void> {
		this.directory.updateMessage(message);
	}

	protected async notifyUser(user: IUser, message: IMessage, appId: string): Promise<void> {
		// The server's convertAppMessage needs a stored room even for an ephemeral message.
		if (!message.room?.id || !this.directory.roomById(message.room.id)) {
			throw new Error(INVALID_ROOM_ERROR);
		}
		this.session.addNotification(user.username, {
			appId,
			room: message.room?.slugifiedName,
			text: message.text ?? '',
			...(message.blocks ? { blocks: message.blocks } : {}),
			...(message.attachments ? { attachments: message.attachments } : {}),
			createdAt: new Date(),
			message,
		});
	}

	// As the server's: nothing without a room id; the message's own room must exist; then every
	// member of the given room (none when it does not exist) gets the message.
	protected async notifyRoom(room: IRoom, message: IMessage, appId: string): Promise<void> {
		if (!room?.id) {
			return;
		}
		if (!message.room?.id || !this.directory.roomById(message.room.id)) {
			throw new Error(INVALID_ROOM_ERROR);
		}
		const members = this.directory.roomById(room.id) ? this.directory.membersOf(room.id) : [];
		for (const member of members) {
			// The server sends it to the given room's id, where the client shows it.
			await this.notifyUser(member, { ...message, room }, appId);
		}
	}

	protected async typing(_options: ITypingDescriptor): Promise<void> {
		throw new NotSupportedByLocalHostError('MessageBridge', 'typing');
	}

	protected async getById(messageId: string): Promise<IMessage> {
		return this.directory.messageById(messageId) as IMessage;
	}

	protected async delete(message: IMessage): Promise<void> {
		if (message.id) {
			this.directory.deleteMessage(message.id);
		}
	}

	protected async addReaction(): Promise<void> {
		throw new NotSupportedByLocalHostError('MessageBridge', 'addReaction');
	}

	protected async removeReaction(): Promise<void> {
		throw new NotSupportedByLocalHostError('MessageBridge', 'removeReaction');
	}
}

class LocalUiInteractionBridge extends UiInteractionBridge {
	constructor(private readonly session: SessionState) {
		super();
	}

	protected async notifyUser(user: IUser, interaction: IUIKitInteraction): Promise<void> {
		this.session.applyInteraction(user.username, interaction);
	}
}

class LocalEnvironmentalVariableBridge extends EnvironmentalVariableBridge {
	protected async getValueByName(envVarName: string): Promise<string | undefined> {
		return READABLE_ENVIRONMENT[envVarName.toUpperCase()];
	}

	protected async isReadable(envVarName: string): Promise<boolean> {
		return envVarName.toUpperCase() in READABLE_ENVIRONMENT;
	}

	protected async isSet(envVarName: string): Promise<boolean> {
		return READABLE_ENVIRONMENT[envVarName.toUpperCase()] !== undefined;
	}
}

/**
 * App setting changes reported by the engine. Like the server's (app/apps/server/bridges/details.ts
 * → AppServerNotifier.appSettingsChange), it broadcasts each change to every instance.
 */
class LocalAppDetailChangesBridge extends AppDetailChangesBridge {
	public readonly changes: Array<{ appId: string; setting: ISetting }> = [];

	constructor(private readonly hooks: IHostHooks) {
		super();
	}

	protected onAppSettingsChange(appId: string, setting: ISetting): void {
		this.changes.push({ appId, setting });
		this.hooks.appSettingChanged(appId, setting);
	}
}

/** App lifecycle events (the server would notify clients); kept for inspection. */
class LocalAppActivationBridge extends AppActivationBridge {
	public readonly events: Array<{ event: string; appId?: string; status?: AppStatus }> = [];

	protected async appAdded(app: ProxiedApp): Promise<void> {
		this.events.push({ event: 'added', appId: app.getID() });
	}

	protected async appUpdated(app: ProxiedApp): Promise<void> {
		this.events.push({ event: 'updated', appId: app.getID() });
	}

	protected async appRemoved(app: ProxiedApp): Promise<void> {
		this.events.push({ event: 'removed', appId: app.getID() });
	}

	protected async appStatusChanged(app: ProxiedApp, status: AppStatus): Promise<void> {
		this.events.push({ event: 'status', appId: app.getID(), status });
	}

	protected async actionsChanged(): Promise<void> {
		this.events.push({ event: 'actions' });
	}
}

class LocalInternalBridge extends InternalBridge {
	constructor(private readonly directory: Directory) {
		super();
	}

	protected async getUsernamesOfRoomById(roomId: string): Promise<Array<string>> {
		return this.getUsernamesOfRoomByIdSync(roomId);
	}

	protected getUsernamesOfRoomByIdSync(roomId: string): Array<string> {
		return this.directory.roomById(roomId)?.usernames ?? [];
	}

	protected async getWorkspacePublicKey(): Promise<ISetting> {
		throw new NotSupportedByLocalHostError(
			'InternalBridge',
			'getWorkspacePublicKey (marketplace licenses)',
		);
	}
}

/** The workspace's RSA key pair the engine signs installed apps with; created once per database. */
class LocalInternalFederationBridge implements IInternalFederationBridge {
	constructor(private readonly database: Database) {}

	public async getPrivateKey(): Promise<string | null> {
		return this.keys().privateKey;
	}

	public async getPublicKey(): Promise<string | null> {
		return this.keys().publicKey;
	}

	private keys(): { privateKey: string; publicKey: string } {
		const read = (name: string) =>
			(
				this.database.prepare('SELECT value FROM server_keys WHERE name = ?').get(name) as
					| { value: string }
					| undefined
			)?.value;
		const existing = { privateKey: read('private_key'), publicKey: read('public_key') };
		if (existing.privateKey && existing.publicKey) {
			return { privateKey: existing.privateKey, publicKey: existing.publicKey };
		}
		const generated = generateKeyPairSync('rsa', {
			modulusLength: 2048,
			publicKeyEncoding: { type: 'spki', format: 'pem' },
			privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
		});
		this.database
			.transaction(() => {
				// Another host process may have stored a pair meanwhile: keep the first one.
				const insert = this.database.prepare(
					'INSERT OR IGNORE INTO server_keys (name, value) VALUES (?, ?)',
				);
				insert.run('private_key', generated.privateKey);
				insert.run('public_key', generated.publicKey);
			})
			.immediate();
		return {
			privateKey: read('private_key') ?? generated.privateKey,
			publicKey: read('public_key') ?? generated.publicKey,
		};
	}
}

/** REST endpoints of apps: none can be registered; unregistering (done on disable) is a no-op. */
class LocalApiBridge extends ApiBridge {
	protected async registerApi(_api: AppApi): Promise<void> {
		throw new NotSupportedByLocalHostError('ApiBridge', 'registerApi');
	}

	protected unregisterApis(): Promise<void> {
		return Promise.resolve();
	}
}

class LocalListenerBridge implements IListenerBridge {
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

/** Every bridge the AppManager needs, on the host's database and session state. */
export class LocalBridges extends AppBridges {
	public readonly command = new LocalCommandBridge();

	public readonly user: LocalUserBridge;

	public readonly room: LocalRoomBridge;

	public readonly message: LocalMessageBridge;

	public readonly uiInteraction: LocalUiInteractionBridge;

	public readonly serverSetting: LocalServerSettingBridge;

	public readonly environment = new LocalEnvironmentalVariableBridge();

	public readonly appDetailChanges: LocalAppDetailChangesBridge;

	public readonly activation = new LocalAppActivationBridge();

	public readonly internal: LocalInternalBridge;

	public readonly federation: LocalInternalFederationBridge;

	public readonly scheduler: LocalSchedulerBridge;

	public readonly api = new LocalApiBridge();

	public readonly listener: LocalListenerBridge;

	private readonly unsupported = {
		contact: unsupportedBridge('ContactBridge', ContactBridge.prototype),
		http: unsupportedBridge('HttpBridge', HttpBridge.prototype),
		livechat: unsupportedBridge('LivechatBridge', LivechatBridge.prototype),
		upload: unsupportedBridge('UploadBridge', UploadBridge.prototype),
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
	) {
		super();
		this.scheduler = new LocalSchedulerBridge(database, schedulerOptions);
		const serverSettings = new ServerSettings(database);
		this.serverSetting = new LocalServerSettingBridge(serverSettings);
		this.appDetailChanges = new LocalAppDetailChangesBridge(hooks);
		this.user = new LocalUserBridge(directory);
		this.room = new LocalRoomBridge(directory);
		this.message = new LocalMessageBridge(directory, session, hooks, serverSettings);
		this.uiInteraction = new LocalUiInteractionBridge(session);
		this.internal = new LocalInternalBridge(directory);
		this.federation = new LocalInternalFederationBridge(database);
		this.listener = new LocalListenerBridge(hooks);
	}

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
		return this.unsupported.upload;
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
