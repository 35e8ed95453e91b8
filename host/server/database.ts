import * as fs from 'fs';
import * as path from 'path';
import { inspect } from 'util';

import BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;

/** How long a write waits for another host process holding the database lock. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS persistence_records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    app_id TEXT NOT NULL,
    associations TEXT,
    associations_key TEXT,
    data TEXT NOT NULL,
    updated_at TEXT
);
CREATE INDEX IF NOT EXISTS persistence_records_by_exact_associations
    ON persistence_records (app_id, associations_key, seq);
CREATE TABLE IF NOT EXISTS persistence_associations (
    app_id TEXT NOT NULL,
    association TEXT NOT NULL,
    record_seq INTEGER NOT NULL,
    PRIMARY KEY (app_id, association, record_seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS persistence_associations_by_record
    ON persistence_associations (record_seq);

CREATE TABLE IF NOT EXISTS apps (
    id TEXT PRIMARY KEY,
    item TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS app_sources (
    app_id TEXT PRIMARY KEY,
    zip BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS app_logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id TEXT NOT NULL,
    entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS app_logs_by_app ON app_logs (app_id, seq);

CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    app_id TEXT,
    user TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rooms (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    room TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    room_id TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_room ON messages (room_id, seq);
CREATE TABLE IF NOT EXISTS server_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS server_settings (
    id TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
`;

/** Opens (and creates) the host database in WAL mode so several host processes can share one file. */
export function openDatabase(
	databasePath: string,
	busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
): Database {
	if (databasePath !== ':memory:') {
		fs.mkdirSync(path.dirname(path.resolve(databasePath)), { recursive: true });
	}
	let database: Database | undefined;
	try {
		database = new BetterSqlite3(databasePath, { timeout: busyTimeoutMs });
		database.pragma('journal_mode = WAL');
		database.pragma('synchronous = NORMAL');
		database.exec(SCHEMA);
		migrate(database);
		return database;
	} catch (error) {
		database?.close();
		throw explainDatabaseError(error, databasePath);
	}
}

/**
 * Brings a database an older host wrote up to the schema: columns added since are added here
 * (`CREATE TABLE IF NOT EXISTS` leaves an existing table as it is). The check is repeated inside
 * an immediate transaction, so two processes opening the same old file at once add a column once.
 */
function migrate(database: Database): void {
	// persistence_records.updated_at (the record's `_updatedAt`): rows from before stay NULL.
	if (hasColumn(database, 'persistence_records', 'updated_at')) {
		return;
	}
	database
		.transaction(() => {
			if (!hasColumn(database, 'persistence_records', 'updated_at')) {
				database.exec('ALTER TABLE persistence_records ADD COLUMN updated_at TEXT');
			}
		})
		.immediate();
}

function hasColumn(database: Database, table: string, column: string): boolean {
	const columns = database.prepare(`PRAGMA table_info("${table}")`).all() as Array<{
		name: string;
	}>;
	return columns.some((entry) => entry.name === column);
}

/** Turns SQLite's lock errors into a message saying what to do. */
export function explainDatabaseError(error: unknown, databasePath: string): Error {
	const code =
		typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
	if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
		return new Error(
			`The database ${databasePath} is locked by another process (${code}); stop the other host or use another database path.`,
		);
	}
	return error instanceof Error ? error : new Error(inspect(error, { depth: 5 }));
}

/** Parses a JSON column, naming the table on corruption. */
export function parseJson<T>(text: string, what: string): T {
	try {
		return JSON.parse(text) as T;
	} catch {
		throw new Error(`Corrupt JSON in ${what}`);
	}
}
