import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';

import { FeedbackStatus, medianResponse, RESPONSE_BUCKETS_MS } from '../../src/domain/status';
import type { IStatusChange } from '../../src/domain/status';
import { FeedbackRepository } from '../../src/persistence/FeedbackRepository';
import { StatusLog } from '../../src/persistence/StatusLog';
import { StatusTotal } from '../../src/persistence/StatusTotal';
import { InMemoryPersistence } from '../support/InMemoryPersistence';
import { RecordingLogger } from '../support/TestWorld';

const APP = 'app';
const START = Date.parse('2026-03-01T09:00:00Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let serial = 0;

function world() {
	const store = new InMemoryPersistence();
	const reader = store.reader(APP);
	const writer: IPersistence = store.writer(APP);
	const log = new RecordingLogger();
	const feedback = new FeedbackRepository(reader);
	const statuses = new StatusLog(reader);
	const totals = new StatusTotal(reader, statuses, feedback, log.logger);
	const createdAt = new Date(START).toISOString();
	const add = async (id: string) => {
		await feedback.create(writer, {
			id,
			comment: id,
			category: 'Bug',
			rating: null,
			anonymous: false,
			author: { id: 'u', username: 'u', name: 'U' },
			contributor: 'c',
			roomId: null,
			createdAt,
			updatedAt: createdAt,
		});
	};
	const change = async (feedbackId: string, status: FeedbackStatus, at: number) => {
		serial += 1;
		const entry: IStatusChange = {
			id: `change-${String(serial).padStart(6, '0')}`,
			feedbackId,
			feedbackCreatedAt: createdAt,
			status,
			note: '',
			adminId: 'admin',
			at: new Date(at).toISOString(),
		};
		await statuses.append(writer, entry);
	};
	const counts = async (now: number) => {
		const result = await totals.refresh(writer, new Date(now));
		return Object.fromEntries([...result.byStatus].filter(([, count]) => count !== 0));
	};
	return { store, writer, feedback, statuses, totals, add, change, counts, log };
}

describe('status statistics', () => {
	it('count each feedback once, by its newest change, over closed and open days', async () => {
		const w = world();
		for (const id of ['a', 'b', 'c']) {
			await w.add(id);
		}
		await w.change('a', FeedbackStatus.Acknowledged, START + HOUR);
		await w.change('a', FeedbackStatus.Planned, START + DAY + HOUR);
		await w.change('b', FeedbackStatus.Declined, START + DAY + 2 * HOUR);
		await w.change('a', FeedbackStatus.Done, START + 3 * DAY);
		// Day 1 and 2 are closed, day 3 is open.
		const now = START + 3 * DAY + HOUR;
		assert.deepEqual(await w.counts(now), { done: 1, declined: 1 });
		assert.deepEqual(await w.counts(now), { done: 1, declined: 1 }, 'the same once folded');
		assert.deepEqual(await w.counts(START + 10 * DAY), { done: 1, declined: 1 });
	});

	it('two admins changing one feedback at once: the newest change wins, counted once', async () => {
		const w = world();
		await w.add('a');
		await Promise.all([
			w.change('a', FeedbackStatus.Planned, START + HOUR),
			w.change('a', FeedbackStatus.Declined, START + HOUR),
		]);
		const open = await w.counts(START + 2 * HOUR);
		const folded = await w.counts(START + 5 * DAY);
		assert.equal(
			Object.values(open).reduce((sum, count) => sum + count, 0),
			1,
		);
		assert.deepEqual(open, folded);
		// Same millisecond: the larger change id is the newest, on every instance.
		assert.deepEqual(folded, { declined: 1 });
	});

	it('take a deleted feedback out once, whatever status it had', async () => {
		const w = world();
		await w.add('a');
		await w.add('b');
		await w.change('a', FeedbackStatus.Planned, START + HOUR);
		await w.change('b', FeedbackStatus.Planned, START + HOUR);
		assert.deepEqual(await w.counts(START + 5 * DAY), { planned: 2 });
		const record = await w.feedback.find('a');
		assert.ok(record);
		await w.feedback.remove(w.writer, record);
		// A change that lands after the delete does not bring it back.
		await w.change('a', FeedbackStatus.Done, START + 5 * DAY);
		assert.deepEqual(await w.counts(START + 5 * DAY + HOUR), { planned: 1 });
		assert.deepEqual(await w.counts(START + 9 * DAY), { planned: 1 });
	});

	it('measure the time to a first change, into buckets whose median is a range', async () => {
		const w = world();
		for (const id of ['a', 'b', 'c']) {
			await w.add(id);
		}
		await w.change('a', FeedbackStatus.Acknowledged, START + 30 * 60_000);
		await w.change('a', FeedbackStatus.Done, START + 2 * DAY);
		await w.change('b', FeedbackStatus.Acknowledged, START + 2 * HOUR);
		await w.change('c', FeedbackStatus.Acknowledged, START + 2 * DAY);
		const result = await w.totals.refresh(w.writer, new Date(START + 10 * DAY));
		assert.equal(
			result.responseBuckets.reduce((sum, count) => sum + count, 0),
			3,
			'one first change each',
		);
		assert.deepEqual(medianResponse(result.responseBuckets), {
			from: RESPONSE_BUCKETS_MS[2],
			to: RESPONSE_BUCKETS_MS[3],
		});
		assert.equal(medianResponse(RESPONSE_BUCKETS_MS.map(() => 0)), undefined);
	});

	it('cost the same once folded, however many changes were folded', async () => {
		const w = world();
		for (let index = 0; index < 40; index += 1) {
			await w.add(`f${index}`);
			await w.change(`f${index}`, FeedbackStatus.Acknowledged, START + (index % 10) * DAY);
		}
		const now = START + 20 * DAY;
		await w.counts(now);
		const calls = w.store.calls.length;
		assert.deepEqual(await w.counts(now), { acknowledged: 40 });
		assert.ok(
			w.store.calls.length - calls <= 4,
			`${w.store.calls.length - calls} calls once folded`,
		);
		assert.deepEqual(w.log.errors, []);
	});
});
