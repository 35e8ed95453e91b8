import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import type { IJobContext } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { type Database, openDatabase } from '../../host/server/database';
import { MovableClock } from '../../host/server/host-clock';
import type { ILoopTimers, ISchedulerLogger } from '../../host/server/scheduler/job-runner';
import { DEFAULT_LOCK_LIFETIME_MS } from '../../host/server/scheduler/job-runner';
import { ManualLoopTimers } from '../support/manual-loop-timers';
import { processorId, TestScheduler } from '../support/scheduler-test-bridge';
import { until } from '../support/until';

const APP = '6b4bd7a5-2f0e-4b8e-9a55-0d2b3c5f1a11';
const OTHER_APP = 'c0ffee00-1111-4222-8333-944455556666';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// A Monday, 12:00 in the process's time zone (cron reads local time, as on the server).
const MONDAY_NOON = new Date(2030, 0, 7, 12, 0, 0, 0).getTime();

const folders: string[] = [];
const databases: Database[] = [];

after(() => {
	for (const database of databases) {
		if (database.open) {
			database.close();
		}
	}
	for (const folder of folders) {
		fs.rmSync(folder, { recursive: true, force: true });
	}
});

function newDatabaseFile(): string {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-test-'));
	folders.push(folder);
	return path.join(folder, 'host.sqlite');
}

function connect(file: string): Database {
	const database = openDatabase(file);
	databases.push(database);
	return database;
}

interface ILogged {
	message: string;
	details?: Record<string, unknown>;
}

function capturingLogger(): { logger: ISchedulerLogger; errors: ILogged[] } {
	const errors: ILogged[] = [];
	return {
		errors,
		logger: {
			debug: () => undefined,
			error: (message, details) => errors.push({ message, details }),
		},
	};
}

/** Several bridges on one file, each on its own connection, as host processes on one database. */
function instances(
	count: number,
	clock: MovableClock,
	file = newDatabaseFile(),
	options: { logger?: ISchedulerLogger; timers?: ILoopTimers } = {},
): TestScheduler[] {
	return Array.from(
		{ length: count },
		(_unused, index) =>
			new TestScheduler(connect(file), { clock, instanceId: `instance-${index + 1}`, ...options }),
	);
}

interface IRecordedRun {
	instance: string;
	context: IJobContext;
	at: number;
}

/** A processor that records each call, on which instance and at what host time. */
function recorder(runs: IRecordedRun[], instance: string, clock: MovableClock) {
	return async (context: IJobContext): Promise<void> => {
		runs.push({ instance, context, at: clock.now() });
	};
}

