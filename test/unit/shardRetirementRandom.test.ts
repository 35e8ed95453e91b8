import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { pickRetired } from '../../src/persistence/ShardRetirement';
import type { ShardedCounter } from '../../src/persistence/ShardedCounter';
import { RecordScope } from '../../src/persistence/associations';
import { InMemoryPersistence } from '../support/InMemoryPersistence';
import type { PersistenceMethod } from '../support/InMemoryPersistence';
import {
	APP,
	ClusterClock,
	counterOf,
	DAY,
	HOUR,
	gate,
	MINUTE,
	storedData,
} from '../support/counterShards';
import { seededRandom } from '../support/seededRandom';

const STEPS = 300;
const SEEDS = (process.env.SHARD_SEEDS ?? '2,16,22').split(',').map(Number);
const SKEWS = [0, 2 * MINUTE, -3 * MINUTE];
const ADVANCES = [0, MINUTE, 10 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR];
/** While a run's save is held: a call lands within minutes (40 at most here), far below the margin. */
const ADVANCES_WHILE_SAVING = [0, MINUTE, 10 * MINUTE];
const METHODS: Array<PersistenceMethod> = [
	'readByAssociations',
	'updateByAssociations',
	'removeByAssociations',
];
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What the test knows of the increments of one counter object (one process start). */
class Tally {
	/** Shards this object drew so far. */
	public draws = 0;

	/** Rejected increments no later success of this object has carried yet. */
	public unconfirmed = 0;

	private drawsAtFirstUnconfirmed = 0;

	constructor(private readonly totals: { known: number; unknown: number }) {}

	public track(increment: Promise<void>): Promise<void> {
		const drawsAtCall = this.draws;
		return increment.then(
			() => {
				this.totals.known += 1;
				// A success carries every earlier rejected increment, unless a new shard was drawn
				// since (they may be stored in the old one): then they stay unknown.
				if (this.unconfirmed > 0 && this.draws === this.drawsAtFirstUnconfirmed) {
					this.totals.known += this.unconfirmed;
					this.totals.unknown -= this.unconfirmed;
				}
				this.unconfirmed = 0;
			},
			() => {
				if (this.unconfirmed === 0) {
					this.drawsAtFirstUnconfirmed = drawsAtCall;
				}
				this.unconfirmed += 1;
				this.totals.unknown += 1;
			},
		);
	}
}

/** A retirement run held over several steps: between its reads, or in its save. */
interface ISlowRun {
	readonly holdsSave: boolean;
	stepsLeft: number;
	readonly held: ReturnType<typeof gate>;
	readonly done: Promise<unknown>;
}

interface IInstance {
	readonly skew: number;
	counter: ShardedCounter;
	tally: Tally;
}

function pick<T>(random: () => number, items: ReadonlyArray<T>): T {
	return items[Math.floor(random() * items.length)];
}

