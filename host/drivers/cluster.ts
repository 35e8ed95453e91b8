import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';

import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';

import type {
	IAppSettingEvent,
	IClusterBlockActionResult,
	IClusterMessage,
	IClusterSubmitResult,
	IDeliveredEvent,
	IMessageOrder,
	InstanceAnswerOf,
	InstanceMessage,
	InstanceMethod,
	InstanceRequestOf,
	InstanceResult,
} from './instance-protocol';
import type { IOpenView } from '../client/session-state';
import type { IBlockAction } from '../client/view-interaction';
import type { ITimelineMessage } from '../server/directory';
import type { IFaultInjectionOptions } from '../server/persistence-bridge';
import type { IJobRun } from '../server/scheduler/job-runner';
import type { IServerSettingInfo } from '../server/server-settings';

export type {
	IClusterBlockActionResult,
	IClusterMessage,
	IClusterSubmitResult,
	IMessageOrder,
} from './instance-protocol';

/** How a cluster instance is started. */
export interface IClusterInstanceOptions {
	/** The scheduler's loop period (ILocalHostOptions.schedulerProcessEveryMs); false: no loop. */
	schedulerProcessEveryMs?: number | false;
	/**
	 * The engine's timeout for every call to the app (APPS_ENGINE_RUNTIME_TIMEOUT, 30 s by
	 * default), for this instance's process; tests shorten it to outlast it quickly.
	 */
	runtimeTimeoutMs?: number;
	/** Fault injection: the app's initialize fails on this instance (ILocalHostOptions.failAppInitialize). */
	failAppInitialize?: boolean;
	/** The server's environment variables apps read (ILocalHostOptions.environment). */
	environment?: Readonly<Record<string, string>>;
}

/** A request waiting for its answer. */
interface IWaiting<M extends InstanceMethod> {
	resolve(result: InstanceResult<M>): void;
	reject(error: Error): void;
}

/** The requests waiting for their answer, by method, then by request number. */
type WaitingByMethod = { [M in InstanceMethod]: Map<number, IWaiting<M>> };

