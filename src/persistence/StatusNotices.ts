import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { isStatus } from '../domain/status';
import { newestTold } from '../domain/statusNotice';
import type { IPendingNotice, IToldStatus, IUndeliveredNotice } from '../domain/statusNotice';

function parsePending(value: unknown): IPendingNotice | undefined {
	const { authorId, feedbackId, changeId, changeAt } = (value ?? {}) as Record<string, unknown>;
	return typeof authorId === 'string' &&
		typeof feedbackId === 'string' &&
		typeof changeId === 'string' &&
		typeof changeAt === 'string' &&
		!Number.isNaN(Date.parse(changeAt))
		? { authorId, feedbackId, changeId, changeAt }
		: undefined;
}

function parseTold(value: unknown): IToldStatus | undefined {
	const { feedbackId, status, note, changeId, changeAt } = (value ?? {}) as Record<string, unknown>;
	return typeof feedbackId === 'string' &&
		isStatus(status) &&
		typeof note === 'string' &&
		typeof changeId === 'string' &&
		typeof changeAt === 'string'
		? { feedbackId, status, note, changeId, changeAt }
		: undefined;
}

/**
 * What authors are to be told of their feedback's status, and what they were told. A change
 * adds a pending record (any instance, any number of copies: they collapse by change id); the
 * notice job, once it posted, writes what it told and removes the pending records it covered.
 */
export class StatusNotices {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Notes that a change's author has something to hear. */
	public async add(persistence: IPersistence, notice: IPendingNotice): Promise<void> {
		await persistence.createWithAssociations(notice, this.pendingOf(notice.changeId));
	}

	/** Every pending change of every author (copies included; the domain collapses them). */
	public async pending(): Promise<Array<IPendingNotice>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.StatusNoticePending }),
		);
		return stored
			.map(parsePending)
			.filter((notice): notice is IPendingNotice => notice !== undefined);
	}

	/** Removes the pending records of changes that were told (every copy). */
	public async remove(persistence: IPersistence, changeIds: ReadonlyArray<string>): Promise<void> {
		await Promise.all(
			changeIds.map((changeId) => persistence.removeByAssociations(this.pendingOf(changeId))),
		);
	}

	/** What the author of a feedback was last told of it, or undefined when never. */
	public async told(feedbackId: string): Promise<IToldStatus | undefined> {
		const stored = await this.reader.readByAssociations(this.toldOf(feedbackId));
		return newestTold(
			stored.map(parseTold).filter((told): told is IToldStatus => told !== undefined),
		);
	}

	/** Notes what an author was told of a feedback (racing upserts may leave two: reads keep the newest). */
	public async saveTold(persistence: IPersistence, told: IToldStatus): Promise<void> {
		await persistence.updateByAssociations(this.toldOf(told.feedbackId), told, true);
	}

	/** When each of these authors was last sent a notice (the latest of racing copies). */
	public async lastSent(authorIds: ReadonlyArray<string>): Promise<Map<string, string>> {
		const found = await Promise.all(
			authorIds.map((authorId) => this.reader.readByAssociations(this.sentOf(authorId))),
		);
		const lastSent = new Map<string, string>();
		authorIds.forEach((authorId, index) => {
			for (const record of found[index]) {
				const { sentAt } = (record ?? {}) as { sentAt?: unknown };
				const known = lastSent.get(authorId);
				if (
					typeof sentAt === 'string' &&
					!Number.isNaN(Date.parse(sentAt)) &&
					(!known || sentAt > known)
				) {
					lastSent.set(authorId, sentAt);
				}
			}
		});
		return lastSent;
	}

	/** Notes that an author was sent a notice now. */
	public async saveSent(persistence: IPersistence, authorId: string, sentAt: Date): Promise<void> {
		await persistence.updateByAssociations(
			this.sentOf(authorId),
			{ authorId, sentAt: sentAt.toISOString() },
			true,
		);
	}

	/** Notes that an author's notice was given up (racing copies: reads keep the newest). */
	public async saveUndelivered(
		persistence: IPersistence,
		undelivered: IUndeliveredNotice,
	): Promise<void> {
		await persistence.updateByAssociations(
			this.undeliveredOf(undelivered.authorId),
			undelivered,
			true,
		);
	}

	/** Forgets when an author was last sent or refused a notice (they have no named feedback left). */
	public async forgetAuthor(persistence: IPersistence, authorId: string): Promise<void> {
		await persistence.removeByAssociations(this.sentOf(authorId));
		await persistence.removeByAssociations(this.undeliveredOf(authorId));
	}

	/** The authors a "last sent" or "given up" record names. */
	public async authorsNamed(): Promise<Set<string>> {
		const records = await Promise.all(
			[RecordScope.StatusNoticeSent, RecordScope.StatusNoticeUndelivered].map((scope) =>
				this.reader.readByAssociations(buildAssociations({ scope })),
			),
		);
		const authors = new Set<string>();
		for (const record of records.flat()) {
			const { authorId } = (record ?? {}) as Record<string, unknown>;
			if (typeof authorId === 'string') {
				authors.add(authorId);
			}
		}
		return authors;
	}

	/** The last notice given up for an author, when it is newer than the last one sent to them. */
	public async undelivered(authorId: string): Promise<IUndeliveredNotice | undefined> {
		const [records, sent] = await Promise.all([
			this.reader.readByAssociations(this.undeliveredOf(authorId)),
			this.lastSent([authorId]),
		]);
		let newest: IUndeliveredNotice | undefined;
		for (const record of records) {
			const { reason, detail, at } = (record ?? {}) as Record<string, unknown>;
			if (
				(reason === 'encrypted' || reason === 'refused') &&
				typeof detail === 'string' &&
				typeof at === 'string' &&
				(!newest || at > newest.at)
			) {
				newest = { authorId, reason, detail, at };
			}
		}
		const lastSent = sent.get(authorId);
		return newest && (!lastSent || newest.at > lastSent) ? newest : undefined;
	}

	private undeliveredOf(authorId: string) {
		return buildAssociations({
			scope: RecordScope.StatusNoticeUndelivered,
			keys: [`author:${authorId}`],
		});
	}

	private pendingOf(changeId: string) {
		return buildAssociations({
			scope: RecordScope.StatusNoticePending,
			keys: [`change:${changeId}`],
		});
	}

	private toldOf(feedbackId: string) {
		return buildAssociations({
			scope: RecordScope.StatusNoticeTold,
			keys: [`feedback:${feedbackId}`],
		});
	}

	private sentOf(authorId: string) {
		return buildAssociations({ scope: RecordScope.StatusNoticeSent, keys: [`author:${authorId}`] });
	}
}
