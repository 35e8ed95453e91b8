import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';

import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';

import type {
	IAppSettingEvent,
	IDeliveredEvent,
	IMessageOrder,
	InstanceEvent,
	InstanceRequest,
	InstanceResponse,
} from './instance-process';
import type { IOpenView } from '../client/session-state';
import type { IBlockAction } from '../client/view-interaction';
import type { ITimelineMessage } from '../server/directory';
import type { IFaultInjectionOptions } from '../server/persistence-bridge';
import type { IJobRun } from '../server/scheduler/job-runner';
import type { IServerSettingInfo } from '../server/server-settings';

/** What a block action sent through a cluster instance came to. */
export interface IClusterBlockActionResult {
	/** The raw answer of executeBlockActionHandler. */
	response: unknown;
	timedOut: boolean;
	/** The app's handler failed (the member sees nothing). */
	error?: string;
	/** Texts of the ephemeral messages the member received meanwhile. */
	notifications: string[];
	/** The modal the member has open afterwards on that instance. */
	view?: IOpenView;
	/** The contextual bar the member has open afterwards on that instance. */
	contextualBar?: IOpenView;
}

/** A message a member was told through a cluster instance. */
export interface IClusterMessage {
	readonly id: string;
	readonly text: string;
	readonly blocks?: unknown[];
}

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
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

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

	private readonly pending = new Map<number, Pending>();

	private nextId = 1;

	private denoPid: number | undefined;

	private constructor(
		public readonly name: string,
		private readonly child: ChildProcess,
		private readonly databaseKey: string,
	) {
		child.on('message', (message: InstanceResponse | InstanceEvent) => {
			if ('event' in message) {
				if (message.event === 'delivered') {
					this.delivered.set(message.seq, message);
				} else {
					ClusterInstance.broadcast(this.databaseKey, message);
				}
				return;
			}
			const waiting = this.pending.get(message.id);
			this.pending.delete(message.id);
			if (message.ok) {
				waiting?.resolve(message.result);
			} else {
				waiting?.reject(new Error(`${this.name}: ${message.error}`));
			}
		});
		child.on('exit', () => {
			ClusterInstance.clusters.get(databaseKey)?.delete(this);
			for (const waiting of this.pending.values()) {
				waiting.reject(new Error(`${this.name} exited`));
			}
			this.pending.clear();
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
			});
			instance.denoPid = (await instance.request({ method: 'denoPid' })) as number | undefined;
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
		const result = (await this.request({
			method: 'runSlashCommand',
			username,
			roomName,
			text,
			noTrigger: options.noTrigger,
		})) as {
			notifications: string[];
		};
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
		const result = (await this.request({
			method: 'runSlashCommand',
			username,
			roomName,
			text,
		})) as {
			messages: IClusterMessage[];
		};
		return result.messages;
	}

	/** Clicks a button of a message the user sees on this instance (a room or ephemeral message). */
	public async blockActionInMessage(
		username: string,
		messageId: string,
		action: IBlockAction,
		roomName?: string,
	): Promise<IClusterBlockActionResult> {
		return (await this.request({
			method: 'blockActionInMessage',
			username,
			messageId,
			action,
			roomName,
		})) as IClusterBlockActionResult;
	}

	/** The view the user has open on this instance. */
	public async openView(username: string): Promise<IOpenView | undefined> {
		return (await this.request({ method: 'openView', username })) as IOpenView | undefined;
	}

	/** The contextual bar the user has open on this instance. */
	public async openContextualBar(username: string): Promise<IOpenView | undefined> {
		return (await this.request({ method: 'openContextualBar', username })) as IOpenView | undefined;
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
		return (await this.request({
			method: 'blockActionOn',
			username,
			view,
			action,
			roomName,
		})) as IClusterBlockActionResult;
	}

	/** Submits a view (possibly opened on another instance) with field values. */
	public async submit(
		username: string,
		view: IOpenView,
		values: Record<string, unknown>,
	): Promise<{ accepted: boolean; errors: Record<string, string>; timedOut: boolean }> {
		// timedOut: the answer came after the web client's deadline (it closed the form).
		return (await this.request({ method: 'submitViewAs', username, view, values })) as {
			accepted: boolean;
			errors: Record<string, string>;
			timedOut: boolean;
		};
	}

	/** Delivers messages with up to `concurrency` handlers at once; resolves with the failure count. */
	public async deliver(orders: IMessageOrder[], concurrency: number): Promise<number> {
		return (await this.request({ method: 'deliverMessages', orders, concurrency })) as number;
	}

	/** Changes an app setting through this instance, as an admin would; the cluster hears of it. */
	public async setSetting(id: string, value: unknown): Promise<void> {
		await this.request({ method: 'setSetting', id, value });
	}

	/** The app's settings as this instance holds them in memory. */
	public async appSettings(): Promise<Record<string, ISetting>> {
		return (await this.request({ method: 'appSettings' })) as Record<string, ISetting>;
	}

	/** Changes a server setting (stored in the shared database: every instance reads it). */
	public async setServerSetting(id: string, value: unknown): Promise<void> {
		await this.request({ method: 'setServerSetting', id, value });
	}

	/** The workspace's server settings. */
	public async serverSettings(): Promise<IServerSettingInfo[]> {
		return (await this.request({ method: 'serverSettings' })) as IServerSettingInfo[];
	}

	/** Runs the scheduled jobs due now on this instance (the job lock decides who runs each). */
	public async runDueJobs(): Promise<IJobRun[]> {
		return (await this.request({ method: 'runDueJobs' })) as IJobRun[];
	}

	/** A room's messages, as the shared database holds them. */
	public async timeline(roomName: string): Promise<ITimelineMessage[]> {
		return (await this.request({ method: 'timeline', roomName })) as ITimelineMessage[];
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
		return (await this.request({ method: 'heldPosts' })) as number;
	}

	/** Lets this instance's held messages go on; resolves with how many there were. */
	public async releaseHeldPosts(): Promise<number> {
		return (await this.request({ method: 'releaseHeldPosts' })) as number;
	}

	/** Persistence bridge calls this instance made so far. */
	public async persistenceCalls(): Promise<number> {
		return (await this.request({ method: 'persistenceCalls' })) as number;
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

	private request(request: InstanceRequest): Promise<unknown> {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.child.send({ id, request }, (error) => {
				if (error) {
					this.pending.delete(id);
					reject(error);
				}
			});
		});
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
