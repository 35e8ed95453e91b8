import * as fs from 'fs';
import * as path from 'path';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';

import { LocalBridges } from '../bridges';
import { checkDenoSetup } from './deno-runtime';
import { Engine, type IAppCall, type IPipeError } from './engine';
import type {
	BlockActionTarget,
	IActionResult,
	IBlockActionOptions,
	IBlockActionResult,
	ILocalHostOptions,
	ISlashCommandOptions,
	IViewSubmitResult,
} from './local-host-types';
import { MemberActions } from '../client/member-actions';
import { type INotification, type IOpenView, SessionState } from '../client/session-state';
import {
	type ClientKind,
	type IRefusedInteraction,
	type IToast,
	UiKitClient,
} from '../client/uikit-client';
import { initialValues, keepValues, stateOfKept, type ViewState } from '../client/view-fields';
import type { IBlockAction } from '../client/view-interaction';
import { type Database, explainDatabaseError, openDatabase } from '../server/database';
import { Directory, type ITimelineMessage } from '../server/directory';
import { type IStoredUpload, UploadStore } from '../server/directory/uploads';
import { SharedClock } from '../server/host-clock';
import { MemberMessages } from '../server/member-messages';
import { type IFaultInjectionOptions, SqlitePersistenceBridge } from '../server/persistence-bridge';
import type { IJobRun } from '../server/scheduler/job-runner';
import type { IStoredJob } from '../server/scheduler/job-store';
import { type IServerSettingInfo, ServerSettings } from '../server/server-settings';
import { SqliteLogStorage } from '../server/storages';

export type {
	BlockActionTarget,
	IActionResult,
	IBlockActionOptions,
	IBlockActionResult,
	ILocalHostOptions,
	ISlashCommandOptions,
	IViewSubmitResult,
} from './local-host-types';
export type { IBlockAction } from '../client/view-interaction';

const DEFAULT_SETTLE_TIMEOUT_MS = 30_000;

/**
 * A Rocket.Chat workspace on one machine: the real Apps-Engine AppManager with the
 * packaged app in its Deno subprocess (host/drivers/engine.ts), bridges on SQLite (host/bridges/),
 * fixture users and rooms (host/server/directory/), and the members' clients (host/client/session-state.ts).
 */
export class LocalHost {
	public readonly directory: Directory;

	public readonly session: SessionState;

	public readonly persistence: SqlitePersistenceBridge;

	/** The server side's time (the scheduler's); shared by every host on the database file. */
	public readonly hostClock: SharedClock;

	private engine: Engine | undefined;

	private appId: string | undefined;

	private readonly backgroundErrors: Error[] = [];

	private readonly appSettingListeners = new Set<(appId: string, setting: ISetting) => void>();

	private readonly appCallListeners = new Set<(call: IAppCall) => void>();

	private readonly serverSettingStore: ServerSettings;

	private readonly memberMessages: MemberMessages;

	private readonly actions: MemberActions;

	private constructor(
		private readonly database: Database,
		private readonly zip: Buffer,
		private readonly options: ILocalHostOptions,
	) {
		this.directory = new Directory(database);
		this.session = new SessionState(
			new UiKitClient({ clock: options.clock, timeoutMs: options.interactionTimeoutMs }),
		);
		for (const [username, kind] of Object.entries(options.clients ?? {})) {
			this.session.client.setKind(username, kind);
		}
		this.hostClock = new SharedClock(database);
		// The records' ids and `_updatedAt` follow the server's clock, as on a server.
		this.persistence = new SqlitePersistenceBridge(database, { clock: this.hostClock });
		this.serverSettingStore = new ServerSettings(database);
		this.memberMessages = new MemberMessages(this.directory, this.serverSettingStore);
		this.actions = new MemberActions({
			directory: this.directory,
			session: this.session,
			messages: this.memberMessages,
			settleTimeoutMs: options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS,
			messageStored: (engine, message) => this.messageCreated(engine, message),
		});
		if (options.faultInjection) {
			this.persistence.setFaultInjection(options.faultInjection);
		}
	}

