import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import type { IPermission } from '@rocket.chat/apps-engine/definition/permissions/IPermission';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';
import type {
	AppListenerManager,
	IListenerExecutor,
} from '@rocket.chat/apps-engine/server/managers/AppListenerManager';
import type { AppSlashCommandManager } from '@rocket.chat/apps-engine/server/managers/AppSlashCommandManager';

import type { LocalBridges } from '../bridges';
import { type DenoRuntimeKind, prepareDenoRuntime } from './deno-runtime';
import type { Database } from '../server/database';
import { SqliteLogStorage, SqliteMetadataStorage, SqliteSourceStorage } from '../server/storages';

// The one place that knows the Apps-Engine 1.62.0's insides: the AppManager singleton, the Deno
// runtime controller's private process and its sendRequest (counted to know when the app is idle),
// and the listener manager's private executePostMessageSent. Everything else uses this class.

/** How an engine is started. */
export interface IEngineOptions {
	database: Database;
	/** The packaged app, installed on a fresh database and updated when it changed. */
	zip: Buffer;
	/**
	 * Builds this engine's bridges, given the engine their hooks may call: a fresh set per start,
	 * as a restarted server has an empty slash command registry too.
	 */
	createBridges(engine: Engine): LocalBridges;
	denoRuntime: DenoRuntimeKind;
	/** Who installs or updates the app (the workspace admin). */
	installer: IUser;
	/** Starts the scheduler's loop once the app runs (else tests run due jobs themselves). */
	startScheduler: boolean;
	/** How long stop() waits for the app's running calls before stopping it anyway. */
	settleTimeoutMs: number;
	/** stop() unlocks this instance's jobs (a lone process's restart); else its locks stay. */
	releaseJobLocksOnStop: boolean;
	/** Told of every call the app makes to the host (an accessor or a bridge), as it arrives. */
	appCalled?: (call: IAppCall) => void;
}

/**
 * One call the app made to the host through its runtime's pipe: `method` as the Deno runtime
 * names it, e.g. `accessor:getReader:getPersistenceReader:readByAssociations` or
 * `bridges:getMessageBridge:doNotifyUser` (AppsEngineDenoRuntime.handleIncomingMessage).
 */
export interface IAppCall {
	readonly method: string;
}

/** The engine singleton's slot, reset so one process can start an AppManager again. */
interface IAppManagerSlot {
	Instance: AppManager | undefined;
}

interface ITrackedController {
	localHostTracked?: boolean;
	spawnProcess?: () => void;
	/** Where the runtime handles each message the app's process sends (a call or an answer's log). */
	handleIncomingMessage?: (message: { payload?: { method?: unknown } }) => Promise<void>;
}

/** An error on one of the app process's pipes, which the host logged instead of crashing on. */
export interface IPipeError {
	readonly pid: number | undefined;
	readonly pipe: 'stdin' | 'stdout' | 'stderr';
	readonly error: Error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the pid of an app's Deno process (a private field of the 1.62.0 runtime controller). */
function denoPidOf(app: ProxiedApp): number | undefined {
	const controller: unknown = app.getRuntimeController();
	if (
		isRecord(controller) &&
		isRecord(controller.deno) &&
		typeof controller.deno.pid === 'number'
	) {
		return controller.deno.pid;
	}
	return undefined;
}

/** An app's Deno process (a private field of the 1.62.0 runtime controller), if one runs. */
function denoProcessOf(controller: unknown): ChildProcess | undefined {
	if (isRecord(controller) && controller.deno instanceof ChildProcess) {
		return controller.deno;
	}
	return undefined;
}

/** Whether a process is still running. */
function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function sleep(milliseconds: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, milliseconds));
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

/** One running AppManager with the packaged app in its Deno process, on the host's bridges. */
export class Engine {
	/** The bridges this engine calls for the app (a fresh set per start). */
	public readonly bridges: LocalBridges;

	private readonly manager: AppManager;

	private readonly tempDir: string;

	private inFlight = 0;

	private readonly settledListeners = new Set<() => void>();

	private installedAppId: string | undefined;

	private readonly pipeFailures: IPipeError[] = [];

	private stopped = false;

