import type {
	ILogger,
	IModify,
	IRead,
	IUploadCreator,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { directRoomWith } from './directRoom';
import { CsvParts } from '../domain/csv';
import { dayOf } from '../domain/days';
import { exportHeader, exportPartLimit, exportRow, isInRange } from '../domain/exportFile';
import type { IExportRange } from '../domain/exportFile';
import { FeedbackStatus } from '../domain/status';
import { storesFor } from '../persistence/stores';
import { readServerSetting, ServerSettingId } from '../settings/serverSettings';

type UploadBytes = Parameters<IUploadCreator['uploadBuffer']>[0];

// node's Buffer, which every app runtime gives the app (the Deno runtime passes `buffer`'s to the
// app's code); typed here because the app compiles without node's types.
declare const Buffer: { from(text: string, encoding: 'utf8'): UploadBytes };

/** Rocket.Chat's FileUpload_MaxFileSize default: 100 MiB. */
const DEFAULT_MAX_FILE_SIZE = 104857600;

/** What an export came to. */
export interface IExportResult {
	readonly entries: number;
	readonly parts: number;
	/** An entry larger than the upload limit stopped the export there. */
	readonly stoppedAt?: string;
	/** The server accepts no file at all (FileUpload_MaxFileSize 0): nothing was exported. */
	readonly uploadsOff?: boolean;
	/** The largest file the export may make, in bytes: the server's limit or the export's own. */
	readonly partLimit: number;
}

/**
 * The largest file the server accepts. Rocket.Chat refuses a file when `max > -1 && size > max`
 * (FileUpload.validateFileUpload): -1 is no limit, and 0 refuses every file.
 */
async function maxFileSize(read: IRead): Promise<number> {
	const value = await readServerSetting(read, ServerSettingId.MaxFileSize);
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		return DEFAULT_MAX_FILE_SIZE;
	}
	return value < 0 ? Number.POSITIVE_INFINITY : value;
}

/**
 * `/feedback export`: everyone's feedback in a date range as CSV files uploaded to the admin's
 * direct room with the app. Days are read one at a time, oldest first, and a file is uploaded as
 * soon as the next row would make it larger than the server accepts or than the export's own part
 * size, so at most one bounded file is held in memory; statuses come with each day's feedback (or,
 * before the changes are filed by their feedback's day, a few days of changes at a time).
 */
export class ExportHandler {
	/** Exports and uploads; throws when nothing could be read or uploaded. */
	public async export(
		read: IRead,
		modify: IModify,
		admin: IUser,
		range: IExportRange,
		now: Date,
		logger: ILogger,
	): Promise<IExportResult> {
		const stores = storesFor(read.getPersistenceReader(), logger);
		const appUser = await read.getUserReader().getAppUser();
		if (!appUser) {
			throw new Error('the app user cannot be found: nowhere to upload the export');
		}
		const serverLimit = await maxFileSize(read);
		if (serverLimit === 0) {
			return { entries: 0, parts: 0, uploadsOff: true, partLimit: 0 };
		}
		const limit = exportPartLimit(serverLimit);
		const [room, filed, days] = await Promise.all([
			directRoomWith(read, modify, appUser, admin),
			stores.statuses.isFiledByCreation(),
			stores.feedback.days(),
		]);
		// Changes filed by their feedback's day come with each day's feedback; else every changed
		// feedback's status is read first, a few days of changes at a time.
		const statusOfAll = filed ? undefined : await stores.statuses.statusOfAllByDays();
		const stamp = dayOf(now.toISOString());
		const upload = (content: string, part: number) =>
			this.upload(modify, room, appUser, `feedback-export-${stamp}-part-${part}.csv`, content);
		const files = new CsvParts(exportHeader(), limit, upload);
		let entries = 0;
		for (const day of days.filter((candidate) => isInRange(candidate, range)).reverse()) {
			const [records, statusOf] = await Promise.all([
				stores.feedback.recordsOfDay(day),
				statusOfAll ?? stores.statuses.statusesOfCreatedDay(day),
			]);
			for (const record of records.reverse()) {
				if (!(await files.add(exportRow(record, statusOf.get(record.id) ?? FeedbackStatus.New)))) {
					return { entries, parts: await files.finish(), stoppedAt: record.id, partLimit: limit };
				}
				entries += 1;
			}
		}
		return { entries, parts: await files.finish(), partLimit: limit };
	}

	private async upload(
		modify: IModify,
		room: IRoom,
		appUser: IUser,
		filename: string,
		content: string,
	): Promise<void> {
		// A Buffer, not a plain Uint8Array: the bridge's JSON check turns a Uint8Array into an object
		// keyed by index, a Buffer into an array (several times faster: docs/benchmarks.md).
		const bytes = Buffer.from(content, 'utf8');
		await modify
			.getCreator()
			.getUploadCreator()
			.uploadBuffer(bytes, { filename, room, user: appUser });
	}
}
