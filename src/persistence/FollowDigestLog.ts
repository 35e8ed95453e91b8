import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { DAY_MS, dayOf, startOfDay } from '../domain/days';

/** How long the sent markers of a finished day are kept: a run that started before it finished still finds them. */
const SENT_MARKERS_KEPT_DAYS = 7;

function daysOf(values: ReadonlyArray<unknown>): Array<string> {
	return values
		.map((value) => (value as { day?: unknown } | null)?.day)
		.filter((day): day is string => typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day));
}

/**
 * What the followers' daily digest remembers, without any conditional write (the server has
 * none): the first day it saw (racing runs may each store one; the earliest counts), which
 * members were sent the digest of a day, and the last day finished. Each is created, never
 * updated; a copy written twice by racing runs says the same.
 */
export class FollowDigestLog {
	constructor(private readonly reader: IPersistenceRead) {}

	/** The first day the job saw, or undefined before its first run. */
	public async firstDay(): Promise<string | undefined> {
		const days = daysOf(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.FollowDigestStart }),
			),
		);
		return days.sort()[0];
	}

	/** Notes the day the job first sees. */
	public async noteFirstDay(persistence: IPersistence, day: string): Promise<void> {
		await persistence.createWithAssociations(
			{ day },
			buildAssociations({ scope: RecordScope.FollowDigestStart }),
		);
	}

	/** The last day whose every digest is sent, or '' when none is. */
	public async doneThrough(): Promise<string> {
		const days = daysOf(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.FollowDigestDayDone }),
			),
		);
		return days.sort().pop() ?? '';
	}

	/**
	 * Notes a day as finished, then forgets the markers it makes useless: finished days before it
	 * (days finish in order, so the newest says it all) and the sent markers of a week before.
	 */
	public async noteDayDone(persistence: IPersistence, day: string): Promise<void> {
		await persistence.createWithAssociations(
			{ day },
			buildAssociations({ scope: RecordScope.FollowDigestDayDone, keys: [`day:${day}`] }),
		);
		const stored = daysOf(
			await this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.FollowDigestDayDone }),
			),
		);
		const older = [...new Set(stored.filter((earlier) => earlier < day))];
		const weekBefore = dayOf(
			new Date(startOfDay(day) - SENT_MARKERS_KEPT_DAYS * DAY_MS).toISOString(),
		);
		await Promise.all([
			...older.map((earlier) =>
				persistence.removeByAssociations(
					buildAssociations({ scope: RecordScope.FollowDigestDayDone, keys: [`day:${earlier}`] }),
				),
			),
			persistence.removeByAssociations(
				buildAssociations({ scope: RecordScope.FollowDigestSent, keys: [`day:${weekBefore}`] }),
			),
		]);
	}

	/** The members whose digest of a day is sent (or given up). */
	public async sentOn(day: string): Promise<Set<string>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FollowDigestSent, keys: [`day:${day}`] }),
		);
		return new Set(
			stored
				.map((value) => (value as { memberId?: unknown } | null)?.memberId)
				.filter((memberId): memberId is string => typeof memberId === 'string'),
		);
	}

	/** Notes that a member's digest of a day is sent, or given up (`outcome` says which, for the logs). */
	public async noteSent(
		persistence: IPersistence,
		memberId: string,
		day: string,
		outcome: 'sent' | 'given-up',
	): Promise<void> {
		await persistence.createWithAssociations(
			{ memberId, day, outcome },
			buildAssociations({
				userId: memberId,
				scope: RecordScope.FollowDigestSent,
				keys: [`day:${day}`],
			}),
		);
	}
}
