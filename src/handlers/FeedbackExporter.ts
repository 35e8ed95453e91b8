import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { type IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { SurveyExporter } from './SurveyExporter';
import { directRoomWith, findDirectRoom, isEncryptedRoom } from './directRoom';
import type { IMemberRequest } from './requestContext';
import { BOM, CsvParts, utf8Length } from '../domain/csv';
import { dayOf } from '../domain/days';
import { exportHeader, exportPartLimit, exportRow, isInRange } from '../domain/exportFile';
import type { IExportRange } from '../domain/exportFile';
import { FeedbackStatus } from '../domain/status';
import type { ISurveyExportResult } from '../domain/surveyReport';
import { exportRefusal, refusalOfUploadError } from '../domain/uploadRules';
import type { UploadRefusal, UploadTarget } from '../domain/uploadRules';
import type { IFeedbackStores } from '../persistence/stores';
import { readUploadSettings } from '../settings/serverSettings';
import { surveySecretOnDemand } from '../settings/surveySecret';

/** What an export came to. */
export interface IExportResult {
	readonly entries: number;
	readonly parts: number;
	/** An entry larger than the upload limit stopped the export there. */
	readonly stoppedAt?: string;
	/** The largest file the export may make, in bytes: the server's limit or the export's own. */
	readonly partLimit: number;
	/** A server rule stopped it: before any upload (`parts` 0) or after `parts` files. */
	readonly refusal?: UploadRefusal;
	/** The surveys' files, once the feedback's are all uploaded. */
	readonly surveys?: ISurveyExportResult;
}

/** The room an export goes to, with what the server's rules need to know of it. */
interface IExportTarget {
	readonly rule: UploadTarget;
	/** The room when it exists already (a direct room is created only once the export may start). */
	readonly room?: IRoom;
	/** Why the room cannot take the export (a named room only). */
	readonly refusal?: UploadRefusal;
}

/** The size of the smallest export file: the byte order mark and the header alone. */
export const SMALLEST_EXPORT_FILE = utf8Length(BOM + exportHeader());

/**
 * `/feedback export`: everyone's feedback in a date range as CSV files uploaded to the admin's
 * direct room with the app, or to a room the admin names and can access. What the server's
 * settings refuse is found before anything is uploaded (src/domain/uploadRules.ts), and a refusal
 * only the upload reveals is named too. Days are read one at a time, oldest first, and a file is
 * uploaded as soon as the next row would make it larger than the server accepts or than the
 * export's own part size, so at most one bounded file is held in memory; statuses come with each
 * day's feedback (or, before the changes are filed by their feedback's day, a few days of
 * changes at a time).
 */
export class FeedbackExporter {
	/** `appId` names the survey secret's variable, which opens sealed survey answers. */
	constructor(private readonly appId: string) {}

	/** Exports and uploads; throws when nothing could be read or an upload failed for no named rule. */
	public async export(
		request: IMemberRequest,
		range: IExportRange,
		now: Date,
		roomName?: string,
	): Promise<IExportResult> {
		const { read, modify, user: admin, logger } = request;
		const appUser = await request.poster.requireAppUser('nowhere to upload the export');
		const settings = await readUploadSettings(read);
		const limit = exportPartLimit(settings.maxFileSize);
		const target = roomName
			? await this.namedRoom(read, admin, roomName)
			: await this.directTarget(read, appUser, admin);
		// The workspace's rules first: no room the admin could name would change them.
		const refusal = exportRefusal(settings, target.rule, SMALLEST_EXPORT_FILE) ?? target.refusal;
		if (refusal) {
			return { entries: 0, parts: 0, partLimit: limit, refusal };
		}
		const room = target.room ?? (await directRoomWith(read, modify, appUser, admin));
		let uploaded = 0;
		let entries = 0;
		const stamp = dayOf(now.toISOString());
		const files = new CsvParts(exportHeader(), limit, async (content, part) => {
			const filename = `feedback-export-${stamp}-part-${part}.csv`;
			await request.poster.uploadText(room, appUser, filename, content);
			uploaded += 1;
		});
		try {
			const stoppedAt = await this.writeRows(request.stores, range, files, () => {
				entries += 1;
			});
			const parts = await files.finish();
			if (stoppedAt) {
				return { entries, parts, partLimit: limit, stoppedAt };
			}
			const reading = { ...request.stores, answerSecret: surveySecretOnDemand(read, this.appId) };
			const surveys = await new SurveyExporter(reading, read.getUserReader()).export(
				range,
				now,
				limit,
				stamp,
				async (filename, content) => {
					await request.poster.uploadText(room, appUser, filename, content);
					uploaded += 1;
				},
			);
			return { entries, parts, partLimit: limit, surveys };
		} catch (error) {
			const named = refusalOfUploadError(error, target.rule);
			if (!named) {
				throw error;
			}
			logger.warn(`the server refused an export file after ${uploaded} file(s)`, error);
			return { entries, parts: uploaded, partLimit: limit, refusal: named };
		}
	}

	/** Adds every row in the range; the id of an entry too large for any file stops it there. */
	private async writeRows(
		stores: IFeedbackStores,
		range: IExportRange,
		files: CsvParts,
		counted: () => void,
	): Promise<string | undefined> {
		const [filed, days] = await Promise.all([
			stores.statuses.isFiledByCreation(),
			stores.feedback.days(),
		]);
		// Changes filed by their feedback's day come with each day's feedback; else every changed
		// feedback's status is read first, a few days of changes at a time.
		const statusOfAll = filed ? undefined : await stores.statuses.statusOfAllByDays();
		for (const day of days.filter((candidate) => isInRange(candidate, range)).reverse()) {
			const [records, statusOf] = await Promise.all([
				stores.feedback.recordsOfDay(day),
				statusOfAll ?? stores.statuses.statusesOfCreatedDay(day),
			]);
			for (const record of records.reverse()) {
				if (!(await files.add(exportRow(record, statusOf.get(record.id) ?? FeedbackStatus.New)))) {
					return record.id;
				}
				counted();
			}
		}
		return undefined;
	}

	/** The admin's direct room with the app, as it is now (it may not exist yet). */
	private async directTarget(read: IRead, appUser: IUser, admin: IUser): Promise<IExportTarget> {
		const room = await findDirectRoom(read, appUser, admin);
		return {
			rule: {
				kind: 'direct',
				exists: room !== undefined,
				encrypted: room ? isEncryptedRoom(room) : false,
			},
			...(room ? { room } : {}),
		};
	}

	/**
	 * A room the admin named: it must exist and the admin must be able to read it (a member, or
	 * anyone in a public channel, as the server's canAccessRoom), and the app user must be able to
	 * post its file message there: the server lets an app user skip the access check, but a
	 * read-only room needs post-readonly, which the app role lacks (canSendMessage.ts).
	 */
	private async namedRoom(read: IRead, admin: IUser, name: string): Promise<IExportTarget> {
		const rooms = read.getRoomReader();
		const room = await rooms.getByName(name);
		const rule: UploadTarget = { kind: 'room', encrypted: room ? isEncryptedRoom(room) : false };
		if (!room || room.type === RoomType.DIRECT_MESSAGE) {
			return { rule, refusal: { kind: 'room-unknown' } };
		}
		if (room.type !== RoomType.CHANNEL) {
			const members = await rooms.getMembers(room.id);
			if (!members.some((member) => member.id === admin.id)) {
				return { rule, refusal: { kind: 'room-no-access' } };
			}
		}
		if (room.isReadOnly) {
			return { rule, refusal: { kind: 'room-read-only' } };
		}
		return { rule, room };
	}
}