	private constructor(private readonly options: IEngineOptions) {
		// One AppManager per process: the previous one (if any) was stopped.
		(AppManager as unknown as IAppManagerSlot).Instance = undefined;
		this.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-host-'));
		try {
			prepareDenoRuntime(this.tempDir, options.denoRuntime);
			this.bridges = options.createBridges(this);
			this.manager = new AppManager({
				metadataStorage: new SqliteMetadataStorage(options.database),
				logStorage: new SqliteLogStorage(options.database),
				bridges: this.bridges,
				sourceStorage: new SqliteSourceStorage(options.database),
				tempFilePath: this.tempDir,
			});
		} catch (error) {
			fs.rmSync(this.tempDir, { recursive: true, force: true });
			throw error;
		}
	}

	/** Starts an AppManager, installs or updates the app and enables it; cleans up if that fails. */
	public static async start(options: IEngineOptions): Promise<Engine> {
		const engine = new Engine(options);
		try {
			await engine.install();
			return engine;
		} catch (error) {
			await engine.stop().catch(() => undefined);
			throw error;
		}
	}

	/** False once stop() has finished: the app no longer runs here. */
	public get running(): boolean {
		return !this.stopped;
	}

	/** The installed app's id. */
	public get appId(): string {
		if (!this.installedAppId) {
			throw new Error('The app is not installed yet');
		}
		return this.installedAppId;
	}

	/** The engine's listener manager (runs the app's event handlers). */
	public get listeners(): AppListenerManager {
		return this.manager.getListenerManager();
	}

	/** The engine's slash command manager. */
	public get commands(): AppSlashCommandManager {
		return this.manager.getCommandManager();
	}

	/** Runs a listener for the bridges (the server raising an event), whatever its interface. */
	public dispatchListener(int: AppInterface, payload: unknown): Promise<unknown> {
		return this.listeners.executeListener(int as keyof IListenerExecutor, payload as never);
	}

	/**
	 * Runs the app's IPostMessageSent handlers for a stored message and resolves when they
	 * returned (the server fires them and forgets), so a caller can time them.
	 */
	public async executePostMessageSent(message: IMessage): Promise<void> {
		const listeners = this.listeners as unknown as {
			executePostMessageSent(message: IMessage): Promise<void>;
		};
		await listeners.executePostMessageSent(message);
	}

	/** An installed app's settings as stored (a copy), or undefined when no such app runs here. */
	public appSettings(appId = this.appId): Record<string, ISetting> | undefined {
		const app = this.manager.getOneById(appId);
		return app ? { ...app.getStorageItem().settings } : undefined;
	}

	/** Changes an app setting through the engine (stored, onSettingUpdated runs, the change is reported). */
	public async updateAppSetting(appId: string, setting: ISetting): Promise<void> {
		await this.manager.getSettingsManager().updateAppSetting(appId, setting);
	}

	/**
	 * Applies an app setting another instance changed, unless the value is already the same;
	 * resolves true when it was applied (onSettingUpdated ran).
	 */
	public async applyAppSettingChange(appId: string, setting: ISetting): Promise<boolean> {
		const current = this.appSettings(appId);
		if (!current || JSON.stringify(current[setting.id]?.value) === JSON.stringify(setting.value)) {
			return false;
		}
		await this.updateAppSetting(appId, setting);
		return true;
	}

	/** The pid of the app's Deno process. */
	public denoPid(): number | undefined {
		return denoPidOf(this.requireApp());
	}

	/** Errors on the app processes' pipes so far (e.g. EPIPE: a write to a process that had died). */
	public pipeErrors(): IPipeError[] {
		return [...this.pipeFailures];
	}

	/** How many calls to the app are running now. */
	public pending(): number {
		return this.inFlight;
	}

