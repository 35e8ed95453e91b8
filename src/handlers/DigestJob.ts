import type { ILogger, ISchedulerModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { workspaceLanguage } from './language';
import { processorOf } from './processor';
import type { IJobRequest } from './requestContext';
import { headingOf } from '../domain/convergence';
import { dayOf } from '../domain/days';
import {
	configurationKey,
	dueSlot,
	isDigestActive,
	summarizeWeek,
	weeksOfSlot,
} from '../domain/digest';
import type { IDigestWeeks } from '../domain/digest';
import type { IFeedbackRecord } from '../domain/record';
import type { ISurveyDigestEntry } from '../domain/surveyReport';
import { translatorFor } from '../i18n/translate';
import { DigestHistory } from '../persistence/DigestHistory';
import { settledRoundsReport } from '../persistence/surveyOutcomes';
import { readMessageMaxSize } from '../settings/serverSettings';
import { readDigestSettings } from '../settings/settings';
import { surveySecretOnDemand } from '../settings/surveySecret';
import { digestHeadings, formatDigest } from '../ui/digestText';

/** The digest's check: a fixed recurring job, the same whatever the settings say. */
export const DIGEST_CHECK_PROCESSOR_ID = 'digest-check';

/**
 * How often the check runs: the longest a digest waits after its slot while an instance runs
 * the scheduler. Human-interval text, which has no time zone (a cron line is read in the
 * server's local zone: packages/agenda/src/Job.ts computeNextRunAt).
 */
export const DIGEST_CHECK_INTERVAL = '1 minute';

/** The cron job of earlier versions, scheduled from the settings; cancelled on enable. */
export const LEGACY_DIGEST_PROCESSOR_ID = 'weekly-digest';

/** What one check did. */
export type DigestCheckOutcome =
	| 'off'
	| 'first-seen'
	| 'not-due'
	| 'already-posted'
	| 'no-room'
	| 'posted'
	| 'found';

/**
 * The weekly digest, exactly once per slot. The server's scheduler may run the check twice at once
 * (duplicate job documents, overlapping runs: apps/meteor/app/apps/server/bridges/scheduler.ts on
 * packages/agenda), so nothing here relies on it: the slot comes from the settings and the time
 * (src/domain/digest.ts), the post goes through AppPoster.postOnce under a heading that names the
 * slot, and a marker written after the post spares later checks the room read.
 */
export class DigestJob {
	constructor(
		/** The app's id, which names the survey secret's variable (settings/surveySecret.ts). */
		private readonly appId: string,
		private readonly now: () => Date = () => new Date(),
	) {}

	/** The processor the app registers: the check, every DIGEST_CHECK_INTERVAL. */
	public processor(): IProcessor {
		return processorOf(DIGEST_CHECK_PROCESSOR_ID, (request) => this.run(request), {
			type: StartupType.RECURRING,
			interval: DIGEST_CHECK_INTERVAL,
		});
	}

	/** Cancels the cron job an earlier version left; a failure is logged, enabling goes on. */
	public async retireLegacyJob(scheduler: ISchedulerModify, logger: ILogger): Promise<void> {
		try {
			await scheduler.cancelJob(LEGACY_DIGEST_PROCESSOR_ID);
		} catch (error) {
			// Harmless when left: its processor is no longer registered, so no instance runs it.
			logger.warn('the earlier weekly digest job could not be cancelled', error);
		}
	}

	/** Posts the digest of the latest slot when it is due and not yet posted. */
	public async run(request: IJobRequest): Promise<DigestCheckOutcome> {
		const { read, persistence, logger } = request;
		const now = this.now();
		const settings = await readDigestSettings(read.getEnvironmentReader().getSettings());
		const history = new DigestHistory(read.getPersistenceReader());
		const sightings = await history.sightings();
		const key = isDigestActive(settings) ? configurationKey(settings) : undefined;
		// Only the current configuration's history counts: turned off or moved, it starts anew.
		const stale = new Set(sightings.map((seen) => seen.key).filter((seenKey) => seenKey !== key));
		await Promise.all(
			[...stale].map((seenKey) => history.forgetConfiguration(persistence, seenKey)),
		);
		if (key === undefined) {
			return 'off';
		}
		const since = sightings
			.filter((seen) => seen.key === key)
			.map((seen) => seen.since)
			.sort()[0];
		if (since === undefined) {
			await history.noteSeen(persistence, key, now);
			return 'first-seen';
		}
		const slot = dueSlot(now, settings, new Date(since));
		if (!slot) {
			return 'not-due';
		}
		if (await history.isPosted(slot)) {
			return 'already-posted';
		}
		const room = await read.getRoomReader().getByName(settings.room);
		if (!room) {
			logger.warn(`digest room "${settings.room}" does not exist`);
			return 'no-room';
		}
		const weeks = weeksOfSlot(slot);
		const text = await this.digestText(request, weeks);
		const headings = digestHeadings(weeks);
		const outcome = await request.poster.postOnce({
			room,
			text,
			isCopy: (message) => headings.has(headingOf(message.text)),
		});
		await history.notePosted(persistence, slot);
		return outcome;
	}

	/** The digest of a slot's week, beside the week before, in the workspace language. */
	private async digestText(request: IJobRequest, weeks: IDigestWeeks): Promise<string> {
		const { read, logger } = request;
		const [week, previous] = await Promise.all([
			this.between(request, weeks.weekStart, weeks.slot),
			this.between(request, weeks.previousStart, weeks.weekStart),
		]);
		const statusOf = await request.stores.statuses.statusesOf(week.map((record) => record.id));
		const [language, maxSize, surveys] = await Promise.all([
			workspaceLanguage(read, logger),
			readMessageMaxSize(read, logger),
			this.surveyEntries(request, weeks),
		]);
		return formatDigest(
			summarizeWeek(week, statusOf),
			summarizeWeek(previous, new Map()),
			weeks,
			translatorFor(language ?? ''),
			maxSize,
			surveys,
		);
	}

	/** The surveys whose rounds settled in the slot's week, oldest survey first, read as at the slot. */
	private async surveyEntries(
		request: IJobRequest,
		weeks: IDigestWeeks,
	): Promise<Array<ISurveyDigestEntry>> {
		const { stores, read } = request;
		const states = await stores.surveys.all();
		const reading = { ...stores, answerSecret: surveySecretOnDemand(read, this.appId) };
		const entries = await Promise.all(
			states.map(({ survey }) => settledRoundsReport(reading, survey, weeks.weekStart, weeks.slot)),
		);
		return entries.filter((entry): entry is ISurveyDigestEntry => entry !== undefined);
	}

	/** Feedback created in [from, to): only the days they span are read. */
	private async between(
		request: IJobRequest,
		from: Date,
		to: Date,
	): Promise<Array<IFeedbackRecord>> {
		const { feedback } = request.stores;
		const [first, last] = [dayOf(from.toISOString()), dayOf(to.toISOString())];
		const days = (await feedback.days()).filter((day) => day >= first && day <= last);
		const [start, end] = [from.toISOString(), to.toISOString()];
		const records = await Promise.all(days.map((day) => feedback.recordsOfDay(day)));
		return records.flat().filter((record) => record.createdAt >= start && record.createdAt < end);
	}
}