/** No request waiting yet: one table per method, so an answer finds its request's type. */
function noneWaiting(): WaitingByMethod {
	return {
		start: new Map(),
		runDueJobs: new Map(),
		timeline: new Map(),
		runSlashCommand: new Map(),
		openView: new Map(),
		openContextualBar: new Map(),
		blockActionOn: new Map(),
		blockActionInMessage: new Map(),
		submitViewAs: new Map(),
		deliverMessages: new Map(),
		setFaultInjection: new Map(),
		loseMessageAnswers: new Map(),
		holdPosts: new Map(),
		heldPosts: new Map(),
		releaseHeldPosts: new Map(),
		persistenceCalls: new Map(),
		denoPid: new Map(),
		setSetting: new Map(),
		appSettings: new Map(),
		applyAppSetting: new Map(),
		setServerSetting: new Map(),
		serverSettings: new Map(),
		stop: new Map(),
	};
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * A Rocket.Chat instance in a child process: its own AppManager and Deno app process,
 * on the database file it shares with the other instances.
 */
export class ClusterInstance {
	/** Running instances by database file: the instances of one cluster. */
	private static readonly clusters = new Map<string, Set<ClusterInstance>>();

	/** Setting broadcasts not yet applied by their instance. */
	private static readonly broadcasts = new Set<Promise<void>>();

	/** Messages whose handler returned on this instance (by the driver's sequence number). */
	public readonly delivered = new Map<number, IDeliveredEvent>();

	/** App setting broadcasts this instance applied (changed its value and ran onSettingUpdated). */
	public readonly appliedSettings: Array<{ appId: string; id: string; value: unknown }> = [];

	/** Setting broadcasts this instance could not apply (e.g. it was stopping). */
	public readonly broadcastErrors: Error[] = [];

	private readonly waiting = noneWaiting();

	private nextId = 1;

	private denoPid: number | undefined;

	private constructor(
		public readonly name: string,
		private readonly child: ChildProcess,
		private readonly databaseKey: string,
	) {
		child.on('message', (message: InstanceMessage) => {
			if ('event' in message) {
				if (message.event === 'delivered') {
					this.delivered.set(message.seq, message);
				} else {
					ClusterInstance.broadcast(this.databaseKey, message);
				}
				return;
			}
			this.settle(message);
		});
		child.on('exit', () => {
			ClusterInstance.clusters.get(databaseKey)?.delete(this);
			for (const waitingOfMethod of Object.values(this.waiting)) {
				for (const waiting of waitingOfMethod.values()) {
					waiting.reject(new Error(`${this.name} exited`));
				}
				waitingOfMethod.clear();
			}
		});
		const cluster = ClusterInstance.clusters.get(databaseKey) ?? new Set<ClusterInstance>();
		cluster.add(this);
		ClusterInstance.clusters.set(databaseKey, cluster);
	}

	/**
	 * Delivers an app setting change to every instance on the database, the one that made it
	 * included, as the server's broadcast does ('apps.settingUpdated',
	 * apps/meteor/ee/server/apps/communication/websockets.ts → server/services/apps-engine/service.ts).
	 * Each instance skips a value it already has, which also ends the echo of its own re-broadcast.
	 */
	private static broadcast(databaseKey: string, event: IAppSettingEvent): void {
		for (const instance of ClusterInstance.clusters.get(databaseKey) ?? []) {
			const delivery = instance
				.request({ method: 'applyAppSetting', appId: event.appId, setting: event.setting })
				.then(
					(applied) => {
						if (applied === true) {
							instance.appliedSettings.push({
								appId: event.appId,
								id: event.setting.id,
								value: event.setting.value,
							});
						}
					},
					(error: unknown) => {
						instance.broadcastErrors.push(
							error instanceof Error ? error : new Error(String(error)),
						);
					},
				);
			ClusterInstance.broadcasts.add(delivery);
			void delivery.finally(() => ClusterInstance.broadcasts.delete(delivery));
		}
	}

	/** Resolves once every setting broadcast, and those it caused, reached its instances. */
	public static async settingBroadcastsSettled(): Promise<void> {
		// An applied change is broadcast again before its answer arrives, so loop until none is left.
		while (ClusterInstance.broadcasts.size > 0) {
			await Promise.all([...ClusterInstance.broadcasts]);
		}
	}

	/**
	 * Starts an instance process with the app on the database; when the app does not start there,
	 * the process is ended and the promise rejects with the engine's reason.
	 */
	public static async start(
		name: string,
		databasePath: string,
		zipPath: string,
		options: IClusterInstanceOptions = {},
	): Promise<ClusterInstance> {
		const env = { ...process.env };
		if (options.runtimeTimeoutMs !== undefined) {
			// Read by apps-engine 1.62's Deno runtime controller (server/runtime/deno/
			// AppsEngineDenoRuntime.js getRuntimeTimeout, default 30000) when it is constructed.
			env.APPS_ENGINE_RUNTIME_TIMEOUT = String(options.runtimeTimeoutMs);
		}
		const child = fork(path.join(__dirname, 'instance-process.js'), [], {
			serialization: 'advanced',
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			env,
		});
		const instance = new ClusterInstance(name, child, path.resolve(databasePath));
		try {
			await instance.request({
				method: 'start',
				databasePath,
				zipPath,
				instanceId: name,
				schedulerProcessEveryMs: options.schedulerProcessEveryMs,
				failAppInitialize: options.failAppInitialize,
				environment: options.environment,
			});
			instance.denoPid = await instance.request({ method: 'denoPid' });
		} catch (error) {
			// Without its channel the instance exits (instance-process.ts).
			await instance.abandon();
			throw error;
		}
		return instance;
	}

	/**
	 * Runs a slash command; resolves with the texts the user was told. `noTrigger` runs it without
	 * a triggerId (REST commands.run), so `/feedback list` answers as text instead of a modal.
	 */
	public async command(
		username: string,
		roomName: string,
		text: string,
		options: { noTrigger?: boolean } = {},
	): Promise<string[]> {
		const result = await this.request({
			method: 'runSlashCommand',
			username,
			roomName,
			text,
			noTrigger: options.noTrigger,
		});
		return result.notifications;
	}

	/**
	 * Runs a slash command; resolves with the messages the user was told, with their ids and
	 * blocks, so a button in one can be clicked (`blockActionInMessage`).
	 */
	public async commandMessages(
		username: string,
		roomName: string,
		text: string,
	): Promise<IClusterMessage[]> {
		const result = await this.request({ method: 'runSlashCommand', username, roomName, text });
		return result.messages;
	}

	/** Clicks a button of a message the user sees on this instance (a room or ephemeral message). */
	public async blockActionInMessage(
		username: string,
		messageId: string,
		action: IBlockAction,
		roomName?: string,
	): Promise<IClusterBlockActionResult> {
		return this.request({ method: 'blockActionInMessage', username, messageId, action, roomName });
	}

	/** The view the user has open on this instance. */
	public async openView(username: string): Promise<IOpenView | undefined> {
		return this.request({ method: 'openView', username });
	}

	/** The contextual bar the user has open on this instance. */
	public async openContextualBar(username: string): Promise<IOpenView | undefined> {
		return this.request({ method: 'openContextualBar', username });
	}

	/**
	 * Sends a block action on a view (possibly opened on another instance, as the client sends
	 * it to whichever server the load balancer picks); resolves with the answer and what the
	 * member sees on this instance.
	 */
	public async blockAction(
		username: string,
		view: IOpenView,
		action: IBlockAction,
		roomName?: string,
	): Promise<IClusterBlockActionResult> {
		return this.request({ method: 'blockActionOn', username, view, action, roomName });
	}

	/** Submits a view (possibly opened on another instance) with field values. */
	public async submit(
		username: string,
		view: IOpenView,
		values: Record<string, unknown>,
	): Promise<IClusterSubmitResult> {
		return this.request({ method: 'submitViewAs', username, view, values });
	}

	/** Delivers messages with up to `concurrency` handlers at once; resolves with the failure count. */
	public async deliver(orders: IMessageOrder[], concurrency: number): Promise<number> {
		return this.request({ method: 'deliverMessages', orders, concurrency });
	}

	/** Changes an app setting through this instance, as an admin would; the cluster hears of it. */
	public async setSetting(id: string, value: unknown): Promise<void> {
		await this.request({ method: 'setSetting', id, value });
	}

	/** The app's settings as this instance holds them in memory. */
	public async appSettings(): Promise<Record<string, ISetting>> {
		return this.request({ method: 'appSettings' });
	}

	/** Changes a server setting (stored in the shared database: every instance reads it). */
	public async setServerSetting(id: string, value: unknown): Promise<void> {
		await this.request({ method: 'setServerSetting', id, value });
	}

	/** The workspace's server settings. */
	public async serverSettings(): Promise<IServerSettingInfo[]> {
		return this.request({ method: 'serverSettings' });
	}

	/** Runs the scheduled jobs due now on this instance (the job lock decides who runs each). */
	public async runDueJobs(): Promise<IJobRun[]> {
		return this.request({ method: 'runDueJobs' });
	}

	/** A room's messages, as the shared database holds them. */
	public async timeline(roomName: string): Promise<ITimelineMessage[]> {
		return this.request({ method: 'timeline', roomName });
	}

	/** Fails a share of this instance's persistence calls. */
	public async setFaultInjection(options: IFaultInjectionOptions): Promise<void> {
		await this.request({ method: 'setFaultInjection', options });
	}

	/** Stores this instance's next `count` app messages, then fails each call (a lost answer). */
	public async loseMessageAnswers(count: number): Promise<void> {
		await this.request({ method: 'loseMessageAnswers', count });
	}

	/** Holds this instance's next `count` app messages until releaseHeldPosts (a slow insert). */
	public async holdPosts(count: number): Promise<void> {
		await this.request({ method: 'holdPosts', count });
	}

	/** How many of this instance's app messages are held now. */
	public async heldPosts(): Promise<number> {
		return this.request({ method: 'heldPosts' });
	}

	/** Lets this instance's held messages go on; resolves with how many there were. */
	public async releaseHeldPosts(): Promise<number> {
		return this.request({ method: 'releaseHeldPosts' });
	}

	/** Persistence bridge calls this instance made so far. */
	public async persistenceCalls(): Promise<number> {
		return this.request({ method: 'persistenceCalls' });
	}

	/** The instance process's pid. */
	public get pid(): number {
		if (this.child.pid === undefined) {
			throw new Error(`${this.name} has no process`);
		}
		return this.child.pid;
	}

	/** Whether the instance process has exited (as far as this driver has seen). */
	public get exited(): boolean {
		return this.child.exitCode !== null || this.child.signalCode !== null;
	}

	/**
	 * Stops the instance cleanly (its Deno process exits first); resolves as well when the process
	 * already exited or its channel closed (it crashed, or another stop() came first).
	 */
	public async stop(): Promise<void> {
		if (this.exited) {
			return;
		}
		const exited = this.exitPromise();
		if (this.child.connected) {
			await this.request({ method: 'stop' }).catch(() => undefined);
		}
		// Checked again after the wait: the process may have died meanwhile, or another stop()
		// closed the channel; disconnect() on a closed channel emits ERR_IPC_DISCONNECTED.
		if (this.child.connected) {
			this.child.disconnect();
		}
		// Without its channel the instance stops its app and exits (instance-process.ts).
		await exited;
	}

	/**
	 * Closes the channel without asking the instance to stop, as a driver that dies does; resolves
	 * with the instance's exit code (it stops its app and exits on its own).
	 */
	public async abandon(): Promise<number | null> {
		const exited = this.exited
			? Promise.resolve(this.child.exitCode)
			: new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
		if (this.child.connected) {
			this.child.disconnect();
		}
		return exited;
	}

	/** Kills the instance at once (SIGKILL), as a crashed server, with its Deno process. */
	public async kill(): Promise<void> {
		const exited = this.exitPromise();
		if (!this.exited) {
			this.child.kill('SIGKILL');
		}
		await exited;
		// A server's crash takes its app processes with it.
		if (this.denoPid !== undefined && isAlive(this.denoPid)) {
			process.kill(this.denoPid, 'SIGKILL');
		}
	}

	/** Resolves once the process has exited, at once when it already has. */
	private exitPromise(): Promise<void> {
		if (this.exited) {
			return Promise.resolve();
		}
		return new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
	}

	/** Sends a request; resolves with the instance's answer to it, typed by its method. */
	private request<M extends InstanceMethod>(
		request: InstanceRequestOf<M>,
	): Promise<InstanceResult<M>> {
		const id = this.nextId++;
		const waitingOfMethod: Map<number, IWaiting<M>> = this.waiting[request.method];
		return new Promise<InstanceResult<M>>((resolve, reject) => {
			waitingOfMethod.set(id, { resolve, reject });
			this.child.send({ id, request }, (error) => {
				if (error) {
					waitingOfMethod.delete(id);
					reject(error);
				}
			});
		});
	}

	/** Hands an answer to the request of that number and method. */
	private settle<M extends InstanceMethod>(answer: InstanceAnswerOf<M>): void {
		const waitingOfMethod = this.waiting[answer.method];
		const waiting = waitingOfMethod.get(answer.id);
		waitingOfMethod.delete(answer.id);
		if (answer.ok) {
			waiting?.resolve(answer.result);
		} else {
			waiting?.reject(new Error(`${this.name}: ${answer.error}`));
		}
	}
}

/** Starts K instances on one database: the first installs the app, the others load it. */
export async function startCluster(
	size: number,
	databasePath: string,
	zipPath: string,
	options: IClusterInstanceOptions = {},
): Promise<ClusterInstance[]> {
	const first = await ClusterInstance.start('instance-1', databasePath, zipPath, options);
	const others = await Promise.all(
		Array.from({ length: size - 1 }, (_, index) =>
			ClusterInstance.start(`instance-${index + 2}`, databasePath, zipPath, options),
		),
	);
	return [first, ...others];
}