async function runCluster(seed: number): Promise<void> {
	const random = seededRandom(seed);
	const store = new InMemoryPersistence();
	store.duplicateUpserts = true;
	const clock = new ClusterClock();
	const totals = { known: 0, unknown: 0 };
	// The largest value ever stored of every shard: what the counter must sum to, exactly.
	const landed = new Map<string, number>();
	const drawTimes = new Map<string, number>();
	const start = (skew: number): IInstance => {
		const tally = new Tally(totals);
		const counter = counterOf(clock, skew, (shard) => {
			tally.draws += 1;
			drawTimes.set(shard, clock.time);
		});
		return { skew, counter, tally };
	};
	const instances = SKEWS.map(start);
	const reader = store.reader(APP);
	const writer = store.writer(APP);
	const landedSum = () => [...landed.values()].reduce((sum, count) => sum + count, 0);
	const noteLanded = () => {
		for (const data of storedData(store, RecordScope.MessageCounter) as Array<{
			shard: string;
			count: number;
		}>) {
			landed.set(data.shard, Math.max(landed.get(data.shard) ?? 0, data.count));
		}
	};
	const injectFaults = () => {
		if (random() < 0.3) {
			store.failNext(random() < 0.3 ? 'any' : pick(random, METHODS));
		}
		if (random() < 0.2) {
			store.loseAnswerOfNext(pick(random, METHODS), 1, Math.floor(random() * 3));
		}
	};
	const calm = () => {
		store.clearFailures();
		store.clearLostAnswers();
	};
	let slow: ISlowRun | undefined;
	const startSlowRun = (instance: IInstance): ISlowRun => {
		const held = gate();
		const holdsSave = random() < 0.5;
		let calls = 0;
		// The save is held after the run checked its deadline; the read, before it.
		const slowWriter: IPersistence = {
			...writer,
			updateByAssociations: async (...args) => {
				await held.opened;
				return writer.updateByAssociations(...args);
			},
		};
		const slowReader: IPersistenceRead = {
			...reader,
			readByAssociations: async (associations) => {
				calls += 1;
				if (calls === 2) {
					await held.opened;
				}
				return reader.readByAssociations(associations);
			},
		};
		const done = holdsSave
			? instance.counter.retire(reader, slowWriter)
			: instance.counter.retire(slowReader, writer);
		done.catch(() => undefined);
		return { holdsSave, stepsLeft: 1 + Math.floor(random() * 4), held, done };
	};

	for (let step = 0; step < STEPS; step += 1) {
		const where = `seed ${seed}, step ${step}`;
		store.pause = yieldToOthers;
		// Restarts: a new process draws a new shard; what the old one held unwritten is gone.
		for (let index = 0; index < instances.length; index += 1) {
			if (random() < 0.05) {
				instances[index] = start(instances[index].skew);
			}
		}
		injectFaults();
		const increments: Array<Promise<void>> = [];
		for (const instance of instances) {
			const times = Math.floor(random() * 4);
			for (let index = 0; index < times; index += 1) {
				increments.push(instance.tally.track(instance.counter.increment(writer)));
			}
		}
		await Promise.all(increments);
		noteLanded();
		const expected = landedSum();
		assert.ok(totals.known <= expected, `${where}: ${expected} stored, ${totals.known} known`);
		assert.ok(
			expected <= totals.known + totals.unknown,
			`${where}: ${expected} stored, at most ${totals.known} + ${totals.unknown}`,
		);

		// Two instances' upkeep at once, and a reader among them, with faults.
		injectFaults();
		const [first, second] = [pick(random, instances), pick(random, instances)];
		const runs = await Promise.allSettled([
			first.counter.total(reader),
			first.counter.retire(reader, writer),
			second.counter.retire(reader, writer),
		]);
		if (runs[0].status === 'fulfilled') {
			assert.equal(runs[0].value, expected, `${where}: read during retirement`);
		}
		// Now and then a run is slow: held between its reads or in its save for a few steps.
		if (slow && --slow.stepsLeft === 0) {
			slow.held.open();
			const [reading] = await Promise.allSettled([first.counter.total(reader), slow.done]);
			if (reading.status === 'fulfilled') {
				assert.equal(reading.value, expected, `${where}: read while a slow run ends`);
			}
			slow = undefined;
		} else if (!slow && random() < 0.3) {
			slow = startSlowRun(pick(random, instances));
		}
		calm();
		store.pause = () => Promise.resolve();
		assert.equal(await instances[0].counter.total(reader), expected, where);

		// Bounded: shards of the last three days at most (without retirement, every shard ever).
		const recent = [...drawTimes.values()].filter((time) => clock.time - time <= 3 * DAY).length;
		const stored = new Set(
			(storedData(store, RecordScope.MessageCounter) as Array<{ shard: string }>).map(
				(data) => data.shard,
			),
		);
		assert.ok(stored.size <= recent, `${where}: ${stored.size} shards stored, ${recent} recent`);
		assert.ok(storedData(store, RecordScope.MessageCounterRetired).length <= 2, where);
		clock.advance(pick(random, slow?.holdsSave ? ADVANCES_WHILE_SAVING : ADVANCES));
	}

	// Drain: every live instance writes once more (carrying what failed), then all go quiet.
	calm();
	slow?.held.open();
	await slow?.done.catch(() => undefined);
	noteLanded();
	for (const instance of instances) {
		await instance.tally.track(instance.counter.increment(writer));
	}
	noteLanded();
	clock.advance(2 * DAY);
	// Absorbed, removed a margin later, found gone, forgotten a margin after that.
	for (let run = 0; run < 5; run += 1) {
		await instances[run % instances.length].counter.retire(reader, writer);
		clock.advance(HOUR + MINUTE);
	}
	const expected = landedSum();
	assert.equal(await instances[0].counter.total(reader), expected);
	assert.ok(totals.known <= expected && expected <= totals.known + totals.unknown);
	assert.equal(storedData(store, RecordScope.MessageCounter).length, 0, 'every shard retired');
	const retired = pickRetired(storedData(store, RecordScope.MessageCounterRetired));
	assert.equal(retired.count, expected);
	assert.deepEqual(retired.absorbed, []);
	assert.ok(drawTimes.size > 20, `${drawTimes.size} shards drawn: restarts and idle instances`);
}

describe('retirement of message-counter shards, randomized', () => {
	for (const seed of SEEDS) {
		it(`sums exactly what was stored while instances restart, idle, race and fail (seed ${seed})`, async () => {
			await runCluster(seed);
		});
	}
});
