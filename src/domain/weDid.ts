// "You said, we did": when an admin moves a feedback to Done, the announcement room hears of it,
// once. The status change only notes a pending post (keyed by the change's id, so copies of a
// submit collapse); a recurring job posts it. What is posted is decided when the job runs: a
// change that moved its feedback to Done from another status, as the log orders changes then,
// even if the feedback moved on since; one that kept it Done (a new note on a done entry) is not.

import { shortIdOf } from './record';
import { FeedbackStatus, isLaterChange } from './status';
import type { IStatusChange } from './status';

/** How long a failing post is tried again, from when it was noted: then it is given up (logged). */
export const WE_DID_RETRY_MS = 60 * 60 * 1000;

/** A change that moved (or may have moved) a feedback to Done, waiting for its post. */
export interface IPendingWeDid {
	readonly changeId: string;
	readonly feedbackId: string;
	/** When the admin's save noted it: the earliest of the copies. */
	readonly notedAt: string;
}

/** One pending post per change: copies of one save collapse into the earliest, oldest first. */
export function distinctPending(pending: ReadonlyArray<IPendingWeDid>): Array<IPendingWeDid> {
	const byChange = new Map<string, IPendingWeDid>();
	for (const item of pending) {
		const known = byChange.get(item.changeId);
		if (!known || item.notedAt < known.notedAt) {
			byChange.set(item.changeId, item);
		}
	}
	return [...byChange.values()].sort((a, b) =>
		a.notedAt === b.notedAt
			? a.changeId.localeCompare(b.changeId)
			: a.notedAt.localeCompare(b.notedAt),
	);
}

/**
 * Whether the change with this id moved its feedback to Done: its status is Done and the change
 * before it (in the order every instance reads, domain/status.ts isLaterChange) is not, nor is a
 * feedback without an earlier change (it was New). False when the change is not among them.
 */
export function isMoveToDone(changeId: string, changes: ReadonlyArray<IStatusChange>): boolean {
	const change = changes.find((candidate) => candidate.id === changeId);
	if (change?.status !== FeedbackStatus.Done) {
		return false;
	}
	let before: IStatusChange | undefined;
	for (const candidate of changes) {
		if (
			candidate.id !== change.id &&
			isLaterChange(change, candidate) &&
			(!before || isLaterChange(candidate, before))
		) {
			before = candidate;
		}
	}
	return (before?.status ?? FeedbackStatus.New) !== FeedbackStatus.Done;
}

/** Whether a post noted at `notedAt` has been tried long enough to give it up. */
export function isPastRetrying(notedAt: string, now: Date): boolean {
	const noted = Date.parse(notedAt);
	return Number.isNaN(noted) || now.getTime() - noted >= WE_DID_RETRY_MS;
}

/**
 * What a post's first line carries so that every copy of the job finds a copy already posted:
 * the feedback's short id and the change's, drawn from ids only (never from what people typed).
 */
export function weDidReference(feedbackId: string, changeId: string): string {
	return `${shortIdOf(feedbackId)}${shortIdOf(changeId)}`.replace(/[^0-9A-Za-z-]/g, '');
}
