import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';

/** A feedback waiting to be announced. */
export interface IQueuedAnnouncement {
	readonly feedbackId: string;
	readonly queuedAt: string;
}

function parseQueued(value: unknown): IQueuedAnnouncement | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	return typeof record.feedbackId === 'string' && typeof record.queuedAt === 'string'
		? { feedbackId: record.feedbackId, queuedAt: record.queuedAt }
		: undefined;
}

/**
 * Announcements to post, written by any instance and worked off only by the scheduled job,
 * which the server runs on one instance at a time: the one lock a cluster gives apps.
 */
export class AnnouncementQueue {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Queues a stored feedback for its announcement (racing instances may queue it twice). */
	public async enqueue(persistence: IPersistence, feedbackId: string, now: Date): Promise<void> {
		const queued: IQueuedAnnouncement = { feedbackId, queuedAt: now.toISOString() };
		await persistence.createWithAssociations(queued, this.entry(feedbackId));
	}

	/** What is queued, one entry per feedback (its first queueing), oldest first. */
	public async queued(): Promise<Array<IQueuedAnnouncement>> {
		const byId = new Map<string, IQueuedAnnouncement>();
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.AnnouncementQueue }),
		);
		for (const entry of stored.map(parseQueued)) {
			const kept = entry && byId.get(entry.feedbackId);
			if (entry && (!kept || entry.queuedAt < kept.queuedAt)) {
				byId.set(entry.feedbackId, entry);
			}
		}
		return [...byId.values()].sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1));
	}

	/** Takes a feedback out of the queue (every copy). */
	public async dequeue(persistence: IPersistence, feedbackId: string): Promise<void> {
		await persistence.removeByAssociations(this.entry(feedbackId));
	}

	/** Whether the feedback was announced already. */
	public async isAnnounced(feedbackId: string): Promise<boolean> {
		return (await this.reader.readByAssociations(this.marker(feedbackId))).length > 0;
	}

	/** Notes that the feedback is announced (written before posting: a crash never posts twice). */
	public async markAnnounced(persistence: IPersistence, feedbackId: string): Promise<void> {
		await persistence.createWithAssociations({ feedbackId }, this.marker(feedbackId));
	}

	/** Takes the note back after a post that failed, so the next run tries again. */
	public async unmarkAnnounced(persistence: IPersistence, feedbackId: string): Promise<void> {
		await persistence.removeByAssociations(this.marker(feedbackId));
	}

	private entry(feedbackId: string) {
		return buildAssociations({ scope: RecordScope.AnnouncementQueue, keys: [`id:${feedbackId}`] });
	}

	private marker(feedbackId: string) {
		return buildAssociations({ scope: RecordScope.FeedbackAnnounced, keys: [`id:${feedbackId}`] });
	}
}
