import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { counterTotal, SHARD_IDLE_MS, SHARD_SETTLE_MS, ShardRetirement } from './ShardRetirement';
import type { IRetirementResult } from './ShardRetirement';
import { buildAssociations } from './associations';
import type { RecordScope } from './associations';

interface IWaiter {
	resolve(): void;
	reject(error: unknown): void;
}

/**
 * A counter that is exact across several app instances without atomic increments:
 * each instance writes only its own shard record (id drawn at first use), so no record is
 * ever read-modified-written by two instances. Inside the instance, writes are serialized
 * and increments that arrive while a write is in flight are coalesced into the next one.
 * Writes carry the absolute shard value, so retrying after an unknown outcome is harmless.
 * A shard freezes itself: once not written for SHARD_IDLE_MS its instance starts a new one,
 * so the shards of instances that are gone can be retired exactly (ShardRetirement.ts).
 */
export class ShardedCounter {
	private shardId: string | undefined;

	private persisted = 0;

	private unwritten = 0;

	/** Of `unwritten`, what failed writes carried: it may be stored already. */
	private doubtful = 0;

	/** The earliest `writtenAt` the current shard's record can hold, once a write was sent. */
	private writtenSince: number | undefined;

	private waiting: Array<IWaiter> = [];

	private writing = false;

	private readonly retirement: ShardRetirement;

	constructor(
		private readonly scope: RecordScope,
		private readonly retiredScope: RecordScope,
		private readonly drawShardId: () => string,
		private readonly now: () => Date = () => new Date(),
	) {
		this.retirement = new ShardRetirement(scope, retiredScope, now);
	}

	/** Adds to this instance's shard; resolves once a write that includes the amount is stored. */
	public increment(persistence: IPersistence, amount = 1): Promise<void> {
		this.unwritten += amount;
		const written = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
		if (!this.writing) {
			void this.writeAll(persistence);
		}
		return written;
	}

	/** The sum over every instance's shard and the retired ones, as stored now (two reads). */
	public async total(reader: IPersistenceRead): Promise<number> {
		// Shards first, then the retired record (ShardRetirement.ts says why).
		const shards = await reader.readByAssociations(buildAssociations({ scope: this.scope }));
		const retired = await reader.readByAssociations(
			buildAssociations({ scope: this.retiredScope }),
		);
		return counterTotal(shards, retired);
	}

	/** Moves the counts of every instance's frozen shards into one record (the upkeep calls it). */
	public retire(reader: IPersistenceRead, persistence: IPersistence): Promise<IRetirementResult> {
		return this.retirement.retire(reader, persistence);
	}

	private async writeAll(persistence: IPersistence): Promise<void> {
		this.writing = true;
		while (this.waiting.length > 0) {
			const batch = this.waiting;
			this.waiting = [];
			const at = this.now();
			this.leaveIdleShard(at.getTime());
			this.shardId ??= this.drawShardId();
			const { shardId } = this;
			const amount = this.unwritten;
			this.unwritten = 0;
			const target = this.persisted + amount;
			try {
				await persistence.updateByAssociations(
					buildAssociations({ scope: this.scope, keys: [`shard:${shardId}`] }),
					{ shard: shardId, count: target, writtenAt: at.toISOString() },
					true,
				);
				this.persisted = target;
				this.doubtful = 0;
				this.writtenSince = at.getTime();
				batch.forEach((waiter) => waiter.resolve());
			} catch (error) {
				// Kept for the next write: whether this one landed or not, the next absolute value is right.
				this.unwritten += amount;
				// Targets only grow, so the stored value is at most this one.
				this.doubtful = target - this.persisted;
				this.writtenSince ??= at.getTime();
				batch.forEach((waiter) => waiter.reject(error));
			}
		}
		this.writing = false;
	}

	/**
	 * Starts a new shard when this one has not been written for SHARD_IDLE_MS: the old one is
	 * never written again, so it can be retired. A failed write may have landed: the shard is
	 * written once more to settle it while younger than SHARD_SETTLE_MS (still far from being
	 * retired); past that, what the failed writes carried is not moved to the new shard, where it
	 * could be counted twice (like a restart, it may be lost: those increments were rejected).
	 */
	private leaveIdleShard(now: number): void {
		if (this.writtenSince === undefined || now - this.writtenSince <= SHARD_IDLE_MS) {
			return;
		}
		if (this.doubtful > 0 && now - this.writtenSince <= SHARD_SETTLE_MS) {
			return;
		}
		this.shardId = undefined;
		this.unwritten -= this.doubtful;
		this.doubtful = 0;
		this.persisted = 0;
		this.writtenSince = undefined;
	}
}
