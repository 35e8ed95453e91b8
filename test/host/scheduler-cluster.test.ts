import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { type Database, openDatabase } from '../../host/server/database';
import { SharedClock } from '../../host/server/host-clock';
import type { IJobRun } from '../../host/server/scheduler/job-runner';
import { DEFAULT_LOCK_LIFETIME_MS } from '../../host/server/scheduler/job-runner';
import { type IStoredJob, JobStore } from '../../host/server/scheduler/job-store';
import { processorId } from '../support/scheduler-test-bridge';
import {
	type IWorkerEvent,
	type IWorkerProcessor,
	type IWorkerReply,
	RUNS_TABLE,
	type WorkerRequest,
} from '../support/scheduler-worker-protocol';
import { until } from '../support/until';

const WORKER = path.join(__dirname, '..', 'support', 'scheduler-worker.js');
const APP = '6b4bd7a5-2f0e-4b8e-9a55-0d2b3c5f1a11';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// A Monday, 12:00 in the process's time zone; workers and the test share TZ.
const MONDAY_NOON = new Date(2030, 0, 7, 12, 0, 0, 0).getTime();
const REQUEST_TIMEOUT_MS = 30_000;

const DIGEST = processorId('digest', APP);
const ANNOUNCE = processorId('announce', APP);
const SLOW = processorId('slow', APP);
const PROCESSORS: IWorkerProcessor[] = [
	{
		id: DIGEST,
		kind: 'record',
		// A weekly digest: Mondays 09:00, a cron slot that restarts do not move.
		startupSetting: { type: StartupType.RECURRING, interval: '0 9 * * 1', skipImmediate: true },
	},
	{ id: ANNOUNCE, kind: 'record' },
	{ id: SLOW, kind: 'hold' },
];

/** One host process running a scheduler bridge on the shared database. */
class SchedulerProcess {
	private nextRequestId = 1;

	private readonly pending = new Map<
		number,
		{ resolve: (value: unknown) => void; reject: (error: Error) => void }
	>();

	private readonly events: IWorkerEvent[] = [];

	private readonly exited: Promise<void>;

	private constructor(
		public readonly instanceId: string,
		private readonly child: ChildProcess,
	) {
		child.on('message', (message: IWorkerReply | IWorkerEvent) => {
			if ('event' in message) {
				this.events.push(message);
				return;
			}
			const waiter = this.pending.get(message.requestId);
			this.pending.delete(message.requestId);
			if (message.ok) {
				waiter?.resolve(message.result);
			} else {
				waiter?.reject(new Error(`${instanceId}: ${message.error}`));
			}
		});
		this.exited = new Promise((resolve) => {
			child.once('exit', () => {
				for (const waiter of this.pending.values()) {
					waiter.reject(new Error(`${instanceId} exited`));
				}
				this.pending.clear();
				resolve();
			});
		});
	}

	public static async fork(
		databasePath: string,
		instanceId: string,
		processEveryMs = 20,
	): Promise<SchedulerProcess> {
		const child = fork(WORKER, [databasePath, instanceId, String(processEveryMs)], {
			serialization: 'advanced',
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const worker = new SchedulerProcess(instanceId, child);
		await worker.waitForEvent((event) => event.event === 'ready', 'ready');
		return worker;
	}

	public request<T>(request: WorkerRequest): Promise<T> {
		const requestId = this.nextRequestId++;
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.pending.delete(requestId);
				reject(
					new Error(
						`${this.instanceId}: no answer to ${request.command} within ${REQUEST_TIMEOUT_MS} ms`,
					),
				);
			}, REQUEST_TIMEOUT_MS);
			this.pending.set(requestId, {
				resolve: (value) => {
					clearTimeout(timer);
					resolve(value as T);
				},
				reject: (error) => {
					clearTimeout(timer);
					reject(error);
				},
			});
			this.child.send({ ...request, requestId });
		});
	}

	public runDueJobs(): Promise<IJobRun[]> {
		return this.request<IJobRun[]>({ command: 'runDueJobs' });
	}

	public async waitForEvent(
		predicate: (event: IWorkerEvent) => boolean,
		what: string,
	): Promise<IWorkerEvent> {
		await until(() => this.events.some(predicate), `${this.instanceId}: ${what}`);
		return this.events.find(predicate) as IWorkerEvent;
	}

	/** Ends the process as a crash would. */
	public async kill(): Promise<void> {
		this.child.kill('SIGKILL');
		await this.exited;
	}

	/** Stops the bridge, closes the database and exits. */
	public async exit(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) {
			return;
		}
		await this.request({ command: 'exit' }).catch(() => undefined);
		await this.exited;
	}
}

interface IRunRow {
	job_id: string;
	name: string;
	instance: string;
	at: number;
}

