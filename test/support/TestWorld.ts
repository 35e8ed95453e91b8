import type {
	IEnvironmentRead,
	IEnvironmentalVariableRead,
	IHttp,
	ILogger,
	IModify,
	IModifyCreator,
	IModifyDeleter,
	ISchedulerModify,
	INotifier,
	IPersistence,
	IRead,
	IRoomRead,
	IServerSettingRead,
	ISettingRead,
	IUIController,
	IUploadCreator,
	IUserRead,
	IMessageBuilder,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage, IMessageRaw } from '@rocket.chat/apps-engine/definition/messages';
import { RocketChatAssociationModel } from '@rocket.chat/apps-engine/definition/metadata';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IRecurringSchedule } from '@rocket.chat/apps-engine/definition/scheduler';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import {
	UIKitBlockInteractionContext,
	UIKitViewCloseInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import type { IUIKitSurface, IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUpload } from '@rocket.chat/apps-engine/definition/uploads';
import type { IUploadDescriptor } from '@rocket.chat/apps-engine/definition/uploads/IUploadDescriptor';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UserStatusConnection, UserType } from '@rocket.chat/apps-engine/definition/users';
import { MessageBuilder } from '@rocket.chat/apps-engine/server/accessors/MessageBuilder';
import { RoomBuilder } from '@rocket.chat/apps-engine/server/accessors/RoomBuilder';
import type { GetMessagesOptions } from '@rocket.chat/apps-engine/server/bridges/RoomBridge';

import { InMemoryPersistence } from './InMemoryPersistence';
import { newId } from '../../src/domain/ids';
import type { AnnouncementJob, IAnnouncementRun } from '../../src/handlers/AnnouncementJob';
import type { FeedbackCommand } from '../../src/handlers/FeedbackCommand';
import { FOLLOW_UP_BUDGET_MS } from '../../src/handlers/FeedbackFormHandler';
import type { IFeedbackHandlers } from '../../src/handlers/FeedbackHandlers';
import { createHandlers } from '../../src/handlers/FeedbackHandlers';
import type { IFollowDigestRun } from '../../src/handlers/FollowDigestJob';
import type { MessageSentHandler } from '../../src/handlers/MessageSentHandler';
import type { PendingFormsJob } from '../../src/handlers/PendingFormsJob';
import type { ISurveyRoundRun } from '../../src/handlers/SurveyRoundJob';
import {
	blockActionRequest,
	eventRequest,
	jobRequest,
	viewCloseRequest,
	viewSubmitRequest,
} from '../../src/handlers/requestContext';
import type { IJobRequest, IViewSubmitRequest } from '../../src/handlers/requestContext';
import type { ShardedCounter } from '../../src/persistence/ShardedCounter';
import { settingDefinitions } from '../../src/settings/settings';

export const APP_ID = '9304fb11-2303-45bc-a2d7-abe09f0a1d7d';

/** An object whose every unknown property throws, so a test never passes on a silent undefined. */
function strict<T extends object>(name: string, members: Partial<T>): T {
	return new Proxy(members, {
		get(target, property) {
			if (property in target || typeof property === 'symbol' || property === 'then') {
				return Reflect.get(target, property);
			}
			throw new Error(`${name}.${String(property)} is not provided by the test world`);
		},
	}) as T;
}

/** A user as the server hands it to apps. */
export function makeUser(
	id: string,
	options: { roles?: Array<string>; language?: string; type?: UserType } = {},
): IUser {
	return {
		id,
		username: id,
		name: `${id[0].toUpperCase()}${id.slice(1)} Example`,
		emails: [],
		type: options.type ?? UserType.USER,
		isEnabled: true,
		roles: options.roles ?? ['user'],
		status: 'online',
		statusConnection: UserStatusConnection.ONLINE,
		utcOffset: 0,
		createdAt: new Date(0),
		updatedAt: new Date(0),
		lastLoginAt: new Date(0),
		settings: options.language ? { preferences: { language: options.language } } : undefined,
	};
}

