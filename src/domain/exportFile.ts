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