describe('scheduler on a cluster: three host processes on one SQLite file', () => {
	let folder: string;
	let databasePath: string;
	let database: Database;
	let clock: SharedClock;
	let store: JobStore;
	let cluster: SchedulerProcess[] = [];

	const runsOf = (name: string): IRunRow[] =>
		database
			.prepare<
				[string],
				IRunRow
			>('SELECT job_id, name, instance, at FROM test_job_runs WHERE name = ? ORDER BY seq')
			.all(name);
	const jobsNamed = (name: string): IStoredJob[] => store.all().filter((job) => job.name === name);
	const everyone = <T>(action: (worker: SchedulerProcess) => Promise<T>): Promise<T[]> =>
		Promise.all(cluster.map(action));

	async function startCluster(): Promise<void> {
		cluster = await Promise.all(
			['instance-1', 'instance-2', 'instance-3'].map((id) =>
				SchedulerProcess.fork(databasePath, id),
			),
		);
		// The first instance installs the app, which registers its processors; the others load it
		// at once. (Registering all at once could store a recurring job twice: the upsert has no
		// unique index and three processes can each find none before any writes.)
		const register = (worker: SchedulerProcess) =>
			worker.request({ command: 'register', appId: APP, processors: PROCESSORS });
		await register(cluster[0]);
		await Promise.all(cluster.slice(1).map(register));
	}

	before(async () => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-cluster-'));
		databasePath = path.join(folder, 'cluster.sqlite');
		database = openDatabase(databasePath);
		database.exec(RUNS_TABLE);
		clock = new SharedClock(database);
		clock.freeze(MONDAY_NOON);
		store = new JobStore(database);
		await startCluster();
	});

	after(async () => {
		await Promise.all(cluster.map((worker) => worker.exit()));
		database?.close();
		fs.rmSync(folder, { recursive: true, force: true });
	});

	it('three processes registering the same recurring processor store one job (the first, then the others at once)', () => {
		const digests = jobsNamed(DIGEST);
		assert.equal(digests.length, 1);
		assert.equal(digests[0].type, 'single');
		assert.equal(digests[0].nextRunAt, new Date(2030, 0, 14, 9, 0, 0, 0).getTime());
	});

	it('60 one-time jobs scheduled across the cluster run exactly once each while three processes race', async () => {
		const scheduled = (
			await everyone((worker) =>
				Promise.all(
					Array.from({ length: 20 }, (_unused, index) =>
						worker.request<string>({
							command: 'once',
							appId: APP,
							job: {
								id: ANNOUNCE,
								when: new Date(clock.now()),
								data: { index, from: worker.instanceId },
							},
						}),
					),
				),
			)
		).flat();
		assert.equal(new Set(scheduled).size, 60, 'scheduleOnce stores a new job per call');
		assert.equal(jobsNamed(ANNOUNCE).length, 60);

		const reported = (await everyone((worker) => worker.runDueJobs())).flat();
		const runs = runsOf(ANNOUNCE);
		assert.equal(reported.length, 60);
		assert.equal(runs.length, 60, 'no job ran twice');
		assert.deepEqual(runs.map((run) => run.job_id).sort(), [...scheduled].sort());
		assert.equal(jobsNamed(ANNOUNCE).length, 0, 'one-time jobs are removed after they run');
		const byInstance = new Map<string, number>();
		for (const run of runs) {
			byInstance.set(run.instance, (byInstance.get(run.instance) ?? 0) + 1);
		}
		console.log(`# one-time runs by instance: ${JSON.stringify(Object.fromEntries(byInstance))}`);
	});

	it('the weekly digest runs once per week on the cluster as the shared clock moves day by day', async () => {
		for (let day = 1; day <= 21; day++) {
			clock.advance(DAY);
			await everyone((worker) => worker.runDueJobs());
		}
		const runs = runsOf(DIGEST);
		assert.deepEqual(
			runs.map((run) => new Date(run.at).toDateString()),
			[14, 21, 28].map((date) => new Date(2030, 0, date).toDateString()),
		);
		assert.equal(new Set(runs.map((run) => run.job_id)).size, 1);
		assert.equal(jobsNamed(DIGEST)[0].nextRunAt, new Date(2030, 1, 4, 9, 0, 0, 0).getTime());
	});

	it('the polling loops of three processes run the digest once when a week passes', async () => {
		const before = runsOf(DIGEST).length;
		await everyone((worker) => worker.request({ command: 'start' }));
		clock.advance(WEEK);
		await until(() => runsOf(DIGEST).length > before, 'a loop to run the digest');
		await until(() => jobsNamed(DIGEST)[0].lockedAt === null, 'the run to be saved');
		await everyone((worker) => worker.request({ command: 'stop' }));
		// Every process looks once more after the run: none runs it again.
		await everyone((worker) => worker.runDueJobs());
		assert.equal(runsOf(DIGEST).length, before + 1);
	});

	// Rule 3: an instance killed with SIGKILL while it holds a lock keeps it: no other runs the job until the lock lifetime passed.
	it('a job held by a process is not taken by the others; when that process is killed, one other takes it after the lock lifetime', async () => {
		const [holder, ...others] = cluster;
		const jobId = await holder.request<string>({
			command: 'recurring',
			appId: APP,
			job: { id: SLOW, interval: '1 minute', data: { holdOn: holder.instanceId } },
		});
		const held = holder.runDueJobs().catch(() => 'killed');
		await holder.waitForEvent(
			(event) => event.event === 'holding' && event.jobId === jobId,
			'holding the job',
		);
		assert.deepEqual((await Promise.all(others.map((worker) => worker.runDueJobs()))).flat(), []);

		await holder.kill();
		assert.equal(await held, 'killed');
		clock.advance(DEFAULT_LOCK_LIFETIME_MS - 1);
		assert.deepEqual(
			(await Promise.all(others.map((worker) => worker.runDueJobs()))).flat(),
			[],
			'the dead process still holds the lock',
		);
		clock.advance(1);
		const retaken = (await Promise.all(others.map((worker) => worker.runDueJobs()))).flat();
		assert.equal(retaken.length, 1, 'exactly one process takes the abandoned job');
		assert.deepEqual(
			runsOf(SLOW).map((run) => run.instance),
			[holder.instanceId, retaken[0].instanceId],
			'run again after a crash, as Agenda does: at least once',
		);
		await others[0].request({ command: 'cancel', appId: APP, jobId: `${jobId}_${APP}` });
		cluster = others;
		cluster.unshift(await SchedulerProcess.fork(databasePath, holder.instanceId));
		await cluster[0].request({ command: 'register', appId: APP, processors: PROCESSORS });
	});

	// Rule 3: a graceful stop also leaves the instance's locks (taken here ahead of the due time, rule 2).
	it('a process that exits cleanly leaves the lock it took ahead of the due time', async () => {
		const [leaving, other] = cluster;
		// The workers scan every 20 ms: a job due 10 ms from now falls before the next scan.
		const due = clock.now() + 10;
		const jobId = await leaving.request<string>({
			command: 'once',
			appId: APP,
			job: { id: ANNOUNCE, when: new Date(due), data: { early: true } },
		});
		assert.deepEqual(await leaving.runDueJobs(), [], 'not due yet');
		assert.deepEqual(await leaving.request<string[]>({ command: 'lockedJobIds' }), [jobId]);
		assert.equal(store.get(jobId)?.lockedBy, leaving.instanceId, 'locked ahead of its due time');
		await leaving.exit();
		assert.equal(store.get(jobId)?.lockedBy, leaving.instanceId, 'no unlock on exit');
		clock.advance(10);
		assert.deepEqual(await other.runDueJobs(), []);
		clock.advance(DEFAULT_LOCK_LIFETIME_MS);
		assert.deepEqual(
			(await other.runDueJobs()).map((run) => run.jobId),
			[jobId],
		);
		cluster[0] = await SchedulerProcess.fork(databasePath, leaving.instanceId);
		await cluster[0].request({ command: 'register', appId: APP, processors: PROCESSORS });
	});

	// Rule 1: two processes upserting one recurring job at once both insert (no unique index); each copy runs.
	it('two processes registering one recurring processor at once (barrier) store two jobs, and both run', async () => {
		const TICK = processorId('tick', APP);
		store.armUpsertBarrier(TICK, 2);
		const [first, second] = cluster;
		const ids = await Promise.all(
			[first, second].map((worker) =>
				worker.request<string[]>({
					command: 'register',
					appId: APP,
					processors: [
						{
							id: TICK,
							kind: 'record',
							startupSetting: { type: StartupType.RECURRING, interval: '1 hour' },
						},
					],
				}),
			),
		);
		const ticks = jobsNamed(TICK);
		assert.equal(ticks.length, 2, 'two documents of one name');
		assert.deepEqual(ids.flat().sort(), ticks.map((job) => job.id).sort());
		await everyone((worker) => worker.runDueJobs());
		assert.deepEqual(
			runsOf(TICK)
				.map((run) => run.job_id)
				.sort(),
			ticks.map((job) => job.id).sort(),
			'each copy is locked and run on its own',
		);
		await first.request({ command: 'cancel', appId: APP, jobId: TICK });
	});

	it('jobs survive a restart of every process', async () => {
		const [digest] = jobsNamed(DIGEST);
		const pending = await cluster[1].request<string>({
			command: 'once',
			appId: APP,
			job: { id: ANNOUNCE, when: 'in 2 days', data: { kept: true } },
		});
		await Promise.all(cluster.map((worker) => worker.exit()));

		await startCluster();
		const [restarted] = jobsNamed(DIGEST);
		assert.equal(restarted.id, digest.id, 'the same recurring job');
		assert.equal(
			restarted.nextRunAt,
			digest.nextRunAt,
			'a cron slot is not moved by re-registering',
		);
		assert.deepEqual(
			jobsNamed(ANNOUNCE).map((job) => job.id),
			[pending],
		);
		const before = runsOf(ANNOUNCE).length;
		clock.advance(2 * DAY);
		await everyone((worker) => worker.runDueJobs());
		const runs = runsOf(ANNOUNCE);
		assert.equal(runs.length, before + 1);
		assert.equal(runs.at(-1)?.job_id, pending);
	});
});