function makeRoom(id: string, slugifiedName: string, creator: IUser): IRoom {
	return {
		id,
		slugifiedName,
		displayName: slugifiedName,
		type: RoomType.CHANNEL,
		creator,
		usernames: [],
		isDefault: false,
		isReadOnly: false,
		displaySystemMessages: true,
		messageCount: 0,
		createdAt: new Date(0),
		updatedAt: new Date(0),
	};
}

export interface INotification {
	readonly user: IUser;
	readonly message: IMessage;
}

/** A silent logger that keeps errors, so tests can assert that failures were reported. */
export class RecordingLogger {
	public readonly errors: Array<Array<unknown>> = [];

	/** The first item of every warning, as text. */
	public readonly warnings: Array<string> = [];

	public readonly logger = strict<ILogger>('logger', {
		error: (...items: Array<unknown>) => {
			this.errors.push(items);
		},
		warn: (...items: Array<unknown>) => {
			this.warnings.push(String(items[0]));
		},
		info: () => undefined,
		debug: () => undefined,
		log: () => undefined,
	});
}

/**
 * One simulated app instance (its own handlers and counter shard) over a shared world.
 * Several instances over one InMemoryPersistence model a cluster.
 */
export class AppInstance {
	public readonly log = new RecordingLogger();

	/** The handlers as FeedbackApp builds them, on the world's clock. */
	public readonly handlers: IFeedbackHandlers;

	public readonly counter: ShardedCounter;

	public readonly command: FeedbackCommand;

	public readonly messages: MessageSentHandler;

	public readonly announcements: AnnouncementJob;

	public readonly pendingForms: PendingFormsJob;

	constructor(private readonly world: TestWorld) {
		this.handlers = createHandlers({
			appId: APP_ID,
			app: { getLogger: () => this.log.logger },
			// Every reading moves the clock a second, so records never share a creation time.
			now: () => world.tick(),
			followUpBudgetMs: world.followUpBudgetMs,
		});
		({
			messageCounter: this.counter,
			command: this.command,
			messageSent: this.messages,
			announcements: this.announcements,
			pendingForms: this.pendingForms,
		} = this.handlers);
	}

	/** Runs `/feedback <text>` as the user in the room (null: no trigger id, as REST commands.run may send). */
	public async run(
		user: IUser,
		text: string,
		room: IRoom = this.world.general,
		triggerId: string | null = `trigger-${newId()}`,
	): Promise<void> {
		const args = text.split(/\s+/).filter((part) => part.length > 0);
		const context = new SlashCommandContext(user, room, args, undefined, triggerId ?? undefined);
		await this.command.executor(
			context,
			this.world.read(),
			this.world.modify(),
			this.world.http(),
			this.world.writer(),
		);
	}

	/** Submits a view with the given values by action id (state[its block id][action id] = value). */
	public submit(
		user: IUser,
		view: IUIKitSurface,
		values: Record<string, unknown>,
	): Promise<IUIKitResponse> {
		const state = stateOf(view, values);
		const context = new UIKitViewSubmitInteractionContext({
			appId: APP_ID,
			user,
			triggerId: 'submit',
			view: { ...view, state },
		});
		return this.handlers.views.submit(this.submitRequest(context));
	}

	/** A view submit's request, built as FeedbackApp builds it. */
	private submitRequest(context: UIKitViewSubmitInteractionContext): IViewSubmitRequest {
		const { world } = this;
		return viewSubmitRequest(
			context,
			world.read(),
			world.modify(),
			world.writer(),
			this.log.logger,
		);
	}

	/** A scheduled job's request, as the scheduler's processor builds it (with another modify). */
	public jobRequest(modify: IModify = this.world.modify()): IJobRequest {
		return jobRequest(this.world.read(), modify, this.world.writer(), this.log.logger);
	}

