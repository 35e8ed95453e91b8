import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { startOfHour } from '../domain/days';

/** A feedback waiting to be announced, with every stored copy whose submit queued it. */
export interface IQueuedAnnouncement {
	readonly feedbackId: string;
	/**
	 * Its first queueing (an anonymous one's hour): a failing announcement is retried for an hour
	 * from when it became due (an anonymous one at that hour's end).
	 */
	readonly queuedAt: string;
	/**
	 * The creation times of the stored copies that queued it (racing submits store one each).
	 * An entry queued by an earlier version names none: it is taken out with every other.
	 */
	readonly copies: ReadonlyArray<string>;
	/** Whether an entry of an earlier version (naming no copy) is among them. */
	readonly hasUnnamedCopy: boolean;
}

interface IStoredEntry {
	readonly feedbackId: string;
	readonly queuedAt: string;
	readonly copyCreatedAt?: string;
}

function parseEntry(value: unknown): IStoredEntry | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	if (typeof record.feedbackId !== 'string' || typeof record.queuedAt !== 'string') {
		return undefined;
	}
	return typeof record.copyCreatedAt === 'string'
		? {
				feedbackId: record.feedbackId,
				queuedAt: record.queuedAt,
				copyCreatedAt: record.copyCreatedAt,
			}
		: { feedbackId: record.feedbackId, queuedAt: record.queuedAt };
}

function compareText(a: string, b: string): number {
	if (a === b) {
		return 0;
	}
	return a < b ? -1 : 1;
}

/**
 * Announcements still to make sure of, written by any instance after it stored a feedback. The
 * submit announces named feedback itself and takes its own entry out; the scheduled job works off
 * the rest. Each submit's entry names its own stored copy, so taking one out never drops another
 * copy's (whose announcement may still be missing).
 */
export class AnnouncementQueue {
	constructor(private readonly reader: IPersistenceRead) {}

	/**
	 * Queues a stored copy of a feedback for its announcement (written after the copy is stored);
	 * an anonymous one with the hour only, like its record (domain/days.ts startOfHour).
	 */
	public async enqueue(
		persistence: IPersistence,
		copy: { readonly id: string; readonly createdAt: string; readonly anonymous?: boolean },
		now: Date,
	): Promise<void> {
		const entry: IStoredEntry = {
			feedbackId: copy.id,
			queuedAt: (copy.anonymous === true ? startOfHour(now) : now).toISOString(),
			copyCreatedAt: copy.createdAt,
		};
		await persistence.createWithAssociations(entry, this.entry(copy.id, copy.createdAt));
	}

	/**
	 * What is queued, one item per feedback (its first queueing, every copy), oldest first; those
	 * of one time (the anonymous ones of an hour) by id, so the order does not tell submit order.
	 */
	public async queued(): Promise<Array<IQueuedAnnouncement>> {
		const byId = new Map<string, { queuedAt: string; copies: Set<string>; unnamed: boolean }>();
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.AnnouncementQueue }),
		);
		for (const entry of stored.map(parseEntry)) {
			if (!entry) {
				continue;
			}
			const item = byId.get(entry.feedbackId) ?? {
				queuedAt: entry.queuedAt,
				copies: new Set<string>(),
				unnamed: false,
			};
			item.queuedAt = entry.queuedAt < item.queuedAt ? entry.queuedAt : item.queuedAt;
			if (entry.copyCreatedAt === undefined) {
				item.unnamed = true;
			} else {
				item.copies.add(entry.copyCreatedAt);
			}
			byId.set(entry.feedbackId, item);
		}
		return [...byId]
			.map(([feedbackId, item]) => ({
				feedbackId,
				queuedAt: item.queuedAt,
				copies: [...item.copies].sort(),
				hasUnnamedCopy: item.unnamed,
			}))
			.sort((a, b) =>
				a.queuedAt === b.queuedAt
					? compareText(a.feedbackId, b.feedbackId)
					: compareText(a.queuedAt, b.queuedAt),
			);
	}

	/** Takes the given copies of a feedback out of the queue (all of it when one is unnamed). */
	public async dequeue(
		persistence: IPersistence,
		item: Pick<IQueuedAnnouncement, 'feedbackId' | 'copies' | 'hasUnnamedCopy'>,
	): Promise<void> {
		if (item.hasUnnamedCopy) {
			await persistence.removeByAssociations(this.entry(item.feedbackId));
			return;
		}
		await Promise.all(
			item.copies.map((copy) =>
				persistence.removeByAssociations(this.entry(item.feedbackId, copy)),
			),
		);
	}

	/**
	 * When the feedback was announced, '' for a marker of an earlier version (no time), or
	 * undefined when there is no marker.
	 */
	public async announcedAt(feedbackId: string): Promise<string | undefined> {
		const markers = await this.reader.readByAssociations(this.marker(feedbackId));
		const times = markers.map((marker) => {
			const at = (marker as { announcedAt?: unknown } | null)?.announcedAt;
			return typeof at === 'string' ? at : '';
		});
		return times.length === 0 ? undefined : times.sort()[0];
	}

	/**
	 * Notes that the feedback is announced; written after the post, as a hint (the room is the
	 * truth). An anonymous feedback's marker keeps the hour only, like its record and queue entry;
	 * it is written when the batch of its hour is announced. `messageId` is the copy the room keeps
	 * (AppPoster.placeOnce), where a vote's count is shown.
	 */
	public async markAnnounced(
		persistence: IPersistence,
		feedbackId: string,
		at: Date,
		anonymous = false,
		messageId?: string,
	): Promise<void> {
		const time = anonymous ? startOfHour(at) : at;
		await persistence.updateByAssociations(
			this.marker(feedbackId),
			{ feedbackId, announcedAt: time.toISOString(), ...(messageId ? { messageId } : {}) },
			true,
		);
	}

	/**
	 * The ids of the messages the markers name as the feedback's announcement (racing markers may
	 * name two; a marker of an earlier version names none).
	 */
	public async announcementMessageIds(feedbackId: string): Promise<Array<string>> {
		const markers = await this.reader.readByAssociations(this.marker(feedbackId));
		const ids = markers
			.map((marker) => (marker as { messageId?: unknown } | null)?.messageId)
			.filter((id): id is string => typeof id === 'string' && id !== '');
		return [...new Set(ids)];
	}

	private entry(feedbackId: string, copyCreatedAt?: string) {
		const keys = [`id:${feedbackId}`];
		if (copyCreatedAt !== undefined) {
			keys.push(`copy:${copyCreatedAt}`);
		}
		return buildAssociations({ scope: RecordScope.AnnouncementQueue, keys });
	}

	private marker(feedbackId: string) {
		return buildAssociations({ scope: RecordScope.FeedbackAnnounced, keys: [`id:${feedbackId}`] });
	}
}
