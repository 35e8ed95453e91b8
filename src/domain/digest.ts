// The weekly digest: when it runs (a weekly slot in UTC, as a cron line in the server's local
// time, which is what the server's scheduler reads) and what it sums up.

import type { IFeedbackRecord } from './record';
import { FeedbackStatus } from './status';

export const WEEKDAYS = [
	'sunday',
	'monday',
	'tuesday',
	'wednesday',
	'thursday',
	'friday',
	'saturday',
] as const;

export type Weekday = (typeof WEEKDAYS)[number];

/** The digest's settings as the app uses them. */
export interface IDigestSettings {
	readonly enabled: boolean;
	/** 0 is Sunday, as in cron. */
	readonly weekday: number;
	/** The hour in UTC, 0 to 23. */
	readonly hour: number;
	/** The room's name, without #. */
	readonly room: string;
}

export const DEFAULT_DIGEST_WEEKDAY: Weekday = 'monday';
export const DEFAULT_DIGEST_HOUR = 9;

/** The digest's settings from raw values; anything out of range takes the default. */
export function parseDigestSettings(raw: {
	enabled: unknown;
	weekday: unknown;
	hour: unknown;
	room: unknown;
}): IDigestSettings {
	const weekday = WEEKDAYS.indexOf(raw.weekday as Weekday);
	const hour = typeof raw.hour === 'string' && /^\d+$/.test(raw.hour) ? Number(raw.hour) : raw.hour;
	return {
		enabled: raw.enabled === true,
		weekday: weekday === -1 ? WEEKDAYS.indexOf(DEFAULT_DIGEST_WEEKDAY) : weekday,
		hour:
			typeof hour === 'number' && Number.isInteger(hour) && hour >= 0 && hour <= 23
				? hour
				: DEFAULT_DIGEST_HOUR,
		room: typeof raw.room === 'string' ? raw.room.trim().replace(/^#/, '') : '',
	};
}

const MINUTES_PER_WEEK = 7 * 24 * 60;

/**
 * The cron line (minute hour * * weekday) of a weekly UTC slot in the local time of a server
 * whose clock is `timezoneOffsetMinutes` behind UTC (Date#getTimezoneOffset).
 */
export function cronForSlot(weekday: number, hour: number, timezoneOffsetMinutes: number): string {
	const utc = weekday * 24 * 60 + hour * 60;
	const local =
		(((utc - timezoneOffsetMinutes) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
	const day = Math.floor(local / (24 * 60));
	const minuteOfDay = local % (24 * 60);
	return `${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60)} * * ${day}`;
}

/** What one week of feedback came to. */
export interface IWeekSummary {
	readonly total: number;
	readonly byCategory: ReadonlyArray<readonly [string, number]>;
	readonly byStatus: ReadonlyMap<FeedbackStatus, number>;
	/** Null when no feedback of the week had a rating. */
	readonly averageRating: number | null;
}

/** Sums up a week's feedback with each one's current status. */
export function summarizeWeek(
	records: ReadonlyArray<IFeedbackRecord>,
	statusOf: ReadonlyMap<string, FeedbackStatus>,
): IWeekSummary {
	const categories = new Map<string, number>();
	const byStatus = new Map<FeedbackStatus, number>();
	let ratingSum = 0;
	let rated = 0;
	for (const record of records) {
		categories.set(record.category, (categories.get(record.category) ?? 0) + 1);
		const status = statusOf.get(record.id) ?? FeedbackStatus.New;
		byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
		if (record.rating !== null) {
			ratingSum += record.rating;
			rated += 1;
		}
	}
	return {
		total: records.length,
		byCategory: [...categories].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
		byStatus,
		averageRating: rated > 0 ? ratingSum / rated : null,
	};
}
