import type { FeedbackRepository } from './FeedbackRepository';
import type { StatusLog } from './StatusLog';
import type { IAdminViewState } from '../domain/actions';
import type { IFeedbackRecord } from '../domain/record';
import { FeedbackStatus } from '../domain/status';

/** A page of the admin view: entries with their status, and whether another page follows. */
export interface IAdminPage {
	readonly entries: ReadonlyArray<{ record: IFeedbackRecord; status: FeedbackStatus }>;
	readonly hasNextPage: boolean;
}

/**
 * A page of everyone's feedback, newest first, filtered by category and status. Feedback is read
 * newest first (the newest hours of a day filed by the hour alone, then the rest of the day)
 * until the page (and one more entry) is found, so an unfiltered page costs what the admin's
 * list costs, on a busy day too; a status filter reads, with each day's feedback, the changes of
 * the feedback created that day (every change of every day before the changes were filed so).
 */
export async function adminPage(
	stores: { readonly feedback: FeedbackRepository; readonly statuses: StatusLog },
	state: IAdminViewState,
	size: number,
	now: Date,
): Promise<IAdminPage> {
	const { feedback, statuses } = stores;
	const byDay = state.status !== null && (await statuses.isFiledByCreation());
	const statusOfAll = state.status !== null && !byDay ? await statuses.statusOfAll() : undefined;
	const statusOfDays = new Map<string, Promise<Map<string, FeedbackStatus>>>();
	const statusOfDay = (day: string): Promise<Map<string, FeedbackStatus> | undefined> => {
		if (!byDay) {
			return Promise.resolve(statusOfAll);
		}
		const known = statusOfDays.get(day) ?? statuses.statusesOfCreatedDay(day);
		statusOfDays.set(day, known);
		return known;
	};
	const wanted = state.page * size + 1;
	const matching: Array<{ record: IFeedbackRecord; status: FeedbackStatus }> = [];
	for await (const chunk of feedback.newestFirst(now)) {
		const statusOf = await statusOfDay(chunk.day);
		for (const record of chunk.records) {
			const status = statusOf?.get(record.id) ?? FeedbackStatus.New;
			if (
				(state.category === null || record.category === state.category) &&
				(state.status === null || status === state.status)
			) {
				matching.push({ record, status });
			}
		}
		// Before the next chunk is read.
		if (matching.length >= wanted) {
			break;
		}
	}
	const shown = matching.slice((state.page - 1) * size, state.page * size);
	const hasNextPage = matching.length > state.page * size;
	if (state.status !== null) {
		return { entries: shown, hasNextPage };
	}
	// Unfiltered, no status was read: those of the page's entries only.
	const known = await statuses.statusesOf(shown.map(({ record }) => record.id));
	return {
		entries: shown.map(({ record }) => ({
			record,
			status: known.get(record.id) ?? FeedbackStatus.New,
		})),
		hasNextPage,
	};
}
