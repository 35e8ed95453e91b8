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
	/** 'normal': scheduleOnce; 'single': scheduleRecurring (one per name). */
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
CREATE UNIQUE INDEX IF NOT EXISTS apps_scheduler_jobs_one_recurring_per_name
    ON apps_scheduler_jobs (name) WHERE type = 'single';
CREATE INDEX IF NOT EXISTS apps_scheduler_jobs_due
    ON apps_scheduler_jobs (name, locked_at, next_run_at);
`;

/** Agenda sorts due jobs by `{ nextRunAt: 1, priority: -1 }`; insertion order breaks ties here. */
const DUE_ORDER = 'ORDER BY next_run_at ASC, priority DESC, rowid ASC';

/**
 * Which jobs an instance may lock, as Agenda's _findAndLockNextJob: unlocked and due, or locked
 * longer ago than the lock lifetime (whatever its nextRunAt: a job whose instance died mid-run
 * is run again).
 */
const LOCKABLE = `name = @name AND (
    (locked_at IS NULL AND next_run_at IS NOT NULL AND next_run_at <= @now)
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

/** What a claim sets on the job before it runs (Agenda's Job.run saves lastRunAt and nextRunAt first). */
export interface IClaimUpdate {
	nextRunAt: number | null;
	failReason?: string;
}

/** The outcome of a run, saved as Agenda's job callback saves it. */
export interface IRunOutcome {
	finishedAt: number;
	error?: string;
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
	 * Agenda.every → _saveSingleJob: an upsert on `{ name, type: 'single' }`. data and the
	 * interval are replaced; nextRunAt only when it lies in the future (a due nextRunAt is written
	 * on insert only, so re-registering does not move a pending run); `clearLastRunAt` mirrors
	 * skipImmediate, which saves lastRunAt as undefined.
	 */
	public upsertRecurring(job: {
		name: string;
		data: Record<string, unknown>;
		interval: string | number;
		nextRunAt: number | null;
		now: number;
		clearLastRunAt: boolean;
		failReason?: string;
		instanceId: string;
	}): string {
		const keepNextRunAt = job.nextRunAt !== null && job.nextRunAt <= job.now ? 1 : 0;
		const row = this.database
			.prepare<unknown[], { id: string }>(
				`INSERT INTO apps_scheduler_jobs
					(id, name, type, data, next_run_at, repeat_interval, last_modified_by, fail_count, fail_reason, failed_at, last_finished_at)
				VALUES (@id, @name, 'single', @data, @nextRunAt, @interval, @instanceId,
					CASE WHEN @failReason IS NULL THEN 0 ELSE 1 END, @failReason,
					CASE WHEN @failReason IS NULL THEN NULL ELSE @now END,
					CASE WHEN @failReason IS NULL THEN NULL ELSE @now END)
				ON CONFLICT (name) WHERE type = 'single' DO UPDATE SET
					data = excluded.data,
					repeat_interval = excluded.repeat_interval,
					last_modified_by = excluded.last_modified_by,
					next_run_at = CASE WHEN @keepNextRunAt = 1 THEN next_run_at ELSE excluded.next_run_at END,
					last_run_at = CASE WHEN @clearLastRunAt = 1 THEN NULL ELSE last_run_at END,
					fail_count = fail_count + CASE WHEN @failReason IS NULL THEN 0 ELSE 1 END,
					fail_reason = COALESCE(@failReason, fail_reason),
					failed_at = CASE WHEN @failReason IS NULL THEN failed_at ELSE @now END
				RETURNING id`,
			)
			.get({
				id: newJobId(job.now),
				name: job.name,
				data: encodeData(job.data),
				nextRunAt: job.nextRunAt,
				interval: JSON.stringify(job.interval),
				instanceId: job.instanceId,
				keepNextRunAt,
				clearLastRunAt: job.clearLastRunAt ? 1 : 0,
				failReason: job.failReason ?? null,
				now: job.now,
			});
		if (!row) {
			throw new Error(`Could not save the recurring job ${job.name}`);
		}
		return row.id;
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
	 * Locks the next due job of `name` for `instanceId` and saves its run start (lastRunAt, the
	 * computed nextRunAt), in one IMMEDIATE transaction: of several processes racing for a job,
	 * exactly one gets it (the UPDATE re-checks the lock and must change one row).
	 */
	public claimNext(claim: {
		name: string;
		now: number;
		lockLifetimeMs: number;
		instanceId: string;
		skip: ReadonlySet<string>;
		computeNext: (job: IStoredJob) => IClaimUpdate;
	}): IStoredJob | undefined {
		const params = {
			name: claim.name,
			now: claim.now,
			lockDeadline: claim.now - claim.lockLifetimeMs,
		};
		const select = this.database.prepare<[typeof params & { limit: number }], IJobRow>(
			`SELECT * FROM apps_scheduler_jobs WHERE ${LOCKABLE} ${DUE_ORDER} LIMIT @limit`,
		);
		const lock = this.database.prepare(
			`UPDATE apps_scheduler_jobs SET
				locked_at = @now, locked_by = @instanceId, last_run_at = @now, next_run_at = @nextRunAt,
				fail_count = fail_count + CASE WHEN @failReason IS NULL THEN 0 ELSE 1 END,
				fail_reason = COALESCE(@failReason, fail_reason),
				failed_at = CASE WHEN @failReason IS NULL THEN failed_at ELSE @now END
			WHERE id = @id AND ${LOCKABLE}`,
		);
		const transaction = this.database.transaction((): IStoredJob | undefined => {
			const rows = select.all({ ...params, limit: claim.skip.size + 1 });
			const row = rows.find((candidate) => !claim.skip.has(candidate.id));
			if (!row) {
				return undefined;
			}
			const job = toJob(row);
			const update = claim.computeNext(job);
			const result = lock.run({
				...params,
				id: row.id,
				instanceId: claim.instanceId,
				nextRunAt: update.nextRunAt,
				failReason: update.failReason ?? null,
			});
			if (result.changes !== 1) {
				return undefined;
			}
			return {
				...job,
				lockedAt: claim.now,
				lockedBy: claim.instanceId,
				lastRunAt: claim.now,
				nextRunAt: update.nextRunAt,
			};
		});
		return transaction.immediate();
	}

	/**
	 * Saves a finished run as Agenda's job callback does (lastFinishedAt, or failCount + 1,
	 * failReason, failedAt), and unlocks the job if this run still holds its lock. A job removed
	 * meanwhile stays removed (Agenda's update does not upsert).
	 */
	public finish(
		id: string,
		lock: { instanceId: string; lockedAt: number },
		outcome: IRunOutcome,
	): void {
		this.database
			.prepare(
				`UPDATE apps_scheduler_jobs SET
					last_finished_at = @finishedAt,
					fail_count = fail_count + CASE WHEN @error IS NULL THEN 0 ELSE 1 END,
					fail_reason = COALESCE(@error, fail_reason),
					failed_at = CASE WHEN @error IS NULL THEN failed_at ELSE @finishedAt END,
					locked_by = CASE WHEN locked_by = @instanceId AND locked_at = @lockedAt THEN NULL ELSE locked_by END,
					locked_at = CASE WHEN locked_by = @instanceId AND locked_at = @lockedAt THEN NULL ELSE locked_at END
				WHERE id = @id`,
			)
			.run({
				id,
				finishedAt: outcome.finishedAt,
				error: outcome.error ?? null,
				instanceId: lock.instanceId,
				lockedAt: lock.lockedAt,
			});
	}

	/** Agenda.stop → _unlockJobs: frees the jobs this instance still holds. */
	public unlock(ids: readonly string[], instanceId: string): number {
		const statement = this.database.prepare(
			'UPDATE apps_scheduler_jobs SET locked_at = NULL, locked_by = NULL WHERE id = ? AND locked_by = ?',
		);
		let changes = 0;
		for (const id of ids) {
			changes += statement.run(id, instanceId).changes;
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
