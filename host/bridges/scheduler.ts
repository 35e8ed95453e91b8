import type {
	IOnetimeSchedule,
	IProcessor,
	IRecurringSchedule,
} from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import { SchedulerBridge } from '@rocket.chat/apps-engine/server/bridges';

import type { Database } from '../server/database';
import {
	errorMessage,
	type IJobRun,
	type ILocalSchedulerOptions,
	type ISchedulerLogger,
	type JobProcessor,
	JobRunner,
} from '../server/scheduler/job-runner';
import { type IStoredJob, JobStore } from '../server/scheduler/job-store';
import { computeNextRunAt, parseWhen } from '../server/scheduler/schedule-time';

/** A MongoDB ObjectId as text: how the server tells a job's id from a processor name. */
const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * The Apps-Engine scheduler bridge of the local host, with Rocket.Chat's semantics. It follows,
 * call for call:
 * - RocketChat/Rocket.Chat apps/meteor/app/apps/server/bridges/scheduler.ts (AppSchedulerBridge):
 *   registerProcessors, scheduleOnce, scheduleOnceAfterRegister, scheduleRecurring, cancelJob,
 *   cancelAllJobs, decorateJobData (its _callProcessor is JobRunner.run);
 * - packages/agenda/src/Agenda.ts (@rocket.chat/agenda, on the collection `rocketchat_apps_scheduler`):
 *   every (an upsert by name, not unique) and schedule (a new job per call); running them is
 *   host/server/scheduler/job-runner.ts;
 * - apps/meteor/ee/server/apps/orchestrator.js: every instance starts the scheduler after loading
 *   its apps (`getSchedulerBridge().startScheduler()`).
 * The jobs live in the host's SQLite database (host/server/scheduler/job-store.ts), so every host process
 * on the file shares them, and time comes from an injectable clock (host/server/host-clock.ts).
 */
export class LocalSchedulerBridge extends SchedulerBridge {
	private readonly store: JobStore;

	private readonly runner: JobRunner;

	private readonly logger: ISchedulerLogger;

	constructor(database: Database, options: ILocalSchedulerOptions = {}) {
		super();
		this.store = new JobStore(database);
		this.runner = new JobRunner(this.store, options);
		this.logger = this.runner.logger;
	}

	/** Names this host instance in the locks it takes. */
	public get instanceId(): string {
		return this.runner.instanceId;
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
			this.runner.define(id, { appId, processor: processor as unknown as JobProcessor });
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
			const now = this.runner.clock.now();
			const nextRunAt = parseWhen(when, now);
			const jobId = this.store.insertOnce(
				id,
				this.decorateJobData(data, appId),
				nextRunAt,
				this.instanceId,
			);
			this.runner.processSoonIfDue(nextRunAt);
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
	 * Agenda.every(interval, id, data, { skipImmediate }): an upsert by processor id with no unique
	 * index, so usually one job per id for the whole cluster, but two instances upserting at once
	 * can each insert one (JobStore.upsertRecurring); returns the job's id. Without skipImmediate the first run is due now
	 * (cron: at the next match), and registering again leaves a pending run where it is; with
	 * skipImmediate the next run is one interval from now, also when registering again.
	 */
	protected async scheduleRecurring(
		{ id, interval, skipImmediate = false, data }: IRecurringSchedule,
		appId: string,
	): Promise<void | string> {
		this.logger.debug(`The App ${appId} is scheduling a recurring job (processor ${id})`);
		try {
			const now = this.runner.clock.now();
			// Job.repeatEvery: with skipImmediate, lastRunAt = nextRunAt (= now) while computing, then unset.
			const next = computeNextRunAt(interval, skipImmediate ? now : undefined, now, now);
			const jobId = await this.store.upsertRecurring({
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
				this.runner.processSoonIfDue(next.nextRunAt);
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

	/**
	 * Every job whose name ends in `_<appId>`, for every instance. The engine calls it through
	 * AppSchedulerManager.cleanUp from AppManager.purgeAppConfig without keepScheduledJobs: on a
	 * failed initializeApp (apps-engine 1.62 server/AppManager.js), on uninstall, and on unload
	 * of an app still only initialized.
	 */
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

	/** Starts looking for jobs every processEveryMs, and once now (Agenda.start). Idempotent. */
	public start(): void {
		this.runner.start();
	}

	/** Whether the loop started by start() is running. */
	public get started(): boolean {
		return this.runner.started;
	}

	/** Stops the loop only: locks stay, runDueJobs() still works by hand. */
	public stop(): void {
		this.runner.stop();
	}

	/**
	 * This instance goes away, as a server process ends: its locks stay in the database for the
	 * lock lifetime (Rocket.Chat does not call Agenda's stop(): host/server/scheduler/job-runner.ts), and
	 * a run still going is not saved. `releaseLocks` unlocks them as Agenda.stop() would, for a
	 * lone process that restarts. Call it before closing the database.
	 */
	public shutdown(options: { releaseLocks?: boolean } = {}): void {
		this.runner.shutdown(options);
	}

	/**
	 * One scan by hand (what the loop does every processEveryMs): locks every job of a processor
	 * registered here that falls due before the next scan (now + processEvery), runs those due now
	 * by the clock, one at a time per processor id; jobs locked ahead stay locked here until a
	 * later call finds them due. Resolves with the runs this instance made.
	 */
	public async runDueJobs(): Promise<IJobRun[]> {
		return this.runner.runDueJobs();
	}

	/** Every stored job of every app and instance (for tests and diagnosis). */
	public jobs(): IStoredJob[] {
		return this.store.all();
	}

	/** The jobs this instance holds locked (run or waiting to). */
	public lockedJobIds(): string[] {
		return this.runner.lockedJobIds();
	}

	/** Test fault injection: see JobStore.armUpsertBarrier. */
	public armUpsertBarrier(name: string, parties: number): void {
		this.store.armUpsertBarrier(name, parties);
	}

	/** The processor ids registered on this instance. */
	public registeredProcessors(): string[] {
		return this.runner.definedNames();
	}
}