describe('Local scheduler bridge: jobs in SQLite with Rocket.Chat semantics', () => {
	it('scheduleRecurring from three instances on one database stores one job (one per processor id)', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const bridges = instances(3, clock);
		const digest = processorId('digest', APP);
		const ids = await Promise.all(
			bridges.map((bridge) =>
				bridge.register(
					[
						{
							id: digest,
							processor: async () => undefined,
							startupSetting: {
								type: StartupType.RECURRING,
								interval: '1 week',
								skipImmediate: true,
							},
						},
					],
					APP,
				),
			),
		);
		// No barrier armed: each upsert writes right after its find, so the later ones update.
		const jobs = bridges[0].jobs();
		assert.equal(jobs.length, 1);
		assert.equal(jobs[0].type, 'single');
		assert.equal(jobs[0].name, digest);
		assert.deepEqual(ids, [[jobs[0].id], [jobs[0].id], [jobs[0].id]]);
		assert.deepEqual(jobs[0].data, { appId: APP });

		// Scheduling it by hand again (another interval, new data) updates the same job.
		const again = await bridges[2].recurring(
			{ id: digest, interval: '2 days', data: { room: 'general' } },
			APP,
		);
		assert.equal(again, jobs[0].id);
		const [updated] = bridges[1].jobs();
		assert.equal(updated.repeatInterval, '2 days');
		assert.deepEqual(updated.data, { room: 'general', appId: APP });
	});

	it('recurring without skipImmediate is due at once, and registering again keeps a pending run', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [first, second] = instances(2, clock);
		const name = processorId('tick', APP);
		await first.recurring({ id: name, interval: '1 day' }, APP);
		assert.equal(first.jobs()[0].nextRunAt, MONDAY_NOON);
		clock.advance(HOUR);
		await second.recurring({ id: name, interval: '1 day' }, APP);
		assert.equal(first.jobs()[0].nextRunAt, MONDAY_NOON, 'a due nextRunAt is set on insert only');
	});

	it('recurring with skipImmediate waits one interval, and each registration (a restart) moves it', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [first, second] = instances(2, clock);
		const name = processorId('digest', APP);
		await first.recurring({ id: name, interval: '1 day', skipImmediate: true }, APP);
		assert.equal(first.jobs()[0].nextRunAt, MONDAY_NOON + DAY);
		clock.advance(12 * HOUR);
		await second.recurring({ id: name, interval: '1 day', skipImmediate: true }, APP);
		assert.equal(
			first.jobs()[0].nextRunAt,
			MONDAY_NOON + 12 * HOUR + DAY,
			'Agenda $sets a future nextRunAt',
		);

		// A cron interval keeps its slot however often it is registered.
		const weekly = processorId('weekly', APP);
		await first.recurring({ id: weekly, interval: '0 9 * * 1', skipImmediate: true }, APP);
		const slot = first.jobs().find((job) => job.name === weekly)?.nextRunAt;
		assert.equal(slot, new Date(2030, 0, 14, 9, 0, 0, 0).getTime());
		clock.advance(DAY);
		await second.recurring({ id: weekly, interval: '0 9 * * 1', skipImmediate: true }, APP);
		assert.equal(first.jobs().find((job) => job.name === weekly)?.nextRunAt, slot);
	});

	it('scheduleOnce stores a new job per call; the processor gets data with jobId and without appId; done jobs are removed', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [bridge] = instances(1, clock);
		const runs: IRecordedRun[] = [];
		const name = processorId('remind', APP);
		await bridge.register([{ id: name, processor: recorder(runs, 'one', clock) }], APP);

		const inFiveMinutes = await bridge.once(
			{ id: name, when: 'in 5 minutes', data: { n: 1 } },
			APP,
		);
		const atDate = await bridge.once(
			{ id: name, when: new Date(MONDAY_NOON + HOUR), data: { n: 2 } },
			APP,
		);
		const past = await bridge.once(
			{ id: name, when: new Date(MONDAY_NOON - HOUR), data: { n: 3, at: new Date(0) } },
			APP,
		);
		const ids = [inFiveMinutes, atDate, past];
		assert.ok(ids.every((id) => typeof id === 'string' && /^[0-9a-f]{24}$/.test(id)));
		assert.equal(new Set(ids).size, 3);
		assert.deepEqual(
			bridge.jobs().map((job) => [job.type, job.nextRunAt]),
			[
				['normal', MONDAY_NOON + 5 * MINUTE],
				['normal', MONDAY_NOON + HOUR],
				['normal', MONDAY_NOON - HOUR],
			],
		);

		assert.equal((await bridge.runDueJobs()).length, 1, 'only the past one is due');
		assert.deepEqual(runs[0].context, { n: 3, at: new Date(0), jobId: past });
		clock.advance(HOUR);
		const later = await bridge.runDueJobs();
		assert.deepEqual(
			later.map((run) => run.jobId),
			[inFiveMinutes, atDate],
			'due jobs run by nextRunAt',
		);
		assert.deepEqual(
			runs.map((run) => run.context.n),
			[3, 1, 2],
		);
		assert.deepEqual(bridge.jobs(), [], 'one-time jobs are removed after a successful run');
	});

	it('a due job runs on exactly one of five instances racing for it', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const bridges = instances(5, clock);
		const runs: IRecordedRun[] = [];
		const once = processorId('announce', APP);
		const every = processorId('digest', APP);
		await Promise.all(
			bridges.map((bridge) =>
				bridge.register(
					[
						{ id: once, processor: recorder(runs, bridge.instanceId, clock) },
						{ id: every, processor: recorder(runs, bridge.instanceId, clock) },
					],
					APP,
				),
			),
		);
		const scheduled: string[] = [];
		for (let index = 0; index < 40; index++) {
			scheduled.push(
				(await bridges[index % 5].once(
					{ id: once, when: new Date(MONDAY_NOON), data: { index } },
					APP,
				)) as string,
			);
		}
		await bridges[0].recurring({ id: every, interval: '1 hour' }, APP);

		const reported = (await Promise.all(bridges.map((bridge) => bridge.runDueJobs()))).flat();
		assert.equal(reported.length, 41);
		assert.equal(runs.length, 41);
		const onceRuns = runs.filter((run) => run.context.index !== undefined);
		assert.deepEqual(
			onceRuns.map((run) => run.context.jobId).sort(),
			[...scheduled].sort(),
			'every one-time job ran exactly once',
		);
		assert.equal(
			runs.filter((run) => run.context.index === undefined).length,
			1,
			'the recurring job ran once',
		);
		assert.deepEqual(
			bridges[0].jobs().map((job) => [job.name, job.lockedAt, job.nextRunAt]),
			[[every, null, MONDAY_NOON + HOUR]],
		);
	});

	it('a running job is not taken by another instance until its lock lifetime (10 min) has passed', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [holder, other] = instances(2, clock);
		const name = processorId('slow', APP);
		let release!: () => void;
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		let started = false;
		const otherRuns: IRecordedRun[] = [];
		await holder.register(
			[
				{
					id: name,
					processor: async () => {
						started = true;
						await gate;
					},
				},
			],
			APP,
		);
		await other.register([{ id: name, processor: recorder(otherRuns, 'other', clock) }], APP);
		const jobId = await holder.recurring({ id: name, interval: '1 minute' }, APP);

		const holding = holder.runDueJobs();
		await until(() => started, 'the first instance to start the job');
		assert.deepEqual(await other.runDueJobs(), []);
		assert.equal(holder.jobs()[0].lockedBy, 'instance-1');
		assert.equal(holder.jobs()[0].nextRunAt, MONDAY_NOON + MINUTE, 'Job.run saved its next run');
		clock.advance(DEFAULT_LOCK_LIFETIME_MS - 1);
		assert.deepEqual(await other.runDueJobs(), [], 'the lock still holds');
		clock.advance(1);
		const retaken = await other.runDueJobs();
		assert.deepEqual(
			retaken.map((run) => [run.jobId, run.instanceId]),
			[[jobId, 'instance-2']],
			'Agenda re-runs a job whose lock expired (its instance is taken as dead)',
		);
		release();
		const held = await holding;
		assert.deepEqual(
			held.map((run) => run.jobId),
			[jobId],
		);
		const [job] = holder.jobs();
		assert.equal(job.lockedAt, null);
		assert.equal(
			job.nextRunAt,
			MONDAY_NOON + MINUTE,
			'the late run saves its whole document last: its nextRunAt overwrites the newer one',
		);
	});

	// Rule: a one-time job retaken after its instance died mid-run has no nextRunAt: Agenda locks it again but never runs it.
	it('a one-time job whose instance died mid-run is locked again after the lock lifetime but never run again', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [holder, other] = instances(2, clock);
		const name = processorId('once', APP);
		let started = false;
		const otherRuns: IRecordedRun[] = [];
		await holder.register(
			[
				{
					id: name,
					processor: async () => {
						started = true;
						await new Promise<void>(() => undefined);
					},
				},
			],
			APP,
		);
		await other.register([{ id: name, processor: recorder(otherRuns, 'other', clock) }], APP);
		const jobId = (await holder.once({ id: name, when: 'now' }, APP)) as string;
		void holder.runDueJobs();
		await until(() => started, 'the first instance to start the job');
		holder.shutdown();
		clock.advance(DEFAULT_LOCK_LIFETIME_MS);
		assert.deepEqual(await other.runDueJobs(), []);
		assert.deepEqual(other.lockedJobIds(), [jobId], 'locked again by the other instance');
		clock.advance(DAY);
		assert.deepEqual(await other.runDueJobs(), []);
		assert.deepEqual(otherRuns, [], 'never run');
	});

	// Rule 2: a job due before the next scan (now + processEvery) is locked ahead and run at its nextRunAt.
	it('a job due within processEvery is locked ahead of its due time and runs only once due, on the instance that locked it', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [first, second] = instances(2, clock);
		const runs: IRecordedRun[] = [];
		const name = processorId('soon', APP);
		for (const bridge of [first, second]) {
			await bridge.register(
				[{ id: name, processor: recorder(runs, bridge.instanceId, clock) }],
				APP,
			);
		}
		const jobId = await first.once({ id: name, when: new Date(MONDAY_NOON + 3000) }, APP);
		assert.deepEqual(await first.runDueJobs(), [], 'not due yet: nothing runs');
		const [locked] = first.jobs();
		assert.equal(locked.lockedBy, 'instance-1');
		assert.equal(locked.lockedAt, MONDAY_NOON, 'locked 3 s ahead of its due time');
		clock.advance(3000);
		assert.deepEqual(await second.runDueJobs(), [], 'the other instance cannot take it');
		const ran = await first.runDueJobs();
		assert.deepEqual(
			ran.map((run) => [run.jobId, run.instanceId]),
			[[jobId, 'instance-1']],
		);
		assert.equal(runs[0].at, MONDAY_NOON + 3000);

		// A job due after the next scan is not locked yet.
		await first.once({ id: name, when: new Date(clock.now() + 5001) }, APP);
		await first.runDueJobs();
		assert.equal(first.jobs()[0].lockedAt, null);
	});

	// Rule 3: shutdown (a server stopping or dying) leaves the instance's locks for the lock lifetime.
	it('an instance that shuts down keeps its locks: another takes its job only after the lock lifetime', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [first, second] = instances(2, clock);
		const runs: IRecordedRun[] = [];
		const name = processorId('soon', APP);
		for (const bridge of [first, second]) {
			await bridge.register(
				[{ id: name, processor: recorder(runs, bridge.instanceId, clock) }],
				APP,
			);
		}
		const jobId = await first.once({ id: name, when: new Date(MONDAY_NOON + 2000) }, APP);
		await first.runDueJobs();
		first.shutdown();
		assert.equal(first.jobs()[0].lockedBy, 'instance-1', 'no unlock on shutdown');
		clock.advance(DEFAULT_LOCK_LIFETIME_MS - 1);
		assert.deepEqual(await second.runDueJobs(), []);
		clock.advance(1);
		assert.deepEqual(
			(await second.runDueJobs()).map((run) => [run.jobId, run.instanceId]),
			[[jobId, 'instance-2']],
		);
		// A lone process's restart may release them, as Agenda.stop() does.
		const third = instances(1, clock, newDatabaseFile())[0];
		await third.register([{ id: name, processor: recorder(runs, 'third', clock) }], APP);
		await third.once({ id: name, when: new Date(clock.now() + 1000) }, APP);
		await third.runDueJobs();
		assert.notEqual(third.jobs()[0].lockedAt, null);
		third.shutdown({ releaseLocks: true });
		assert.equal(third.jobs()[0].lockedAt, null);
	});

	// Rule 1: recurring jobs are upserted without a unique index: two upserts that find nothing both insert.
	it('two instances registering a recurring processor at once can both insert it (upsert barrier); both copies run', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [first, second] = instances(2, clock);
		const runs: IRecordedRun[] = [];
		const name = processorId('tick', APP);
		first.armUpsertBarrier(name, 2);
		const ids = await Promise.all(
			[first, second].map((bridge) =>
				bridge.register(
					[
						{
							id: name,
							processor: recorder(runs, bridge.instanceId, clock),
							startupSetting: { type: StartupType.RECURRING, interval: '1 minute' },
						},
					],
					APP,
				),
			),
		);
		const jobs = first.jobs();
		assert.equal(jobs.length, 2, 'two documents of one name');
		assert.deepEqual(ids.flat().sort(), jobs.map((job) => job.id).sort());
		// A later upsert finds and updates the first one only.
		await second.recurring({ id: name, interval: '2 minutes', data: { later: true } }, APP);
		assert.deepEqual(
			first.jobs().map((job) => job.repeatInterval),
			['2 minutes', '1 minute'],
		);
		const ran = (await Promise.all([first.runDueJobs(), second.runDueJobs()])).flat();
		assert.equal(ran.length, 2, 'each copy is locked and run on its own');
		assert.deepEqual(
			new Set(runs.map((run) => run.context.jobId)),
			new Set(jobs.map((job) => job.id)),
		);
	});

	it('jobs survive a restart of every instance', async () => {
		const file = newDatabaseFile();
		const clock = new MovableClock(MONDAY_NOON);
		const remind = processorId('remind', APP);
		const digest = processorId('digest', APP);
		const runs: IRecordedRun[] = [];
		{
			const database = connect(file);
			const bridge = new TestScheduler(database, { clock, instanceId: 'before' });
			await bridge.register([{ id: remind, processor: recorder(runs, 'before', clock) }], APP);
			await bridge.once({ id: remind, when: 'in 2 hours', data: { text: 'kept' } }, APP);
			await bridge.recurring({ id: digest, interval: '1 day', skipImmediate: true }, APP);
			bridge.start();
			await bridge.stop();
			database.close();
		}
		const database = connect(file);
		const bridge = new TestScheduler(database, { clock, instanceId: 'after' });
		const before = bridge.jobs();
		assert.deepEqual(
			before.map((job) => [job.name, job.type, job.nextRunAt]),
			[
				[remind, 'normal', MONDAY_NOON + 2 * HOUR],
				[digest, 'single', MONDAY_NOON + DAY],
			],
		);
		// Nothing runs before the app registers its processors again (Agenda runs defined jobs only).
		clock.advance(DAY);
		assert.deepEqual(await bridge.runDueJobs(), []);
		await bridge.register(
			[
				{ id: remind, processor: recorder(runs, 'after', clock) },
				{ id: digest, processor: recorder(runs, 'after', clock) },
			],
			APP,
		);
		assert.equal((await bridge.runDueJobs()).length, 2);
		assert.deepEqual(
			runs.map((run) => [run.instance, run.context.jobId]),
			[
				['after', before[0].id],
				['after', before[1].id],
			],
		);
	});

	it('a ONETIME startup setting is scheduled only if no one-time job of that processor is stored', async () => {
		const file = newDatabaseFile();
		const clock = new MovableClock(MONDAY_NOON);
		const name = processorId('purge', APP);
		const runs: IRecordedRun[] = [];
		const processors = (instance: string) => [
			{
				id: name,
				processor: recorder(runs, instance, clock),
				startupSetting: {
					type: StartupType.ONETIME as const,
					when: 'in 1 hour',
					data: { days: 30 },
				},
			},
		];
		const first = new TestScheduler(connect(file), { clock, instanceId: 'first' });
		const scheduled = await first.register(processors('first'), APP);
		assert.equal(first.jobs().length, 1);
		assert.deepEqual(scheduled, [first.jobs()[0].id]);

		// Restarts and other instances registering later add none.
		for (const instanceId of ['second', 'third']) {
			const next = new TestScheduler(connect(file), { clock, instanceId });
			assert.deepEqual(await next.register(processors(instanceId), APP), [undefined]);
		}
		assert.equal(first.jobs().length, 1);

		clock.advance(HOUR);
		assert.equal((await first.runDueJobs()).length, 1);
		assert.deepEqual(first.jobs(), []);
		// Once it ran (and was removed), the next registration schedules it again, as on the server.
		const restarted = new TestScheduler(connect(file), { clock, instanceId: 'restarted' });
		await restarted.register(processors('restarted'), APP);
		assert.equal(first.jobs().length, 1);
	});

	it('cancelJob by job id or by processor id, and cancelAllJobs of one app only', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [bridge] = instances(1, clock);
		const remind = processorId('remind', APP);
		const digest = processorId('digest', APP);
		const otherDigest = processorId('digest', OTHER_APP);
		const first = (await bridge.once({ id: remind, when: 'in 1 hour' }, APP)) as string;
		const second = (await bridge.once({ id: remind, when: 'in 2 hours' }, APP)) as string;
		const third = (await bridge.once({ id: remind, when: 'in 3 hours' }, APP)) as string;
		await bridge.recurring({ id: digest, interval: '1 week' }, APP);
		await bridge.recurring({ id: otherDigest, interval: '1 week' }, OTHER_APP);

		// The app cancels with the id scheduleOnce returned; the engine appends `_<appId>`.
		await bridge.cancel(processorId(first, APP), APP);
		assert.deepEqual(
			bridge.jobs().map((job) => (job.type === 'normal' ? job.id : job.name)),
			[second, third, digest, otherDigest],
		);
		// A processor id cancels every job of that processor.
		await bridge.cancel(processorId('remind', APP), APP);
		assert.deepEqual(
			bridge.jobs().map((job) => job.name),
			[digest, otherDigest],
		);
		await bridge.cancelAll(APP);
		assert.deepEqual(
			bridge.jobs().map((job) => job.name),
			[otherDigest],
		);
	});

	it('a week on the moved clock: a daily job missed for a week runs once, then daily again', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [bridge] = instances(1, clock);
		const runs: IRecordedRun[] = [];
		const name = processorId('daily', APP);
		await bridge.register(
			[
				{
					id: name,
					processor: recorder(runs, 'one', clock),
					startupSetting: { type: StartupType.RECURRING, interval: '1 day', skipImmediate: true },
				},
			],
			APP,
		);
		clock.advance(WEEK);
		await bridge.runDueJobs();
		assert.equal(
			runs.length,
			1,
			'Agenda runs a missed recurring job once, not once per missed period',
		);
		assert.equal(
			bridge.jobs()[0].nextRunAt,
			MONDAY_NOON + WEEK + DAY,
			'the next run is one interval from now',
		);

		for (let day = 1; day <= 7; day++) {
			clock.advance(DAY);
			await bridge.runDueJobs();
		}
		assert.equal(runs.length, 8);
		assert.deepEqual(
			runs.map((run) => run.at - MONDAY_NOON),
			Array.from({ length: 8 }, (_unused, index) => WEEK + index * DAY),
		);
		const [job] = bridge.jobs();
		assert.equal(job.lastRunAt, MONDAY_NOON + 2 * WEEK);
		assert.equal(job.nextRunAt, MONDAY_NOON + 2 * WEEK + DAY);
	});

	it('a weekly cron job runs at its slot, once a week, stepping the clock hour by hour for three weeks', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const [first, second] = instances(2, clock);
		const runs: IRecordedRun[] = [];
		const name = processorId('digest', APP);
		for (const bridge of [first, second]) {
			await bridge.register(
				[
					{
						id: name,
						processor: recorder(runs, bridge.instanceId, clock),
						startupSetting: { type: StartupType.RECURRING, interval: '0 9 * * 1' },
					},
				],
				APP,
			);
		}
		for (let hour = 1; hour <= 3 * 7 * 24; hour++) {
			clock.advance(HOUR);
			await Promise.all([first.runDueJobs(), second.runDueJobs()]);
		}
		assert.deepEqual(
			runs.map((run) => new Date(run.at).toString()),
			[14, 21, 28].map((date) => new Date(2030, 0, date, 9, 0, 0, 0).toString()),
		);
		assert.equal(first.jobs()[0].nextRunAt, new Date(2030, 1, 4, 9, 0, 0, 0).getTime());
	});

	it('a throwing processor is logged and saved on the job; the pass goes on; nothing is retried sooner', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const { logger, errors } = capturingLogger();
		const [bridge] = instances(1, clock, undefined, { logger });
		const runs: IRecordedRun[] = [];
		const broken = processorId('broken', APP);
		const fine = processorId('fine', APP);
		let brokenCalls = 0;
		await bridge.register(
			[
				{
					id: broken,
					processor: async () => {
						brokenCalls++;
						throw new Error('boom');
					},
				},
				{ id: fine, processor: recorder(runs, 'one', clock) },
			],
			APP,
		);
		const recurring = (await bridge.recurring({ id: broken, interval: '1 hour' }, APP)) as string;
		const onetime = (await bridge.once(
			{ id: broken, when: 'now', data: { kind: 'once' } },
			APP,
		)) as string;
		await bridge.once({ id: fine, when: 'now' }, APP);

		const reported = await bridge.runDueJobs();
		assert.equal(reported.length, 3);
		assert.deepEqual(
			reported.filter((run) => !run.ok).map((run) => [run.jobId, run.error]),
			[
				[recurring, 'boom'],
				[onetime, 'boom'],
			],
		);
		assert.equal(runs.length, 1, 'the other processor ran in the same pass');
		assert.equal(errors.filter((entry) => entry.message === 'Job failed').length, 2);
		assert.equal(errors[0].details?.err, 'boom');

		const byId = () => new Map(bridge.jobs().map((job) => [job.id, job]));
		const failedRecurring = byId().get(recurring);
		assert.equal(failedRecurring?.failCount, 1);
		assert.equal(failedRecurring?.failReason, 'boom');
		assert.equal(failedRecurring?.failedAt, MONDAY_NOON);
		assert.equal(failedRecurring?.lockedAt, null);
		assert.equal(
			failedRecurring?.nextRunAt,
			MONDAY_NOON + HOUR,
			'rescheduled by its interval, no sooner retry',
		);
		const failedOnce = byId().get(onetime);
		assert.equal(failedOnce?.failCount, 1);
		assert.equal(
			failedOnce?.nextRunAt,
			null,
			'the server neither removes nor retries a failed one-time job',
		);

		clock.advance(30 * MINUTE);
		assert.deepEqual(await bridge.runDueJobs(), []);
		clock.advance(30 * MINUTE);
		assert.deepEqual(
			(await bridge.runDueJobs()).map((run) => run.jobId),
			[recurring],
		);
		assert.equal(brokenCalls, 3);
		assert.equal(byId().get(recurring)?.failCount, 2);
		assert.ok(byId().has(onetime));
	});

	it('a time the host cannot read is logged and schedules nothing', async () => {
		const clock = new MovableClock(MONDAY_NOON);
		const { logger, errors } = capturingLogger();
		const [bridge] = instances(1, clock, undefined, { logger });
		assert.equal(
			await bridge.once({ id: processorId('remind', APP), when: 'at the next full moon' }, APP),
			undefined,
		);
		assert.deepEqual(bridge.jobs(), []);
		assert.equal(errors.length, 1);
		assert.match(String(errors[0].details?.err), /does not read the time/);
	});

	it('the polling loop runs due jobs by itself and stops', async () => {
		// The test holds the loop's timers: the loop ticks when the test fires them, on any machine.
		const clock = new MovableClock(MONDAY_NOON);
		const timers = new ManualLoopTimers();
		const [bridge] = instances(1, clock, undefined, { timers });
		const runs: IRecordedRun[] = [];
		const name = processorId('remind', APP);
		await bridge.register([{ id: name, processor: recorder(runs, 'loop', clock) }], APP);
		bridge.start();
		assert.equal(bridge.started, true);

		await bridge.once({ id: name, when: 'now', data: { n: 1 } }, APP);
		assert.equal(runs.length, 0, 'nothing runs before the loop ticks');
		timers.fire();
		await until(() => runs.length === 1, 'a job due when scheduled to run');
		await bridge.once({ id: name, when: 'in 1 week', data: { n: 2 } }, APP);
		clock.advance(WEEK);
		timers.fire();
		await until(() => runs.length === 2, 'the loop to run a job due after the clock moved');
		await until(() => bridge.jobs().length === 0, 'the run to be saved');

		await bridge.stop();
		assert.equal(bridge.started, false);
		assert.equal(timers.count, 0, 'a stopped loop keeps no timer');
		await bridge.once({ id: name, when: 'now', data: { n: 3 } }, APP);
		assert.equal(timers.count, 0, 'a job due now wakes no stopped loop');
		assert.equal(runs.length, 2, 'a stopped loop runs nothing');
		assert.equal((await bridge.runDueJobs()).length, 1, 'runDueJobs still runs by hand');
	});
});
