import type { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';

import type { InMemoryPersistence } from './InMemoryPersistence';
import { ShardedCounter } from '../../src/persistence/ShardedCounter';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';

export const APP = 'app';
export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** One clock for the whole cluster; each instance reads it with its own skew. */
export class ClusterClock {
	public time = Date.parse('2024-03-01T00:00:00.000Z');

	/** An instance's clock, `skewMs` off the cluster's. */
	public of(skewMs = 0): () => Date {
		return () => new Date(this.time + skewMs);
	}

	public advance(milliseconds: number): void {
		this.time += milliseconds;
	}
}

let shardNumber = 0;

/** A message counter as one app instance (one process start) holds it; `onDraw` sees its shards. */
export function counterOf(
	clock: ClusterClock,
	skewMs = 0,
	onDraw: (shard: string) => void = () => undefined,
): ShardedCounter {
	return new ShardedCounter(
		RecordScope.MessageCounter,
		RecordScope.MessageCounterRetired,
		() => {
			const shard = `shard-${++shardNumber}`;
			onDraw(shard);
			return shard;
		},
		clock.of(skewMs),
	);
}

/** The stored data of a scope's records (every copy). */
export function storedData(store: InMemoryPersistence, scope: RecordScope): Array<object> {
	return store.matching(APP, buildAssociations({ scope })).map((record) => record.data);
}

/** The stored retired record (the test expects one copy). */
export function retiredRecord(store: InMemoryPersistence): {
	version: number;
	count: number;
	absorbed: Array<{ shard: string; count: number; at: string; gone?: string }>;
	legacy: Array<{ shard: string; count: number; firstSeen: string }>;
} {
	const [record, ...others] = storedData(store, RecordScope.MessageCounterRetired);
	if (!record || others.length > 0) {
		throw new Error(`expected one retired record, found ${others.length + (record ? 1 : 0)}`);
	}
	return record as ReturnType<typeof retiredRecord>;
}

/** Writes a shard as an earlier version did: no `writtenAt`. */
export function writeLegacyShard(persistence: IPersistence, shard: string, count: number) {
	return persistence.updateByAssociations(
		buildAssociations({ scope: RecordScope.MessageCounter, keys: [`shard:${shard}`] }),
		{ shard, count },
		true,
	);
}

/** A promise and the function that settles it, to hold a call until the test lets it go. */
export function gate(): { opened: Promise<void>; open(): void } {
	let open: () => void = () => undefined;
	const opened = new Promise<void>((resolve) => {
		open = resolve;
	});
	return { opened, open };
}
