import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { pickRetired } from '../../src/persistence/ShardRetirement';
import { RecordScope } from '../../src/persistence/associations';
import { InMemoryPersistence } from '../support/InMemoryPersistence';
import {
	APP,
	ClusterClock,
	counterOf,
	DAY,
	gate,
	HOUR,
	MINUTE,
	retiredRecord,
	storedData,
	writeLegacyShard,
} from '../support/counterShards';

function world() {
	const store = new InMemoryPersistence();
	const clock = new ClusterClock();
	// Any instance's counter can run the retirement: this one never counts.
	const upkeep = counterOf(clock);
	return {
		store,
		clock,
		reader: store.reader(APP),
		writer: store.writer(APP),
		total: () => upkeep.total(store.reader(APP)),
		retire: (
			reader: IPersistenceRead = store.reader(APP),
			writer: IPersistence = store.writer(APP),
		) => upkeep.retire(reader, writer),
		shardRecords: () => storedData(store, RecordScope.MessageCounter).length,
	};
}

async function count(counter: ReturnType<typeof counterOf>, writer: IPersistence, times: number) {
	for (let index = 0; index < times; index += 1) {
		await counter.increment(writer);
	}
}

/** A reader that stops at its second read until `held` is opened, saying so through `reached`. */
function heldAtSecondRead(reader: IPersistenceRead) {
	const held = gate();
	const reached = gate();
	let reads = 0;
	const slowReader: IPersistenceRead = {
		...reader,
		readByAssociations: async (associations) => {
			reads += 1;
			if (reads === 2) {
				reached.open();
				await held.opened;
			}
			return reader.readByAssociations(associations);
		},
	};
	return { slowReader, reached, held };
}

/** A counter that counted one, then one more whose write failed (or landed, its answer lost). */
async function afterAFailedWrite(answerLost: boolean) {
	const setup = world();
	const counter = counterOf(setup.clock);
	await counter.increment(setup.writer);
	if (answerLost) {
		setup.store.loseAnswerOfNext('updateByAssociations');
	} else {
		setup.store.failNext('updateByAssociations');
	}
	await assert.rejects(counter.increment(setup.writer));
	return { ...setup, counter };
}

