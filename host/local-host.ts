import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import type { IPermission } from '@rocket.chat/apps-engine/definition/permissions/IPermission';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import {
	type IUIKitInteraction,
	UIKitIncomingInteractionType,
} from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitIncomingInteractionContainerType } from '@rocket.chat/apps-engine/definition/uikit/UIKitIncomingInteractionContainer';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';
import type { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';
import type { IListenerExecutor } from '@rocket.chat/apps-engine/server/managers/AppListenerManager';

import { LocalBridges } from './bridges';
import { splitCommandArguments } from './command-arguments';
import { type Database, explainDatabaseError, openDatabase } from './database';
import {
	checkDenoSetup,
	type DenoRuntimeKind,
	denoPidOf,
	isProcessAlive,
	prepareDenoRuntime,
} from './deno-runtime';
import { Directory, type ITimelineMessage } from './directory';
import { SharedClock } from './host-clock';
import type { IStoredJob } from './job-store';
import { type IFaultInjectionOptions, SqlitePersistenceBridge } from './persistence-bridge';
import type { IJobRun } from './scheduler-bridge';
import { type IMessageRuleContext, revalidateMessage, validateUserMessage } from './server-rules';
import { type IServerSettingInfo, ServerSettings } from './server-settings';
import { type INotification, type IOpenView, SessionState } from './session-state';
import { SqliteLogStorage, SqliteMetadataStorage, SqliteSourceStorage } from './storages';
import { type IClock, type IRefusedInteraction, type IToast, UiKitClient } from './uikit-client';
import { buildViewState, toErrorMap } from './view-fields';

/** How a LocalHost is started. */
export interface ILocalHostOptions {
	/** SQLite file shared by every host process of one simulated workspace, or ':memory:'. */
	databasePath: string;
	/** The packaged app (`npm run package` writes dist/feedback_1.0.0.zip). */
	zipPath: string;
	/** Fail a share of persistence calls from the start. */
	faultInjection?: IFaultInjectionOptions;
	/** How long a database write waits for another process's lock. */
	busyTimeoutMs?: number;
	/** How long to wait for the app's work to finish after each action. */
	settleTimeoutMs?: number;
	/** The members' clients' clock (triggerId life, answer deadline); a ManualClock in tests. */
	clock?: IClock;
	/** Rocket.Chat's TRIGGER_TIMEOUT, 5000 ms; shorter in tests. */
	interactionTimeoutMs?: number;
	/** `as-shipped` (default), or `with-uuid` where the app's require('uuid') works (host/deno-runtime.ts). */
	denoRuntime?: DenoRuntimeKind;
	/** This server's name in a cluster (who holds a job's lock). */
	instanceId?: string;
	/**
	 * How often the scheduler looks for due jobs (Rocket.Chat: 5000 ms); `false` runs no loop,
	 * and tests run due jobs themselves with runDueJobs.
	 */
	schedulerProcessEveryMs?: number | false;
}

/** How runSlashCommand sends the command. */
export interface ISlashCommandOptions {
	threadId?: string;
	/**
	 * By default the member's client issues a triggerId. `false` runs the command with none, as
	 * REST `commands.run` may; a string is sent as is (one the client never issued).
	 */
	triggerId?: false | string;
}

/** What the app did in answer to a command or message. */
export interface IActionResult {
	/** Ephemeral messages the acting user received meanwhile. */
	notifications: INotification[];
	/** Messages appended meanwhile to the room the action happened in. */
	messages: ITimelineMessage[];
	/** The view the acting user has open afterwards. */
	view?: IOpenView;
	/** Toasts the acting user's client showed meanwhile (an answer past the deadline). */
	toasts: IToast[];
	/** What the acting user's client dropped meanwhile (e.g. a view without a valid triggerId). */
	refused: IRefusedInteraction[];
}

/** The app's answer to a modal submit. */
export interface IViewSubmitResult extends IActionResult {
	/** False when the app answered inline errors (the modal stays open). */
	accepted: boolean;
	/** Inline errors by action id. */
	errors: Record<string, string>;
	/** The raw response of executeViewSubmitHandler. */
	response: unknown;
	/** The answer came after the client's deadline: the form closed with a timeout toast. */
	timedOut: boolean;
}

const DEFAULT_SETTLE_TIMEOUT_MS = 30_000;

/** Answers after which the client keeps the view (ActionManager.emitInteraction's `finally`). */
const KEEPS_VIEW_ON_SUBMIT = ['errors', 'modal.update', 'contextual_bar.update'];
const KEEPS_VIEW_ON_CLOSE = ['errors'];

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function sleep(milliseconds: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * A Rocket.Chat workspace on one machine: the real Apps-Engine AppManager with the
 * packaged app in its Deno subprocess, bridges on SQLite, fixture users and rooms.
 */
export class LocalHost {
	public readonly directory: Directory;

	public readonly session: SessionState;

	public readonly persistence: SqlitePersistenceBridge;

	/** The server side's time (the scheduler's); shared by every host on the database file. */
	public readonly hostClock: SharedClock;

	private manager: AppManager | undefined;

	private bridges: LocalBridges | undefined;

	private tempDir: string | undefined;

	private appId: string | undefined;

	private inFlight = 0;

	private readonly settledListeners = new Set<() => void>();

	private readonly backgroundErrors: Error[] = [];

	private readonly appSettingListeners = new Set<(appId: string, setting: ISetting) => void>();

	private readonly serverSettingStore: ServerSettings;

	private constructor(
		private readonly database: Database,
		private readonly zip: Buffer,
		private readonly options: ILocalHostOptions,
	) {
		this.directory = new Directory(database);
		this.session = new SessionState(
			new UiKitClient({ clock: options.clock, timeoutMs: options.interactionTimeoutMs }),
		);
		this.persistence = new SqlitePersistenceBridge(database);
		this.serverSettingStore = new ServerSettings(database);
		this.hostClock = new SharedClock(database);
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
		const manager = this.requireManager();
		const user = this.directory.requireUser(username);
		const room = this.directory.requireRoom(roomName);
		const trimmed = text.trim().replace(/^\//, '');
		const [command = ''] = trimmed.split(/\s+/, 1);
		const registered = this.requireBridges().command.commands;
		const entry = registered.get(command.toLowerCase());
		if (!entry) {
			throw new Error(
				`No slash command /${command}; registered: ${[...registered.keys()].map((name) => `/${name}`).join(', ') || 'none'}`,
			);
		}
		const params = splitCommandArguments(trimmed.slice(command.length));
		// Issued before anything is awaited, so a test's clock.advance() right after the call counts.
		const triggerId =
			options.triggerId === undefined
				? this.uikit.issueTriggerId(username, entry.appId)
				: options.triggerId || undefined;
		const context = new SlashCommandContext(
			Object.freeze(user),
			Object.freeze(room),
			Object.freeze(params) as string[],
			options.threadId,
			triggerId,
		);
		return this.observe(username, room.id, () =>
			manager.getCommandManager().executeCommand(command, context),
		);
	}

	/**
	 * Submits the modal a user has open, with values by action id (fields left out keep
	 * their initial value), and returns the app's answer, inline errors included.
	 */
	public async submitView(
		username: string,
		values: Record<string, unknown>,
	): Promise<IViewSubmitResult> {
		const open = this.session.openView(username);
		if (!open) {
			throw new Error(`${username} has no open view to submit`);
		}
		return this.submitViewAs(username, open, values);
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
		const manager = this.requireManager();
		const user = this.directory.requireUser(username);
		const state = buildViewState(open.view, values);
		const submitButton = open.view.submit;
		const actionId =
			isRecord(submitButton) && typeof submitButton.actionId === 'string'
				? submitButton.actionId
				: undefined;
		let response: unknown;
		let timedOut = false;
		const observed = await this.observe(username, undefined, async () => {
			const outcome = await this.uikit.emitInteraction(
				username,
				{
					appId: open.appId,
					viewId: open.viewId,
					onTimeout: () => this.session.closeView(username, open.viewId),
				},
				(triggerId) =>
					manager.getListenerManager().executeListener(AppInterface.IUIKitInteractionHandler, {
						type: UIKitIncomingInteractionType.VIEW_SUBMIT,
						container: { type: UIKitIncomingInteractionContainerType.VIEW, id: open.viewId },
						appId: open.appId,
						actionId,
						triggerId,
						user,
						payload: { view: { ...open.view, id: open.viewId, state } },
					}),
				(answer) => this.handleAnswer(username, open.viewId, answer, KEEPS_VIEW_ON_SUBMIT),
			);
			response = outcome.answer;
			timedOut = outcome.timedOut;
		});
		const errors =
			isRecord(response) && response.type === 'errors' && isRecord(response.errors)
				? toErrorMap(response.errors)
				: {};
		const accepted = !(
			isRecord(response) &&
			(response.success === false || response.type === 'errors')
		);
		return {
			...observed,
			view: this.session.openView(username),
			accepted,
			errors,
			response,
			timedOut,
		};
	}

	/** Closes the modal a user has open (the X button) and tells the app. */
	public async closeView(username: string): Promise<unknown> {
		const manager = this.requireManager();
		const user = this.directory.requireUser(username);
		const open = this.session.openView(username);
		if (!open) {
			throw new Error(`${username} has no open view to close`);
		}
		let response: unknown;
		await this.observe(username, undefined, async () => {
			const outcome = await this.uikit.emitInteraction(
				username,
				{
					appId: open.appId,
					viewId: open.viewId,
					onTimeout: () => this.session.closeView(username, open.viewId),
				},
				// The server passes view-closed on without the triggerId (ee/server/apps/communication/uikit.ts).
				() =>
					manager.getListenerManager().executeListener(AppInterface.IUIKitInteractionHandler, {
						type: UIKitIncomingInteractionType.VIEW_CLOSED,
						container: { type: UIKitIncomingInteractionContainerType.VIEW, id: open.viewId },
						appId: open.appId,
						user,
						payload: { view: { ...open.view, id: open.viewId }, isCleared: false },
					}),
				(answer) => this.handleAnswer(username, open.viewId, answer, KEEPS_VIEW_ON_CLOSE),
			);
			response = outcome.answer;
		});
		return response;
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
		const manager = this.requireManager();
		const sender = this.directory.requireUser(username);
		const room = this.directory.requireRoom(roomName);
		let stored: IMessage | undefined;
		await this.observe(username, room.id, async () => {
			const listeners = manager.getListenerManager();
			let message: IMessage = { room, sender, text, createdAt: new Date() };
			// The server's checks come first (host/server-rules.ts); a refusal throws its error.
			validateUserMessage(message, this.messageRules(room.id, sender.id));
			if (
				(await listeners.executeListener(AppInterface.IPreMessageSentPrevent, message)) === true
			) {
				return;
			}
			message =
				((await listeners.executeListener(AppInterface.IPreMessageSentExtend, message)) as
					| IMessage
					| undefined) ?? message;
			message =
				((await listeners.executeListener(AppInterface.IPreMessageSentModify, message)) as
					| IMessage
					| undefined) ?? message;
			revalidateMessage(message, this.messageRules(room.id, sender.id));
			stored = this.directory.appendMessage(message);
			this.messageCreated(stored);
		});
		return stored
			? this.directory.timeline(room.id).find((entry) => entry.id === stored?.id)
			: undefined;
	}

	/**
	 * Sends a message and resolves when the app's IPostMessageSent handler for it has
	 * returned, with the handler's duration. Unlike sendMessage it does not wait for the
	 * app to be idle, so many can run at once (the cluster driver and the benchmark).
	 */
	public async deliverMessage(username: string, roomName: string, text: string): Promise<number> {
		const manager = this.requireManager();
		const sender = this.directory.requireUser(username);
		const room = this.directory.requireRoom(roomName);
		const message: IMessage = { room, sender, text, createdAt: new Date() };
		validateUserMessage(message, this.messageRules(room.id, sender.id));
		const stored = this.directory.appendMessage(message);
		const started = performance.now();
		// The same listener the server runs after saving; awaited here instead of fired and forgotten.
		const listeners = manager.getListenerManager() as unknown as {
			executePostMessageSent(message: IMessage): Promise<void>;
		};
		await listeners.executePostMessageSent(stored);
		return performance.now() - started;
	}

	/** The pid of the app's Deno process (a crash test kills it with its host). */
	public denoPid(): number | undefined {
		return denoPidOf(this.requireApp());
	}

	/** A room's messages, oldest first. */
	public timeline(roomName: string): ITimelineMessage[] {
		return this.directory.timeline(this.directory.requireRoom(roomName).id);
	}

	/** The ephemeral messages a user received, oldest first. */
	public notifications(username: string): INotification[] {
		return this.session.notifications(username);
	}

	/** The view (modal) a user has open, if any. */
	public openView(username: string): IOpenView | undefined {
		return this.session.openView(username);
	}

	/** The members' web clients: triggerIds, held deliveries, the clock's deadline. */
	public get uikit(): UiKitClient {
		return this.session.client;
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
		return { ...this.requireApp().getStorageItem().settings };
	}

	/** Changes an app setting as an admin would; the app's onSettingUpdated runs before this returns. */
	public async setSetting(id: string, value: unknown): Promise<void> {
		const app = this.requireApp();
		const current = app.getStorageItem().settings[id];
		if (!current) {
			throw new Error(
				`The app has no setting "${id}"; settings: ${Object.keys(app.getStorageItem().settings).join(', ')}`,
			);
		}
		await this.observe(undefined, undefined, () =>
			this.requireManager()
				.getSettingsManager()
				.updateAppSetting(app.getID(), { ...current, value }),
		);
	}

	/**
	 * Applies an app setting change another instance broadcast, as the server's apps-engine
	 * service does on 'apps.settingUpdated' (apps/meteor/server/services/apps-engine/service.ts):
	 * skipped when the value is already the same, else updateAppSetting (onSettingUpdated runs).
	 * Resolves true when it was applied.
	 */
	public async receiveAppSettingChange(appId: string, setting: ISetting): Promise<boolean> {
		const app = this.requireManager().getOneById(appId);
		const current = app?.getStorageItem().settings[setting.id]?.value;
		if (!app || JSON.stringify(current) === JSON.stringify(setting.value)) {
			return false;
		}
		// Not observe(): waiting for the whole instance to be idle could outlast a busy cluster.
		await this.requireManager().getSettingsManager().updateAppSetting(appId, setting);
		return true;
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
		return this.requireBridges();
	}

	/** What the server's message rules look at for a message into a room. */
	private messageRules(roomId: string, senderId: string): IMessageRuleContext {
		return {
			room: this.directory.roomById(roomId),
			sender: this.directory.userById(senderId),
			setting: (id) => this.serverSettingStore.value(id),
			now: new Date(),
		};
	}

	/** Fails a share of persistence calls from now on (rate 0 stops it). */
	public setFaultInjection(options: IFaultInjectionOptions): void {
		this.persistence.setFaultInjection(options);
	}

	/** The app's log entries (its logger output), oldest first. */
	public async logs(): Promise<ILoggerStorageEntry[]> {
		return new SqliteLogStorage(this.database).getEntriesFor(this.getAppId());
	}

	/** Errors thrown by listeners the engine ran without awaiting (e.g. IPostMessageSent). */
	public listenerErrors(): Error[] {
		return [...this.backgroundErrors];
	}

	/** Runs the scheduled jobs due now on the host clock, and waits until the app is done. */
	public async runDueJobs(): Promise<IJobRun[]> {
		const runs = await this.requireBridges().scheduler.runDueJobs();
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
		return this.requireBridges().scheduler.jobs();
	}

	/** Waits until no call to the app is running any more. */
	public async waitForIdle(
		timeoutMs = this.options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS,
	): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (this.inFlight === 0) {
				// Let the engine's promise continuations start any follow-up call first.
				await new Promise((resolve) => setImmediate(resolve));
				if (this.inFlight === 0) {
					return;
				}
			}
			const remaining = deadline - Date.now();
			if (remaining <= 0) {
				throw new Error(
					`The app was still busy after ${timeoutMs} ms (${this.inFlight} calls running)`,
				);
			}
			await new Promise<void>((resolve) => {
				const timer = setTimeout(done, remaining);
				function done(): void {
					clearTimeout(timer);
					resolve();
				}
				this.settledListeners.add(done);
			});
		}
	}

	/** Stops the engine and starts it again on the same database, like a server restart. */
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
		// One AppManager per process: the previous one (if any) was stopped by stopEngine.
		(AppManager as unknown as { Instance: AppManager | undefined }).Instance = undefined;
		this.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-host-'));
		prepareDenoRuntime(this.tempDir, this.options.denoRuntime ?? 'as-shipped');
		// A fresh bridge set per start also gives an empty slash command registry, as a
		// restarted server has; otherwise initialize fails with CommandAlreadyExistsError.
		const bridges = new LocalBridges(
			this.database,
			this.directory,
			this.session,
			this.persistence,
			{
				messageCreated: (message) => this.messageCreated(message),
				appSettingChanged: (appId, setting) => {
					for (const listener of this.appSettingListeners) {
						listener(appId, setting);
					}
				},
				dispatchListener: (int, payload) =>
					this.requireManager()
						.getListenerManager()
						.executeListener(int as keyof IListenerExecutor, payload as never),
			},
			{
				clock: this.hostClock,
				instanceId: this.options.instanceId,
				processEveryMs: this.options.schedulerProcessEveryMs || undefined,
			},
		);
		this.bridges = bridges;
		const manager = new AppManager({
			metadataStorage: new SqliteMetadataStorage(this.database),
			logStorage: new SqliteLogStorage(this.database),
			bridges,
			sourceStorage: new SqliteSourceStorage(this.database),
			tempFilePath: this.tempDir,
		});
		this.manager = manager;

		const { info } = await manager.getParser().unpackageApp(this.zip);
		this.appId = info.id;
		await manager.load();
		for (const app of await manager.get()) {
			this.track(app);
		}
		await manager.enableAll();

		const installed = await new SqliteMetadataStorage(this.database).retrieveOne(info.id);
		const admin = this.directory.requireUser('admin');
		if (!installed) {
			const fulfillment = await manager.add(this.zip, { enable: true, user: admin });
			reportFabricationErrors(fulfillment);
		} else {
			const storedZip = await new SqliteSourceStorage(this.database).fetch(installed);
			if (!storedZip.equals(this.zip)) {
				// Undefined keeps the permissions app.json declares; [] would grant none, and
				// every bridge call of the updated app would fail (the engine types it as required).
				const fulfillment = await manager.update(
					this.zip,
					installed.permissionsGranted as IPermission[],
					{
						loadApp: true,
						user: admin,
					},
				);
				reportFabricationErrors(fulfillment);
			}
		}
		const app = this.requireApp();
		this.track(app);
		const status = await app.getStatus();
		if (!AppStatusUtils.isEnabled(status)) {
			const recent = (await this.logs())
				.slice(-5)
				.map((entry) => JSON.stringify(entry.entries ?? entry))
				.join('\n');
			throw new Error(
				`The app ${info.name} ${info.version} did not start (status ${status}).${recent ? `\nLast log entries:\n${recent}` : ''}`,
			);
		}
		if (this.options.schedulerProcessEveryMs !== false) {
			bridges.scheduler.start();
		}
	}

	private async stopEngine(): Promise<void> {
		const { manager } = this;
		if (!manager) {
			return;
		}
		// Running jobs finish and this instance's locks are released, as Agenda's stop() does.
		await this.bridges?.scheduler.stop();
		await this.waitForIdle().catch(() => undefined);
		const pids: number[] = [];
		for (const app of await manager.get()) {
			const pid = denoPidOf(app);
			if (pid !== undefined) {
				pids.push(pid);
			}
			// A server that shuts down does not disable its apps: stop the runtime only,
			// so the stored status (enabled) brings the app back on the next start.
			await app.getRuntimeController().stopApp();
		}
		const deadline = Date.now() + 10_000;
		while (pids.some(isProcessAlive)) {
			if (Date.now() > deadline) {
				throw new Error(`Deno process(es) ${pids.filter(isProcessAlive).join(', ')} did not exit`);
			}
			await sleep(20);
		}
		this.manager = undefined;
		this.bridges = undefined;
		(AppManager as unknown as { Instance: AppManager | undefined }).Instance = undefined;
		if (this.tempDir) {
			fs.rmSync(this.tempDir, { recursive: true, force: true });
			this.tempDir = undefined;
		}
	}

	/** Counts the app's running calls, so actions can wait until the app is done. */
	private track(app: ProxiedApp): void {
		const controller = app.getRuntimeController();
		const marker = controller as unknown as { localHostTracked?: boolean };
		if (marker.localHostTracked) {
			return;
		}
		marker.localHostTracked = true;
		const send = controller.sendRequest.bind(controller);
		controller.sendRequest = (message, options) => {
			this.inFlight++;
			const request = send(message, options);
			const settle = () => {
				this.inFlight--;
				if (this.inFlight === 0) {
					for (const listener of [...this.settledListeners]) {
						this.settledListeners.delete(listener);
						listener();
					}
				}
			};
			request.then(settle, settle);
			return request;
		};
	}

	/** Runs the server's post-save listeners without awaiting them, as Rocket.Chat does. */
	private messageCreated(message: IMessage): void {
		const { manager } = this;
		if (!manager) {
			return;
		}
		manager
			.getListenerManager()
			.executeListener(AppInterface.IPostMessageSent, message)
			.catch((error: unknown) => {
				this.backgroundErrors.push(error instanceof Error ? error : new Error(String(error)));
			});
	}

	/** Runs an action, waits until the app is idle and reports what it produced. */
	private async observe(
		username: string | undefined,
		roomId: string | undefined,
		action: () => Promise<unknown>,
	): Promise<IActionResult> {
		const notificationsBefore = username ? this.session.notifications(username).length : 0;
		const messagesBefore = roomId ? this.directory.timeline(roomId).length : 0;
		const toastsBefore = username ? this.uikit.toasts(username).length : 0;
		const refusedBefore = username ? this.uikit.refusedInteractions(username).length : 0;
		await action();
		await this.waitForIdle();
		return {
			notifications: username
				? this.session.notifications(username).slice(notificationsBefore)
				: [],
			messages: roomId ? this.directory.timeline(roomId).slice(messagesBefore) : [],
			view: username ? this.session.openView(username) : undefined,
			toasts: username ? this.uikit.toasts(username).slice(toastsBefore) : [],
			refused: username ? this.uikit.refusedInteractions(username).slice(refusedBefore) : [],
		};
	}

	/**
	 * Handles the answer to a submit or close as ActionManager.emitInteraction does: a typed
	 * answer (errors, a view) goes through the trigger check; the view is then disposed unless
	 * the answer is one of `keeps` (or none came).
	 */
	private handleAnswer(
		username: string,
		viewId: string,
		answer: unknown,
		keeps: ReadonlyArray<string>,
	): void {
		const type = isRecord(answer) && typeof answer.type === 'string' ? answer.type : undefined;
		if (type !== undefined) {
			this.session.receive(username, answer as IUIKitInteraction);
		}
		if (answer && !(type !== undefined && keeps.includes(type))) {
			this.session.closeView(username, viewId);
		}
	}

	private requireManager(): AppManager {
		if (!this.manager) {
			throw new Error('The host is stopped');
		}
		return this.manager;
	}

	private requireBridges(): LocalBridges {
		if (!this.bridges) {
			throw new Error('The host is stopped');
		}
		return this.bridges;
	}

	private requireApp(): ProxiedApp {
		const app = this.requireManager().getOneById(this.getAppId());
		if (!app) {
			throw new Error(`App ${this.getAppId()} is not installed`);
		}
		return app;
	}
}

/** Fails with the engine's reasons when installing or updating the app went wrong. */
function reportFabricationErrors(fulfillment: {
	hasStorageError(): boolean;
	getStorageError(): string;
	hasAppUserError(): boolean;
	getAppUserError(): object;
}): void {
	if (fulfillment.hasStorageError()) {
		throw new Error(`Installing the app failed: ${fulfillment.getStorageError()}`);
	}
	if (fulfillment.hasAppUserError()) {
		throw new Error(
			`Creating the app user failed: ${JSON.stringify(fulfillment.getAppUserError())}`,
		);
	}
}
