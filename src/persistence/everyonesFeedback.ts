import type { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';

import type { FeedbackRepository } from './FeedbackRepository';
import type { RunningTotal } from './RunningTotal';
import type { IPage } from '../domain/paging';
import type { IFeedbackRecord } from '../domain/record';

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
): Promise<IPage<IFeedbackRecord>> {
	const { feedback, totals } = stores;
	const before = page > 1 ? await totals.refresh(persistence, now) : undefined;
	const beyond = before !== undefined && (page - 1) * size >= before.total;
	const wanted = page * size;
	const newest = beyond ? undefined : await feedback.newest(wanted);
	const total = before?.total ?? (await totals.refresh(persistence, now, newest)).total;
	return {
		items: newest ? newest.items.slice(wanted - size, wanted) : [],
		page,
		pages: Math.max(1, Math.ceil(total / size)),
		total,
	};
}
