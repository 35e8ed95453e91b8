import * as os from 'os';

import type { IJobContext } from '@rocket.chat/apps-engine/definition/scheduler';

import type { IStoredJob, JobStore } from './job-store';
import { computeNextRunAt } from './schedule-time';
import { type IHostClock, systemHostClock } from '../host-clock';

/**
 * The part of @rocket.chat/agenda (packages/agenda/src/Agenda.ts and Job.ts) the server's scheduler
 * bridge runs with `defaultConcurrency: 1`: processEvery (a loop looking for due jobs),
 * _findAndLockNextJob (lock, lock lifetime), Job.run (lastRunAt and nextRunAt saved before the
 * processor runs; failures recorded, never retried sooner), stop (unlock). The calls the engine
 * makes are in host/bridges/scheduler.ts; the jobs live in job-store.ts.
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

/** How a host instance's scheduler runs. */
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

/** Runs the due jobs of the processors defined here, locking each so one instance runs it. */
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

	private timer: NodeJS.Timeout | undefined;

	private stopping = false;

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
		if (!(this.processEveryMs > 0)) {
			throw new Error(`processEveryMs must be positive (got ${this.processEveryMs})`);
		}
	}

	/** Agenda.define: this instance can run jobs of this name from now on. */
	public define(name: string, definition: IJobDefinition): void {
		this.definitions.set(name, definition);
	}

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

	/** Whether the loop started by start() is running. */
	public get started(): boolean {
		return this.timer !== undefined;
	}

	/**
	 * Stops the loop, lets running jobs finish (up to timeoutMs), then unlocks any job this
	 * instance still holds so another instance can take it (Agenda.stop unlocks at once).
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
	 * Runs every job due now (by the clock) whose processor is defined here, one at a time per
	 * name, each at most once per call; resolves with the runs this instance made.
	 */
	public async runDueJobs(): Promise<IJobRun[]> {
		const runs = await Promise.all([...this.definitions.keys()].map((name) => this.enqueue(name)));
		return runs.flat();
	}

	/** The job names defined on this instance. */
	public definedNames(): string[] {
		return [...this.definitions.keys()];
	}

	/** Agenda processes a job saved due before its next scan at once, on the instance that saved it. */
	public processSoonIfDue(nextRunAt: number): void {
		if (this.timer && !this.stopping && nextRunAt <= this.clock.now()) {
			setImmediate(() => this.processInBackground());
		}
	}

	private processInBackground(): void {
		if (this.stopping || !this.timer) {
			return;
		}
		this.runDueJobs().catch((err: unknown) =>
			this.logger.error('Looking for due jobs failed', { err: errorMessage(err) }),
		);
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
