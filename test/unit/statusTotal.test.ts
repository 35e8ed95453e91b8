import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';

import { DAY_CLOSING_GRACE_MS } from '../../src/domain/days';
import { firstHourlyDay, hourOf } from '../../src/domain/periods';
import {
	FeedbackStatus,
	medianResponse,
	newestChange,
	previousChange,
	RESPONSE_BUCKETS_MS,
	STATUSES,
} from '../../src/domain/status';
import type { IPreviousChange, IStatusChange } from '../../src/domain/status';
import { FeedbackRepository } from '../../src/persistence/FeedbackRepository';
import { StatusLog } from '../../src/persistence/StatusLog';
import { StatusTotal } from '../../src/persistence/StatusTotal';
import { InMemoryPersistence } from '../support/InMemoryPersistence';
import { RecordingLogger } from '../support/TestWorld';
import { seededRandom } from '../support/seededRandom';

const APP = 'app';
const START = Date.parse('2026-03-01T09:00:00Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let serial = 0;

function world(foldBudget?: number) {
	const store = new InMemoryPersistence();
	const reader = store.reader(APP);
	const writer: IPersistence = store.writer(APP);
	const log = new RecordingLogger();
	const feedback = new FeedbackRepository(reader);
	const statuses = new StatusLog(reader);
	const totals = new StatusTotal(reader, statuses, feedback, log.logger, foldBudget);
	const createdAt = new Date(START).toISOString();
	const add = async (id: string) => {
		await feedback.create(writer, {
			id,
			comment: id,
			category: 'Bug',
			rating: null,
			anonymous: false,
			author: { id: 'u', username: 'u', name: 'U' },
			roomId: null,
			createdAt,
			updatedAt: createdAt,
		});
	};
	const change = async (
		feedbackId: string,
		status: FeedbackStatus,
		at: number,
		previous?: IPreviousChange,
	) => {
		serial += 1;
		const entry: IStatusChange = {
			id: `change-${String(serial).padStart(6, '0')}`,
			feedbackId,
			feedbackCreatedAt: createdAt,
			status,
			note: '',
			adminId: 'admin',
			at: new Date(at).toISOString(),
			...(previous ? { previous } : {}),
		};
		await statuses.append(writer, entry);
		return entry;
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
		await w.feedback.remove(w.writer, record, new Date(START + 5 * DAY));
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

	it('read no history for changes that carry what their writer saw', async () => {
		const readsFor = async (changed: number) => {
			const w = world();
			for (let index = 0; index < changed; index += 1) {
				await w.add(`f${index}`);
				// Changed today (open), each seen as never changed before by its writer.
				const at = START + 3 * DAY + 3 * HOUR + index;
				await w.change(`f${index}`, FeedbackStatus.Planned, at, previousChange([], new Date(at)));
			}
			await w.counts(START + 3 * DAY + 6 * HOUR);
			const before = w.store.calls.length;
			assert.deepEqual(await w.counts(START + 3 * DAY + 6 * HOUR), { planned: changed });
			return w.store.calls.length - before;
		};
		assert.equal(await readsFor(20), await readsFor(1), 'as many calls for 20 changes as for 1');
	});

	it('read the history when the writer may have missed a change older than the window', async () => {
		const w = world();
		await w.add('a');
		const dayTwo = START - 9 * HOUR + DAY; // 2026-03-02T00:00Z
		// Acknowledged just before midnight; the next change, an hour after midnight, was read
		// before it was visible (within the grace): it says it saw nothing.
		await w.change('a', FeedbackStatus.Acknowledged, dayTwo - 1000);
		await w.change(
			'a',
			FeedbackStatus.Planned,
			dayTwo + HOUR,
			previousChange([], new Date(dayTwo + HOUR - 1)),
		);
		// Day one closes at 02:00 on day two; day two is open, on top of it.
		assert.deepEqual(await w.counts(dayTwo + 3 * HOUR), { planned: 1 });
		const result = await w.totals.refresh(w.writer, new Date(dayTwo + 3 * HOUR));
		assert.equal(
			result.responseBuckets.reduce((sum, count) => sum + count, 0),
			1,
			'one first change: the one before midnight',
		);
		// A writer whose newest seen change is itself inside the window (clocks apart) tells nothing.
		await w.add('b');
		const first = await w.change('b', FeedbackStatus.Done, dayTwo + 5 * HOUR);
		await w.change(
			'b',
			FeedbackStatus.Declined,
			dayTwo + 5 * HOUR - 10,
			previousChange([first], new Date(dayTwo + 5 * HOUR)),
		);
		assert.deepEqual(await w.counts(dayTwo + 6 * HOUR), { planned: 1, done: 1 });
	});

	it('agree with every change read, whatever each writer saw of the others', async () => {
		const random = seededRandom(7);
		const w = world();
		const all: Array<IStatusChange> = [];
		const feedbackIds = Array.from({ length: 12 }, (_, index) => `f${index}`);
		for (const id of feedbackIds) {
			await w.add(id);
		}
		// Changes over five days, stored in time order; each writer surely saw every change dated
		// a grace before its read, and any of the later ones it happened to see.
		const times = Array.from({ length: 90 }, () => START + random() * 5 * DAY).sort(
			(a, b) => a - b,
		);
		for (const time of times) {
			const feedbackId = feedbackIds[Math.floor(random() * feedbackIds.length)];
			const readAt = time - random() * 1000;
			const seen = all.filter(
				(change) =>
					change.feedbackId === feedbackId &&
					(Date.parse(change.at) <= readAt - DAY_CLOSING_GRACE_MS || random() < 0.5),
			);
			const status = STATUSES[1 + Math.floor(random() * (STATUSES.length - 1))];
			all.push(await w.change(feedbackId, status, time, previousChange(seen, new Date(readAt))));
		}
		const firstCall = new Date(START + 2 * HOUR);
		const firstHourly = firstHourlyDay(firstCall);
		/** What a call at `now` reads: all but the hours of today more than the grace ahead. */
		const visible = (now: Date) => {
			const latest = hourOf(new Date(now.getTime() + DAY_CLOSING_GRACE_MS).toISOString());
			return all.filter((change) => {
				const day = change.at.slice(0, 10);
				return day < firstHourly || day !== latest.slice(0, 10) || hourOf(change.at) <= latest;
			});
		};
		const expectedAt = (now: Date) => {
			const expected: Record<string, number> = {};
			for (const id of feedbackIds) {
				const newest = newestChange(visible(now).filter((change) => change.feedbackId === id));
				if (newest) {
					expected[newest.status] = (expected[newest.status] ?? 0) + 1;
				}
			}
			return expected;
		};
		const changedCount = (now: Date) =>
			new Set(visible(now).map((change) => change.feedbackId)).size;
		for (const hours of [2, 30, 50, 75, 100, 121, 200]) {
			const now = new Date(START + hours * HOUR);
			const result = await w.totals.refresh(w.writer, now);
			const counts = Object.fromEntries([...result.byStatus].filter(([, count]) => count !== 0));
			// Every change is stored from the start: the counts are those of every change, but
			// the hours of today more than the clock-skew grace ahead, which are read once near.
			assert.deepEqual(counts, expectedAt(now), `counts at ${now.toISOString()}`);
			assert.equal(
				result.responseBuckets.reduce((sum, count) => sum + count, 0),
				changedCount(now),
				`first changes at ${now.toISOString()}`,
			);
		}
	});

	it('fold a long history over several calls, each storing its progress', async () => {
		// A budget of 15 changes a call; five closed days of 10 changes, each of another feedback.
		const w = world(15);
		for (let day = 0; day < 5; day += 1) {
			for (let index = 0; index < 10; index += 1) {
				await w.add(`f${day}-${index}`);
				await w.change(`f${day}-${index}`, FeedbackStatus.Done, START + day * DAY + index);
			}
		}
		const now = new Date(START + 7 * DAY);
		const progress = [];
		for (let call = 0; call < 3; call += 1) {
			progress.push((await w.totals.refresh(w.writer, now)).preparing);
		}
		assert.deepEqual(progress, [
			{ daysFolded: 2, daysLeft: 3 },
			{ daysFolded: 4, daysLeft: 1 },
			undefined,
		]);
		assert.deepEqual(await w.counts(now.getTime()), { done: 50 });
		// fold() folds closed days only, and says when nothing is left.
		const fresh = world(15);
		await fresh.add('a');
		await fresh.change('a', FeedbackStatus.Done, START);
		await fresh.change('a', FeedbackStatus.Planned, START + 3 * DAY);
		assert.equal(
			await fresh.totals.fold(fresh.writer, new Date(START + 3 * DAY + HOUR)),
			undefined,
		);
		assert.deepEqual(await fresh.counts(START + 3 * DAY + HOUR), { planned: 1 });
		assert.deepEqual(w.log.errors, []);
	});
});
