// What a reader of the local host's whole database sees: every row of every table, every column
// (the records' ObjectId and `_updatedAt` included), and the inserts next to a record in id order,
// as a reader of Rocket.Chat's database sorts them. The anonymity tests read with it.
import BetterSqlite3 from 'better-sqlite3';

import { objectIdParts } from '../../host';

/** One row as a reader sees it: every column, the record's id and `_updatedAt` (updated_at) included. */
export interface IReadRow {
	table: string;
	columns: Record<string, string>;
	/** Every column's value, as text, joined. */
	text: string;
}

/** Every row of every table, as text (blobs as latin1), with its table. */
export function allRows(file: string): Array<IReadRow> {
	const database = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
	try {
		const tables = database
			.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
			.all() as Array<{ name: string }>;
		return tables.flatMap(({ name }) =>
			(database.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>).map(
				(row) => {
					const columns = Object.fromEntries(
						Object.entries(row).map(([column, value]) => [
							column,
							Buffer.isBuffer(value) ? value.toString('latin1') : String(value),
						]),
					);
					return { table: name, columns, text: Object.values(columns).join('\u0000') };
				},
			),
		);
	} finally {
		database.close();
	}
}

/**
 * The live records inserted right before and after a record on the same server process: its
 * neighbours when the records are sorted by id, as a reader sorts them (`sort({ _id: 1 })`; an
 * ObjectId starts with its second, and a process's counter orders its inserts within it).
 */
export function insertNeighbours(rows: ReadonlyArray<IReadRow>, id: string): Array<IReadRow> {
	const parts = objectIdParts(id);
	if (!parts) {
		return [];
	}
	const sameProcess = rows
		.filter(
			(row) =>
				row.table === 'persistence_records' &&
				objectIdParts(row.columns.id)?.processUnique === parts.processUnique,
		)
		.sort((left, right) => left.columns.id.localeCompare(right.columns.id));
	const at = sameProcess.findIndex((row) => row.columns.id === id);
	return [sameProcess[at - 1], sameProcess[at + 1]].filter((row) => row !== undefined);
}
