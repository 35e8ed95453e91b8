import * as os from 'os';

import type {
	IJobContext,
	IOnetimeSchedule,
	IProcessor,
	IRecurringSchedule,
} from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import { SchedulerBridge } from '@rocket.chat/apps-engine/server/bridges';

import type { Database } from './database';
import { type IHostClock, systemHostClock } from './host-clock';
import { type IStoredJob, JobStore } from './job-store';
import { computeNextRunAt, parseWhen } from './schedule-time';

/**
 * The Apps-Engine scheduler bridge of the local host, with Rocket.Chat's semantics. It follows,
 * call for call:
 * - RocketChat/Rocket.Chat apps/meteor/app/apps/server/bridges/scheduler.ts (AppSchedulerBridge):
 *   registerProcessors, scheduleOnce, scheduleOnceAfterRegister, scheduleRecurring, cancelJob,
 *   cancelAllJobs, _callProcessor, decorateJobData;
 * - packages/agenda/src/Agenda.ts and Job.ts (@rocket.chat/agenda, the Agenda the bridge runs with
 *   `defaultConcurrency: 1` on the collection `rocketchat_apps_scheduler`): every (one job per
 *   name), schedule (a new job per call), _findAndLockNextJob (lock, lock lifetime), Job.run
 *   (lastRunAt and nextRunAt saved before the processor runs; failures recorded, never retried
 *   sooner), stop (unlock);
 * - apps/meteor/ee/server/apps/orchestrator.js: every instance starts the scheduler after loading
 *   its apps (`getSchedulerBridge().startScheduler()`).
 * The jobs live in the host's SQLite database (job-store.ts), so every host process on the file
 * shares them, and time comes from an injectable clock (host-clock.ts).
 */

/** Agenda's default processEvery: '5 seconds'. */
export const DEFAULT_PROCESS_EVERY_MS = 5000;
/** Agenda's default lock lifetime: 10 minutes. */
export const DEFAULT_LOCK_LIFETIME_MS = 10 * 60 * 1000;
/** How long stop() waits for running jobs before unlocking them anyway. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/** Where the scheduler writes what the server writes to its log. */
export interface ISchedulerLogger {
	debug(message: string, details?: Record<string, unknown>): void;
	error(message: string, details?: Record<string, unknown>): void;
}

const consoleLogger: ISchedulerLogger = {
	debug: () => undefined,
	error: (message, details) => console.error(`[scheduler] ${message}`, details ?? ''),
};

export interface ILocalSchedulerOptions {
	/** The host's time (default: the machine's); a MovableClock or SharedClock in tests. */
	clock?: IHostClock;
	/** Names this host instance in locks (default: host name, pid and a random suffix). */
	instanceId?: string;
	/** How often the loop started by start() looks for due jobs (Agenda's processEvery, 5 s). */
	processEveryMs?: number;
	/** After how long a lock is taken as abandoned (Agenda's defaultLockLifetime, 10 min). */
	lockLifetimeMs?: number;
	logger?: ISchedulerLogger;
}

/** One run of a job by this instance. */
export interface IJobRun {
	jobId: string;
	name: string;
	type: 'normal' | 'single';
	instanceId: string;
	ok: boolean;
	error?: string;
}

type JobProcessor = (jobContext: IJobContext) => Promise<void>;

interface IDefinition {
	appId: string;
	processor: JobProcessor;
}

interface ILane {
	running?: Promise<IJobRun[]>;
	queued?: Promise<IJobRun[]>;
}

