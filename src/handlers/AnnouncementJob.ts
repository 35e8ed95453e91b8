import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { Announcer } from './Announcer';
import { processorOf } from './processor';
import type { IJobRequest } from './requestContext';
import type { IFeedbackSettings } from '../domain/settings';
import type { IQueuedAnnouncement } from '../persistence/AnnouncementQueue';

export const ANNOUNCEMENT_PROCESSOR_ID = 'announce-feedback';

/**
 * How often the queue is worked off: the longest a due feedback waits for its announcement (an
 * anonymous one is due once the UTC hour it was sent in has closed).
 */
export const ANNOUNCEMENT_INTERVAL = '5 seconds';

/** An anonymous entry keeps its hour only (AnnouncementQueue.enqueue); it is due when that hour ends. */
const HOUR_MS = 60 * 60 * 1000;

/** How long a failing announcement is retried before it is given up (and logged). */
export const ANNOUNCEMENT_RETRY_MS = 60 * 60 * 1000;

/**
 * How long one run starts new announcements: the engine fails a run after 30 s and the scheduler
 * then starts the next while this one goes on (packages/agenda, the apps scheduler bridge), so a
 * run stops early and leaves the rest to the next.
 */
export const ANNOUNCEMENT_RUN_BUDGET_MS = 10_000;

/**
 * How often one instance notes that the recurring jobs run, at most: well inside the two minutes
 * after which a command or submit schedules them again (RecurringJobs.ts JOBS_STALE_AFTER_MS).
 */
export const HEARTBEAT_EVERY_MS = 60 * 1000;

/** What one run did. */
export interface IAnnouncementRun {
	/** Queued feedback worked off (announced, found, given up or dropped). */
	readonly done: number;
	/** Queued feedback left for the next run (the budget ran out, or a post failed). */
	readonly left: number;
	/** Anonymous feedback whose hour has not closed yet: not due, so neither done nor left. */
	readonly waiting: number;
}

/**
 * Works off the announcement queue. The server's scheduler does not run a recurring job once at a
 * time across the cluster (duplicate job documents, runs that overlap after the engine's 30 s,
 * apps/meteor/app/apps/server/bridges/scheduler.ts over packages/agenda): every announcement goes
 * through AppPoster.postOnce, which finds a post already made and removes racing duplicates, and
 * the marker is written after the post, as a hint only.
 */
export class AnnouncementJob {
	/** When this instance next notes a run (kept in memory: a write every 5 s would be waste). */
	private nextBeatAt = Number.NEGATIVE_INFINITY;

	constructor(
		private readonly appId: string,
		private readonly now: () => Date = () => new Date(),
	) {}

	/** The processor the app registers. */
	public processor(): IProcessor {
		return processorOf(ANNOUNCEMENT_PROCESSOR_ID, (request) => this.run(request), {
			type: StartupType.RECURRING,
			interval: ANNOUNCEMENT_INTERVAL,
		});
	}

	/** Announces what is queued, within the run's budget; notes that the recurring jobs run. */
	public async run(request: IJobRequest): Promise<IAnnouncementRun> {
		const { stores, persistence, logger } = request;
		const started = this.now().getTime();
		if (started >= this.nextBeatAt) {
			try {
				await stores.jobHeartbeat.beat(persistence, new Date(started));
				this.nextBeatAt = started + HEARTBEAT_EVERY_MS;
			} catch (error) {
				logger.error('noting that the recurring jobs run failed', error);
			}
		}
		const queued = await stores.announcements.queued();
		if (queued.length === 0) {
			return { done: 0, left: 0, waiting: 0 };
		}
		const settings = await request.settings();
		const announcer = new Announcer(this.now, this.appId);
		let done = 0;
		let waiting = 0;
		let left = 0;
		for (const item of queued) {
			if (this.now().getTime() - started >= ANNOUNCEMENT_RUN_BUDGET_MS) {
				left = queued.length - done - waiting;
				logger.info(`announcement budget spent: ${left} left for the next run`);
				break;
			}
			try {
				if (await this.announceOne(request, announcer, item, settings)) {
					done += 1;
				} else {
					waiting += 1;
				}
			} catch (error) {
				left += 1;
				logger.error(`announcing feedback ${item.feedbackId} failed`, error);
			}
		}
		return { done, left, waiting };
	}

	/** Works off one queued feedback; false when it is an anonymous one whose hour is still open. */
	private async announceOne(
		request: IJobRequest,
		announcer: Announcer,
		item: IQueuedAnnouncement,
		settings: IFeedbackSettings,
	): Promise<boolean> {
		const { persistence, logger } = request;
		const { announcements: queue, feedback } = request.stores;
		// Read after every queued copy was stored (each submit queues after its write): the copy
		// every read keeps now is the earliest of them, the one to announce.
		const record = await feedback.find(item.feedbackId);
		if (record && settings.announceRoom !== '') {
			// An anonymous feedback is announced with the others of its hour once that hour has
			// closed, so the message's own time does not tell who just acted; its entry waits.
			const dueAt = Date.parse(item.queuedAt) + (record.anonymous ? HOUR_MS : 0);
			if (record.anonymous && this.now().getTime() < dueAt) {
				return false;
			}
			try {
				await announcer.announce(request, record);
			} catch (error) {
				// Retries count from when the entry became due (an anonymous one at its hour's
				// end), so one sent late in the hour is retried as long as any other.
				if (this.now().getTime() - dueAt < ANNOUNCEMENT_RETRY_MS) {
					throw error;
				}
				logger.error(`announcing feedback ${item.feedbackId} failed for an hour; given up`, error);
			}
		}
		// Deleted before its turn, announcements turned off, announced, or given up.
		await queue.dequeue(persistence, item);
		return true;
	}
}
