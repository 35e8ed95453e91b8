// "Me too" votes. A member's click is stored as an event of its own, never as an update of a
// shared counter: two instances never read-modify-write one record. A member's vote is their
// newest event; the count of a feedback is how many members' newest event is a vote. A click that
// arrives twice (the same trigger id, on one instance or two) is one event: copies collapse.

/** One click of a member on a feedback's "me too" button, as stored. */
export interface IVoteEvent {
	readonly feedbackId: string;
	readonly memberId: string;
	/** True when the click voted, false when it withdrew the vote. */
	readonly voted: boolean;
	/** The click's own id (its trigger id): a click delivered twice is stored under one id. */
	readonly clickId: string;
	readonly at: string;
}

/** What one click does, read from the member's events before it. */
export type VoteClick =
	/** This click was handled before (delivered again): it did what its stored event says. */
	| { readonly kind: 'repeat'; readonly voted: boolean }
	/** A new click: it votes, or withdraws the vote the member had. */
	| { readonly kind: 'new'; readonly voted: boolean };

/** Whether event `a` comes after `b`: later, then the larger click id (one order everywhere). */
export function isLaterEvent(
	a: { readonly at: string; readonly clickId: string },
	b: { readonly at: string; readonly clickId: string },
): boolean {
	return a.at !== b.at ? a.at > b.at : a.clickId > b.clickId;
}

/** The newest of some events, or undefined for none. */
export function newestEvent<T extends { readonly at: string; readonly clickId: string }>(
	events: ReadonlyArray<T>,
): T | undefined {
	let newest: T | undefined;
	for (const event of events) {
		if (!newest || isLaterEvent(event, newest)) {
			newest = event;
		}
	}
	return newest;
}

/** What a click does, given the member's stored events on that feedback. */
export function voteClick(memberEvents: ReadonlyArray<IVoteEvent>, clickId: string): VoteClick {
	const earlier = memberEvents.filter((event) => event.clickId === clickId);
	if (earlier.length > 0) {
		// Copies of one click carry the same choice (each was derived from the events before it).
		return { kind: 'repeat', voted: earlier.some((event) => event.voted) };
	}
	return { kind: 'new', voted: !(newestEvent(memberEvents)?.voted ?? false) };
}

/** The members whose newest event on any of the feedback is a vote, each once. */
export function currentVoters(events: ReadonlyArray<IVoteEvent>): Set<string> {
	const newestByMember = new Map<string, IVoteEvent>();
	for (const event of events) {
		const known = newestByMember.get(event.memberId);
		if (!known || isLaterEvent(event, known)) {
			newestByMember.set(event.memberId, event);
		}
	}
	return new Set(
		[...newestByMember.values()].filter((event) => event.voted).map((event) => event.memberId),
	);
}

/**
 * The voters of a feedback together with the feedback merged into it: a member who voted on
 * several of them is counted once. Events are grouped per feedback first, so a withdrawal on a
 * duplicate does not cancel a vote on its target.
 */
export function votersAcross(events: ReadonlyArray<IVoteEvent>): Set<string> {
	const byFeedback = new Map<string, Array<IVoteEvent>>();
	for (const event of events) {
		byFeedback.set(event.feedbackId, [...(byFeedback.get(event.feedbackId) ?? []), event]);
	}
	const voters = new Set<string>();
	for (const group of byFeedback.values()) {
		for (const member of currentVoters(group)) {
			voters.add(member);
		}
	}
	return voters;
}

/** A stored value as a vote event, or undefined when it is not one. */
export function parseVoteEvent(value: unknown): IVoteEvent | undefined {
	const { feedbackId, memberId, voted, clickId, at } = (value ?? {}) as Record<string, unknown>;
	return typeof feedbackId === 'string' &&
		typeof memberId === 'string' &&
		typeof voted === 'boolean' &&
		typeof clickId === 'string' &&
		typeof at === 'string' &&
		!Number.isNaN(Date.parse(at))
		? { feedbackId, memberId, voted, clickId, at }
		: undefined;
}
