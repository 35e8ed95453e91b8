import { randomBytes } from 'crypto';

import type { Database } from '../database';

/**
 * The scheduler's jobs in the host's SQLite database, one table shared by every host process on
 * the file, as Rocket.Chat keeps them in its MongoDB collection `rocketchat_apps_scheduler`
 * (apps/meteor/app/apps/server/bridges/scheduler.ts) in the document shape of @rocket.chat/agenda
 * (packages/agenda/src/Agenda.ts, Job.ts): name, data, type ('normal' for a one-time job, 'single'
 * for a recurring one), nextRunAt, repeatInterval, lastRunAt, lastFinishedAt, lockedAt,
 * failCount, failReason, failedAt, lastModifiedBy.
 */

/** A job as stored. Times are milliseconds since the epoch. */
export interface IStoredJob {
	/** 24 hex digits, like the ObjectId Agenda's MongoDB gives. */
	id: string;
	/** The processor id, `<processor>_<appId>` as the engine names it. */
	name: string;
	/** 'normal': scheduleOnce; 'single': scheduleRecurring (upserted by name, not unique). */
	type: 'normal' | 'single';
	data: Record<string, unknown>;
	priority: number;
	nextRunAt: number | null;
	repeatInterval: string | number | null;
	lastRunAt: number | null;
	lastFinishedAt: number | null;
	lockedAt: number | null;
	/** Which host instance holds the lock (not in Agenda's documents; for diagnosis and unlocking). */
	lockedBy: string | null;
	failCount: number;
	failReason: string | null;
	failedAt: number | null;
	lastModifiedBy: string | null;
}

interface IJobRow {
	id: string;
	name: string;
	type: 'normal' | 'single';
	data: string;
	priority: number;
	next_run_at: number | null;
	repeat_interval: string | null;
	last_run_at: number | null;
	last_finished_at: number | null;
	locked_at: number | null;
	locked_by: string | null;
	fail_count: number;
	fail_reason: string | null;
	failed_at: number | null;
	last_modified_by: string | null;
}

// No unique index on recurring jobs: Agenda creates only `findAndLockNextJobIndex`
// (packages/agenda/src/Agenda.ts dbInit), so two upserts of one name can both insert; files written
// by an older host lose the unique index they had. The barrier table is a test fault injection
// (JobStore.armUpsertBarrier), empty unless a test fills it.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS apps_scheduler_jobs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('normal', 'single')),
    data TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    next_run_at INTEGER,
    repeat_interval TEXT,
    last_run_at INTEGER,
    last_finished_at INTEGER,
    locked_at INTEGER,
    locked_by TEXT,
    fail_count INTEGER NOT NULL DEFAULT 0,
    fail_reason TEXT,
    failed_at INTEGER,
    last_modified_by TEXT
);
DROP INDEX IF EXISTS apps_scheduler_jobs_one_recurring_per_name;
CREATE INDEX IF NOT EXISTS apps_scheduler_jobs_due
    ON apps_scheduler_jobs (name, locked_at, next_run_at);
