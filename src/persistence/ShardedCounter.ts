import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations } from './associations';
import type { RecordScope } from './associations';

/** One app instance's share of a counter, as stored. */
export interface ICounterShard {
	readonly shard: string;
	readonly count: number;
}

function parseShard(value: unknown): ICounterShard | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	return typeof record.shard === 'string' &&
		typeof record.count === 'number' &&
		Number.isFinite(record.count)
		? { shard: record.shard, count: record.count }
		: undefined;
}

/**
 * Sums shards. A shard's count only grows, so when a racing upsert stored one shard twice
 * the larger copy is the newer one: take the maximum per shard, never the sum.
 */
export function sumShards(values: ReadonlyArray<unknown>): number {
	const largest = new Map<string, number>();
	for (const value of values) {
		const shard = parseShard(value);
		if (shard) {
			largest.set(shard.shard, Math.max(largest.get(shard.shard) ?? 0, shard.count));
		}
	}
	let total = 0;
	for (const count of largest.values()) {
		total += count;
	}
	return total;
}

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
 */
export class ShardedCounter {
	private shardId: string | undefined;

	private persisted = 0;

	private unwritten = 0;

	private waiting: Array<IWaiter> = [];

	private writing = false;

	constructor(
		private readonly scope: RecordScope,
		private readonly drawShardId: () => string,
	) {}

	/** Adds to this instance's shard; resolves once a write that includes the amount is stored. */
	public increment(persistence: IPersistence, amount = 1): Promise<void> {
		this.unwritten += amount;
		const written = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
		if (!this.writing) {
			void this.writeAll(persistence);
		}
		return written;
	}

	/** The sum over every instance's shard, as stored now. */
	public async total(reader: IPersistenceRead): Promise<number> {
		return sumShards(await reader.readByAssociations(buildAssociations({ scope: this.scope })));
	}

	private async writeAll(persistence: IPersistence): Promise<void> {
		this.writing = true;
		this.shardId ??= this.drawShardId();
		const associations = buildAssociations({ scope: this.scope, keys: [`shard:${this.shardId}`] });
		while (this.waiting.length > 0) {
			const batch = this.waiting;
			const amount = this.unwritten;
			this.waiting = [];
			this.unwritten = 0;
			const target = this.persisted + amount;
			try {
				await persistence.updateByAssociations(
					associations,
					{ shard: this.shardId, count: target },
					true,
				);
				this.persisted = target;
				batch.forEach((waiter) => waiter.resolve());
			} catch (error) {
				// Kept for the next write: whether this one landed or not, the next absolute value is right.
				this.unwritten += amount;
				batch.forEach((waiter) => waiter.reject(error));
			}
		}
		this.writing = false;
	}
}
