import * as os from 'os';

import type { IJobContext } from '@rocket.chat/apps-engine/definition/scheduler';

import type { IStoredJob, JobStore } from './job-store';
import { computeNextRunAt } from './schedule-time';
import { type IHostClock, systemHostClock } from '../host-clock';

/**
 * The part of @rocket.chat/agenda (packages/agenda/src/Agenda.ts, Job.ts, JobProcessingQueue.ts)
 * the server's scheduler bridge runs with `defaultConcurrency: 1`
 * (apps/meteor/app/apps/server/bridges/scheduler.ts), never more lenient than it:
 * - processJobs/_jobQueueFilling: each scan locks EVERY job of a defined name whose nextRunAt is
 *   before the next scan (now + processEvery), or whose lock is older than the lock lifetime;
 *   locked jobs wait in this instance's queue and run when due (_jobProcessing), one at a time
 *   per name here;
 * - _runOrRetry: a queued job whose lock has outlived the lock lifetime is dropped from the
 *   queue without being run (its lock stays in the database);
 * - Job.run: lastRunAt and the next nextRunAt are saved (the whole document, as this instance
 *   holds it) before the processor runs; its end saves the whole document again with
 *   lockedAt null, whoever locked the job since (a run that outlasted its lock unlocks the
 *   next holder), failures as Job.fail records them;
 * - no stop() on shutdown: the server's AppSchedulerBridge has no call to Agenda's stop() at all,
 *   and apps/meteor/ee/server/apps/orchestrator.js only starts it (load → startScheduler; its
 *   unload() calls AppManager.unload(), never the scheduler); a crash or SIGKILL runs nothing.
 *   So shutdown() leaves every lock this instance holds for the lock lifetime; `releaseLocks`
 *   is for a lone process's restart only.
 * The calls the engine makes are in host/bridges/scheduler.ts; the jobs live in job-store.ts.
 */

/** Agenda's default processEvery: '5 seconds'. */
export const DEFAULT_PROCESS_EVERY_MS = 5000;
/** Agenda's default lock lifetime: 10 minutes. */
export const DEFAULT_LOCK_LIFETIME_MS = 10 * 60 * 1000;

/** Where the scheduler writes what the server writes to its log. */
export interface ISchedulerLogger {
	debug(message: string, details?: Record<string, unknown>): void;
	error(message: string, details?: Record<string, unknown>): void;
}

const consoleLogger: ISchedulerLogger = {
	debug: () => undefined,
	error: (message, details) => console.error(`[scheduler] ${message}`, details ?? ''),
};

/** How the loop waits: the machine's timers, or a test's own that it fires when it chooses. */
export interface ILoopTimers {
	/** Calls `tick` every `milliseconds` until the returned function cancels it. */
	every(milliseconds: number, tick: () => void): () => void;
	/** Calls `tick` once after `milliseconds` (0: at the next turn) unless cancelled first. */
	after(milliseconds: number, tick: () => void): () => void;
}

/** The machine's timers; they keep no process alive. */
export const systemLoopTimers: ILoopTimers = {
	every(milliseconds, tick) {
		const timer = setInterval(tick, milliseconds);
		timer.unref();
		return () => clearInterval(timer);
	},
	after(milliseconds, tick) {
		if (milliseconds <= 0) {
			const immediate = setImmediate(tick);
			return () => clearImmediate(immediate);
		}
		const timer = setTimeout(tick, milliseconds);
		timer.unref();
		return () => clearTimeout(timer);
	},
};

