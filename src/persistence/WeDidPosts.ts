import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { distinctPending } from '../domain/weDid';
import type { IPendingWeDid } from '../domain/weDid';

function parsePending(value: unknown): IPendingWeDid | undefined {
	const { changeId, feedbackId, notedAt } = (value ?? {}) as Record<string, unknown>;
	return typeof changeId === 'string' &&
		typeof feedbackId === 'string' &&
		typeof notedAt === 'string' &&
		!Number.isNaN(Date.parse(notedAt))
		? { changeId, feedbackId, notedAt }
		: undefined;
}

/**
 * The "You said, we did" posts still to make, and those made. A save notes a pending record (any
 * instance, any number of copies: they collapse by change id); the job posts, marks the change
 * as posted, then removes every copy of its pending record. The marker answers a save submitted
 * again after the post, whose copy may no longer be among the room's newest messages.
 */
export class WeDidPosts {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Notes that a change may have moved its feedback to Done. */
	public async add(persistence: IPersistence, pending: IPendingWeDid): Promise<void> {
		await persistence.createWithAssociations(pending, this.pendingOf(pending.changeId));
	}

	/** Every pending post, one per change, oldest first. */
	public async pending(): Promise<Array<IPendingWeDid>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.WeDidPending }),
		);
		return distinctPending(
			stored.map(parsePending).filter((item): item is IPendingWeDid => item !== undefined),
		);
	}

	/** Removes every copy of a change's pending record. */
	public async remove(persistence: IPersistence, changeId: string): Promise<void> {
		await persistence.removeByAssociations(this.pendingOf(changeId));
	}

	/** Notes that a change's post is made (racing upserts may leave two: either says so). */
	public async markPosted(persistence: IPersistence, changeId: string, at: Date): Promise<void> {
		await persistence.updateByAssociations(
			this.postedOf(changeId),
			{ changeId, postedAt: at.toISOString() },
			true,
		);
	}

	/** Whether a change's post was marked as made. */
	public async isPosted(changeId: string): Promise<boolean> {
		return (await this.reader.readByAssociations(this.postedOf(changeId))).length > 0;
	}

	private pendingOf(changeId: string) {
		return buildAssociations({ scope: RecordScope.WeDidPending, keys: [`change:${changeId}`] });
	}

	private postedOf(changeId: string) {
		return buildAssociations({ scope: RecordScope.WeDidPosted, keys: [`change:${changeId}`] });
	}
}
