// Distinct named authors without a key of anyone's id: marks beside named feedback, exact under
// every order of two instances' reads and writes, and nothing of an author left once their named
// feedback is gone (deletion notes, running totals, notes and totals of the earlier version).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { v5 as uuidV5 } from 'uuid';

import type { IFeedbackRecord } from '../../src/domain/record';
import { FeedbackRepository } from '../../src/persistence/FeedbackRepository';
import { RunningTotal } from '../../src/persistence/RunningTotal';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { InMemoryPersistence } from '../support/InMemoryPersistence';
import { RecordingLogger } from '../support/TestWorld';
import { interleave } from '../support/interleave';
import { seededRandom } from '../support/seededRandom';

const APP = 'app';
const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-03-01T08:00:00Z');
/** The namespace earlier versions derived contributor keys with: a reader computes them from user ids. */
const EARLIER_KEY_NAMESPACE = '6f1c2a8e-3b7d-4f2e-9a51-0c4d8e7b2f10';

let serial = 0;
function named(userId: string, at = START): IFeedbackRecord {
	serial += 1;
	const createdAt = new Date(at).toISOString();
	return {
		id: `${serial.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
		comment: `comment ${serial}`,
		category: 'Bug',
		rating: 3,
		anonymous: false,
		author: { id: userId, username: `name-${userId}`, name: userId },
		roomId: 'room',
		createdAt,
		updatedAt: createdAt,
	};
}

function marksOf(store: InMemoryPersistence): Array<object> {
	return store
		.matching(APP, buildAssociations({ scope: RecordScope.Contributor }))
		.map((record) => record.data);
}

function repository(store: InMemoryPersistence): FeedbackRepository {
	return new FeedbackRepository(store.reader(APP));
}

describe('distinct named authors', () => {
	it('a submit and a delete of the same member at once: a mark exactly when named feedback is stored', async () => {
		for (let seed = 1; seed <= 150; seed += 1) {
			const store = new InMemoryPersistence();
			const writer = store.writer(APP);
			const first = named('u');
			await repository(store).create(writer, first);
			const second = named('u');
			await interleave(store, seededRandom(seed), [
				() => repository(store).create(writer, second),
				() => repository(store).remove(writer, first, new Date(START)),
			]);
			assert.equal(await repository(store).contributors.count(), 1, `seed ${seed}`);
		}
	});

	it('two deletes of a member’s last two named feedback at once leave no mark', async () => {
		for (let seed = 1; seed <= 150; seed += 1) {
			const store = new InMemoryPersistence();
			const writer = store.writer(APP);
			const [one, two] = [named('u'), named('u')];
			await repository(store).create(writer, one);
			await repository(store).create(writer, two);
			await interleave(store, seededRandom(seed), [
				() => repository(store).remove(writer, one, new Date(START)),
				() => repository(store).remove(writer, two, new Date(START)),
			]);
			assert.deepEqual(marksOf(store), [], `seed ${seed}`);
			assert.equal(await repository(store).contributors.count(), 0);
		}
	});

	it('a member’s first two submits at once count them once', async () => {
		for (let seed = 1; seed <= 50; seed += 1) {
			const store = new InMemoryPersistence();
			const writer = store.writer(APP);
			await interleave(store, seededRandom(seed), [
				() => repository(store).create(writer, named('u')),
				() => repository(store).create(writer, named('u')),
				() => repository(store).create(writer, named('v')),
			]);
			assert.equal(await repository(store).contributors.count(), 2, `seed ${seed}`);
		}
	});

	it('anonymous feedback marks nobody', async () => {
		const store = new InMemoryPersistence();
		const record = { ...named('u'), anonymous: true, author: null, roomId: null };
		await repository(store).create(store.writer(APP), record);
		assert.deepEqual(marksOf(store), []);
	});

	it('a delete cut short after the removal leaves a mark that the hourly sweep removes', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const only = named('u');
		await repository(store).create(writer, only);
		// The feedback's removal landed; the instance stopped before it looked at the marks.
		await writer.removeByAssociations(
			buildAssociations({ scope: RecordScope.Feedback, keys: [`id:${only.id}`] }),
		);
		assert.equal(await repository(store).contributors.count(), 1, 'the stray mark counts');
		for (let minute = 0; minute < 60; minute += 1) {
			await repository(store).contributors.sweep(writer, new Date(START + minute * 60_000));
		}
		assert.equal(await repository(store).contributors.count(), 0);
		assert.deepEqual(marksOf(store), []);
	});

	it('the sweep keeps the marks of members who still have named feedback', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		for (const userId of ['a', 'b', 'c']) {
			await repository(store).create(writer, named(userId));
		}
		for (let minute = 0; minute < 60; minute += 1) {
			await repository(store).contributors.sweep(writer, new Date(START + minute * 60_000));
		}
		assert.equal(await repository(store).contributors.count(), 3);
	});

	it('marks the authors of feedback stored before marks existed, a budget at a time', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		for (let day = 0; day < 6; day += 1) {
			await repository(store).create(writer, named(`user-${day % 4}`, START + day * DAY));
			await repository(store).create(writer, named('shared', START + day * DAY + 1000));
		}
		// As an earlier version stored them: no marks.
		await writer.removeByAssociations(buildAssociations({ scope: RecordScope.Contributor }));
		assert.equal(await repository(store).contributors.count(), 0);
		const progress = await repository(store).contributors.backfill(writer, 3);
		assert.deepEqual(progress, { daysFolded: 2, daysLeft: 4 });
		assert.deepEqual(await repository(store).contributors.backfillLeft(), progress);
		let calls = 2;
		while (await repository(store).contributors.backfill(writer, 3)) {
			calls += 1;
		}
		assert.equal(calls, 3, 'two days a call');
		assert.equal(await repository(store).contributors.backfillLeft(), undefined);
		assert.equal(await repository(store).contributors.count(), 5);
	});
});

describe('what outlives a named feedback', () => {
	it('its deletion note holds what it counted for and nothing of its author', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const record = named('user-7');
		await repository(store).create(writer, record);
		await repository(store).remove(writer, record, new Date(START));
		const left = JSON.stringify(store.records.map((stored) => [stored.associations, stored.data]));
		for (const trace of ['user-7', 'name-user-7', uuidV5('user-7', EARLIER_KEY_NAMESPACE)]) {
			assert.ok(!left.includes(trace), `${trace} in ${left}`);
		}
		assert.deepEqual(await repository(store).deletionNotes(record.id), [
			{
				id: record.id,
				day: '2026-03-01',
				hour: record.createdAt.slice(0, 13),
				deletedHour: new Date(START).toISOString().slice(0, 13),
				category: 'Bug',
				rating: 3,
				anonymous: false,
			},
		]);
	});

	it('notes of the earlier version move without their key, and every read meets them meanwhile', async () => {
		for (let seed = 1; seed <= 60; seed += 1) {
			const store = new InMemoryPersistence();
			const writer = store.writer(APP);
			const key = uuidV5('user-7', EARLIER_KEY_NAMESPACE);
			const earlier = {
				id: 'gone-1',
				day: '2026-03-01',
				category: 'Bug',
				rating: 2,
				contributor: key,
			};
			await writer.createWithAssociations(
				earlier,
				buildAssociations({
					scope: RecordScope.FeedbackDeletedEarlier,
					keys: ['id:gone-1', 'day:2026-03-01'],
				}),
			);
			const seen: Array<number> = [];
			await interleave(store, seededRandom(seed), [
				() => repository(store).moveEarlierNotes(writer, 10),
				async () =>
					seen.push(
						(
							await repository(store).deletionNotesOf({
								key: '2026-03-01',
								last: '2026-03-01T23',
								kind: 'day',
							})
						).length,
					),
				async () => seen.push((await repository(store).deletionNotes()).length),
			]);
			assert.deepEqual(seen, [1, 1], `seed ${seed}`);
			assert.ok(!JSON.stringify(store.records).includes(key), `seed ${seed}`);
			assert.deepEqual(await repository(store).deletionNotes('gone-1'), [
				{ id: 'gone-1', day: '2026-03-01', category: 'Bug', rating: 2, anonymous: false },
			]);
		}
	});

	it('a running total of the earlier version is stored again without its keys, every copy', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const key = uuidV5('user-7', EARLIER_KEY_NAMESPACE);
		const earlierTotal = {
			version: 2,
			throughDay: '2026-03-01',
			tally: {
				total: 1,
				anonymous: 0,
				categories: [['Bug', 1]],
				ratingSum: 3,
				ratingCount: 1,
				contributors: [[key, 1]],
			},
			deletedIds: [],
		};
		const totalAssociations = buildAssociations({ scope: RecordScope.FeedbackTotal });
		// Two copies, as racing upserts leave them.
		await writer.createWithAssociations(earlierTotal, totalAssociations);
		await writer.createWithAssociations(earlierTotal, totalAssociations);
		await repository(store).create(writer, named('user-7'));
		const feedback = repository(store);
		const totals = new RunningTotal(store.reader(APP), feedback, new RecordingLogger().logger);
		const { tally } = await totals.refresh(writer, new Date(START + 3 * DAY));
		assert.equal(tally.total, 1, 'the folded day is not counted twice');
		assert.ok(!JSON.stringify(store.records).includes(key));
		const stored = store.matching(APP, totalAssociations).map((record) => record.data);
		assert.equal(stored.length, 1);
		assert.equal((stored[0] as { version?: number }).version, 4);
	});
});
