import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IFeedbackRecord } from '../../src/domain/record';
import { newestChange, previousChange, STATUSES } from '../../src/domain/status';
import type { FeedbackStatus } from '../../src/domain/status';
import { tallyOf } from '../../src/domain/tally';
import type { ITally } from '../../src/domain/tally';
import { distinctNewestFirst } from '../../src/persistence/FeedbackRecord';
import { HourlyFiling } from '../../src/persistence/HourlyFiling';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { storesFor } from '../../src/persistence/stores';
import { InMemoryPersistence } from '../support/InMemoryPersistence';
import type { PersistenceMethod } from '../support/InMemoryPersistence';
import { RecordingLogger } from '../support/TestWorld';
import { interleave } from '../support/interleave';
import { seededRandom } from '../support/seededRandom';

const APP = 'app';
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.parse('2026-03-01T20:00:00Z');
const FAULTS: ReadonlyArray<PersistenceMethod> = [
	'readByAssociations',
	'create',
	'updateByAssociations',
	'removeByAssociations',
];

let serial = 0;
function record(at: number, next: () => number): IFeedbackRecord {
	serial += 1;
	const id = `${serial.toString(16).padStart(8, '0')}-0000-4000-8000-00000000000h`;
	const createdAt = new Date(at).toISOString();
	const anonymous = next() < 0.3;
	return {
		id,
		comment: `comment ${serial}`,
		category: ['Bug', 'Idea', 'Praise'][Math.floor(next() * 3)],
		rating: next() < 0.5 ? null : 1 + Math.floor(next() * 5),
		anonymous,
		author: anonymous ? null : { id: `user-${serial % 5}`, username: 'u', name: 'u' },
		roomId: null,
		createdAt,
		updatedAt: createdAt,
	};
}

/** What reading every stored record says: the tally, and each existing feedback's newest status. */
async function everything(store: InMemoryPersistence) {
	const reader = store.reader(APP);
	const records = distinctNewestFirst(
		await reader.readByAssociations(buildAssociations({ scope: RecordScope.Feedback })),
	);
	const { statuses } = storesFor(reader, new RecordingLogger().logger);
	const changes = await statuses.allChanges();
	const byStatus: Record<string, number> = {};
	for (const { id } of records) {
		const newest = newestChange(changes.filter((change) => change.feedbackId === id));
		if (newest && newest.status !== 'new') {
			byStatus[newest.status] = (byStatus[newest.status] ?? 0) + 1;
		}
	}
	return { records, tally: tallyOf(records), byStatus };
}

/** The statistics one request reads at `now`. */
async function statistics(store: InMemoryPersistence, now: Date) {
	const stores = storesFor(store.reader(APP), new RecordingLogger().logger);
	const writer = store.writer(APP);
	const { tally, preparing } = await stores.totals.refresh(writer, now);
	const triage = await stores.statusTotals.refresh(writer, now);
	assert.equal(preparing, undefined);
	assert.equal(triage.preparing, undefined);
	const byStatus = Object.fromEntries([...triage.byStatus].filter(([, count]) => count !== 0));
	return { tally, byStatus };
}

function plain(tally: ITally): unknown {
	return JSON.parse(JSON.stringify({ ...tally, categories: [...tally.categories].sort() }));
}

/** One instance's next step at `now`, drawn by `next`: a create, a delete, a status change, a fold or a read. */
function oneOperation(
	store: InMemoryPersistence,
	now: Date,
	next: () => number,
): () => Promise<void> {
	const writer = store.writer(APP);
	const stores = storesFor(store.reader(APP), new RecordingLogger().logger);
	const roll = next();
	const pick = next();
	const status = STATUSES[1 + Math.floor(next() * (STATUSES.length - 1))] as FeedbackStatus;
	const created = record(now.getTime(), next);
	serial += 1;
	const changeId = `change-${serial}`;
	return async () => {
		if (roll < 0.45) {
			await stores.feedback.create(writer, created);
			return;
		}
		if (roll >= 0.8) {
			const reading = roll < 0.9 ? 'fold' : 'refresh';
			await stores.totals[reading](writer, now);
			await stores.statusTotals[reading](writer, now);
			return;
		}
		const present = (await everything(store)).records;
		const target = present[Math.floor(pick * present.length)];
		if (!target) {
			return;
		}
		if (roll < 0.6) {
			await stores.feedback.remove(writer, target, now);
			return;
		}
		const seen = await stores.statuses.changesOf(target.id);
		await stores.statuses.append(writer, {
			id: changeId,
			feedbackId: target.id,
			feedbackCreatedAt: target.createdAt,
			status,
			note: '',
			adminId: 'admin',
			at: now.toISOString(),
			previous: previousChange(seen, now),
		});
	};
}