	/** Presses a button (or picks an option) of a view: what the client sends as a block action. */
	public click(
		user: IUser,
		view: IUIKitSurface,
		actionId: string,
		value: string | undefined,
	): Promise<IUIKitResponse> {
		return this.blockAction(user, actionId, value, this.world.general, {
			type: view.type,
			id: view.id,
		});
	}

	/** Presses a button of a message in a room (a direct message's "Stop following"), as the client sends it. */
	public clickInMessage(
		user: IUser,
		room: IRoom,
		actionId: string,
		value: string,
	): Promise<IUIKitResponse> {
		return this.blockAction(user, actionId, value, room, {
			type: 'message',
			id: `message-of-${room.id}`,
		});
	}

	/** A block action as the client sends it, with a fresh trigger id. */
	private blockAction(
		user: IUser,
		actionId: string,
		value: string | undefined,
		room: IRoom,
		container: { readonly type: string; readonly id: string },
	): Promise<IUIKitResponse> {
		const context = new UIKitBlockInteractionContext({
			appId: APP_ID,
			user,
			actionId,
			blockId: actionId,
			value,
			triggerId: `trigger-${newId()}`,
			room,
			container,
		} as never);
		const { world } = this;
		return this.handlers.blockActions.handle(
			blockActionRequest(context, world.read(), world.modify(), world.writer(), this.log.logger),
		);
	}

	/**
	 * Submits the admin modal in its status form state with a status and a note (a value left
	 * undefined is a field the admin did not touch, which the client does not send), plus any
	 * state an earlier form of the same modal left (the client keeps it).
	 */
	public submitStatus(
		user: IUser,
		view: IUIKitSurface,
		values: { status?: unknown; note?: unknown },
		earlierState: Record<string, Record<string, unknown>> = {},
	): Promise<IUIKitResponse> {
		const byAction: Record<string, unknown> = {};
		for (const { actionId } of inputFields(view)) {
			const given = actionId.startsWith('status:') ? values.status : values.note;
			if (given !== undefined) {
				byAction[actionId] = given;
			}
		}
		const context = new UIKitViewSubmitInteractionContext({
			appId: APP_ID,
			user,
			triggerId: 'submit',
			view: { ...view, state: { ...earlierState, ...stateOf(view, byAction) } },
		});
		return this.handlers.views.submit(this.submitRequest(context));
	}

	/** Submits a status form an earlier version opened in a modal of its own (fields `status`, `note`). */
	public submitEarlierStatusForm(
		user: IUser,
		viewId: string,
		values: { status?: unknown; note?: unknown },
	): Promise<IUIKitResponse> {
		const context = new UIKitViewSubmitInteractionContext({
			appId: APP_ID,
			user,
			triggerId: 'submit',
			view: {
				id: viewId,
				state: { status: { status: values.status }, note: { note: values.note } },
			} as never,
		});
		return this.handlers.views.submit(this.submitRequest(context));
	}

	/** Closes a view without submitting. */
	public close(user: IUser, view: IUIKitSurface): Promise<IUIKitResponse> {
		const context = new UIKitViewCloseInteractionContext({
			appId: APP_ID,
			user,
			view,
			isCleared: false,
		});
		const { world } = this;
		return this.handlers.views.close(
			viewCloseRequest(context, world.read(), world.modify(), world.writer(), this.log.logger),
		);
	}

	/** Runs the abandoned-forms job once; returns how many forms it forgot. */
	public purgeForms(): Promise<number> {
		return this.pendingForms.run(this.jobRequest());
	}

	/** Runs the announcement job once, as the scheduler does on one instance of the cluster. */
	public runAnnouncements(): Promise<IAnnouncementRun> {
		return this.announcements.run(this.jobRequest());
	}

	/** Runs the status notice job once, as the scheduler does (copies may run at once). */
	public runStatusNotices(): Promise<number> {
		return this.handlers.statusNotices.run(this.jobRequest());
	}

