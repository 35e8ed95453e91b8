import { csvRow } from './csv';
import type { IFeedbackRecord } from './record';
import type { FeedbackStatus } from './status';

/** The export's columns. */
export const EXPORT_COLUMNS = [
	'id',
	'created (UTC)',
	'category',
	'rating',
	'status',
	'comment',
	'author',
] as const;

/**
 * The largest file the export uploads, whatever the server allows: every upload crosses the
 * engine's bridge, which checks its arguments with `JSON.stringify` in the app's process and
 * again in the server's (jsonrpc-lite `checkParams`), and the server gathers the message from
 * the pipe in growing copies (@msgpack/msgpack `appendBuffer`), so one file costs both processes
 * many times its size in memory and time. 2 MiB keeps that bounded without too many files (the
 * figures: docs/benchmarks.md, "Figures behind limits in the code").
 */
export const EXPORT_PART_MAX_BYTES = 2 * 1024 * 1024;

/** The size of one export file: the server's limit, never above the export's own. */
export function exportPartLimit(serverMaxFileSize: number): number {
	return Math.min(serverMaxFileSize, EXPORT_PART_MAX_BYTES);
}

const SIZE_UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** A size as Rocket.Chat writes file sizes (powers of 1024, at most two decimals): `2 MB`. */
export function fileSizeText(bytes: number): string {
	let value = Math.max(0, bytes);
	let unit = 0;
	while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
		value /= 1024;
		unit += 1;
	}
	return `${Number(value.toFixed(unit === 0 ? 0 : 2))} ${SIZE_UNITS[unit]}`;
}

/** The header line of every export file. */
export function exportHeader(): string {
	return csvRow(EXPORT_COLUMNS);
}

/** One feedback as a line of the export; anonymous feedback has an empty author. */
export function exportRow(record: IFeedbackRecord, status: FeedbackStatus): string {
	const created = record.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
	return csvRow([
		record.id,
		created,
		record.category,
		record.rating === null ? '' : String(record.rating),
		status,
		record.comment,
		record.anonymous || record.author === null ? '' : record.author.username,
	]);
}

/** The UTC days (inclusive) an export covers; null is open-ended. */
export interface IExportRange {
	readonly from: string | null;
	readonly to: string | null;
}

/** Why a typed range was refused. */
export type ExportRangeError =
	| { readonly error: 'export_date_invalid'; readonly text: string }
	| { readonly error: 'export_range_reversed' };

function isDay(text: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
		return false;
	}
	const date = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The range of `/feedback export [from] [to]` (YYYY-MM-DD, UTC, inclusive). */
export function parseExportRange(
	from: string | undefined,
	to: string | undefined,
): IExportRange | ExportRangeError {
	for (const text of [from, to]) {
		if (text !== undefined && !isDay(text)) {
			return { error: 'export_date_invalid', text };
		}
	}
	if (from !== undefined && to !== undefined && from > to) {
		return { error: 'export_range_reversed' };
	}
	return { from: from ?? null, to: to ?? null };
}

/** Whether a day is in the range. */
export function isInRange(day: string, range: IExportRange): boolean {
	return (range.from === null || day >= range.from) && (range.to === null || day <= range.to);
}