/**
 * Three instances (clocks up to 40 minutes apart, inside the grace) create, delete, change
 * statuses and read the statistics side by side, in every order a seed draws, with faults in
 * any persistence call; after each round, what a request reads equals reading everything.
 */
async function randomRounds(seed: number, hourlyAllAlong: boolean): Promise<void> {
	const next = seededRandom(seed);
	const store = new InMemoryPersistence();
	const writer = store.writer(APP);
	if (hourlyAllAlong) {
		await HourlyFiling.markSince(writer, new Date(START - 10 * DAY));
	}
	const skews = [0, -20 * MINUTE, 20 * MINUTE];
	let clock = START;
	for (let round = 0; round < 60; round += 1) {
		clock += Math.floor(next() * 3 * HOUR);
		const roundStart = clock;
		const times = skews.map((skew) => new Date(roundStart + skew));
		const operations = times.map((now) => oneOperation(store, now, next));
		if (next() < 0.25) {
			store.failNext(FAULTS[Math.floor(next() * FAULTS.length)]);
		}
		await interleave(
			store,
			next,
			operations.map((operation) => () => operation().catch(() => undefined)),
		);
		store.clearFailures();
		const truth = await everything(store);
		const read = await statistics(store, new Date(clock + skews[Math.floor(next() * 3)]));
		const where = `seed ${seed}, round ${round}, ${new Date(clock).toISOString()}`;
		assert.deepEqual(plain(read.tally), plain(truth.tally), `tally, ${where}`);
		assert.deepEqual(read.byStatus, truth.byStatus, `statuses, ${where}`);
	}
}

describe('folding by the hour', () => {
	it('equals reading everything, whatever three instances do side by side, hourly all along', async () => {
		for (const seed of [1, 2, 3, 4, 5, 6]) {
			await randomRounds(seed, true);
		}
	});

	it('equals reading everything across the day the store starts filing by the hour', async () => {
		for (const seed of [11, 12, 13, 14, 15, 16]) {
			await randomRounds(seed, false);
		}
	});

	it('keeps the totals bounded and reads no old deletion note, however many deletions were made', async () => {
		const next = seededRandom(5);
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		await HourlyFiling.markSince(writer, new Date(START - 10 * DAY));
		const stores = storesFor(store.reader(APP), new RecordingLogger().logger);
		const created = [];
		for (let index = 0; index < 400; index += 1) {
			const entry = record(START + index * MINUTE, next);
			created.push(entry);
			await stores.feedback.create(writer, entry);
		}
		await statistics(store, new Date(START + DAY));
		// 300 deletions over a day, a statistics call every ten of them.
		for (let index = 0; index < 300; index += 1) {
			const at = new Date(START + DAY + index * 5 * MINUTE);
			await stores.feedback.remove(writer, created[index], at);
			if (index % 10 === 9) {
				await statistics(store, at);
			}
		}
		const later = new Date(START + 3 * DAY);
		assert.equal((await statistics(store, later)).tally.total, 100);
		const before = store.readSizes.length;
		assert.equal((await statistics(store, later)).tally.total, 100);
		const read = store.readSizes.slice(before).reduce((sum, size) => sum + size, 0);
		assert.ok(read < 10, `${read} records read by a statistics call`);
		const kept = (scope: RecordScope) =>
			store.matching(APP, buildAssociations({ scope })).map((stored) => {
				const { recent, deletedIds } = stored.data as { recent: unknown[]; deletedIds: unknown[] };
				return recent.length + deletedIds.length;
			});
		assert.deepEqual(kept(RecordScope.FeedbackTotal), [0]);
		// The status total keeps a deletion a day longer: a status change racing the delete lands in it.
		await statistics(store, new Date(later.getTime() + DAY));
		assert.deepEqual(kept(RecordScope.StatusTotal), [0]);
	});

	it('a statistics call on a busy day reads the open hours, not the whole day', async () => {
		const next = seededRandom(3);
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		await HourlyFiling.markSince(writer, new Date(START - 10 * DAY));
		const stores = storesFor(store.reader(APP), new RecordingLogger().logger);
		const dayStart = Date.parse('2026-03-05T00:00:00Z');
		// 20 an hour over the day's first 22 hours.
		for (let minute = 0; minute < 22 * 60; minute += 3) {
			await stores.feedback.create(writer, record(dayStart + minute * MINUTE, next));
		}
		const now = new Date(dayStart + 22 * HOUR - MINUTE);
		await statistics(store, now);
		const before = store.readSizes.length;
		await statistics(store, now);
		const recordsRead = store.readSizes.slice(before).reduce((sum, size) => sum + size, 0);
		// Hours 19, 20 and 21 are open (an hour closes two hours after its end): 60 records.
		assert.ok(recordsRead < 80, `${recordsRead} records read`);
		assert.equal((await statistics(store, now)).tally.total, 440);
	});
});
