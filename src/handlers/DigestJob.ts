import type {
	ILogger,
	IModify,
	IRead,
	ISchedulerModify,
	ISettingRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';

import { workspaceLanguage } from './language';
import { processorOf } from './processor';
import { dayOf } from '../domain/days';
import { cronForSlot, summarizeWeek } from '../domain/digest';
import type { IFeedbackRecord } from '../domain/record';
import { translatorFor } from '../i18n/translate';
import { storesFor } from '../persistence/stores';
import { readDigestSettings } from '../settings/settings';
import { formatDigest } from '../ui/digestText';

export const DIGEST_PROCESSOR_ID = 'weekly-digest';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The weekly digest, posted by a recurring job: the server runs one job per processor for the
 * whole cluster (Agenda), so it is posted once per week, whatever the number of instances, and
 * the job survives restarts. Its schedule follows the settings: turning the digest off cancels
 * the job; changing the weekday or hour schedules it anew (an upsert of the same job).
 */
export class DigestJob {
	constructor(
		private readonly now: () => Date = () => new Date(),
		private readonly timezoneOffset: () => number = () => new Date().getTimezoneOffset(),
	) {}

	/** The processor the app registers; it has no startup schedule: the settings decide. */
	public processor(): IProcessor {
		return processorOf(DIGEST_PROCESSOR_ID, (read, modify, _persistence, logger) =>
			this.run(read, modify, logger),
		);
	}

	/** Schedules the job as the settings say, or cancels it; safe to call on every instance. */
	public async schedule(
		settingsReader: ISettingRead,
		scheduler: ISchedulerModify,
		logger: ILogger,
	): Promise<void> {
		const settings = await readDigestSettings(settingsReader);
		if (!settings.enabled || settings.room === '') {
			await scheduler.cancelJob(DIGEST_PROCESSOR_ID);
			return;
		}
		const interval = cronForSlot(settings.weekday, settings.hour, this.timezoneOffset());
		await scheduler.scheduleRecurring({ id: DIGEST_PROCESSOR_ID, interval, skipImmediate: true });
		logger.debug(`weekly digest scheduled at "${interval}" (server time)`);
	}

	/** Posts the digest of the last seven days, with the seven before for comparison. */
	public async run(read: IRead, modify: IModify, logger: ILogger): Promise<void> {
		const settings = await readDigestSettings(read.getEnvironmentReader().getSettings());
		if (!settings.enabled || settings.room === '') {
			return;
		}
		const room = await read.getRoomReader().getByName(settings.room);
		if (!room) {
			logger.warn(`digest room "${settings.room}" does not exist`);
			return;
		}
		const end = this.now();
		const start = new Date(end.getTime() - WEEK_MS);
		const before = new Date(start.getTime() - WEEK_MS);
		const stores = storesFor(read.getPersistenceReader(), logger);
		const [week, previous] = await Promise.all([
			this.between(read, start, end, logger),
			this.between(read, before, start, logger),
		]);
		const statusOf = await stores.statuses.statusesOf(week.map((record) => record.id));
		const t = translatorFor((await workspaceLanguage(read, logger)) ?? '');
		const text = formatDigest(
			summarizeWeek(week, statusOf),
			summarizeWeek(previous, new Map()),
			{ from: dayOf(start.toISOString()), to: dayOf(end.toISOString()) },
			t,
		);
		const message = modify.getCreator().startMessage().setRoom(room).setText(text);
		const appUser = await read.getUserReader().getAppUser();
		if (appUser) {
			message.setSender(appUser);
		}
		await modify.getCreator().finish(message);
	}

	/** Feedback created in [from, to): only the days they span are read. */
	private async between(
		read: IRead,
		from: Date,
		to: Date,
		logger: ILogger,
	): Promise<Array<IFeedbackRecord>> {
		const { feedback } = storesFor(read.getPersistenceReader(), logger);
		const [first, last] = [dayOf(from.toISOString()), dayOf(to.toISOString())];
		const days = (await feedback.days()).filter((day) => day >= first && day <= last);
		const [start, end] = [from.toISOString(), to.toISOString()];
		const records = await Promise.all(days.map((day) => feedback.recordsOfDay(day)));
		return records.flat().filter((record) => record.createdAt >= start && record.createdAt < end);
	}
}
