// Triage: an admin moves a feedback through statuses. Changes are appended, never updated, so two
// admins on two instances never lose one; the newest change is the status.

import { DAY_CLOSING_GRACE_MS } from './days';

/** Where a feedback stands; every feedback starts as `new`. */
export enum FeedbackStatus {
	New = 'new',
	Acknowledged = 'acknowledged',
	Planned = 'planned',
	Done = 'done',
	Declined = 'declined',
	/** Merged into another feedback (src/domain/merges.ts): set by a merge only, never picked. */
	Duplicate = 'duplicate',
}

/** Every status, in the order people read them. */
export const STATUSES: ReadonlyArray<FeedbackStatus> = [
	FeedbackStatus.New,
	FeedbackStatus.Acknowledged,
	FeedbackStatus.Planned,
	FeedbackStatus.Done,
	FeedbackStatus.Declined,
	FeedbackStatus.Duplicate,
];

/**
 * The statuses an admin picks in the status form: `duplicate` comes only with a merge, which also
 * moves votes and followers and names the target; picked by hand it would do neither.
 */
export const CHOSEN_STATUSES: ReadonlyArray<FeedbackStatus> = STATUSES.filter(
	(status) => status !== FeedbackStatus.Duplicate,
);

/** How long a note to the author may be, in user-perceived characters. */
export const MAX_NOTE_LENGTH = 500;

/** One status change, as stored. */
export interface IStatusChange {
	/** Its own id, so two changes in the same millisecond still have an order. */
	readonly id: string;
	readonly feedbackId: string;
	/** When the feedback was created: the time to its first change is measured from it. */
	readonly feedbackCreatedAt: string;
	readonly status: FeedbackStatus;
	/** A note to the author; empty for none. */
	readonly note: string;
	readonly adminId: string;
	readonly at: string;
	/** What the admin's instance read of the feedback's changes before this one; absent on older changes. */
	readonly previous?: IPreviousChange;
}

/** The newest change a writer saw before appending its own, and when its read began. */
export interface IPreviousChange {
	readonly readAt: string;
	/** Null when the feedback had no change yet. */
	readonly change: {
		readonly id: string;
		readonly at: string;
		readonly status: FeedbackStatus;
	} | null;
}

/** What a feedback was before a window of time: its status, and whether it had been changed. */
export interface IStatusBefore {
	readonly status: FeedbackStatus;
	readonly changed: boolean;
}

/** Whether a value is one of the statuses. */
export function isStatus(value: unknown): value is FeedbackStatus {
	return typeof value === 'string' && (STATUSES as ReadonlyArray<string>).includes(value);
}

/** Whether change `a` comes after `b`: later, then the larger id (the same order on every instance). */
export function isLaterChange(a: IStatusChange, b: IStatusChange): boolean {
	return a.at !== b.at ? a.at > b.at : a.id > b.id;
}

/**
 * Of two stored copies of one change (one form submitted twice, on one instance or two), whether
 * `a` is the one every read keeps: the earlier, then by status, note and admin, so every
 * instance that sees both keeps the same.
 */
export function isKeptCopy(a: IStatusChange, b: IStatusChange): boolean {
	const keyA = [a.at, a.status, a.note, a.adminId];
	const keyB = [b.at, b.status, b.note, b.adminId];
	const differs = keyA.findIndex((part, index) => part !== keyB[index]);
	return differs !== -1 && keyA[differs] < keyB[differs];
}

/** The newest of some changes, or undefined for none. */
export function newestChange(changes: ReadonlyArray<IStatusChange>): IStatusChange | undefined {
	let newest: IStatusChange | undefined;
	for (const change of changes) {
		if (!newest || isLaterChange(change, newest)) {
			newest = change;
		}
	}
	return newest;
}

/** The oldest of some changes, or undefined for none. */
export function oldestChange(changes: ReadonlyArray<IStatusChange>): IStatusChange | undefined {
	let oldest: IStatusChange | undefined;
	for (const change of changes) {
		if (!oldest || isLaterChange(oldest, change)) {
			oldest = change;
		}
	}
	return oldest;
}

/** A feedback's status after some of its changes: the newest wins, `new` without any. */
export function statusAfter(changes: ReadonlyArray<IStatusChange>): FeedbackStatus {
	return newestChange(changes)?.status ?? FeedbackStatus.New;
}

/** What a writer about to change a feedback with these changes records of them, read from `readAt`. */
export function previousChange(
	changes: ReadonlyArray<IStatusChange>,
	readAt: Date,
): IPreviousChange {
	const newest = newestChange(changes);
	return {
		readAt: readAt.toISOString(),
		change: newest ? { id: newest.id, at: newest.at, status: newest.status } : null,
	};
}

/**
 * A feedback's status before `windowStart` (ms), told by the oldest of its changes since then
 * without reading its history, or undefined when that change cannot tell. It can when its writer
 * began reading at least DAY_CLOSING_GRACE_MS after the window started (every change dated before
 * is visible by then, as for closed days) and the newest change it saw is older than the window:
 * that one is then the newest before it. A writer racing across the start, or a change stored
 * before changes carried this, leaves it to a read.
 */
export function statusBeforeWindow(
	changesInWindow: ReadonlyArray<IStatusChange>,
	windowStart: number,
): IStatusBefore | undefined {
	const previous = oldestChange(changesInWindow)?.previous;
	if (!previous || !(Date.parse(previous.readAt) >= windowStart + DAY_CLOSING_GRACE_MS)) {
		return undefined;
	}
	if (previous.change === null) {
		return { status: FeedbackStatus.New, changed: false };
	}
	return Date.parse(previous.change.at) < windowStart
		? { status: previous.change.status, changed: true }
		: undefined;
}

/** Upper bounds (ms) of the buckets the time to a first status change is counted in. */
export const RESPONSE_BUCKETS_MS: ReadonlyArray<number> = [
	60_000, // 1 minute
	15 * 60_000,
	60 * 60_000, // 1 hour
	4 * 60 * 60_000,
	24 * 60 * 60_000, // 1 day
	3 * 24 * 60 * 60_000,
	7 * 24 * 60 * 60_000, // 1 week
	30 * 24 * 60 * 60_000,
	Number.POSITIVE_INFINITY,
];

/** The bucket a time to first change falls in. */
export function responseBucketOf(milliseconds: number): number {
	const index = RESPONSE_BUCKETS_MS.findIndex((bound) => milliseconds <= bound);
	return index === -1 ? RESPONSE_BUCKETS_MS.length - 1 : index;
}

/**
 * The median time to a first status change, as the bucket it falls in: `[from, to]` in ms, or
 * undefined when nothing was triaged yet. Buckets keep the statistics' cost flat; the answer is
 * a range, never a made-up exact figure.
 */
export function medianResponse(
	counts: ReadonlyArray<number>,
): { readonly from: number; readonly to: number } | undefined {
	const total = counts.reduce((sum, count) => sum + count, 0);
	if (total === 0) {
		return undefined;
	}
	let seen = 0;
	for (const [index, count] of counts.entries()) {
		seen += count;
		if (seen * 2 >= total) {
			return {
				from: index === 0 ? 0 : RESPONSE_BUCKETS_MS[index - 1],
				to: RESPONSE_BUCKETS_MS[index],
			};
		}
	}
	return undefined;
}
