import type { Database } from './database';

/**
 * The time the host's server side reads (the scheduler's "now"). Tests move it, so a week can pass
 * in a test. Only `now()` is needed: uikit-client.ts's ManualClock fits it as well.
 *
 * Only the host's time moves: the app's own `new Date()` in its Deno process keeps real time.
 */
export interface IHostClock {
	/** Milliseconds since the epoch. */
	now(): number;
}

/** The machine's clock. */
export const systemHostClock: IHostClock = {
	now: () => Date.now(),
};

/** A clock of one process that stands still until a test moves it. */
export class MovableClock implements IHostClock {
	private current: number;

	constructor(start: number | Date = Date.now()) {
		this.current = typeof start === 'number' ? start : start.getTime();
	}

	public now(): number {
		return this.current;
	}

	/** Moves the clock forward; returns the new time. */
	public advance(ms: number): number {
		if (!Number.isFinite(ms) || ms < 0) {
			throw new Error(`A clock moves forward only (got ${ms} ms)`);
		}
		this.current += ms;
		return this.current;
	}

	/** Sets the clock to a time (forward or back). */
	public set(time: number | Date): void {
		this.current = typeof time === 'number' ? time : time.getTime();
	}
}

const CLOCK_SCHEMA = `
CREATE TABLE IF NOT EXISTS host_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    frozen_at INTEGER,
    offset_ms INTEGER NOT NULL DEFAULT 0
);
INSERT OR IGNORE INTO host_clock (id, frozen_at, offset_ms) VALUES (1, NULL, 0);
`;

interface IClockRow {
	frozen_at: number | null;
	offset_ms: number;
}

/**
 * One clock for every host process on one database, as the instances of one workspace share
 * one time. It runs with the machine's clock (plus an offset) until a test freezes it; every
 * process reads the same row, so moving it moves it for the whole cluster.
 */
export class SharedClock implements IHostClock {
	private readonly read: () => IClockRow;

	constructor(private readonly database: Database) {
		database.exec(CLOCK_SCHEMA);
		const statement = database.prepare<[], IClockRow>(
			'SELECT frozen_at, offset_ms FROM host_clock WHERE id = 1',
		);
		this.read = () => {
			const row = statement.get();
			if (!row) {
				throw new Error('The host_clock row is missing');
			}
			return row;
		};
	}

	public now(): number {
		const row = this.read();
		return row.frozen_at ?? Date.now() + row.offset_ms;
	}

	/** Stops the clock at `at` (default: now); it then moves only by `advance`. */
	public freeze(at: number | Date = this.now()): void {
		const time = typeof at === 'number' ? at : at.getTime();
		this.database.prepare('UPDATE host_clock SET frozen_at = ? WHERE id = 1').run(time);
	}

	/** Lets the clock run with the machine's again, from where it stands. */
	public resume(): void {
		const now = this.now();
		this.database
			.prepare('UPDATE host_clock SET frozen_at = NULL, offset_ms = ? WHERE id = 1')
			.run(now - Date.now());
	}

	/** Moves the clock forward for every process; returns the new time. */
	public advance(ms: number): number {
		if (!Number.isFinite(ms) || ms < 0) {
			throw new Error(`A clock moves forward only (got ${ms} ms)`);
		}
		this.database
			.prepare(
				`UPDATE host_clock SET
					frozen_at = CASE WHEN frozen_at IS NULL THEN NULL ELSE frozen_at + @ms END,
					offset_ms = CASE WHEN frozen_at IS NULL THEN offset_ms + @ms ELSE offset_ms END
				WHERE id = 1`,
			)
			.run({ ms: Math.round(ms) });
		return this.now();
	}
}