describe('retirement of message-counter shards', () => {
	it('an instance idle for two hours writes a new shard, and the old one is retired exactly once', async () => {
		const { store, clock, writer, total, retire, shardRecords } = world();
		const counter = counterOf(clock);
		await count(counter, writer, 3);
		clock.advance(2 * HOUR);
		await counter.increment(writer);
		assert.equal(shardRecords(), 2, 'the idle shard is left as it was');
		assert.equal(await total(), 4);

		assert.deepEqual(
			await retire(),
			{ absorbed: 0, removed: 0, abandoned: false },
			'not a day old',
		);
		clock.advance(DAY - 2 * HOUR + MINUTE);
		assert.deepEqual(await retire(), { absorbed: 1, removed: 0, abandoned: false });
		assert.equal(await total(), 4);
		// Two instances' runs at once, again and again: nothing is absorbed twice.
		await Promise.all([retire(), retire()]);
		assert.equal(retiredRecord(store).count, 3);
		assert.equal(await total(), 4);

		clock.advance(HOUR + MINUTE);
		assert.equal((await retire()).removed, 1, 'removed once the margin passed');
		assert.equal(shardRecords(), 1);
		assert.equal(await total(), 4);
		await retire();
		const [idle] = retiredRecord(store).absorbed;
		assert.equal(idle.gone, '2024-03-02T01:02:00.000Z');
		clock.advance(HOUR + MINUTE);
		await retire();
		assert.ok(
			retiredRecord(store).absorbed.every((entry) => entry.shard !== idle.shard),
			'forgotten a margin after its record went',
		);
		assert.equal(retiredRecord(store).count, 4, 'meanwhile the second shard froze: absorbed too');
		assert.equal(await total(), 4);
		await counter.increment(writer);
		assert.equal(await total(), 5, 'counting goes on');
	});

	it('a failed write is settled on the same shard after an idle hour, never counted twice', async () => {
		for (const answerLost of [false, true]) {
			const { clock, writer, total, shardRecords, counter } = await afterAFailedWrite(answerLost);
			clock.advance(2 * HOUR);
			await counter.increment(writer);
			assert.equal(await total(), 3, `answer lost: ${answerLost}`);
			assert.equal(shardRecords(), 1, 'written on the shard that may hold the failed write');
		}
	});

	it('past half a day a new shard leaves out what a failed write carried: at most lost, never twice', async () => {
		for (const [answerLost, expected] of [
			[true, 3],
			[false, 2],
		] as const) {
			const { clock, writer, total, shardRecords, counter } = await afterAFailedWrite(answerLost);
			clock.advance(13 * HOUR);
			await counter.increment(writer);
			assert.equal(shardRecords(), 2);
			assert.equal(await total(), expected, `answer lost: ${answerLost}`);
		}
	});

	it('a stale run saved after a newer one loses nothing', async () => {
		const { store, clock, writer, total, retire, shardRecords } = world();
		await count(counterOf(clock), writer, 3);
		clock.advance(2 * HOUR);
		await count(counterOf(clock), writer, 5);
		clock.advance(DAY - 2 * HOUR + MINUTE);

		// Run A reads (the first shard is frozen), then its save is held.
		const held = gate();
		const reached = gate();
		const slowWriter: IPersistence = {
			...writer,
			updateByAssociations: async (...args) => {
				reached.open();
				await held.opened;
				return writer.updateByAssociations(...args);
			},
		};
		const stale = retire(store.reader(APP), slowWriter);
		await reached.opened;
		assert.equal((await retire()).absorbed, 1, 'run B absorbs the first shard');
		clock.advance(2 * HOUR);
		assert.equal((await retire()).absorbed, 1, 'run C absorbs the second');
		assert.equal(retiredRecord(store).count, 8);
		held.open();
		await stale;
		assert.deepEqual(
			retiredRecord(store),
			{
				version: 1,
				count: 3,
				absorbed: [
					{
						shard: retiredRecord(store).absorbed[0].shard,
						count: 3,
						at: '2024-03-02T00:01:00.000Z',
					},
				],
				legacy: [],
			},
			'the stale copy, saved last, is the stored one',
		);
		assert.equal(await total(), 8, 'the second shard counts from its record');

		for (let run = 0; run < 3; run += 1) {
			await retire();
			assert.equal(await total(), 8);
		}
		for (let hour = 0; hour < 2; hour += 1) {
			clock.advance(HOUR + MINUTE);
			for (let run = 0; run < 3; run += 1) {
				await retire();
				assert.equal(await total(), 8);
			}
		}
		assert.equal(shardRecords(), 0);
		assert.deepEqual(retiredRecord(store), { version: 5, count: 8, absorbed: [], legacy: [] });
	});

	it('a run that took longer than its deadline saves nothing', async () => {
		const { store, clock, writer, total, retire } = world();
		// Frozen long ago: every run absorbs it, so runs have something to save.
		await count(counterOf(clock), writer, 2);
		clock.advance(2 * DAY);
		const held = gate();
		const reached = gate();
		const reader = store.reader(APP);
		let reads = 0;
		const slowReader: IPersistenceRead = {
			...reader,
			readByAssociations: async (associations) => {
				const found = await reader.readByAssociations(associations);
				reads += 1;
				if (reads === 2) {
					reached.open();
					await held.opened;
				}
				return found;
			},
		};
		const stale = retire(slowReader, writer);
		await reached.opened;
		// A shard written after run A read the shards: A knows nothing of it.
		await count(counterOf(clock), writer, 5);
		clock.advance(DAY + MINUTE);
		await retire();
		clock.advance(HOUR + MINUTE);
		await retire();
		await retire();
		assert.equal(await total(), 7);
		held.open();
		assert.deepEqual(await stale, { absorbed: 0, removed: 0, abandoned: true });
		assert.equal(await total(), 7, 'its copy, lacking the removed shard, would count 2');
	});

	it('a reader that read the shards before a removal still counts the shard once', async () => {
		const { store, clock, writer, retire, shardRecords } = world();
		await count(counterOf(clock), writer, 4);
		await count(counterOf(clock), writer, 1);
		clock.advance(DAY + MINUTE);
		await retire();
		clock.advance(HOUR + MINUTE);
		// The reader reads the shards (both still there), then waits.
		const { slowReader, reached, held } = heldAtSecondRead(store.reader(APP));
		const reading = counterOf(clock).total(slowReader);
		await reached.opened;
		assert.equal((await retire()).removed, 2);
		assert.equal(shardRecords(), 0);
		clock.advance(10 * MINUTE);
		await retire();
		await retire();
		held.open();
		assert.equal(await reading, 5, 'the absorbed entries are still there');
	});

	it('a reader held between its reads over a whole retirement loses nothing', async () => {
		const { store, clock, writer, retire } = world();
		await count(counterOf(clock), writer, 4);
		await count(counterOf(clock), writer, 1);
		clock.advance(DAY - 10 * MINUTE);
		const { slowReader, reached, held } = heldAtSecondRead(store.reader(APP));
		const reading = counterOf(clock).total(slowReader);
		await reached.opened;
		clock.advance(11 * MINUTE);
		assert.equal((await retire()).absorbed, 2);
		clock.advance(HOUR + MINUTE);
		assert.equal((await retire()).removed, 2);
		await retire();
		held.open();
		// Had it read the retired record first, it would find neither there nor among the shards.
		assert.equal(await reading, 5);
	});

	it("shards of an earlier version (no time) are retired once unchanged for a day after they're first seen", async () => {
		const { store, clock, writer, total, retire, shardRecords } = world();
		store.duplicateUpserts = true;
		await writeLegacyShard(writer, 'earlier', 7);
		store.duplicateUpserts = false;
		await writeLegacyShard(writer, 'earlier', 9);
		assert.equal(shardRecords(), 2, 'two copies: 9 and a stale 7');
		assert.equal(await total(), 9);
		await retire();
		assert.deepEqual(retiredRecord(store).legacy, [
			{ shard: 'earlier', count: 9, firstSeen: '2024-03-01T00:00:00.000Z' },
		]);
		clock.advance(12 * HOUR);
		await writeLegacyShard(writer, 'earlier', 10);
		await retire();
		assert.equal(
			retiredRecord(store).legacy[0].firstSeen,
			'2024-03-01T12:00:00.000Z',
			'changed: seen anew',
		);
		clock.advance(13 * HOUR);
		assert.equal((await retire()).absorbed, 0, 'a day after first seen, but not after its change');
		assert.equal(await total(), 10);
		clock.advance(12 * HOUR);
		assert.equal((await retire()).absorbed, 1);
		assert.equal(await total(), 10);
		assert.deepEqual(retiredRecord(store).legacy, []);
		clock.advance(HOUR + MINUTE);
		assert.equal((await retire()).removed, 1);
		await retire();
		assert.equal(shardRecords(), 0, 'both copies removed');
		clock.advance(HOUR + MINUTE);
		await retire();
		assert.deepEqual(retiredRecord(store), { version: 5, count: 10, absorbed: [], legacy: [] });
		assert.equal(await total(), 10);
	});

	it('of copies of the retired record, takes the latest save, not the largest count', () => {
		const earlier = {
			version: 9,
			count: 5,
			absorbed: [{ shard: 'a', count: 2, at: '2024-03-01T00:00:00.000Z' }],
			legacy: [],
		};
		// The next save forgot the entry of a removed shard: same count, fewer entries.
		const later = { version: 10, count: 5, absorbed: [], legacy: [] };
		assert.deepEqual(pickRetired([later, earlier]), later);
		assert.deepEqual(pickRetired([earlier, later]), later);
		assert.equal(pickRetired([{ version: 10, count: 4 }, later, 'junk', null]).count, 5);
		assert.deepEqual(pickRetired([]), { version: 0, count: 0, absorbed: [], legacy: [] });
	});
});
