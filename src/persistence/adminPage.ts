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
 * A page of everyone's feedback, newest first, filtered by category and status. Days are read
 * newest first until the page (and one more entry) is found, so an unfiltered page costs what
 * the admin's list costs; a status filter reads the status changes once, all of them.
 */
export async function adminPage(
	stores: { readonly feedback: FeedbackRepository; readonly statuses: StatusLog },
	state: IAdminViewState,
	size: number,
): Promise<IAdminPage> {
	const { feedback, statuses } = stores;
	const statusOf = state.status === null ? undefined : await statuses.statusOfAll();
	const wanted = state.page * size + 1;
	const matching: Array<IFeedbackRecord> = [];
	for (const day of await feedback.days()) {
		if (matching.length >= wanted) {
			break;
		}
		for (const record of await feedback.recordsOfDay(day)) {
			const status = statusOf?.get(record.id) ?? FeedbackStatus.New;
			if (
				(state.category === null || record.category === state.category) &&
				(state.status === null || status === state.status)
			) {
				matching.push(record);
			}
		}
	}
	const shown = matching.slice((state.page - 1) * size, state.page * size);
	const known = statusOf ?? (await statuses.statusesOf(shown.map((record) => record.id)));
	return {
		entries: shown.map((record) => ({
			record,
			status: known.get(record.id) ?? FeedbackStatus.New,
		})),
		hasNextPage: matching.length > state.page * size,
	};
}