/** How a host instance's scheduler runs. */
export interface ILocalSchedulerOptions {
	/** The host's time (default: the machine's); a MovableClock or SharedClock in tests. */
	clock?: IHostClock;
	/** Names this host instance in locks (default: host name, pid and a random suffix). */
	instanceId?: string;
	/**
	 * How often the loop started by start() looks for jobs (Agenda's processEvery, 5 s); also how
	 * far ahead of their due time jobs are locked, with or without the loop.
	 */
	processEveryMs?: number;
	/** After how long a lock is taken as abandoned (Agenda's defaultLockLifetime, 10 min). */
	lockLifetimeMs?: number;
	logger?: ISchedulerLogger;
	/** What the loop waits with (default: the machine's timers). */
	timers?: ILoopTimers;
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

/** A processor as the engine hands it over (AppSchedulerManager.wrapProcessor): the job context only. */
export type JobProcessor = (jobContext: IJobContext) => Promise<void>;

/** Agenda's definition of a job name: what runs it, and for which app. */
export interface IJobDefinition {
	appId: string;
	processor: JobProcessor;
}

interface ILane {
	running?: Promise<IJobRun[]>;
	queued?: Promise<IJobRun[]>;
	/** Jobs of this name locked here and not yet run, earliest first (Agenda's _jobQueue). */
	locked: IStoredJob[];
}

/** Agenda's JobProcessingQueue order: nextRunAt, then priority; a job without nextRunAt comes first. */
function queueOrder(a: IStoredJob, b: IStoredJob): number {
	if (a.nextRunAt === null || b.nextRunAt === null) {
		return (a.nextRunAt === null ? 0 : 1) - (b.nextRunAt === null ? 0 : 1);
	}
	return a.nextRunAt - b.nextRunAt || b.priority - a.priority;
}

/** The message of whatever was thrown, as the server logs it. */
export function errorMessage(error: unknown): string {
	if (error instanceof Error) {
		return error.message;
	}
	if (typeof error === 'object' && error !== null && 'message' in error) {
		return String((error as { message: unknown }).message);
	}
	return String(error);
}

/** Runs the jobs of the processors defined here, locking each so one instance runs it at a time. */
export class JobRunner {
	public readonly instanceId: string;

	public readonly clock: IHostClock;

	public readonly logger: ISchedulerLogger;

	private readonly processEveryMs: number;

	private readonly lockLifetimeMs: number;

	/** Agenda's definitions: the processors this instance can run, by job name. */
	private readonly definitions = new Map<string, IJobDefinition>();

	/** One lane per job name: at most one job of a name runs at a time here (defaultConcurrency: 1). */
	private readonly lanes = new Map<string, ILane>();

	/** Jobs this instance has locked and not yet finished (Agenda's _lockedJobs). */
	private readonly locked = new Set<string>();

	private readonly timers: ILoopTimers;

	/** Stops the loop's every-processEveryMs scan; set while the loop runs. */
	private cancelLoop: (() => void) | undefined;

	/** Cancels the wake-up set for the earliest job locked ahead (Agenda's setTimeout(runIn)). */
	private cancelWake: (() => void) | undefined;

	/** Set by shutdown(): this instance is gone, nothing it does is saved any more. */
	private gone = false;

	/** The next scan's time as of the last scan (Agenda's _nextScanAt). */
	private nextScanAt: number | undefined;

