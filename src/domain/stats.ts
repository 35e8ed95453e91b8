import type { ITally } from './tally';

/** The admin's view of all feedback. */
export interface IFeedbackStats {
	readonly total: number;
	/** Category and count, most used first. */
	readonly byCategory: ReadonlyArray<readonly [string, number]>;
	readonly ratingCount: number;
	/** Mean of the given ratings, or null when none was given. */
	readonly averageRating: number | null;
	/** Distinct named authors. */
	readonly contributors: number;
	/** Feedback sent anonymously: never tied to an author, so counted apart. */
	readonly anonymous: number;
	readonly messages: number;
	/** Feedback per 1000 messages, or null before any message was counted. */
	readonly perThousandMessages: number | null;
}

/** The statistics of a tally and the message count. */
export function computeStats(tally: ITally, messages: number): IFeedbackStats {
	const byCategory = [...tally.categories]
		.filter(([, amount]) => amount > 0)
		.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
	return {
		total: tally.total,
		byCategory,
		ratingCount: tally.ratingCount,
		averageRating: tally.ratingCount > 0 ? tally.ratingSum / tally.ratingCount : null,
		contributors: [...tally.contributors.values()].filter((amount) => amount > 0).length,
		anonymous: tally.anonymous,
		messages,
		perThousandMessages: messages > 0 ? (tally.total * 1000) / messages : null,
	};
}