CREATE TABLE IF NOT EXISTS apps_scheduler_upsert_barrier (
    name TEXT PRIMARY KEY,
    parties INTEGER NOT NULL,
    arrived INTEGER NOT NULL DEFAULT 0
);
`;

/** Agenda sorts due jobs by `{ nextRunAt: 1, priority: -1 }`; insertion order breaks ties here. */
const DUE_ORDER = 'ORDER BY next_run_at ASC, priority DESC, rowid ASC';

/**
 * Which jobs an instance may lock, as Agenda's _findAndLockNextJob (packages/agenda/src/Agenda.ts):
 * unlocked with a nextRunAt before the next scan (now + processEvery: locked AHEAD of its due
 * time), or locked longer ago than the lock lifetime (whatever its nextRunAt: a job whose instance
 * died mid-run is locked again).
 */
const LOCKABLE = `name = @name AND (
    (locked_at IS NULL AND next_run_at IS NOT NULL AND next_run_at <= @nextScanAt)
    OR (locked_at IS NOT NULL AND locked_at <= @lockDeadline)
)`;

/** Keeps Dates in job data as Dates (MongoDB stores them as BSON dates). */
function encodeData(data: Record<string, unknown>): string {
	return JSON.stringify(
		data,
		function replacer(this: Record<string, unknown>, key: string, value: unknown) {
			const raw = this[key];
			return raw instanceof Date ? { $date: raw.getTime() } : value;
		},
	);
}

function decodeData(text: string): Record<string, unknown> {
	return JSON.parse(text, (_key, value: unknown) => {
		if (
			value !== null &&
			typeof value === 'object' &&
			!Array.isArray(value) &&
			Object.keys(value).length === 1 &&
			typeof (value as { $date?: unknown }).$date === 'number'
		) {
			return new Date((value as { $date: number }).$date);
		}
		return value;
	}) as Record<string, unknown>;
}

function toJob(row: IJobRow): IStoredJob {
	return {
		id: row.id,
		name: row.name,
		type: row.type,
		data: decodeData(row.data),
		priority: row.priority,
		nextRunAt: row.next_run_at,
		repeatInterval:
			row.repeat_interval === null ? null : (JSON.parse(row.repeat_interval) as string | number),
		lastRunAt: row.last_run_at,
		lastFinishedAt: row.last_finished_at,
		lockedAt: row.locked_at,
		lockedBy: row.locked_by,
		failCount: row.fail_count,
		failReason: row.fail_reason,
		failedAt: row.failed_at,
		lastModifiedBy: row.last_modified_by,
	};
}

/** A new id: 4 bytes of seconds and 8 random bytes in hex, shaped like a MongoDB ObjectId. */
export function newJobId(now: number): string {
	const seconds = Math.floor(now / 1000) >>> 0;
	return seconds.toString(16).padStart(8, '0') + randomBytes(8).toString('hex');
}

/** How long an upsert waits at an armed barrier before it gives up (a test that armed too many parties). */
const UPSERT_BARRIER_TIMEOUT_MS = 30_000;

/** What a recurring job's upsert sets (Agenda.every → Job.repeatEvery → _saveSingleJob). */
export interface IRecurringUpsert {
	name: string;
	data: Record<string, unknown>;
	interval: string | number;
	nextRunAt: number | null;
	now: number;
	/** skipImmediate: Job.repeatEvery leaves lastRunAt undefined, which the driver saves as null. */
	clearLastRunAt: boolean;
	/** Job.fail's reason when no next run could be computed. */
	failReason?: string;
	instanceId: string;
}

export class JobStore {
	constructor(private readonly database: Database) {
		database.exec(SCHEMA);
	}

	/** Every job, oldest first. */
	public all(): IStoredJob[] {
		return this.database
			.prepare<[], IJobRow>('SELECT * FROM apps_scheduler_jobs ORDER BY rowid')
			.all()
			.map(toJob);
	}

	public get(id: string): IStoredJob | undefined {
		const row = this.database
			.prepare<[string], IJobRow>('SELECT * FROM apps_scheduler_jobs WHERE id = ?')
			.get(id);
		return row && toJob(row);
	}

	/** Agenda.schedule → _saveNewJob: always a new document. */
	public insertOnce(
		name: string,
		data: Record<string, unknown>,
		nextRunAt: number,
		instanceId: string,
	): string {
		const id = newJobId(nextRunAt);
		this.database
			.prepare(
				`INSERT INTO apps_scheduler_jobs (id, name, type, data, next_run_at, last_modified_by)
				VALUES (?, ?, 'normal', ?, ?, ?)`,
			)
			.run(id, name, encodeData(data), nextRunAt, instanceId);
		return id;
	}

	/**
	 * Fault injection for tests: the next `parties` upserts of recurring job `name`, in any host
	 * process on this file, each wait after their find until all of them have found, so they all
	 * see what was stored before any writes (two finding nothing both insert). Off unless armed.
	 */
	public armUpsertBarrier(name: string, parties: number): void {
		this.database
			.prepare(
				`INSERT INTO apps_scheduler_upsert_barrier (name, parties, arrived) VALUES (?, ?, 0)
				ON CONFLICT (name) DO UPDATE SET parties = excluded.parties, arrived = 0`,
			)
			.run(name, parties);
	}

	/** Removes a barrier armed by armUpsertBarrier. */
	public disarmUpsertBarrier(name: string): void {
		this.database.prepare('DELETE FROM apps_scheduler_upsert_barrier WHERE name = ?').run(name);
	}

	/**
	 * Agenda.every → _saveSingleJob: `findOneAndUpdate({ name, type: 'single' }, { $set,
	 * $setOnInsert }, { upsert: true })` on a collection with no unique index on name, done as
	 * MongoDB does it: find the first matching document, then update it or, when none matched,
	 * insert one. Two upserts that both find nothing both insert (armUpsertBarrier forces it);
	 * with several documents of the name, only the first found is updated. data, the interval and
	 * priority are $set; nextRunAt is $set when it lies in the future, else only written on insert
	 * (re-registering does not move a pending run); skipImmediate $sets lastRunAt to null;
	 * a failed computation $sets Job.fail's fields (failCount 1, failReason, failedAt, lastFinishedAt).
	 */
	public async upsertRecurring(job: IRecurringUpsert): Promise<string> {
		const found = this.database
			.prepare<
				[string],
				{ id: string }
			>("SELECT id FROM apps_scheduler_jobs WHERE name = ? AND type = 'single' ORDER BY rowid LIMIT 1")
			.get(job.name);
		// Awaited only when a test armed a barrier: otherwise the write follows the find at once.
		const barrier = this.joinUpsertBarrier(job.name);
		if (barrier) {
			await barrier;
		}
		const params = {
			name: job.name,
			data: encodeData(job.data),
			nextRunAt: job.nextRunAt,
			interval: JSON.stringify(job.interval),
			instanceId: job.instanceId,
			failReason: job.failReason ?? null,
			now: job.now,
		};
		if (found) {
			const keepNextRunAt = job.nextRunAt !== null && job.nextRunAt <= job.now ? 1 : 0;
			const updated = this.database
				.prepare(
					`UPDATE apps_scheduler_jobs SET
						data = @data, priority = 0, repeat_interval = @interval, last_modified_by = @instanceId,
						next_run_at = CASE WHEN @keepNextRunAt = 1 THEN next_run_at ELSE @nextRunAt END,
						last_run_at = CASE WHEN @clearLastRunAt = 1 THEN NULL ELSE last_run_at END,
						fail_count = CASE WHEN @failReason IS NULL THEN fail_count ELSE 1 END,
						fail_reason = COALESCE(@failReason, fail_reason),
						failed_at = CASE WHEN @failReason IS NULL THEN failed_at ELSE @now END,
						last_finished_at = CASE WHEN @failReason IS NULL THEN last_finished_at ELSE @now END
					WHERE id = @id`,
				)
				.run({
					...params,
					id: found.id,
					keepNextRunAt,
					clearLastRunAt: job.clearLastRunAt ? 1 : 0,
				});
			if (updated.changes === 1) {
				return found.id;
			}
			// Removed between the find and the write: MongoDB's upsert then inserts.
		}
		const id = newJobId(job.now);
		this.database
			.prepare(
				`INSERT INTO apps_scheduler_jobs
					(id, name, type, data, next_run_at, repeat_interval, last_modified_by, fail_count, fail_reason, failed_at, last_finished_at)
				VALUES (@id, @name, 'single', @data, @nextRunAt, @interval, @instanceId,
					CASE WHEN @failReason IS NULL THEN 0 ELSE 1 END, @failReason,
					CASE WHEN @failReason IS NULL THEN NULL ELSE @now END,
					CASE WHEN @failReason IS NULL THEN NULL ELSE @now END)`,
			)
			.run({ ...params, id });
		return id;
	}

	/** Joins an armed barrier of this name that still expects parties: resolves when all arrived. */
	private joinUpsertBarrier(name: string): Promise<void> | undefined {
		const joined = this.database
			.prepare(
				'UPDATE apps_scheduler_upsert_barrier SET arrived = arrived + 1 WHERE name = ? AND arrived < parties',
			)
			.run(name);
		return joined.changes === 1 ? this.awaitUpsertBarrier(name) : undefined;
	}

	private async awaitUpsertBarrier(name: string): Promise<void> {
		const state = this.database.prepare<[string], { parties: number; arrived: number }>(
			'SELECT parties, arrived FROM apps_scheduler_upsert_barrier WHERE name = ?',
		);
		const deadline = Date.now() + UPSERT_BARRIER_TIMEOUT_MS;
		for (;;) {
			const row = state.get(name);
			if (!row || row.arrived >= row.parties) {
				return;
			}
			if (Date.now() > deadline) {
				throw new Error(
					`Upsert barrier of ${name}: ${row.arrived} of ${row.parties} arrived in ${UPSERT_BARRIER_TIMEOUT_MS} ms`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
	}

	/** Agenda.jobs({ name, type: 'normal' }, {}, 1): is a one-time job of this name stored? */
	public hasOneTimeJob(name: string): boolean {
		return (
			this.database
				.prepare<
					[string],
					{ one: number }
				>("SELECT 1 AS one FROM apps_scheduler_jobs WHERE name = ? AND type = 'normal' LIMIT 1")
				.get(name) !== undefined
		);
	}

	/**
	 * Agenda's _findAndLockNextJob: one findOneAndUpdate (here an IMMEDIATE transaction) that sets
	 * lockedAt on the first lockable job of `name` by `{ nextRunAt: 1, priority: -1 }` and returns
	 * it; nothing else is written (Job.run saves the run's start when the job is due).
	 */
	public lockNext(lock: {
		name: string;
		now: number;
		/** now + processEvery: jobs due before the next scan are locked already. */
		nextScanAt: number;
		lockLifetimeMs: number;
		instanceId: string;
	}): IStoredJob | undefined {
		const params = {
			name: lock.name,
			nextScanAt: lock.nextScanAt,
			lockDeadline: lock.now - lock.lockLifetimeMs,
		};
		const select = this.database.prepare<[typeof params], IJobRow>(
			`SELECT * FROM apps_scheduler_jobs WHERE ${LOCKABLE} ${DUE_ORDER} LIMIT 1`,
		);
		const update = this.database.prepare(
			`UPDATE apps_scheduler_jobs SET locked_at = @now, locked_by = @instanceId
			WHERE id = @id AND ${LOCKABLE}`,
		);
		const transaction = this.database.transaction((): IStoredJob | undefined => {
			const row = select.get(params);
			if (!row) {
				return undefined;
			}
			const result = update.run({
				...params,
				id: row.id,
				now: lock.now,
				instanceId: lock.instanceId,
			});
			if (result.changes !== 1) {
				return undefined;
			}
			return { ...toJob(row), lockedAt: lock.now, lockedBy: lock.instanceId };
		});
		return transaction.immediate();
	}

	/**
	 * Job.save of a job that has an id → Agenda._updateJob: `findOneAndUpdate({ _id }, { $set:
	 * <every attribute as this instance holds it> })`, no upsert: whatever another instance wrote
	 * meanwhile (its lock included) is overwritten, and a job removed meanwhile stays removed.
	 */
	public save(job: IStoredJob): void {
		this.database
			.prepare(
				`UPDATE apps_scheduler_jobs SET
					data = @data, priority = @priority, next_run_at = @nextRunAt, repeat_interval = @interval,
					last_run_at = @lastRunAt, last_finished_at = @lastFinishedAt,
					locked_at = @lockedAt, locked_by = @lockedBy,
					fail_count = @failCount, fail_reason = @failReason, failed_at = @failedAt,
					last_modified_by = @lastModifiedBy
				WHERE id = @id`,
			)
			.run({
				id: job.id,
				data: encodeData(job.data),
				priority: job.priority,
				nextRunAt: job.nextRunAt,
				interval: job.repeatInterval === null ? null : JSON.stringify(job.repeatInterval),
				lastRunAt: job.lastRunAt,
				lastFinishedAt: job.lastFinishedAt,
				lockedAt: job.lockedAt,
				lockedBy: job.lockedBy,
				failCount: job.failCount,
				failReason: job.failReason,
				failedAt: job.failedAt,
				lastModifiedBy: job.lastModifiedBy,
			});
	}

	/**
	 * Agenda.stop → _unlockJobs: `updateMany({ _id: { $in } }, { $set: { lockedAt: null } })`,
	 * whoever holds them now. Only the single-process tools call it (see JobRunner.shutdown).
	 */
	public unlock(ids: readonly string[]): number {
		const statement = this.database.prepare(
			'UPDATE apps_scheduler_jobs SET locked_at = NULL, locked_by = NULL WHERE id = ?',
		);
		let changes = 0;
		for (const id of ids) {
			changes += statement.run(id).changes;
		}
		return changes;
	}

	/** Agenda.cancel({ _id }). */
	public removeById(id: string): number {
		return this.database.prepare('DELETE FROM apps_scheduler_jobs WHERE id = ?').run(id).changes;
	}

	/** Agenda.cancel({ name }). */
	public removeByName(name: string): number {
		return this.database.prepare('DELETE FROM apps_scheduler_jobs WHERE name = ?').run(name)
			.changes;
	}

	/** Agenda.cancel({ name: { $regex: /_<appId>$/ } }): every job whose name ends with the suffix. */
	public removeByNameSuffix(suffix: string): number {
		return this.database
			.prepare(
				'DELETE FROM apps_scheduler_jobs WHERE length(name) >= length(@suffix) AND substr(name, -length(@suffix)) = @suffix',
			)
			.run({ suffix }).changes;
	}
}