	constructor(
		private readonly store: JobStore,
		options: ILocalSchedulerOptions = {},
	) {
		this.clock = options.clock ?? systemHostClock;
		this.instanceId =
			options.instanceId ??
			`${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
		this.processEveryMs = options.processEveryMs ?? DEFAULT_PROCESS_EVERY_MS;
		this.lockLifetimeMs = options.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
		this.logger = options.logger ?? consoleLogger;
		this.timers = options.timers ?? systemLoopTimers;
		if (!(this.processEveryMs > 0)) {
			throw new Error(`processEveryMs must be positive (got ${this.processEveryMs})`);
		}
	}

	/** Agenda.define: this instance can run jobs of this name from now on. */
	public define(name: string, definition: IJobDefinition): void {
		this.definitions.set(name, definition);
	}

	/** Starts looking for jobs every processEveryMs, and once now (Agenda.start). Idempotent. */
	public start(): void {
		if (this.cancelLoop || this.gone) {
			return;
		}
		this.cancelLoop = this.timers.every(this.processEveryMs, () => this.processInBackground());
		this.timers.after(0, () => this.processInBackground());
	}

	/** Whether the loop started by start() is running. */
	public get started(): boolean {
		return this.cancelLoop !== undefined;
	}

	/**
	 * Stops the loop only: locks stay, and runDueJobs() may still be called by hand. (Agenda has
	 * no such call: its stop() unlocks too, see shutdown.)
	 */
	public stop(): void {
		this.cancelLoop?.();
		this.cancelLoop = undefined;
		this.cancelWake?.();
		this.cancelWake = undefined;
	}

	/**
	 * The instance goes away, as a server process ends: the loop stops, jobs locked ahead are
	 * forgotten, and a run still going is never saved (its lock, like every other, stays for the
	 * lock lifetime). Rocket.Chat does not call Agenda's stop() on shutdown (see the header), so
	 * only `releaseLocks` (a lone process that restarts, where no other instance could take its
	 * jobs) unlocks what this instance holds, as Agenda.stop → _unlockJobs would.
	 */
	public shutdown(options: { releaseLocks?: boolean } = {}): void {
		this.stop();
		this.gone = true;
		if (options.releaseLocks && this.locked.size) {
			try {
				this.store.unlock([...this.locked]);
			} catch (err) {
				this.logger.error('Could not unlock jobs on shutdown', { err: errorMessage(err) });
			}
		}
		this.locked.clear();
		for (const lane of this.lanes.values()) {
			lane.locked = [];
		}
	}

	/**
	 * One scan by hand: locks every job of a defined name due before the next scan (now +
	 * processEvery), then runs those due now by the clock, one at a time per name; jobs locked
	 * ahead stay locked here and run on a later call once due. Resolves with the runs it made.
	 */
	public async runDueJobs(): Promise<IJobRun[]> {
		const runs = await Promise.all([...this.definitions.keys()].map((name) => this.enqueue(name)));
		return runs.flat();
	}

	/** The job names defined on this instance. */
	public definedNames(): string[] {
		return [...this.definitions.keys()];
	}

	/** The jobs this instance holds locked, run or waiting to (for tests and diagnosis). */
	public lockedJobIds(): string[] {
		return [...this.locked];
	}

	/**
	 * Agenda's _processDbResult: a job saved with a nextRunAt before the next scan is processed
	 * at once on the instance that saved it (when its loop runs).
	 */
	public processSoonIfDue(nextRunAt: number): void {
		if (this.cancelLoop && !this.gone && nextRunAt < (this.nextScanAt ?? this.clock.now())) {
			this.timers.after(0, () => this.processInBackground());
		}
	}

	private processInBackground(): void {
		if (this.gone || !this.cancelLoop) {
			return;
		}
		this.runDueJobs().catch((err: unknown) =>
			this.logger.error('Looking for due jobs failed', { err: errorMessage(err) }),
		);
	}

	/** Queues a pass over one job name behind the one running (a pass already queued is shared). */
	private enqueue(name: string): Promise<IJobRun[]> {
		const lane = this.laneOf(name);
		if (lane.queued) {
			return lane.queued;
		}
		const begin = (): Promise<IJobRun[]> => {
			lane.queued = undefined;
			const pass = this.pass(name, lane);
			lane.running = pass;
			const clear = () => {
				if (lane.running === pass) {
					lane.running = undefined;
				}
			};
			pass.then(clear, clear);
			return pass;
		};
		if (!lane.running) {
			return begin();
		}
		const queued = lane.running.then(begin, begin);
		lane.queued = queued;
		return queued;
	}

	private laneOf(name: string): ILane {
		let lane = this.lanes.get(name);
		if (!lane) {
			lane = { locked: [] };
			this.lanes.set(name, lane);
		}
		return lane;
	}

	/** _jobQueueFilling then _jobProcessing for one name: lock what the scan finds, run what is due. */
	private async pass(name: string, lane: ILane): Promise<IJobRun[]> {
		if (this.gone) {
			return [];
		}
		this.fill(name, lane);
		const runs: IJobRun[] = [];
		while (!this.gone) {
			const [next] = lane.locked;
			const now = this.clock.now();
			// Agenda's _jobProcessing returns on a job without nextRunAt (a one-time job retaken after
			// its instance died mid-run): it is never run, and it holds up the queue behind it.
			if (next?.nextRunAt === undefined || next.nextRunAt === null) {
				break;
			}
			if (next.nextRunAt > now) {
				this.wakeAt(next.nextRunAt - now);
				break;
			}
			lane.locked.shift();
			// _runOrRetry: a lock older than its lifetime is given up here, not in the database.
			if (next.lockedAt !== null && next.lockedAt < now - this.lockLifetimeMs) {
				this.locked.delete(next.id);
				continue;
			}
			runs.push(await this.run(next));
		}
		return runs;
	}

	/** Locks every lockable job of one name (_jobQueueFilling calls _findAndLockNextJob until none). */
	private fill(name: string, lane: ILane): void {
		const now = this.clock.now();
		this.nextScanAt = now + this.processEveryMs;
		for (;;) {
			let job: IStoredJob | undefined;
			try {
				job = this.store.lockNext({
					name,
					now,
					nextScanAt: this.nextScanAt,
					lockLifetimeMs: this.lockLifetimeMs,
					instanceId: this.instanceId,
				});
			} catch (err) {
				this.logger.error('Could not lock a job', { name, err: errorMessage(err) });
				return;
			}
			if (!job) {
				return;
			}
			const locked = job;
			this.locked.add(locked.id);
			lane.locked = lane.locked.filter((held) => held.id !== locked.id);
			lane.locked.push(locked);
			lane.locked.sort(queueOrder);
		}
	}

	/** Wakes the loop when a job locked ahead falls due (the clock may move faster: each scan checks too). */
	private wakeAt(delayMs: number): void {
		if (!this.cancelLoop || this.cancelWake) {
			return;
		}
		this.cancelWake = this.timers.after(Math.min(delayMs, this.processEveryMs), () => {
			this.cancelWake = undefined;
			this.processInBackground();
		});
	}

	/**
	 * Runs one locked job as Job.run and the server's _callProcessor do: lastRunAt and the next
	 * nextRunAt are saved first (the whole document as locked); the processor gets the job's data
	 * without `appId` and with `jobId`; a one-time job is removed after it succeeded; then the
	 * whole document is saved with lockedAt null, and on failure failCount + 1, failReason,
	 * failedAt (a recurring job keeps the next run computed before it ran, a one-time job stays
	 * stored with no next run: the server neither retries nor removes it). A job removed while it
	 * was locked still runs (Agenda's saves do not upsert). After shutdown nothing is saved.
	 */
	private async run(locked: IStoredJob): Promise<IJobRun> {
		const definition = this.definitions.get(locked.name);
		const now = this.clock.now();
		const job: IStoredJob = { ...locked, lastRunAt: now };
		const next =
			job.repeatInterval === null
				? { nextRunAt: null }
				: computeNextRunAt(job.repeatInterval, now, job.nextRunAt, now);
		job.nextRunAt = next.nextRunAt;
		if (next.failReason !== undefined) {
			this.fail(job, next.failReason, now);
		}
		let error: string | undefined;
		try {
			this.store.save(job);
			const data: Record<string, unknown> = { ...job.data };
			// "This field is for internal use, no need to leak to app processor"
			delete data.appId;
			data.jobId = job.id;
			if (!definition) {
				throw new Error('Undefined job');
			}
			await definition.processor(data);
			if (job.type === 'normal' && !this.gone) {
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
		if (!this.gone) {
			const finishedAt = this.clock.now();
			if (error === undefined) {
				job.lastFinishedAt = finishedAt;
			} else {
				this.fail(job, error, finishedAt);
			}
			job.lockedAt = null;
			job.lockedBy = null;
			try {
				this.store.save(job);
			} catch (err) {
				this.logger.error('Could not save the end of a job', {
					jobId: job.id,
					err: errorMessage(err),
				});
			}
			this.locked.delete(job.id);
		}
		return {
			jobId: job.id,
			name: job.name,
			type: job.type,
			instanceId: this.instanceId,
			ok: error === undefined,
			error,
		};
	}

	/** Job.fail: the reason, failCount + 1 (of the count this instance read), failedAt, lastFinishedAt. */
	private fail(job: IStoredJob, reason: string, at: number): void {
		job.failReason = reason;
		job.failCount += 1;
		job.failedAt = at;
		job.lastFinishedAt = at;
	}
}