	/** Runs the followers' daily digest once, as the scheduler does (copies may run at once). */
	public runFollowDigest(): Promise<IFollowDigestRun> {
		return this.handlers.followDigest.run(this.jobRequest());
	}

	/** Runs the survey rounds' job once, as the scheduler does (copies may run at once). */
	public runSurveyRounds(): Promise<ISurveyRoundRun> {
		return this.handlers.surveyRounds.run(this.jobRequest());
	}

	/** Delivers a sent message to the app, as IPostMessageSent does. */
	public sendMessage(sender: IUser, text = 'hello'): Promise<void> {
		const message: IMessage = { room: this.world.general, sender, text };
		const request = eventRequest(this.world.read(), this.world.writer(), this.log.logger);
		return this.messages.handle(message, request);
	}
}

/** Users, rooms, settings, the persistence store and what the app sent, for handler tests. */
export class TestWorld {
	public readonly persistence = new InMemoryPersistence();

	public readonly bot = makeUser('feedback.bot', { type: UserType.APP, roles: ['bot'] });

	public readonly alice = makeUser('alice', { language: 'en' });

	public readonly bruno = makeUser('bruno', { language: 'pt-BR' });

	public readonly clara = makeUser('clara', { language: 'de' });

	public readonly admin = makeUser('admin', { roles: ['user', 'admin'], language: 'en' });

	/** A member who kept the workspace's default language (the server then sends none). */
	public readonly dora = makeUser('dora');

	public readonly general = makeRoom('room-general', 'general', this.admin);

	public readonly announcements = makeRoom('room-feedback', 'feedback', this.admin);

	public readonly settings = new Map<string, unknown>(
		settingDefinitions.map((setting) => [setting.id, setting.packageValue]),
	);

	/** Server settings at a new server's defaults. */
	public readonly serverSettings = new Map<string, unknown>([
		['Language', ''],
		['Message_CustomFields_Enabled', false],
		['Message_CustomFields', ''],
		['FileUpload_MaxFileSize', 104857600],
		['Message_MaxAllowedSize', 5000],
	]);

	/** Files the app uploaded, with their content read back as UTF-8 and the bytes as handed over. */
	public readonly uploads: Array<{
		filename: string;
		roomId: string;
		userId?: string;
		content: string;
		bytes: Uint8Array;
	}> = [];

	/** Once this many files are uploaded, the server refuses the next ones with this error. */
	public refusingUploads: { readonly after: number; readonly error: Error } | undefined;

	/** How long a submit waits for its confirmation and announcement before it answers. */
	public followUpBudgetMs = FOLLOW_UP_BUDGET_MS;

	/** While set, posting a room message waits for it (a slow server). */
	public messagePosting: Promise<void> | undefined;

	/** While set, creating a room waits for it between the server's look-up and its insert. */
	public roomCreating: Promise<void> | undefined;

	/** How many room creations are between the server's look-up and its insert right now. */
	public roomCreationsUnderway = 0;

	/** While set, an ephemeral message waits for it (a slow server). */
	public notifying: Promise<void> | undefined;

	/** How many of the next room messages the server refuses. */
	public refusingMessages = 0;

	/** The error those refusals throw. */
	public messageRefusal = new Error('injected message refusal');

	/** How many of the next room messages are stored, then the call fails (the answer is lost). */
	public losingMessageAnswers = 0;

	/** Runs as each room message is posted, before it is stored (a slow post, a barrier). */
	public onPost: () => Promise<void> | void = () => undefined;

	/** Recurring jobs the app scheduled through modify.getScheduler(), in order. */
	public readonly scheduledRecurring: Array<IRecurringSchedule> = [];

	public readonly notifications: Array<INotification> = [];

	public readonly roomMessages: Array<IMessage> = [];

	/** Ids of the rooms the app deleted, in order. */
	public readonly deletedRooms: Array<string> = [];