	/** Starts a host on a database with the packaged app installed and enabled. */
	public static async start(options: ILocalHostOptions): Promise<LocalHost> {
		const zipPath = path.resolve(options.zipPath);
		if (!fs.existsSync(zipPath)) {
			throw new Error(`No app package at ${zipPath}: run npm run package first.`);
		}
		checkDenoSetup(options.denoRuntime ?? 'as-shipped');
		const zip = fs.readFileSync(zipPath);
		const database = openDatabase(options.databasePath, options.busyTimeoutMs);
		const host = new LocalHost(database, zip, options);
		try {
			host.directory.seed();
			await host.startEngine();
			return host;
		} catch (error) {
			await host.stopEngine().catch(() => undefined);
			database.close();
			throw explainDatabaseError(error, options.databasePath);
		}
	}

	/** The installed app's id. */
	public getAppId(): string {
		if (!this.appId) {
			throw new Error('The host is not started');
		}
		return this.appId;
	}

	/** The user record of a fixture member (or app user). */
	public user(username: string): IUser {
		return this.directory.requireUser(username);
	}

	/**
	 * Runs `/command args` typed by a user in a room and waits until the app has finished. The
	 * 4th argument is the thread id, or options (thread, triggerId: see ISlashCommandOptions).
	 */
	public async runSlashCommand(
		username: string,
		roomName: string,
		text: string,
		threadOrOptions?: string | ISlashCommandOptions,
	): Promise<IActionResult> {
		const options =
			typeof threadOrOptions === 'string' ? { threadId: threadOrOptions } : (threadOrOptions ?? {});
		return this.actions.slashCommand(this.requireEngine(), username, roomName, text, options);
	}

	/**
	 * Submits the modal a user has open, with values by action id (fields left out keep
	 * their initial value), and returns the app's answer, inline errors included.
	 */
	public async submitView(
		username: string,
		values: Record<string, unknown>,
	): Promise<IViewSubmitResult> {
		return this.submitViewAs(username, this.requireOpenView(username, 'submit'), values);
	}

	/**
	 * Submits a given view as the user, e.g. one opened through another instance of a
	 * cluster (the client sends its submit to whichever server the load balancer picks).
	 */
	public async submitViewAs(
		username: string,
		open: IOpenView,
		values: Record<string, unknown>,
	): Promise<IViewSubmitResult> {
		// The client sends every value it kept since the modal opened, with the ones given now.
		const kept = keepValues(open.view, open.values ?? initialValues(open.view), values);
		const shown = this.session.openModals(username).find((view) => view.viewId === open.viewId);
		if (shown) {
			shown.values = kept;
		}
		return this.submitViewStateAs(username, { ...open, values: kept }, stateOfKept(kept));
	}

	/**
	 * Submits the modal a user has open with `view.state` exactly as Rocket.Chat's client sends
	 * it (`{ [blockId]: { [actionId]: value } }`): fields left out are left out for the app too.
	 */
	public async submitViewState(username: string, state: ViewState): Promise<IViewSubmitResult> {
		return this.submitViewStateAs(username, this.requireOpenView(username, 'submit'), state);
	}

	/** Submits a given view as the user with a raw `view.state` (see submitViewState). */
	public async submitViewStateAs(
		username: string,
		open: IOpenView,
		state: ViewState,
	): Promise<IViewSubmitResult> {
		return this.actions.submitView(this.requireEngine(), username, open, state);
	}

	/** Closes the modal a user has open (the X button) and tells the app. */
	public async closeView(username: string): Promise<unknown> {
		const open = this.requireOpenView(username, 'close');
		return this.actions.closeView(this.requireEngine(), username, open);
	}

	/**
	 * Closes the contextual bar a user has open and tells the app: its X sends view-closed with
	 * `isCleared: true` (UiKitContextualBar's handleClose), its close button (`view.close`) with
	 * `isCleared: false` (handleCancel).
	 */
	public async closeContextualBar(username: string, isCleared = true): Promise<unknown> {
		const open = this.session.openContextualBar(username);
		if (!open) {
			throw new Error(`${username} has no open contextual bar to close`);
		}
		// The client closes the tab before it sends view-closed.
		this.session.closeView(username, open.viewId);
		return this.actions.closeView(this.requireEngine(), username, open, isCleared);
	}

	/**
	 * A member clicks a button or changes a select (a blockAction, as Rocket.Chat's client sends
	 * it): in the modal or the contextual bar they have open, or in a message they see by id (a
	 * room message, or one of their ephemeral messages). Resolves once the app is idle, with what
	 * the member sees then: the answer applied (a view updated, opened or given errors), toasts,
	 * what the client dropped. See host/client/view-interaction.ts for the payload the app gets.
	 */
	public async blockAction(
		username: string,
		target: BlockActionTarget,
		action: IBlockAction,
		options: IBlockActionOptions = {},
	): Promise<IBlockActionResult> {
		return this.actions.blockAction(this.requireEngine(), username, target, action, options);
	}

