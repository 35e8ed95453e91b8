import type { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';

import type { FeedbackRepository } from './FeedbackRepository';
import type { MergeLog } from './MergeLog';
import type { IFeedbackRecord } from '../domain/record';

/**
 * Deletes a feedback (with userId, only if it is theirs: FeedbackRepository.remove), then the
 * merges naming it as the duplicate, which would leave nothing to merge. A merge into it stays:
 * its duplicates stay duplicates; the statistics count what is left of the group once
 * (countedOnce.ts).
 */
export async function removeFeedback(
	stores: { readonly feedback: FeedbackRepository; readonly merges: MergeLog },
	persistence: IPersistence,
	record: IFeedbackRecord,
	now: Date,
	userId?: string,
): Promise<void> {
	await stores.feedback.remove(persistence, record, now, userId);
	await stores.merges.removeOf(persistence, record.id);
}