	/** Ids of the messages the app deleted, in order. */
	public readonly deletedMessages: Array<string> = [];

	/** How many messages were ever posted (deleted ones included): the next message's id. */
	private postedCount = 0;

	public readonly openedViews: Array<{ user: IUser; view: IUIKitSurface; triggerId: string }> = [];

	/** Views the app pushed as updates of open ones. */
	public readonly updatedViews: Array<{ user: IUser; view: IUIKitSurface; triggerId: string }> = [];

	public failOpenView = false;

	/** How many of the next app user look-ups fail. */
	public failingAppUserLookups = 0;

	private clock = Date.parse('2026-01-01T00:00:00Z');

	public readonly instance = new AppInstance(this);

	/** The world's clock: one second later on every reading, so creation times never tie. */
	public tick(): Date {
		this.clock += 1000;
		return new Date(this.clock);
	}

	/** The world's clock, without moving it. */
	public now(): Date {
		return new Date(this.clock);
	}

	/** Moves the world's clock forward, e.g. by days to close them. */
	public advance(milliseconds: number): void {
		this.clock += milliseconds;
	}

	/** Another app instance on the same store (another Rocket.Chat server of the cluster). */
	public newInstance(): AppInstance {
		return new AppInstance(this);
	}

	/** Everything the user was told privately, oldest first. */
	public notificationsOf(user: IUser): Array<string> {
		return this.notifications
			.filter((notification) => notification.user.id === user.id)
			.map((notification) => notification.message.text ?? '');
	}

	/** The last thing the user was told privately. */
	public lastNotice(user: IUser): string {
		const all = this.notificationsOf(user);
		return all[all.length - 1] ?? '';
	}

	/** The last view opened for the user. */
	public lastView(user: IUser): IUIKitSurface {
		const opened = this.openedViews.filter((entry) => entry.user.id === user.id);
		if (opened.length === 0) {
			throw new Error(`no view was opened for ${user.username}`);
		}
		return opened[opened.length - 1].view;
	}

	public writer(): IPersistence {
		return this.persistence.writer(APP_ID);
	}

	public http(): IHttp {
		return strict<IHttp>('http', {});
	}

	/** The server's environment variables the app may read (e.g. its survey secret). */
	public readonly environmentVariables = new Map<string, string>();

	/** The members of each room by id (default: everyone and the app's user in #general). */
	public readonly roomMembers = new Map<string, Array<string>>([
		['room-general', ['alice', 'bruno', 'clara', 'admin', 'dora', 'feedback.bot']],
	]);

	/** Direct rooms the app created (between its user and a member). */
	public readonly directRooms: Array<IRoom> = [];

	/** Every member of the world. */
	public users(): Array<IUser> {
		return [this.alice, this.bruno, this.clara, this.admin, this.dora, this.bot];
	}

