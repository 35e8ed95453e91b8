// Who follows a feedback: its named author and everyone who voted, unless they stopped; anyone
// can follow or stop following again, and the newest of these facts decides. Followers of a
// duplicate follow what it was merged into. Each fact is an event of its own (created, never
// updated), so racing clicks on several instances never lose one.

import { isLaterEvent, newestEvent } from './votes';
import type { IVoteEvent } from './votes';

/** A member's explicit choice to follow a feedback or to stop, as stored. */
export interface IFollowEvent {
	readonly feedbackId: string;
	readonly memberId: string;
	readonly following: boolean;
	/** The click's or command's own id: one delivered twice is stored under one id. */
	readonly clickId: string;
	readonly at: string;
}

/** A member's choice to receive the app's notices of followed feedback or not, as stored. */
export interface INoticeChoice {
	readonly memberId: string;
	readonly on: boolean;
	readonly clickId: string;
	readonly at: string;
}

/** What decides following for one feedback: its named author and its events. */
export interface IFollowFacts {
	readonly feedbackId: string;
	/** The named author and when they sent it; null for anonymous feedback. */
	readonly author: { readonly id: string; readonly at: string } | null;
	readonly votes: ReadonlyArray<IVoteEvent>;
	readonly follows: ReadonlyArray<IFollowEvent>;
}

/** A fact that makes a member follow (true) or not (false), with its time. */
interface IFollowFact {
	readonly memberId: string;
	readonly following: boolean;
	readonly at: string;
	readonly clickId: string;
}

function factsOf(facts: IFollowFacts): Array<IFollowFact> {
	const all: Array<IFollowFact> = [];
	if (facts.author) {
		// Sorts before any click of the same instant.
		all.push({ memberId: facts.author.id, following: true, at: facts.author.at, clickId: '' });
	}
	for (const vote of facts.votes) {
		// A vote follows; withdrawing it leaves following as it was.
		if (vote.voted) {
			all.push({ ...vote, following: true });
		}
	}
	all.push(...facts.follows);
	return all;
}

/** The members following a feedback (and the duplicates merged into it): newest fact wins per member. */
export function followersOf(feedback: ReadonlyArray<IFollowFacts>): Set<string> {
	const newest = new Map<string, IFollowFact>();
	for (const fact of feedback.flatMap(factsOf)) {
		const known = newest.get(fact.memberId);
		if (!known || isLaterEvent(fact, known)) {
			newest.set(fact.memberId, fact);
		}
	}
	return new Set(
		[...newest.values()].filter((fact) => fact.following).map((fact) => fact.memberId),
	);
}

/** Whether a member wants notices of what they follow: on unless their newest choice is off. */
export function noticesOn(choices: ReadonlyArray<INoticeChoice>): boolean {
	return newestEvent(choices)?.on ?? true;
}

/** A stored value as a follow event, or undefined when it is not one. */
export function parseFollowEvent(value: unknown): IFollowEvent | undefined {
	const { feedbackId, memberId, following, clickId, at } = (value ?? {}) as Record<string, unknown>;
	return typeof feedbackId === 'string' &&
		typeof memberId === 'string' &&
		typeof following === 'boolean' &&
		typeof clickId === 'string' &&
		typeof at === 'string' &&
		!Number.isNaN(Date.parse(at))
		? { feedbackId, memberId, following, clickId, at }
		: undefined;
}

/** A stored value as a notice choice, or undefined when it is not one. */
export function parseNoticeChoice(value: unknown): INoticeChoice | undefined {
	const { memberId, on, clickId, at } = (value ?? {}) as Record<string, unknown>;
	return typeof memberId === 'string' &&
		typeof on === 'boolean' &&
		typeof clickId === 'string' &&
		typeof at === 'string' &&
		!Number.isNaN(Date.parse(at))
		? { memberId, on, clickId, at }
		: undefined;
}
