import type { IJobRequest } from './requestContext';
import { followUpId } from '../domain/ids';
import { heldMerges } from '../domain/merges';
import type { IMergeRecord } from '../domain/merges';
import { shortIdOf } from '../domain/record';
import { FeedbackStatus, newestChange, previousChange } from '../domain/status';
import type { IStatusChange } from '../domain/status';

/**
 * How long a merge that does not hold is left alone: the admin's click that stored it may still
 * be appending its status (the engine gives a call 30 s; its code can go on after that).
 */
export const LOST_MERGE_SETTLE_AFTER_MS = 2 * 60 * 1000;

/**
 * Settles what racing merges leave (run by the upkeep). Two admins merging A into B and B into A
 * on two instances at once can each read back only their own merge and mark their duplicate;
 * every read then holds the earlier merge only (domain/merges.ts), but the later one's entry
 * shows the status Duplicate. Such an entry gets its status back (or, when it was merged
 * elsewhere meanwhile, the pointer of the merge that holds), then the lost merge is removed. The
 * settling change's id derives from the lost merge's, so racing runs store copies that collapse.
 */
export class MergeSettling {
	constructor(private readonly now: () => Date) {}

	/** Settles the lost merges old enough; resolves with how many were settled. */
	public async run(request: IJobRequest): Promise<number> {
		const { stores } = request;
		const records = await stores.merges.records();
		const held = heldMerges(records);
		const due = this.now().getTime() - LOST_MERGE_SETTLE_AFTER_MS;
		const lost = new Map<string, IMergeRecord>();
		for (const record of records) {
			if (held.get(record.sourceId)?.id !== record.id && Date.parse(record.at) <= due) {
				lost.set(record.id, record);
			}
		}
		for (const record of lost.values()) {
			await this.settle(request, record, held.get(record.sourceId));
		}
		return lost.size;
	}

	private async settle(
		request: IJobRequest,
		lost: IMergeRecord,
		holding: IMergeRecord | undefined,
	): Promise<void> {
		const { stores, persistence } = request;
		const [record, changes] = await Promise.all([
			stores.feedback.find(lost.sourceId),
			stores.statuses.changesOf(lost.sourceId),
		]);
		const newest = newestChange(changes);
		if (record && newest?.id === lost.id) {
			const others = changes.filter((change) => change.id !== lost.id);
			const before = newestChange(others);
			const readAt = this.now();
			const change: IStatusChange = {
				id: followUpId('settled-merge', lost.id),
				feedbackId: lost.sourceId,
				feedbackCreatedAt: record.createdAt,
				...(holding
					? { status: FeedbackStatus.Duplicate, note: shortIdOf(holding.targetId) }
					: { status: before?.status ?? FeedbackStatus.New, note: before?.note ?? '' }),
				adminId: lost.adminId,
				at: readAt.toISOString(),
				previous: previousChange(changes, readAt),
			};
			await stores.statuses.append(persistence, change);
			if (!record.anonymous && record.author !== null) {
				await stores.statusNotices.add(persistence, {
					authorId: record.author.id,
					feedbackId: lost.sourceId,
					changeId: change.id,
					changeAt: change.at,
				});
			}
		}
		// After its status is settled: a run that stops before this settles it again, alike.
		await stores.merges.removeOne(persistence, lost);
	}
}