	/** Resolves once no call to the app is running, or fails after timeoutMs. */
	public async whenIdle(timeoutMs: number): Promise<void> {
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

	/**
	 * Shuts the scheduler down as a server process ending does (its job locks stay for the lock
	 * lifetime and a run still going is not saved: host/server/scheduler/job-runner.ts), then stops the
	 * app's Deno process, waiting for its exit.
	 */
	public async stop(): Promise<void> {
		this.bridges.scheduler.shutdown({ releaseLocks: this.options.releaseJobLocksOnStop });
		await this.whenIdle(this.options.settleTimeoutMs).catch(() => undefined);
		const pids: number[] = [];
		for (const app of await this.manager.get()) {
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
		this.stopped = true;
		(AppManager as unknown as IAppManagerSlot).Instance = undefined;
		fs.rmSync(this.tempDir, { recursive: true, force: true });
	}

	/** Loads what the database holds, then installs the package or updates to it, and checks it runs. */
	private async install(): Promise<void> {
		const { manager, options } = this;
		const { info } = await manager.getParser().unpackageApp(options.zip);
		this.installedAppId = info.id;
		await manager.load();
		for (const app of await manager.get()) {
			this.track(app);
		}
		await manager.enableAll();

		// The admin grants what app.json asks for and nothing more: Rocket.Chat's install and update
		// endpoints pass the permissions the admin accepted (apps/meteor/ee/server/apps/communication/
		// rest.ts, the upload form's `permissions`). Without them the engine would grant its whole
		// default set, and a permission missing from app.json would go unnoticed here.
		const permissionsGranted: IPermission[] = info.permissions ?? [];
		const installed = await new SqliteMetadataStorage(options.database).retrieveOne(info.id);
		if (!installed) {
			const fulfillment = await manager.add(options.zip, {
				enable: true,
				user: options.installer,
				permissionsGranted,
			});
			reportFabricationErrors(fulfillment);
		} else {
			const storedZip = await new SqliteSourceStorage(options.database).fetch(installed);
			if (!storedZip.equals(options.zip)) {
				// The admin accepts the new version's app.json permissions, as on the server.
				const fulfillment = await manager.update(options.zip, permissionsGranted, {
					loadApp: true,
					user: options.installer,
				});
				reportFabricationErrors(fulfillment);
			}
		}
		const app = this.requireApp();
		this.track(app);
		const status = await app.getStatus();
		if (!AppStatusUtils.isEnabled(status)) {
			const recent = (await new SqliteLogStorage(options.database).getEntriesFor(info.id))
				.slice(-5)
				.map((entry) => JSON.stringify(entry.entries ?? entry))
				.join('\n');
			throw new Error(
				`The app ${info.name} ${info.version} did not start (status ${status}).${recent ? `\nLast log entries:\n${recent}` : ''}`,
			);
		}
		if (options.startScheduler) {
			this.bridges.scheduler.start();
		}
	}

	/** Counts the app's running calls (by wrapping its runtime's sendRequest), for whenIdle. */
	private track(app: ProxiedApp): void {
		const controller = app.getRuntimeController();
		const marker = controller as unknown as ITrackedController;
		if (marker.localHostTracked) {
			return;
		}
		marker.localHostTracked = true;
		this.guardPipes(marker);
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
		this.reportCalls(marker);
	}

	/** Tells options.appCalled of each accessor or bridge call the app's process sends. */
	private reportCalls(controller: ITrackedController): void {
		const { appCalled } = this.options;
		const handle = controller.handleIncomingMessage?.bind(controller);
		if (!appCalled || !handle) {
			return;
		}
		controller.handleIncomingMessage = (message) => {
			const method = message.payload?.method;
			if (
				typeof method === 'string' &&
				(method.startsWith('accessor:') || method.startsWith('bridges:'))
			) {
				appCalled({ method });
			}
			return handle(message);
		};
	}

	/**
	 * Listens for errors on the pipes of the app's Deno process, this one and every one the engine
	 * spawns later (a restart). The engine writes requests and the answers of the app's bridge calls
	 * to its stdin without an error listener: when the process has died (killed by stopApp or by the
	 * liveness manager, or crashed) before the engine saw its exit, the write fails with EPIPE, emitted
	 * on the stdin socket, and unhandled it would end the whole host. The engine learns of the exit
	 * itself (it restarts the app or was stopping it), so the error is logged and kept, nothing more.
	 * A server lives on too: apps/meteor/app/error-handler/server/lib/RocketChat.ErrorHandler.ts
	 * (RocketChat/Rocket.Chat) listens for `uncaughtException` and only counts and reports it.
	 */
	private guardPipes(controller: ITrackedController): void {
		const guard = (): void => {
			const deno = denoProcessOf(controller);
			if (!deno) {
				return;
			}
			const pipes = [
				['stdin', deno.stdin],
				['stdout', deno.stdout],
				['stderr', deno.stderr],
			] as const;
			for (const [pipe, stream] of pipes) {
				stream?.on('error', (error: Error) => {
					this.pipeFailures.push({ pid: deno.pid, pipe, error });
					console.error(
						`[engine] the app's Deno process ${deno.pid ?? ''}: ${pipe} failed (${error.message}); the engine restarts or stops that process`,
					);
				});
			}
		};
		guard();
		const spawn = controller.spawnProcess;
		if (typeof spawn === 'function') {
			controller.spawnProcess = () => {
				spawn.call(controller);
				guard();
			};
		}
	}

	private requireApp(): ProxiedApp {
		const app = this.manager.getOneById(this.appId);
		if (!app) {
			throw new Error(`App ${this.appId} is not installed`);
		}
		return app;
	}
}
