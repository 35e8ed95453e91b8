import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { firstHourlyDay } from '../domain/periods';

/** No day is filed by the hour: every day is read whole. */
const NO_HOURLY_DAY = '9999-12-31';

function sinceOf(value: unknown): number | undefined {
	const { since } = (value ?? {}) as { since?: unknown };
	const time = typeof since === 'string' ? Date.parse(since) : Number.NaN;
	return Number.isFinite(time) ? time : undefined;
}

/**
 * From which day the store files feedback and status changes by the hour. Records written by
 * an earlier version carry only their day, so the first version that files by the hour notes
 * when it first saw the store (the earliest of racing notes counts), and days are read by the
 * hour only from the first day that starts a grace after that (firstHourlyDay). One read per
 * request at most.
 */
export class HourlyFiling {
	private firstDay?: Promise<string>;

	private noted?: Promise<string | undefined>;

	constructor(private readonly reader: IPersistenceRead) {}

	/** Notes that the store was written by this version since `since` (a seeded store, a test). */
	public static async markSince(persistence: IPersistence, since: Date): Promise<void> {
		await persistence.updateByAssociations(
			buildAssociations({ scope: RecordScope.HourlyFiling }),
			{ since: since.toISOString() },
			true,
		);
	}

	/** The first day filed by the hour, noting now as the first sighting when none is noted. */
	public firstDayFiledHourly(persistence: IPersistence, now: Date): Promise<string> {
		this.firstDay ??= this.notedFirstDay().then(async (day) => {
			if (day !== undefined) {
				return day;
			}
			try {
				await HourlyFiling.markSince(persistence, now);
				return firstHourlyDay(now);
			} catch {
				// Not noted: every day is read whole, as before, until a later call notes it.
				this.firstDay = undefined;
				return NO_HOURLY_DAY;
			}
		});
		return this.firstDay;
	}

	/** The first day filed by the hour, for a read that writes nothing: none before the first sighting. */
	public async firstDayToRead(): Promise<string> {
		return (await this.notedFirstDay()) ?? NO_HOURLY_DAY;
	}

	private notedFirstDay(): Promise<string | undefined> {
		this.noted ??= this.readFirstDay();
		return this.noted;
	}

	private async readFirstDay(): Promise<string | undefined> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.HourlyFiling }),
		);
		const times = stored.map(sinceOf).filter((time): time is number => time !== undefined);
		return times.length > 0 ? firstHourlyDay(new Date(Math.min(...times))) : undefined;
	}
}