	public read(): IRead {
		const rooms = () => [this.general, this.announcements, ...this.directRooms];
		return strict<IRead>('read', {
			getPersistenceReader: () => this.persistence.reader(APP_ID),
			getEnvironmentReader: () =>
				strict<IEnvironmentRead>('environment', {
					getSettings: () =>
						strict<ISettingRead>('settings', {
							getValueById: async (id: string) => this.settings.get(id),
						}),
					getServerSettings: () =>
						strict<IServerSettingRead>('serverSettings', {
							getValueById: async (id: string) => this.serverSettings.get(id),
						}),
					// The server's environment as apps read their own variables (none set by default).
					getEnvironmentVariables: () =>
						strict<IEnvironmentalVariableRead>('environmentVariables', {
							// An unset one comes back undefined, as process.env gives it on the server.
							getValueByName: async (name: string) => this.environmentVariables.get(name) as string,
						}),
				}),
			getUserReader: () =>
				strict<IUserRead>('users', {
					getAppUser: async () => {
						if (this.failingAppUserLookups > 0) {
							this.failingAppUserLookups -= 1;
							throw new Error('injected app user look-up failure');
						}
						return this.bot;
					},
					// The server answers undefined for an unknown id, whatever the type says.
					getById: async (id: string) => this.users().find((user) => user.id === id) as IUser,
				}),
			getRoomReader: () =>
				strict<IRoomRead>('rooms', {
					getById: async (id: string) => rooms().find((room) => room.id === id),
					getByName: async (name: string) => rooms().find((room) => room.slugifiedName === name),
					// As apps/meteor/app/apps/server/bridges/rooms.ts getMessages: sorted by time.
					getMessages: async (roomId: string, options?: Partial<GetMessagesOptions>) => {
						const inRoom = this.roomMessages.filter((message) => message.room.id === roomId);
						const ordered = options?.sort?.createdAt === 'desc' ? [...inRoom].reverse() : inRoom;
						return ordered.slice(0, options?.limit ?? 100).map(
							(message): IMessageRaw => ({
								id: message.id ?? '',
								roomId: message.room.id,
								sender: {
									_id: message.sender.id,
									username: message.sender.username,
									name: message.sender.name,
								},
								text: message.text,
								createdAt: message.createdAt ?? new Date(0),
							}),
						);
					},
					// As apps/meteor/app/apps/server/bridges/rooms.ts getMembers: the users subscribed.
					getMembers: async (roomId: string) =>
						(this.roomMembers.get(roomId) ?? [])
							.map((id) => this.users().find((user) => user.id === id))
							.filter((user): user is IUser => user !== undefined),
					getDirectByUsernames: async (usernames: Array<string>) =>
						this.directRooms.find(
							(room) =>
								[...(room.usernames ?? [])].sort().join(',') === [...usernames].sort().join(','),
						) as IRoom,
				}),
		});
	}

