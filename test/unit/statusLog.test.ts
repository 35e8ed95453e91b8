import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FeedbackStatus } from '../../src/domain/status';
import { StatusLog } from '../../src/persistence/StatusLog';
import { InMemoryPersistence } from '../support/InMemoryPersistence';

const APP = 'app';
const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-03-01T09:00:00Z');

describe('StatusLog.statusOfAllByDays', () => {
	it('gives the newest change of each feedback, reading no more than one day of changes at a time', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const log = new StatusLog(store.reader(APP));
		const append = (id: string, feedbackId: string, status: FeedbackStatus, at: number) =>
			log.append(writer, {
				id,
				feedbackId,
				feedbackCreatedAt: new Date(START).toISOString(),
				status,
				note: 'a note',
				adminId: 'admin',
				at: new Date(at).toISOString(),
			});
		// Three changes a day over five days: a later day wins, and within one instant the larger id.
		for (let day = 0; day < 5; day += 1) {
			const at = START + day * DAY;
			await append(`c${day}-a`, 'f1', day % 2 ? FeedbackStatus.Done : FeedbackStatus.Planned, at);
			await append(`c${day}-b`, `f-day-${day}`, FeedbackStatus.Acknowledged, at);
			await append(`c${day}-c`, `f-day-${day}`, FeedbackStatus.Declined, at);
		}
		store.readSizes.length = 0;
		const statuses = await log.statusOfAllByDays();
		const readSizes = [...store.readSizes];
		assert.equal(statuses.get('f1'), FeedbackStatus.Planned, 'the change of the last day');
		for (let day = 0; day < 5; day += 1) {
			assert.equal(statuses.get(`f-day-${day}`), FeedbackStatus.Declined, 'the larger id');
		}
		assert.equal(statuses.size, 6);
		assert.deepEqual(statuses, await log.statusOfAll(), 'as from one read of every change');
		// Five day markers in one read, then a read per day of its three changes.
		assert.ok(
			readSizes.every((size) => size <= 5),
			`reads of ${readSizes.join(', ')} records`,
		);
	});
});
