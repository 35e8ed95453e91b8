import { ANNOUNCEMENT_INTERVAL, ANNOUNCEMENT_PROCESSOR_ID } from './AnnouncementJob';
import { DIGEST_CHECK_INTERVAL, DIGEST_CHECK_PROCESSOR_ID } from './DigestJob';
import { FOLLOW_DIGEST_INTERVAL, FOLLOW_DIGEST_PROCESSOR_ID } from './FollowDigestJob';
import { PENDING_FORMS_INTERVAL, PENDING_FORMS_PROCESSOR_ID } from './PendingFormsJob';
import { STATUS_NOTICE_INTERVAL, STATUS_NOTICE_PROCESSOR_ID } from './StatusNoticeJob';
import { SURVEY_ROUND_INTERVAL, SURVEY_ROUND_PROCESSOR_ID } from './SurveyRoundJob';
import { UPKEEP_INTERVAL, UPKEEP_PROCESSOR_ID } from './UpkeepJob';
import { VOTE_COUNT_INTERVAL, VOTE_COUNT_PROCESSOR_ID } from './VoteCountJob';
import { WE_DID_INTERVAL, WE_DID_PROCESSOR_ID } from './WeDidJob';
import type { IModifyingRequest } from './requestContext';

/** A recurring job of the app: its processor's id and how often it runs. */
export interface IRecurringJob {
	readonly id: string;
	readonly interval: string;
}

/** Every recurring job of the app: what is registered again after a purge deleted them. */
export const RECURRING_JOBS: ReadonlyArray<IRecurringJob> = [
	{ id: ANNOUNCEMENT_PROCESSOR_ID, interval: ANNOUNCEMENT_INTERVAL },
	{ id: PENDING_FORMS_PROCESSOR_ID, interval: PENDING_FORMS_INTERVAL },
	{ id: UPKEEP_PROCESSOR_ID, interval: UPKEEP_INTERVAL },
	{ id: DIGEST_CHECK_PROCESSOR_ID, interval: DIGEST_CHECK_INTERVAL },
	{ id: STATUS_NOTICE_PROCESSOR_ID, interval: STATUS_NOTICE_INTERVAL },
	{ id: FOLLOW_DIGEST_PROCESSOR_ID, interval: FOLLOW_DIGEST_INTERVAL },
	{ id: VOTE_COUNT_PROCESSOR_ID, interval: VOTE_COUNT_INTERVAL },
	{ id: WE_DID_PROCESSOR_ID, interval: WE_DID_INTERVAL },
	{ id: SURVEY_ROUND_PROCESSOR_ID, interval: SURVEY_ROUND_INTERVAL },
];

/** No run noted for this long (the announcement job runs every 5 s): the jobs are gone or stuck. */
export const JOBS_STALE_AFTER_MS = 2 * 60 * 1000;

/** How often one instance looks at the heartbeat, at most. */
export const JOBS_CHECK_EVERY_MS = 60 * 1000;

/**
 * Brings the app's recurring jobs back without a restart. A failed initialization on any instance
 * deletes every job of the app cluster-wide (AppManager's purgeAppConfig → cancelAllJobs, in
 * apps/meteor/app/apps/server/bridges/scheduler.ts), and processors are only registered again on
 * the next start. The announcement job notes its runs (JobHeartbeat, once a minute); a submit or a command that
 * finds no run for two minutes schedules every recurring job again. scheduleRecurring is an upsert
 * (packages/agenda every → saveJob): a duplicate it may create is harmless, every job being exact
 * under duplicate runs. Kept in memory per instance.
 */
export class RecurringJobsKeeper {
	private nextCheckAt = Number.NEGATIVE_INFINITY;

	private firstCheckAt: number | undefined;

	constructor(
		private readonly now: () => Date = () => new Date(),
		private readonly jobs: ReadonlyArray<IRecurringJob> = RECURRING_JOBS,
	) {}

	/** Schedules the recurring jobs again when none ran lately; at most once a minute, never throws. */
	public async check(request: IModifyingRequest): Promise<boolean> {
		const { modify, logger } = request;
		const now = this.now().getTime();
		if (now < this.nextCheckAt) {
			return false;
		}
		this.nextCheckAt = now + JOBS_CHECK_EVERY_MS;
		// Without any heartbeat (a new install), the jobs get two minutes from this instance's first look.
		this.firstCheckAt ??= now;
		try {
			const last = await request.stores.jobHeartbeat.last();
			const since = last?.getTime() ?? this.firstCheckAt;
			if (now - since <= JOBS_STALE_AFTER_MS) {
				return false;
			}
			const scheduler = modify.getScheduler();
			await Promise.all(
				this.jobs.map((job) => scheduler.scheduleRecurring({ id: job.id, interval: job.interval })),
			);
			logger.warn(
				`no recurring job ran for ${Math.round((now - since) / 1000)} s; scheduled ${this.jobs.length} again`,
			);
			return true;
		} catch (error) {
			logger.error('checking the recurring jobs failed', error);
			return false;
		}
	}
}