	/**
	 * Sends a blockAction on a given view as a user, e.g. a view opened through another instance
	 * of a cluster, or another member's view (a forged request): the ids are sent unchecked, as
	 * the server checks none.
	 */
	public async blockActionOn(
		username: string,
		open: IOpenView,
		action: IBlockAction,
		options: IBlockActionOptions = {},
	): Promise<IBlockActionResult> {
		return this.actions.blockActionOn(this.requireEngine(), username, open, action, options);
	}

	/**
	 * Sends a message as a user, runs the pre-send listeners, stores it and fires
	 * IPostMessageSent; returns once the app has handled it (the engine does not await it).
	 */
	public async sendMessage(
		username: string,
		roomName: string,
		text: string,
	): Promise<ITimelineMessage | undefined> {
		return this.actions.sendMessage(this.requireEngine(), username, roomName, text);
	}

	/**
	 * Sends a message and resolves when the app's IPostMessageSent handler for it has
	 * returned, with the handler's duration. Unlike sendMessage it does not wait for the
	 * app to be idle, so many can run at once (the cluster driver and the benchmark).
	 */
	public async deliverMessage(username: string, roomName: string, text: string): Promise<number> {
		const engine = this.requireEngine();
		const sender = this.directory.requireUser(username);
		const room = this.directory.requireRoom(roomName);
		const stored = this.memberMessages.store({ room, sender, text, createdAt: new Date() });
		const started = performance.now();
		// The same listener the server runs after saving; awaited here instead of fired and forgotten.
		await engine.executePostMessageSent(stored);
		return performance.now() - started;
	}

	/** The pid of the app's Deno process (a crash test kills it with its host). */
	public denoPid(): number | undefined {
		return this.requireEngine().denoPid();
	}

	/** A room's messages, oldest first. */
	public timeline(roomName: string): ITimelineMessage[] {
		return this.directory.timeline(this.directory.requireRoom(roomName).id);
	}

	/** The ephemeral messages a user received, oldest first. */
	public notifications(username: string): INotification[] {
		return this.session.notifications(username);
	}

	/** The modal a user has open, if any. */
	public openView(username: string): IOpenView | undefined {
		return this.session.openView(username);
	}

	/** Every modal a user has open, bottom first (the mobile app stacks them; the web shows one). */
	public openModals(username: string): IOpenView[] {
		return this.session.openModals(username);
	}

	/** The contextual bar a user has open beside the room, if any (it stays beside a modal). */
	public openContextualBar(username: string): IOpenView | undefined {
		return this.session.openContextualBar(username);
	}

	/**
	 * The direct rooms a member is in, oldest first (their ids address them in `timeline`,
	 * `sendMessage` and `runSlashCommand`).
	 */
	public directRooms(username: string): IRoom[] {
		return this.directory.rooms.directRoomsOf(this.directory.requireUser(username).id);
	}

	/** The direct room of exactly these members, if there is one (getDirectByUsernames). */
	public directRoom(usernames: string[]): IRoom | undefined {
		return this.directory.rooms.directByUsernames(usernames);
	}

	/**
	 * Files uploaded through the upload bridge (host/bridges/upload.ts), oldest first, with their
	 * bytes: every one, or a room's (by name; a direct room by its id).
	 */
	public uploads(roomName?: string): IStoredUpload[] {
		const store = new UploadStore(this.database);
		return roomName === undefined
			? store.all()
			: store.ofRoom(this.directory.requireRoom(roomName).id);
	}

	/** One uploaded file with its bytes, by id (a file message's `file._id`), if there is one. */
	public upload(id: string): IStoredUpload | undefined {
		return new UploadStore(this.database).byId(id);
	}

	/** The members' web clients: triggerIds, held deliveries, the clock's deadline. */
	public get uikit(): UiKitClient {
		return this.session.client;
	}

	/**
	 * Makes a member use Rocket.Chat's web client or its mobile app (which shows modals only, and
	 * sets no 5 s deadline) from their next action on; the views they had open stay where they were.
	 */
	public setClient(username: string, kind: ClientKind): void {
		this.directory.requireUser(username);
		this.uikit.setKind(username, kind);
	}

	/** The client a member uses. */
	public clientOf(username: string): ClientKind {
		return this.uikit.kindOf(username);
	}