function errorMessage(error: unknown): string {
	if (error instanceof Error) {
		return error.message;
	}
	if (typeof error === 'object' && error !== null && 'message' in error) {
		return String((error as { message: unknown }).message);
	}
	return String(error);
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

export class LocalSchedulerBridge extends SchedulerBridge {
	public readonly instanceId: string;

	private readonly store: JobStore;

	private readonly clock: IHostClock;

	private readonly processEveryMs: number;

	private readonly lockLifetimeMs: number;

	private readonly logger: ISchedulerLogger;

	/** Agenda's definitions: the processors this instance can run, by job name. */
	private readonly definitions = new Map<string, IDefinition>();

	/** One lane per job name: at most one job of a name runs at a time here (defaultConcurrency: 1). */
	private readonly lanes = new Map<string, ILane>();

	/** Jobs this instance has locked and not yet finished (Agenda's _lockedJobs). */
	private readonly locked = new Set<string>();

	private timer: NodeJS.Timeout | undefined;

	private stopping = false;

	constructor(database: Database, options: ILocalSchedulerOptions = {}) {
		super();
		this.store = new JobStore(database);
		this.clock = options.clock ?? systemHostClock;
		this.instanceId =
			options.instanceId ??
			`${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
		this.processEveryMs = options.processEveryMs ?? DEFAULT_PROCESS_EVERY_MS;
		this.lockLifetimeMs = options.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
		this.logger = options.logger ?? consoleLogger;
		if (!(this.processEveryMs > 0)) {
			throw new Error(`processEveryMs must be positive (got ${this.processEveryMs})`);
		}
	}

	// ---- The engine's side (AppSchedulerManager calls these through doX, processor ids already `<id>_<appId>`).

	/**
	 * Defines each processor here; a startup setting schedules at once: RECURRING through
	 * scheduleRecurring (one job per name for the cluster), ONETIME only if no one-time job of that
	 * name is stored (checked, then scheduled: two steps, as on the server).
	 * Returns the ids of the jobs scheduled at startup, if any.
	 */
	protected async registerProcessors(
		processors: Array<IProcessor> = [],
		appId: string,
	): Promise<void | Array<string>> {
		this.logger.debug(`The App ${appId} is registering job processors`, {
			ids: processors.map((p) => p.id),
		});
		const runAfterRegister: Array<Promise<void | string>> = [];
		for (const { id, processor, startupSetting } of processors) {
			// The engine's processor (AppSchedulerManager.wrapProcessor) takes the job context only.
			this.definitions.set(id, { appId, processor: processor as unknown as JobProcessor });
			if (!startupSetting) {
				continue;
			}
			switch (startupSetting.type) {
				case StartupType.ONETIME:
					runAfterRegister.push(
						this.scheduleOnceAfterRegister(
							{ id, when: startupSetting.when, data: startupSetting.data },
							appId,
						),
					);
					break;
				case StartupType.RECURRING:
					runAfterRegister.push(
						this.scheduleRecurring(
							{
								id,
								interval: startupSetting.interval,
								skipImmediate: startupSetting.skipImmediate,
								data: startupSetting.data,
							},
							appId,
						),
					);
					break;
				default:
					this.logger.error('Unknown startup setting type', {
						type: (startupSetting as { type?: unknown }).type,
					});
					break;
			}
		}
		if (runAfterRegister.length) {
			return (await Promise.all(runAfterRegister)) as string[];
		}
	}

	/** Agenda.schedule(when, id, data): a new job per call; returns its id (undefined after a logged error). */
	protected async scheduleOnce(
		{ id, when, data }: IOnetimeSchedule,
		appId: string,
	): Promise<void | string> {
		this.logger.debug(`The App ${appId} is scheduling an onetime job (processor ${id})`);
		try {
			const now = this.clock.now();
			const nextRunAt = parseWhen(when, now);
			const jobId = this.store.insertOnce(
				id,
				this.decorateJobData(data, appId),
				nextRunAt,
				this.instanceId,
			);
			this.processSoonIfDue(nextRunAt);
			return jobId;
		} catch (err) {
			this.logger.error('Could not schedule the one-time job', {
				appId,
				processor: id,
				err: errorMessage(err),
			});
		}
	}

	private async scheduleOnceAfterRegister(
		job: IOnetimeSchedule,
		appId: string,
	): Promise<void | string> {
		const exists = this.store.hasOneTimeJob(job.id);
		// The server awaits its query before scheduling: another instance may schedule in between.
		await Promise.resolve();
		if (!exists) {
			return this.scheduleOnce(job, appId);
		}
	}

	/**
	 * Agenda.every(interval, id, data, { skipImmediate }): one job per processor id for the whole
	 * cluster (an upsert); returns the job's id. Without skipImmediate the first run is due now
	 * (cron: at the next match), and registering again leaves a pending run where it is; with
	 * skipImmediate the next run is one interval from now, also when registering again.
	 */
	protected async scheduleRecurring(
		{ id, interval, skipImmediate = false, data }: IRecurringSchedule,
		appId: string,
	): Promise<void | string> {
		this.logger.debug(`The App ${appId} is scheduling a recurring job (processor ${id})`);
		try {
			const now = this.clock.now();
			// Job.repeatEvery: with skipImmediate, lastRunAt = nextRunAt (= now) while computing, then unset.
			const next = computeNextRunAt(interval, skipImmediate ? now : undefined, now, now);
			const jobId = this.store.upsertRecurring({
				name: id,
				data: this.decorateJobData(data, appId),
				interval,
				nextRunAt: next.nextRunAt,
				now,
				clearLastRunAt: skipImmediate,
				failReason: next.failReason,
				instanceId: this.instanceId,
			});
			if (next.nextRunAt !== null) {
				this.processSoonIfDue(next.nextRunAt);
			}
			return jobId;
		} catch (err) {
			this.logger.error('Could not schedule the recurring job', {
				appId,
				processor: id,
				err: errorMessage(err),
			});
		}
	}

	/**
	 * The engine passes `<jobId>_<appId>`. The server cancels by document id when the part before
	 * the first `_` is an ObjectId (24 hex digits), else every job named `<jobId>_<appId>`.
	 * (With bson before 6, a 12-character part was an ObjectId too.)
	 */
	protected async cancelJob(jobId: string, appId: string): Promise<void> {
		this.logger.debug(`The App ${appId} is canceling a job`, { jobId });
		try {
			const head = jobId.split('_')[0];
			if (OBJECT_ID.test(head)) {
				this.store.removeById(head.toLowerCase());
			} else {
				this.store.removeByName(jobId);
			}
		} catch (err) {
			this.logger.error('Could not cancel the job', { appId, jobId, err: errorMessage(err) });
		}
	}

	/** Every job whose name ends in `_<appId>`, on every instance (the engine calls this when an app is disabled). */
	protected async cancelAllJobs(appId: string): Promise<void> {
		this.logger.debug(`Canceling all jobs of App ${appId}`);
		try {
			this.store.removeByNameSuffix(`_${appId}`);
		} catch (err) {
			this.logger.error('Could not cancel the jobs of the app', { appId, err: errorMessage(err) });
		}
	}

	private decorateJobData(jobData: object | undefined, appId: string): Record<string, unknown> {
		return Object.assign({}, jobData, { appId });
	}

	// ---- The host's side.

	/** Starts looking for due jobs every processEveryMs, and once now (Agenda.start). Idempotent. */
	public start(): void {
		this.stopping = false;
		if (this.timer) {
			return;
		}
		this.timer = setInterval(() => this.processInBackground(), this.processEveryMs);
		this.timer.unref();
		setImmediate(() => this.processInBackground());
	}

	public get started(): boolean {
		return this.timer !== undefined;
	}

	/**
	 * Stops the loop, lets running jobs finish (up to timeoutMs), then unlocks any job this
	 * instance still holds so another instance can take it (Agenda.stop unlocks at once).
	 * Call it before closing the database.
	 */
	public async stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
		this.stopping = true;
		if (this.timer) {
			clearInterval(this.timer);
			this.timer = undefined;
		}
		const busy = [...this.lanes.values()]
			.flatMap((lane) => [lane.running, lane.queued])
			.filter((pass): pass is Promise<IJobRun[]> => pass !== undefined);
		if (busy.length) {
			let timeout: NodeJS.Timeout | undefined;
			await Promise.race([
				Promise.allSettled(busy),
				new Promise((resolve) => {
					timeout = setTimeout(resolve, timeoutMs);
				}),
			]);
			clearTimeout(timeout);
		}
		if (this.locked.size) {
			try {
				this.store.unlock([...this.locked], this.instanceId);
			} catch (err) {
				this.logger.error('Could not unlock jobs on stop', { err: errorMessage(err) });
			}
			this.locked.clear();
		}
		// Stopped: no loop; runDueJobs() may still be called by hand.
		this.stopping = false;
	}

	/**
	 * Runs every job due now (by the clock) whose processor is registered here, one at a time per
	 * processor id, each at most once per call; resolves with the runs this instance made. Other
	 * instances calling it at the same time take other jobs: a job runs on one instance at a time.
	 */
	public async runDueJobs(): Promise<IJobRun[]> {
		const runs = await Promise.all([...this.definitions.keys()].map((name) => this.enqueue(name)));
		return runs.flat();
	}

	/** Every stored job of every app and instance (for tests and diagnosis). */
	public jobs(): IStoredJob[] {
		return this.store.all();
	}

	/** The processor ids registered on this instance. */
	public registeredProcessors(): string[] {
		return [...this.definitions.keys()];
	}

	private processInBackground(): void {
		if (this.stopping || !this.timer) {
			return;
		}
		this.runDueJobs().catch((err: unknown) =>
			this.logger.error('Looking for due jobs failed', { err: errorMessage(err) }),
		);
	}

	/** Agenda processes a job saved due before its next scan at once, on the instance that saved it. */
	private processSoonIfDue(nextRunAt: number): void {
		if (this.timer && !this.stopping && nextRunAt <= this.clock.now()) {
			setImmediate(() => this.processInBackground());
		}
	}

	/** Queues a pass over one job name behind the one running (a pass already queued is shared). */
	private enqueue(name: string): Promise<IJobRun[]> {
		let lane = this.lanes.get(name);
		if (!lane) {
			lane = {};
			this.lanes.set(name, lane);
		}
		if (lane.queued) {
			return lane.queued;
		}
		const current = lane;
		const begin = (): Promise<IJobRun[]> => {
			current.queued = undefined;
			const pass = this.drain(name);
			current.running = pass;
			const clear = () => {
				if (current.running === pass) {
					current.running = undefined;
				}
			};
			pass.then(clear, clear);
			return pass;
		};
		if (!current.running) {
			return begin();
		}
		const queued = current.running.then(begin, begin);
		current.queued = queued;
		return queued;
	}

	/** Claims and runs due jobs of one name until none is left (each job once per pass). */
	private async drain(name: string): Promise<IJobRun[]> {
		const runs: IJobRun[] = [];
		const seen = new Set<string>();
		while (!this.stopping) {
			let job: IStoredJob | undefined;
			try {
				const now = this.clock.now();
				job = this.store.claimNext({
					name,
					now,
					lockLifetimeMs: this.lockLifetimeMs,
					instanceId: this.instanceId,
					skip: seen,
					computeNext: (candidate) =>
						candidate.repeatInterval === null
							? { nextRunAt: null }
							: computeNextRunAt(candidate.repeatInterval, now, candidate.nextRunAt, now),
				});
			} catch (err) {
				this.logger.error('Could not lock a due job', { name, err: errorMessage(err) });
				break;
			}
			if (!job) {
				break;
			}
			seen.add(job.id);
			runs.push(await this.run(job));
			if (this.stopping) {
				break;
			}
		}
		return runs;
	}

	/**
	 * Runs one locked job as the server's _callProcessor does: the processor gets the job's data
	 * without `appId` and with `jobId`; a one-time job is removed after it succeeded. A failure is
	 * logged and saved on the job (failCount, failReason, failedAt) as Agenda's Job.run does: a
	 * recurring job keeps the next run computed before it ran, a one-time job stays stored with no
	 * next run (the server neither retries nor removes it).
	 */
	private async run(job: IStoredJob): Promise<IJobRun> {
		const definition = this.definitions.get(job.name);
		const lockedAt = job.lockedAt ?? this.clock.now();
		this.locked.add(job.id);
		const data: Record<string, unknown> = { ...job.data };
		// "This field is for internal use, no need to leak to app processor"
		delete data.appId;
		data.jobId = job.id;
		let error: string | undefined;
		try {
			if (!definition) {
				throw new Error('Undefined job');
			}
			await definition.processor(data);
			if (job.type === 'normal') {
				this.store.removeById(job.id);
			}
		} catch (err) {
			error = errorMessage(err);
			this.logger.error('Job failed', {
				jobId: job.id,
				name: job.name,
				appId: definition?.appId,
				instanceId: this.instanceId,
				err: error,
			});
		}
		try {
			this.store.finish(
				job.id,
				{ instanceId: this.instanceId, lockedAt },
				{ finishedAt: this.clock.now(), error },
			);
		} catch (err) {
			this.logger.error('Could not save the end of a job', {
				jobId: job.id,
				err: errorMessage(err),
			});
		}
		this.locked.delete(job.id);
		return {
			jobId: job.id,
			name: job.name,
			type: job.type,
			instanceId: this.instanceId,
			ok: error === undefined,
			error,
		};
	}
}
