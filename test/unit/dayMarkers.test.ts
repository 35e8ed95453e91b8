import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DayMarkers, monthsBetween } from '../../src/persistence/DayMarkers';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { InMemoryPersistence } from '../support/InMemoryPersistence';

const APP = 'app';
const NOW = new Date('2026-06-10T12:00:00Z');

function markers(store: InMemoryPersistence): DayMarkers {
	return new DayMarkers(store.reader(APP), RecordScope.FeedbackDay, RecordScope.FeedbackDayFiling);
}

/** A marker as the version before wrote it: under its day only. */
async function earlierMarker(store: InMemoryPersistence, day: string): Promise<void> {
	await store
		.writer(APP)
		.updateByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackDay, keys: [day] }),
			{ day },
			true,
		);
}

async function newest(dayMarkers: DayMarkers, count: number): Promise<Array<string>> {
	const days: Array<string> = [];
	for await (const day of dayMarkers.newestFirst(NOW)) {
		days.push(day);
		if (days.length >= count) {
			break;
		}
	}
	return days;
}

describe('day markers', () => {
	it('lists months across a year', () => {
		assert.deepEqual(monthsBetween('2025-11', '2026-02'), [
			'2025-11',
			'2025-12',
			'2026-01',
			'2026-02',
		]);
		assert.deepEqual(monthsBetween('2026-03', '2026-02'), []);
	});

	it('read every marker until those of the version before are filed under their month, then only the months asked for', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const earlier = ['2025-01-03', '2025-07-04', '2026-05-30'];
		for (const day of earlier) {
			await earlierMarker(store, day);
		}
		await markers(store).mark(writer, '2026-06-09');
		await markers(store).mark(writer, '2026-06-09');
		const all = [...earlier, '2026-06-09'];
		assert.deepEqual(await markers(store).from('2025-07-04', NOW), all.slice(1));
		assert.deepEqual(await newest(markers(store), 10), [...all].reverse());

		assert.equal(await markers(store).fileByMonth(writer, NOW), true);
		const reads = store.readSizes.length;
		assert.deepEqual(await markers(store).from('2026-05-30', NOW), ['2026-05-30', '2026-06-09']);
		// The filing note, then May and June: not the 2025 markers.
		assert.equal(store.readSizes.length - reads, 3);
		assert.deepEqual(await markers(store).from('', NOW), all);
		assert.deepEqual(await newest(markers(store), 10), [...all].reverse());
		const before = store.readSizes.length;
		assert.deepEqual(await newest(markers(store), 1), ['2026-06-09']);
		assert.equal(store.readSizes.length - before, 2, 'the filing note and June only');
	});

	it('a store with no marker when filed lists the days marked after', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		await markers(store).fileByMonth(writer, new Date('2026-04-02T00:00:00Z'));
		await markers(store).mark(writer, '2026-04-20');
		await markers(store).mark(writer, '2026-06-10');
		assert.deepEqual(await markers(store).from('', NOW), ['2026-04-20', '2026-06-10']);
		assert.deepEqual(await markers(store).from('2026-05-01', NOW), ['2026-06-10']);
		assert.deepEqual(await newest(markers(store), 5), ['2026-06-10', '2026-04-20']);
	});

	it('of two filing notes stored at once, take the earliest first month', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		store.duplicateUpserts = true;
		await earlierMarker(store, '2026-01-15');
		await markers(store).fileByMonth(writer, NOW);
		await writer.createWithAssociations(
			{ done: true, firstMonth: '2026-03' },
			buildAssociations({ scope: RecordScope.FeedbackDayFiling }),
		);
		assert.deepEqual(await markers(store).from('', NOW), ['2026-01-15']);
		assert.deepEqual(await newest(markers(store), 5), ['2026-01-15']);
	});
});