	/** What the app sent that a member's client dropped (a bad or late triggerId), with the reason. */
	public refusedViews(username?: string): IRefusedInteraction[] {
		return this.uikit.refusedInteractions(username);
	}

	/** The toasts a member's client showed (UIKit_Interaction_Timeout), oldest first. */
	public toasts(username: string): IToast[] {
		return this.uikit.toasts(username);
	}

	/** The app's settings as stored. */
	public settings(): Record<string, ISetting> {
		return this.requireAppSettings();
	}

	/** Changes an app setting as an admin would; the app's onSettingUpdated runs before this returns. */
	public async setSetting(id: string, value: unknown): Promise<void> {
		const engine = this.requireEngine();
		const settings = this.requireAppSettings();
		const current = settings[id];
		if (!current) {
			throw new Error(
				`The app has no setting "${id}"; settings: ${Object.keys(settings).join(', ')}`,
			);
		}
		await this.actions.observe(engine, undefined, undefined, () =>
			engine.updateAppSetting(this.getAppId(), { ...current, value }),
		);
	}

	/**
	 * Applies an app setting change another instance broadcast, as the server's apps-engine
	 * service does on 'apps.settingUpdated' (apps/meteor/server/services/apps-engine/service.ts):
	 * skipped when the value is already the same, else updateAppSetting (onSettingUpdated runs).
	 * Resolves true when it was applied.
	 */
	public async receiveAppSettingChange(appId: string, setting: ISetting): Promise<boolean> {
		// Not observe(): waiting for the whole instance to be idle could outlast a busy cluster.
		return this.requireEngine().applyAppSettingChange(appId, setting);
	}

	/**
	 * Subscribes to every call the app makes to the host (each accessor or bridge call its
	 * process sends, on this host, across restarts); returns the unsubscribe function.
	 */
	public onAppCall(listener: (call: IAppCall) => void): () => void {
		this.appCallListeners.add(listener);
		return () => this.appCallListeners.delete(listener);
	}

	/** Listens to this instance's app setting changes (to broadcast them); returns the unsubscribe. */
	public onAppSettingChanged(listener: (appId: string, setting: ISetting) => void): () => void {
		this.appSettingListeners.add(listener);
		return () => this.appSettingListeners.delete(listener);
	}

	/** The workspace's server settings (Language, Message_CustomFields...), as the admin sees them. */
	public serverSettings(): IServerSettingInfo[] {
		return this.serverSettingStore.list();
	}

	/**
	 * Changes a server setting as a workspace admin would; stored in the database, so every
	 * instance of a cluster reads it on the app's next call. Throws for an unknown id or a
	 * value of the wrong type (boolean, integer, or string for string/code/language).
	 */
	public setServerSetting(id: string, value: unknown): void {
		this.serverSettingStore.set(id, value);
	}

	/** Puts a server setting back to its default. */
	public resetServerSetting(id: string): void {
		this.serverSettingStore.reset(id);
	}

	/** The bridges the engine calls for the app (tests call them as the app's runtime would). */
	public engineBridges(): LocalBridges {
		return this.requireEngine().bridges;
	}

	/** Stores the app's next `count` messages, then fails each call (a lost answer). */
	public loseMessageAnswers(count: number): void {
		this.engineBridges().message.loseAnswers(count);
	}

	/** Holds the app's next `count` messages until releaseHeldPosts (LocalMessageBridge.holdPosts). */
	public holdPosts(count: number): void {
		this.engineBridges().message.holdPosts(count);
	}

	/** How many of the app's messages are held now. */
	public heldPosts(): number {
		return this.engineBridges().message.heldPosts();
	}

	/** Lets the held messages go on; resolves with how many there were. */
	public releaseHeldPosts(): number {
		return this.engineBridges().message.releaseHeldPosts();
	}

	/** Holds the app's persistence reads until the returned function is called (a slow store). */
	public holdPersistenceReads(): () => void {
		return this.persistence.holdReads();
	}

	/** How many of the app's persistence reads wait for a hold now. */
	public heldPersistenceReads(): number {
		return this.persistence.heldReads();
	}

	/** Fails a share of persistence calls from now on (rate 0 stops it). */
	public setFaultInjection(options: IFaultInjectionOptions): void {
		this.persistence.setFaultInjection(options);
	}

	/** The app's log entries (its logger output), oldest first. */
	public async logs(): Promise<ILoggerStorageEntry[]> {
		return new SqliteLogStorage(this.database).getEntriesFor(this.getAppId());
	}

