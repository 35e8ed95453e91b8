// The weekly digest: when it is due (a weekly slot in UTC, computed here from the time alone, so
// neither the server's nor the app process's time zone can move it) and what it sums up.

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

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/**
 * The latest weekly slot (the weekday, 0 is Sunday, at hour:00 UTC) at or before `now`. UTC
 * arithmetic only: the result is the same in every time zone, across daylight-saving changes.
 */
export function latestSlot(now: Date, weekday: number, hour: number): Date {
	const time = now.getTime();
	const startOfToday = time - (((time % DAY_MS) + DAY_MS) % DAY_MS);
	const daysBack = (now.getUTCDay() - weekday + 7) % 7;
	const slot = startOfToday - daysBack * DAY_MS + hour * HOUR_MS;
	// Today's weekday, but the hour has not come yet: last week's slot.
	return new Date(slot > time ? slot - WEEK_MS : slot);
}

/** What the digest of one slot sums up: the week before the slot, and the week before that. */
export interface IDigestWeeks {
	readonly slot: Date;
	readonly weekStart: Date;
	readonly previousStart: Date;
}

/** The weeks of a slot's digest, from the slot alone: every run for the slot reads the same. */
export function weeksOfSlot(slot: Date): IDigestWeeks {
	return {
		slot,
		weekStart: new Date(slot.getTime() - WEEK_MS),
		previousStart: new Date(slot.getTime() - 2 * WEEK_MS),
	};
}

/** A time as the digest's heading shows it: "YYYY-MM-DD HH:MM", in UTC. */
export function slotTimeText(time: Date): string {
	return time.toISOString().slice(0, 16).replace('T', ' ');
}

/** What identifies the slot setting: the digest's history is kept per configuration. */
export function configurationKey(settings: IDigestSettings): string {
	return `${settings.weekday}-${settings.hour}`;
}

/** Whether the digest posts at all: turned on, with a room. */
export function isDigestActive(settings: IDigestSettings): boolean {
	return settings.enabled && settings.room !== '';
}

/**
 * The slot whose digest is due now, if any: the latest slot at or before `now`, but only when
 * the current configuration was seen before (or at) it. A digest just turned on, or moved to
 * another weekday or hour, does not post for a slot in the past; a slot older than the latest
 * one is never due (the latest takes over, so a clock jumping over several slots posts once).
 */
export function dueSlot(
	now: Date,
	settings: IDigestSettings,
	seenSince: Date | undefined,
): Date | undefined {
	if (!isDigestActive(settings) || seenSince === undefined) {
		return undefined;
	}
	const slot = latestSlot(now, settings.weekday, settings.hour);
	return seenSince.getTime() <= slot.getTime() ? slot : undefined;
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
