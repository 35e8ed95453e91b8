import type { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';

import type { FeedbackRepository } from './FeedbackRepository';
import type { RunningTotal } from './RunningTotal';
import type { IPage } from '../domain/paging';
import type { IFeedbackRecord } from '../domain/record';

/** A page of everyone's feedback; while the total is still being counted, pages only say what follows. */
export interface IEveryonePage extends IPage<IFeedbackRecord> {
	/** The running total is not complete yet (see FOLD_BUDGET_RECORDS): `pages` is this page, or the next. */
	readonly counting: boolean;
}

/**
 * A page of everyone's feedback, newest first. Only the newest days the page reaches are read,
 * and the total comes from the running total. Page 1 reads each day once (the page's days serve
 * the total too); past page 1 the total comes first, so a page past the end reads no feedback.
 */
export async function pageOfEveryone(
	stores: { readonly feedback: FeedbackRepository; readonly totals: RunningTotal },
	persistence: IPersistence,
	page: number,
	size: number,
	now: Date,
): Promise<IEveryonePage> {
	const { feedback, totals } = stores;
	const before = page > 1 ? await totals.refresh(persistence, now) : undefined;
	const beyond =
		before !== undefined && !before.preparing && (page - 1) * size >= before.tally.total;
	const wanted = page * size;
	const newest = beyond ? undefined : await feedback.newest(wanted, now);
	const totalNow = before ?? (await totals.refresh(persistence, now, newest));
	const items = newest ? newest.items.slice(wanted - size, wanted) : [];
	if (totalNow.preparing) {
		// No total yet. Fewer entries than asked for means every day was read: that is the total;
		// else one entry more than the page tells whether a next page exists.
		const read = newest?.items.length ?? 0;
		const seen = read < wanted ? read : (await feedback.newest(wanted + 1, now)).items.length;
		const pages = seen > wanted ? page + 1 : Math.max(1, Math.ceil(seen / size));
		return { items, page, pages, total: seen, counting: true };
	}
	const { total } = totalNow.tally;
	return { items, page, pages: Math.max(1, Math.ceil(total / size)), total, counting: false };
}