	public modify(): IModify {
		return strict<IModify>('modify', {
			getNotifier: () =>
				strict<INotifier>('notifier', {
					getMessageBuilder: () => new MessageBuilder(),
					notifyUser: async (user: IUser, message: IMessage) => {
						await this.notifying;
						this.notifications.push({ user, message });
					},
				}),
			getCreator: () =>
				strict<IModifyCreator>('creator', {
					startMessage: () => new MessageBuilder(),
					startRoom: () => new RoomBuilder(),
					getUploadCreator: () =>
						strict<IUploadCreator>('uploads', {
							uploadBuffer: async (buffer: Uint8Array, descriptor: IUploadDescriptor) => {
								if (this.refusingUploads && this.uploads.length >= this.refusingUploads.after) {
									throw this.refusingUploads.error;
								}
								this.uploads.push({
									filename: descriptor.filename,
									roomId: descriptor.room.id,
									userId: descriptor.user?.id,
									content: new TextDecoder('utf-8', { ignoreBOM: true }).decode(buffer),
									bytes: buffer,
								});
								return { id: `upload-${this.uploads.length}` } as IUpload;
							},
						}),
					finish: async (builder) => {
						if (builder.kind === RocketChatAssociationModel.ROOM) {
							const room = builder.getRoom();
							const usernames = builder.getMembersToBeAddedUsernames();
							const key = [...usernames].sort().join(',');
							// The server's createDirectRoom (apps/meteor/app/lib/server/functions/
							// createDirectRoom.ts) returns the room two users already share, found before
							// it awaits the apps' pre-create events; then it inserts with a random id, so
							// two creators at once each insert a room.
							const existing = this.directRooms.find(
								(direct) => [...(direct.usernames ?? [])].sort().join(',') === key,
							);
							this.roomCreationsUnderway += 1;
							try {
								await this.roomCreating;
							} finally {
								this.roomCreationsUnderway -= 1;
							}
							if (existing) {
								return existing.id;
							}
							const id = `direct-${this.directRooms.length + 1}`;
							this.directRooms.push({ ...room, id, usernames });
							return id;
						}
						await this.onPost();
						await this.messagePosting;
						if (this.refusingMessages > 0) {
							this.refusingMessages -= 1;
							throw this.messageRefusal;
						}
						const message = (builder as IMessageBuilder).getMessage();
						// executeSendMessage (apps/meteor/app/lib/server/methods/sendMessage.ts) counts UTF-16 units.
						if (
							message.text &&
							message.text.length > Number(this.serverSettings.get('Message_MaxAllowedSize') ?? 0)
						) {
							throw new Error('Message size exceeds Message_MaxAllowedSize');
						}
						// The server's validateMessage (apps/meteor/app/lib/server/functions/sendMessage.ts).
						if (
							message.customFields &&
							this.serverSettings.get('Message_CustomFields_Enabled') !== true
						) {
							throw new Error('Custom fields not enabled');
						}
						// The server draws the id and the time (apps/meteor/app/apps/server/converters/messages.ts).
						this.postedCount += 1;
						const id = `message-${this.postedCount}`;
						this.roomMessages.push({ ...message, id, createdAt: new Date(this.clock) });
						if (this.losingMessageAnswers > 0) {
							this.losingMessageAnswers -= 1;
							throw new Error('injected lost answer: the message was stored');
						}
						return id;
					},
				}),
			getScheduler: () =>
				strict<ISchedulerModify>('scheduler', {
					scheduleRecurring: async (job: IRecurringSchedule) => {
						this.scheduledRecurring.push(job);
						return job.id;
					},
				}),
			getDeleter: () =>
				strict<IModifyDeleter>('deleter', {
					// As apps/meteor/app/apps/server/bridges/rooms.ts delete (deleteRoom by id).
					deleteRoom: async (roomId: string) => {
						const index = this.directRooms.findIndex((room) => room.id === roomId);
						if (index >= 0) {
							this.directRooms.splice(index, 1);
							this.deletedRooms.push(roomId);
						}
					},
					// As apps/meteor/app/apps/server/bridges/messages.ts delete: an id and a room.
					deleteMessage: async (message: IMessage) => {
						if (!message.id || !message.room?.id) {
							throw new Error('Invalid message id');
						}
						const index = this.roomMessages.findIndex((stored) => stored.id === message.id);
						if (index >= 0) {
							this.roomMessages.splice(index, 1);
							this.deletedMessages.push(message.id);
						}
					},
				}),
			getUiController: () =>
				strict<IUIController>('ui', {
					updateSurfaceView: async (view, context, user) => {
						this.updatedViews.push({
							user,
							view: { ...view, id: view.id ?? '', appId: APP_ID },
							triggerId: context.triggerId,
						});
					},
					openSurfaceView: async (view, context, user) => {
						if (this.failOpenView) {
							throw new Error('injected openSurfaceView failure');
						}
						this.openedViews.push({
							user,
							view: { ...view, id: view.id ?? '', appId: APP_ID },
							triggerId: context.triggerId,
						});
					},
				}),
		});
	}
}

/** The input fields of a view: each element's block id and action id. */
export function inputFields(view: IUIKitSurface): Array<{ blockId: string; actionId: string }> {
	return (
		view.blocks as unknown as Array<{
			type: string;
			blockId?: string;
			element?: { actionId?: string };
		}>
	)
		.filter((block) => block.type === 'input' && block.element?.actionId)
		.map((block) => ({ blockId: block.blockId ?? '', actionId: block.element?.actionId ?? '' }));
}

/** `view.state` as a client sends it for values by action id: under each field's block id. */
export function stateOf(
	view: IUIKitSurface,
	values: Record<string, unknown>,
): Record<string, Record<string, unknown>> {
	const state: Record<string, Record<string, unknown>> = {};
	const fields = inputFields(view);
	for (const [actionId, value] of Object.entries(values)) {
		const blockId = fields.find((field) => field.actionId === actionId)?.blockId ?? actionId;
		state[blockId] = { ...state[blockId], [actionId]: value };
	}
	return state;
}
