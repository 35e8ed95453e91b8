// The day markers an instance remembers writing, so a day's marker is written once per instance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IFeedbackRecord } from '../../src/domain/record';
import { FeedbackRepository } from '../../src/persistence/FeedbackRepository';
import { MarkedDays } from '../../src/persistence/MarkedDays';
import { InMemoryPersistence } from '../support/InMemoryPersistence';

const APP = 'app';

function feedbackOf(id: string, createdAt: string): IFeedbackRecord {
	return {
		id,
		comment: 'search is slow',
		category: 'Bug',
		rating: null,
		anonymous: true,
		author: null,
		roomId: null,
		createdAt,
		updatedAt: createdAt,
	};
}

describe('MarkedDays', () => {
	it('remembers the days noted, the last four of them', () => {
		const marked = new MarkedDays();
		assert.equal(marked.has('2026-03-01'), false);
		for (const day of ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']) {
			marked.add(day);
		}
		assert.equal(marked.has('2026-03-01'), true);
		marked.add('2026-03-05');
		assert.equal(marked.has('2026-03-01'), false, 'the oldest day is forgotten');
		assert.equal(marked.has('2026-03-02'), true);
		assert.equal(marked.has('2026-03-05'), true);
	});
});

describe('FeedbackRepository.create with the days an instance marked', () => {
	it("writes a day's marker with the day's first feedback only, and lists the day", async () => {
		const store = new InMemoryPersistence();
		const repository = new FeedbackRepository(store.reader(APP));
		const marked = new MarkedDays();
		await repository.create(store.writer(APP), feedbackOf('a', '2026-03-01T08:00:00.000Z'), marked);
		assert.deepEqual(store.calls, ['updateByAssociations', 'create']);
		assert.equal(marked.has('2026-03-01'), true);
		store.calls.length = 0;
		await repository.create(store.writer(APP), feedbackOf('b', '2026-03-01T09:00:00.000Z'), marked);
		assert.deepEqual(store.calls, ['create'], 'no second marker write');
		await repository.create(store.writer(APP), feedbackOf('c', '2026-03-02T09:00:00.000Z'), marked);
		assert.deepEqual(store.calls, ['create', 'updateByAssociations', 'create']);
		assert.deepEqual(await repository.days(), ['2026-03-02', '2026-03-01']);
		assert.equal((await repository.recordsOfDay('2026-03-01')).length, 2);
	});

	it('notes no day whose marker write failed: the next feedback of the day writes it', async () => {
		const store = new InMemoryPersistence();
		const repository = new FeedbackRepository(store.reader(APP));
		const marked = new MarkedDays();
		store.failNext('updateByAssociations');
		await assert.rejects(
			repository.create(store.writer(APP), feedbackOf('a', '2026-03-01T08:00:00.000Z'), marked),
			/injected updateByAssociations failure/,
		);
		assert.equal(marked.has('2026-03-01'), false);
		assert.equal(await repository.find('a'), undefined, 'no feedback without its marker');
		await repository.create(store.writer(APP), feedbackOf('b', '2026-03-01T09:00:00.000Z'), marked);
		assert.deepEqual(await repository.days(), ['2026-03-01']);
		assert.equal(marked.has('2026-03-01'), true);
	});

	it('writes the marker with every feedback when no instance memory is given', async () => {
		const store = new InMemoryPersistence();
		const repository = new FeedbackRepository(store.reader(APP));
		await repository.create(store.writer(APP), feedbackOf('a', '2026-03-01T08:00:00.000Z'));
		await repository.create(store.writer(APP), feedbackOf('b', '2026-03-01T09:00:00.000Z'));
		assert.equal(store.calls.filter((call) => call === 'updateByAssociations').length, 2);
	});
});
