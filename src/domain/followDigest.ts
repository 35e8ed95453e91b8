// The daily digest to followers: once a UTC day has closed (domain/days.ts: no instance will
// still file a status change in it), every member who follows a feedback changed that day gets one
// direct message listing every change of the day to what they follow. Everything here is derived
// from what a closed day holds, so every run on every instance computes the same digests and the
// same reference for each (member, day): copies of the job write the same first line, and
// AppPoster.placeOnce keeps one message.

import { DAY_CLOSING_GRACE_MS, DAY_MS, dayOf, startOfDay } from './days';
import type { IFeedbackRecord } from './record';
import { isLaterChange } from './status';
import type { IStatusChange } from './status';
import { noticeReference } from './statusNotice';

/** The most members one run of the job sends a digest to, so a run stays far inside the engine's 30 s. */
export const FOLLOW_DIGEST_MEMBERS_PER_RUN = 20;

/** The longest one run works before it leaves the rest to the next run (the engine times out at 30 s). */
export const FOLLOW_DIGEST_RUN_BUDGET_MS = 10_000;

/**
 * How long after a day closed a digest the server keeps failing for no named reason is tried
 * again: after that it is given up, so a day is finished and not read again for ever.
 */
export const FOLLOW_DIGEST_GIVE_UP_MS = DAY_MS;

/** The most days one run reads, oldest first (catching up after the jobs stopped for a while). */
export const FOLLOW_DIGEST_DAYS_PER_RUN = 7;

/** The most "Stop following" buttons one row holds; more feedback make more rows. */
export const STOP_BUTTONS_PER_ROW = 5;

/** One status change of a day, with its feedback and who follows that feedback now. */
export interface IFollowedChange {
	readonly change: IStatusChange;
	readonly record: IFeedbackRecord;
	/** The followers of the feedback's merged group (persistence/engagement.ts). */
	readonly followers: ReadonlySet<string>;
}

/** One member's digest of one day: every change of the day to what they follow, oldest first. */
export interface IFollowDigest {
	readonly memberId: string;
	readonly day: string;
	readonly changes: ReadonlyArray<IFollowedChange>;
	/** Deterministic for (member, day): the digest's first line carries it. */
	readonly reference: string;
}

/** The named author of a feedback, or null for anonymous feedback. */
function namedAuthorOf(record: IFeedbackRecord): string | null {
	return record.anonymous || record.author === null ? null : record.author.id;
}

function byChangeTime(a: IFollowedChange, b: IFollowedChange): number {
	if (a.change.id === b.change.id) {
		return 0;
	}
	return isLaterChange(a.change, b.change) ? 1 : -1;
}

/** The reference of a member's digest of a day: the same text on every instance and run. */
export function followDigestReference(memberId: string, day: string): string {
	// The notices' hash over a key no status change id can take (ids are hexadecimal with dashes).
	return noticeReference(memberId, [`follow-digest ${day}`]);
}

/**
 * The digests of one closed day, by member id in order: each follower of a changed feedback gets
 * every change of the day to what they follow, except changes of their own named feedback (its
 * author hears of those at once, StatusNoticeJob). A change to a duplicate reaches the followers
 * of its whole merged group, as the followers of that group are one set (engagementOf).
 */
export function digestsOfDay(
	day: string,
	changes: ReadonlyArray<IFollowedChange>,
): Array<IFollowDigest> {
	const byMember = new Map<string, Map<string, IFollowedChange>>();
	for (const followed of changes) {
		const author = namedAuthorOf(followed.record);
		for (const memberId of followed.followers) {
			if (memberId === author) {
				continue;
			}
			const own = byMember.get(memberId) ?? new Map<string, IFollowedChange>();
			// Copies of one change (racing saves of one form) count once.
			own.set(followed.change.id, followed);
			byMember.set(memberId, own);
		}
	}
	return [...byMember.keys()].sort().map((memberId) => ({
		memberId,
		day,
		changes: [...(byMember.get(memberId)?.values() ?? [])].sort(byChangeTime),
		reference: followDigestReference(memberId, day),
	}));
}

/** The day after a UTC day. */
export function nextDay(day: string): string {
	return dayOf(new Date(startOfDay(day) + DAY_MS).toISOString());
}

/**
 * The closed days whose digests are still to send, oldest first: from the first day the job saw
 * (never a day before it: no digest of years of history on an upgrade), after the last day done,
 * up to the last closed day, at most `limit`.
 */
export function daysToSend(
	firstDay: string,
	doneThrough: string,
	now: Date,
	limit = FOLLOW_DIGEST_DAYS_PER_RUN,
): Array<string> {
	const days: Array<string> = [];
	let day = doneThrough >= firstDay ? nextDay(doneThrough) : firstDay;
	while (days.length < limit && now.getTime() >= startOfDay(day) + DAY_MS + DAY_CLOSING_GRACE_MS) {
		days.push(day);
		day = nextDay(day);
	}
	return days;
}

/** Whether a digest of a day that keeps failing is past trying again. */
export function isDigestPastGivingUp(day: string, now: Date): boolean {
	return (
		now.getTime() >= startOfDay(day) + DAY_MS + DAY_CLOSING_GRACE_MS + FOLLOW_DIGEST_GIVE_UP_MS
	);
}
