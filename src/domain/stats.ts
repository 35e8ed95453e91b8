import type { ITally } from './tally';

/** The admin's view of all feedback. */
export interface IFeedbackStats {
	readonly total: number;
	/** Category and count, most used first. */
	readonly byCategory: ReadonlyArray<readonly [string, number]>;
	readonly ratingCount: number;
	/** Mean of the given ratings, or null when none was given. */
	readonly averageRating: number | null;
	/** Distinct named authors of the feedback stored now. */
	readonly contributors: number;
	/** Feedback sent anonymously: never tied to an author, so counted apart. */
	readonly anonymous: number;
	readonly messages: number;
	/** Feedback per 1000 messages, or null before any message was counted. */
	readonly perThousandMessages: number | null;
}

/** What the statistics of feedback are computed from. */
export interface IFeedbackCounts {
	readonly tally: ITally;
	/** Distinct named authors, counted apart from the tally (ContributorMarks). */
	readonly contributors: number;
}

/** The statistics of the feedback counts and the message count. */
export function computeStats(
	{ tally, contributors }: IFeedbackCounts,
	messages: number,
): IFeedbackStats {
	const byCategory = [...tally.categories]
		.filter(([, amount]) => amount > 0)
		.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
	return {
		total: tally.total,
		byCategory,
		ratingCount: tally.ratingCount,
		averageRating: tally.ratingCount > 0 ? tally.ratingSum / tally.ratingCount : null,
		contributors,
		anonymous: tally.anonymous,
		messages,
		perThousandMessages: messages > 0 ? (tally.total * 1000) / messages : null,
	};
}
