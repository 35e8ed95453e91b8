import { DAY_CLOSING_GRACE_MS, DAY_MS, HOUR_MS, isDayClosed, startOfDay } from './days';

/**
 * Records are folded by period: whole days before the store files by the hour, single hours
 * after. Both are named by their last hour ("YYYY-MM-DDTHH"), so one string says how far a
 * total reaches, whichever kind it folded, and periods sort by it.
 */
export interface IPeriod {
	/** The day ("YYYY-MM-DD") or the hour ("YYYY-MM-DDTHH") read. */
	readonly key: string;
	/** Its last hour: what a total that folded it reaches. */
	readonly last: string;
	readonly kind: 'day' | 'hour';
}

/** The UTC hour ("YYYY-MM-DDTHH") of an ISO time. */
export function hourOf(iso: string): string {
	return iso.slice(0, 13);
}

/** When a UTC hour ("YYYY-MM-DDTHH") starts, in ms (NaN for a malformed hour). */
export function startOfHourKey(hour: string): number {
	return Date.parse(`${hour}:00:00Z`);
}

/** The last hour of a UTC day. */
export function lastHourOf(day: string): string {
	return `${day}T23`;
}

/**
 * Whether no record can be added to the hour any more: as a day, it closes only after its end
 * plus the same grace for clock skew between instances (DAY_CLOSING_GRACE_MS).
 */
export function isHourClosed(hour: string, now: Date): boolean {
	const start = startOfHourKey(hour);
	return Number.isFinite(start) && now.getTime() >= start + HOUR_MS + DAY_CLOSING_GRACE_MS;
}

/** Whether a period is closed at this time. */
export function isPeriodClosed(period: IPeriod, now: Date): boolean {
	return period.kind === 'day' ? isDayClosed(period.key, now) : isHourClosed(period.key, now);
}

/** A total's reach stored by an earlier version as a day: through its last hour. */
export function reachOf(stored: string): string {
	return /^\d{4}-\d{2}-\d{2}$/.test(stored) ? lastHourOf(stored) : stored;
}

/**
 * The first day filed by the hour: the first UTC day that starts at least the grace after the
 * store was first seen by a version that files by the hour, so no instance of an earlier version
 * still writes records without their hour in it.
 */
export function firstHourlyDay(since: Date): string {
	const from = since.getTime() + DAY_CLOSING_GRACE_MS;
	const start = Math.ceil(from / DAY_MS) * DAY_MS;
	return new Date(start).toISOString().slice(0, 10);
}

/**
 * The periods of some days after a total's reach, oldest first: a day whole before
 * `hourlyFromDay`, each hour of it from then on, up to the hour a clock running the grace ahead
 * could still write (so a record of a fast instance is read while its hour is open). A later day
 * (a clock further ahead than that) is read whole while it is open, so nothing stored is missed.
 * A closed day the total holds nothing of is read whole too (records carry their day as well as
 * their hour): a store folded for the first time costs a read per day, not 24.
 */
export function periodsAfter(
	days: ReadonlyArray<string>,
	reach: string,
	hourlyFromDay: string,
	now: Date,
): Array<IPeriod> {
	const latest = latestWritableHour(now);
	const periods: Array<IPeriod> = [];
	for (const day of [...new Set(days)].sort()) {
		if (lastHourOf(day) <= reach || !Number.isFinite(startOfDay(day))) {
			continue;
		}
		const untouched = reach < `${day}T00` && isDayClosed(day, now);
		if (day < hourlyFromDay || day > latest.slice(0, 10) || untouched) {
			periods.push({ key: day, last: lastHourOf(day), kind: 'day' });
			continue;
		}
		for (let hour = 0; hour < 24; hour += 1) {
			const key = `${day}T${String(hour).padStart(2, '0')}`;
			if (key > reach && key <= latest) {
				periods.push({ key, last: key, kind: 'hour' });
			}
		}
	}
	return periods;
}

/** The hour after an hour ("YYYY-MM-DDTHH"). */
export function nextHour(hour: string): string {
	return hourOf(new Date(startOfHourKey(hour) + HOUR_MS).toISOString());
}

/** The hours after `after` through `through`, oldest first (none when `through` is not later). */
export function hoursAfter(after: string, through: string): Array<string> {
	const hours: Array<string> = [];
	for (let hour = nextHour(after); hour <= through; hour = nextHour(hour)) {
		hours.push(hour);
	}
	return hours;
}

/** The last hour closed at this time. */
export function lastClosedHour(now: Date): string {
	return hourOf(new Date(now.getTime() - HOUR_MS - DAY_CLOSING_GRACE_MS).toISOString());
}

/** The latest hour a clock running the grace ahead of this one could write in. */
export function latestWritableHour(now: Date): string {
	return hourOf(new Date(now.getTime() + DAY_CLOSING_GRACE_MS).toISOString());
}
