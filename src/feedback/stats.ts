import type { IFeedbackRecord } from '../persistence/FeedbackRecord';

/** The admin's view of all feedback. */
export interface IFeedbackStats {
	readonly total: number;
	/** Category and count, most used first. */
	readonly byCategory: ReadonlyArray<readonly [string, number]>;
	readonly ratingCount: number;
	/** Mean of the given ratings, or null when none was given. */
	readonly averageRating: number | null;
	readonly contributors: number;
	readonly messages: number;
	/** Feedback per 1000 messages, or null before any message was counted. */
	readonly perThousandMessages: number | null;
}

/** Aggregates distinct feedback records and the message count. */
export function computeStats(
	records: ReadonlyArray<IFeedbackRecord>,
	messages: number,
): IFeedbackStats {
	const categories = new Map<string, number>();
	const contributors = new Set<string>();
	let ratingSum = 0;
	let ratingCount = 0;
	for (const record of records) {
		categories.set(record.category, (categories.get(record.category) ?? 0) + 1);
		contributors.add(record.contributor);
		if (record.rating !== null) {
			ratingSum += record.rating;
			ratingCount += 1;
		}
	}
	const byCategory = [...categories.entries()].sort(
		(a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
	);
	return {
		total: records.length,
		byCategory,
		ratingCount,
		averageRating: ratingCount > 0 ? ratingSum / ratingCount : null,
		contributors: contributors.size,
		messages,
		perThousandMessages: messages > 0 ? (records.length * 1000) / messages : null,
	};
}

/** One page of items (pages count from 1) and how many pages there are. */
export interface IPage<T> {
	readonly items: ReadonlyArray<T>;
	readonly page: number;
	readonly pages: number;
	readonly total: number;
}

export const PAGE_SIZE = 10;

/** Slices a page out of items; a page past the end has no items. */
export function paginate<T>(items: ReadonlyArray<T>, page: number, size = PAGE_SIZE): IPage<T> {
	const pages = Math.max(1, Math.ceil(items.length / size));
	return { items: items.slice((page - 1) * size, page * size), page, pages, total: items.length };
}
