import type {
	ILogger,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { Announcer } from './Announcer';
import { processorOf } from './processor';
import type { IFeedbackSettings } from '../domain/settings';
import type { AnnouncementQueue, IQueuedAnnouncement } from '../persistence/AnnouncementQueue';
import type { FeedbackRepository } from '../persistence/FeedbackRepository';
import { storesFor } from '../persistence/stores';
import { readSettings } from '../settings/settings';

export const ANNOUNCEMENT_PROCESSOR_ID = 'announce-feedback';

/** How often the queue is worked off: the longest a new feedback waits for its announcement. */
export const ANNOUNCEMENT_INTERVAL = '5 seconds';

/** How long a failing announcement is retried before it is given up (and logged). */
export const ANNOUNCEMENT_RETRY_MS = 60 * 60 * 1000;

/**
 * Posts queued announcements, exactly once each. The server runs a recurring job on one
 * instance at a time across the cluster (Agenda's lock, apps/meteor/app/apps/server/bridges/scheduler.ts),
 * so reading the queue, posting and noting what was posted never race with another instance.
 */
export class AnnouncementJob {
	constructor(private readonly now: () => Date = () => new Date()) {}

	/** The processor the app registers; the server starts it once for the whole cluster. */
	public processor(): IProcessor {
		return processorOf(
			ANNOUNCEMENT_PROCESSOR_ID,
			(read, modify, persistence, logger) => this.run(read, modify, persistence, logger),
			{ type: StartupType.RECURRING, interval: ANNOUNCEMENT_INTERVAL },
		);
	}

	/** Announces what is queued; each feedback is posted once, with its stored content. */
	public async run(
		read: IRead,
		modify: IModify,
		persistence: IPersistence,
		logger: ILogger,
	): Promise<void> {
		const { announcements: queue, feedback: store } = storesFor(
			read.getPersistenceReader(),
			logger,
		);
		const queued = await queue.queued();
		if (queued.length === 0) {
			return;
		}
		const settings = await readSettings(read);
		const announcer = new Announcer(logger);
		for (const entry of queued) {
			try {
				await this.announceOne(announcer, read, modify, persistence, queue, store, entry, settings);
			} catch (error) {
				logger.error(`announcing feedback ${entry.feedbackId} failed`, error);
			}
		}
	}

	private async announceOne(
		announcer: Announcer,
		read: IRead,
		modify: IModify,
		persistence: IPersistence,
		queue: AnnouncementQueue,
		store: FeedbackRepository,
		entry: IQueuedAnnouncement,
		settings: IFeedbackSettings,
	): Promise<void> {
		const { feedbackId } = entry;
		// Read the stored copy: of racing submits, the one every read keeps.
		const [announced, record] = await Promise.all([
			queue.isAnnounced(feedbackId),
			store.find(feedbackId),
		]);
		if (announced || !record || settings.announceRoom === '') {
			// Posted already, deleted before its turn, or announcements turned off meanwhile.
			return queue.dequeue(persistence, feedbackId);
		}
		await queue.markAnnounced(persistence, feedbackId);
		try {
			await announcer.announce(read, modify, record, settings);
		} catch (error) {
			await queue.unmarkAnnounced(persistence, feedbackId);
			const age = this.now().getTime() - Date.parse(entry.queuedAt);
			if (age < ANNOUNCEMENT_RETRY_MS) {
				throw error;
			}
			announcer.logger.error(
				`announcing feedback ${feedbackId} failed for an hour; given up`,
				error,
			);
		}
		await queue.dequeue(persistence, feedbackId);
	}
}