	/** Errors on the pipes of the app's Deno process that the host logged (e.g. EPIPE after it died). */
	public pipeErrors(): IPipeError[] {
		return this.requireEngine().pipeErrors();
	}

	/** Errors thrown by listeners the engine ran without awaiting (e.g. IPostMessageSent). */
	public listenerErrors(): Error[] {
		return [...this.backgroundErrors];
	}

	/** Runs the scheduled jobs due now on the host clock, and waits until the app is done. */
	public async runDueJobs(): Promise<IJobRun[]> {
		const runs = await this.engineBridges().scheduler.runDueJobs();
		await this.waitForIdle();
		return runs;
	}

	/** Moves the host clock forward and runs the jobs then due (a week can pass in a test). */
	public async advanceClock(milliseconds: number): Promise<IJobRun[]> {
		this.hostClock.advance(milliseconds);
		return this.runDueJobs();
	}

	/** The jobs stored for the whole cluster. */
	public scheduledJobs(): IStoredJob[] {
		return this.engineBridges().scheduler.jobs();
	}

	/** Waits until no call to the app is running any more. */
	public async waitForIdle(
		timeoutMs = this.options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS,
	): Promise<void> {
		await this.engine?.whenIdle(timeoutMs);
	}

	/**
	 * Stops the engine and starts it again on the same database, like a server restart: the jobs
	 * this host had locked stay locked for the lock lifetime unless releaseJobLocksOnStop.
	 */
	public async restart(): Promise<void> {
		await this.stopEngine();
		this.session.clearNotifications();
		await this.startEngine();
	}

	/** Stops the app's Deno process (waiting for its exit) and closes the database. */
	public async stop(): Promise<void> {
		await this.stopEngine();
		if (this.database.open) {
			this.database.close();
		}
	}

	private async startEngine(): Promise<void> {
		const engine = await Engine.start({
			database: this.database,
			zip: this.zip,
			denoRuntime: this.options.denoRuntime ?? 'as-shipped',
			installer: this.directory.requireUser('admin'),
			startScheduler: this.options.schedulerProcessEveryMs !== false,
			settleTimeoutMs: this.options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS,
			releaseJobLocksOnStop: this.options.releaseJobLocksOnStop ?? false,
			createBridges: (starting) => this.createBridges(starting),
			appCalled: (call) => {
				for (const listener of this.appCallListeners) {
					listener(call);
				}
			},
		});
		this.engine = engine;
		this.appId = engine.appId;
	}

	/** A fresh set of bridges for an engine that starts; they reach the host through these hooks only. */
	private createBridges(starting: Engine): LocalBridges {
		const bridges = new LocalBridges(
			this.database,
			this.directory,
			this.session,
			this.persistence,
			{
				messageCreated: (message) => this.messageCreated(starting, message),
				appSettingChanged: (appId, setting) => {
					for (const listener of this.appSettingListeners) {
						listener(appId, setting);
					}
				},
				dispatchListener: (int, payload) => starting.dispatchListener(int, payload),
			},
			{
				clock: this.hostClock,
				instanceId: this.options.instanceId,
				processEveryMs: this.options.schedulerProcessEveryMs || undefined,
			},
			this.options.environment,
		);
		if (this.options.failAppInitialize) {
			bridges.command.failRegistrations = true;
		}
		return bridges;
	}

	private async stopEngine(): Promise<void> {
		await this.engine?.stop();
		this.engine = undefined;
	}

	/** Runs the server's post-save listeners without awaiting them, as Rocket.Chat does. */
	private messageCreated(engine: Engine, message: IMessage): void {
		if (!engine.running) {
			return;
		}
		engine.listeners
			.executeListener(AppInterface.IPostMessageSent, message)
			.catch((error: unknown) => {
				this.backgroundErrors.push(error instanceof Error ? error : new Error(String(error)));
			});
	}

	private requireOpenView(username: string, action: 'submit' | 'close'): IOpenView {
		const open = this.session.openView(username);
		if (!open) {
			throw new Error(`${username} has no open view to ${action}`);
		}
		return open;
	}

	private requireAppSettings(): Record<string, ISetting> {
		const settings = this.requireEngine().appSettings(this.getAppId());
		if (!settings) {
			throw new Error(`App ${this.getAppId()} is not installed`);
		}
		return settings;
	}

	private requireEngine(): Engine {
		if (!this.engine) {
			throw new Error('The host is stopped');
		}
		return this.engine;
	}
}
