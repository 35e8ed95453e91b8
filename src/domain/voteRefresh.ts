// What the recurring refresh does with a click whose announcement's count was not verified by the
// click itself (its process stopped, its update failed, or it is still underway).

/** A click whose announcement may not show the count yet, as stored (VoteRefreshes). */
export interface IVoteRefresh {
	readonly feedbackId: string;
	readonly memberId: string;
	readonly clickId: string;
	/** When the click began: its record is written before its vote. */
	readonly at: string;
	/**
	 * Set for a merge (its id is the click id): a merge moves votes without storing one, so its
	 * refresh is due at once, with nothing to wait for.
	 */
	readonly merge?: true;
}

/**
 * How long a click without a stored vote may still be underway: twice the engine's 30 s timeout
 * of a call to the app (after which the server has given up on the click, though its code may go on).
 */
export const CLICK_UNDERWAY_MS = 60 * 1000;

/** How long a count that cannot be written (the server refuses the edit) is tried again. */
export const REFRESH_GIVE_UP_MS = 60 * 60 * 1000;

/**
 * What to do with a refresh record: `refresh` when its vote is stored (a recount that begins now
 * counts it), `wait` while its click may still store the vote, `drop` when the click ended
 * without storing one (the count never changed) or the refresh has been tried for too long.
 */
export function refreshStep(
	refresh: IVoteRefresh,
	voteStored: boolean,
	now: Date,
): 'refresh' | 'wait' | 'drop' {
	const started = Date.parse(refresh.at);
	const age = Number.isNaN(started) ? Number.POSITIVE_INFINITY : now.getTime() - started;
	if (age >= REFRESH_GIVE_UP_MS) {
		return 'drop';
	}
	if (voteStored || refresh.merge === true) {
		return 'refresh';
	}
	return age >= CLICK_UNDERWAY_MS ? 'drop' : 'wait';
}

/** A stored value as a refresh record, or undefined when it is not one. */
export function parseVoteRefresh(value: unknown): IVoteRefresh | undefined {
	const { feedbackId, memberId, clickId, at, merge } = (value ?? {}) as Record<string, unknown>;
	if (
		typeof feedbackId !== 'string' ||
		typeof memberId !== 'string' ||
		typeof clickId !== 'string' ||
		typeof at !== 'string'
	) {
		return undefined;
	}
	return merge === true
		? { feedbackId, memberId, clickId, at, merge }
		: { feedbackId, memberId, clickId, at };
}
