import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import { sumShards } from '../../src/persistence/ShardRetirement';
import { ShardedCounter } from '../../src/persistence/ShardedCounter';
import { RecordScope } from '../../src/persistence/associations';
import { InMemoryPersistence } from '../support/InMemoryPersistence';

let shardNumber = 0;
const newCounter = () =>
	new ShardedCounter(
		RecordScope.MessageCounter,
		RecordScope.MessageCounterRetired,
		() => `shard-${++shardNumber}`,
	);
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The docs' and most apps' pattern: read the count, add one, write it back. */
async function readModifyWrite(reader: IPersistenceRead, writer: IPersistence): Promise<void> {
	const association = [
		new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'naive-count'),
	];
	const [record] = (await reader.readByAssociations(association)) as Array<{ count?: number }>;
	await writer.updateByAssociations(association, { count: (record?.count ?? 0) + 1 }, true);
}

describe('ShardedCounter', () => {
	it('two instances interleaving increments lose no count', async () => {
		const store = new InMemoryPersistence();
		store.pause = yieldToOthers;
		const instances = [newCounter(), newCounter()];
		const increments: Array<Promise<void>> = [];
		for (let index = 0; index < 200; index += 1) {
			increments.push(instances[index % 2].increment(store.writer('app')));
		}
		await Promise.all(increments);
		assert.equal(await instances[0].total(store.reader('app')), 200);
		assert.equal(await instances[1].total(store.reader('app')), 200);
	});

	it('the read-modify-write pattern loses counts under the same interleaving (the test can tell)', async () => {
		const store = new InMemoryPersistence();
		store.pause = yieldToOthers;
		await Promise.all(
			Array.from({ length: 200 }, () => readModifyWrite(store.reader('app'), store.writer('app'))),
		);
		const [record] = (await store
			.reader('app')
			.readByAssociations([
				new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'naive-count'),
			])) as Array<{ count: number }>;
		assert.ok(record.count < 200, `expected lost updates, got ${record.count}`);
	});

	it('coalesces increments that arrive during a write into one write', async () => {
		const store = new InMemoryPersistence();
		// The first write is held until 99 more increments have arrived: the interleaving is the
		// test's, not the scheduler's.
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		store.pause = () => gate;
		const counter = newCounter();
		const first = counter.increment(store.writer('app'));
		const others = Array.from({ length: 99 }, () => counter.increment(store.writer('app')));
		release();
		await Promise.all([first, ...others]);
		const writes = store.calls.filter((call) => call === 'updateByAssociations').length;
		assert.equal(writes, 2, 'one write for the first increment, one for the 99 that waited');
		assert.equal(await counter.total(store.reader('app')), 100);
	});

	it('loses the increments whose writes failed when the instance stops before a write succeeds', async () => {
		const store = new InMemoryPersistence();
		const before = newCounter();
		store.failNext('updateByAssociations', 5);
		for (let index = 0; index < 5; index += 1) {
			await assert.rejects(before.increment(store.writer('app')));
		}
		// A restart: a new app process draws a new shard and knows nothing of the five.
		const after = newCounter();
		await after.increment(store.writer('app'));
		assert.equal(await after.total(store.reader('app')), 1, 'the bound the README states');
		// Without the restart, the next successful write carries them.
		store.failNext('updateByAssociations', 2);
		const kept = newCounter();
		await assert.rejects(kept.increment(store.writer('app')));
		await assert.rejects(kept.increment(store.writer('app')));
		await kept.increment(store.writer('app'));
		assert.equal(await kept.total(store.reader('app')), 4);
	});

	it('keeps one record per instance however many increments', async () => {
		const store = new InMemoryPersistence();
		const counter = newCounter();
		for (let index = 0; index < 50; index += 1) {
			await counter.increment(store.writer('app'));
		}
		assert.equal(store.records.length, 1);
		assert.deepEqual(Object.keys(store.records[0].data).sort(), ['count', 'shard', 'writtenAt']);
	});

	it('tolerates a shard record duplicated by a racing upsert', async () => {
		const store = new InMemoryPersistence();
		store.duplicateUpserts = true;
		const counter = newCounter();
		for (let index = 0; index < 5; index += 1) {
			await counter.increment(store.writer('app'));
		}
		assert.equal(store.records.length, 2);
		assert.equal(await counter.total(store.reader('app')), 5);
	});

	it('a failed write rejects its callers and its count is carried by the next write', async () => {
		const store = new InMemoryPersistence();
		const counter = newCounter();
		await counter.increment(store.writer('app'));
		store.failNext('updateByAssociations');
		await assert.rejects(counter.increment(store.writer('app')), /injected/);
		assert.equal(await counter.total(store.reader('app')), 1);
		await counter.increment(store.writer('app'));
		assert.equal(await counter.total(store.reader('app')), 3);
	});

	it('sumShards takes the largest copy of each shard and ignores junk', () => {
		assert.equal(
			sumShards([
				{ shard: 'a', count: 3 },
				{ shard: 'a', count: 5 },
				{ shard: 'b', count: 2 },
				{ shard: 'c' },
				null,
				'x',
				{ shard: 'd', count: Number.NaN },
			]),
			7,
		);
	});
});
