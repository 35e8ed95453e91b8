import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type {
	ILogger,
	IPersistence,
	IPersistenceRead,
} from '@rocket.chat/apps-engine/definition/accessors';

import { DAY_CLOSING_GRACE_MS, dayOf, foldProgressOf, isDayClosed } from '../../src/domain/days';
import type { IFeedbackRecord } from '../../src/domain/record';
import { tallyOf } from '../../src/domain/tally';
import { FeedbackRepository } from '../../src/persistence/FeedbackRepository';
import { HourlyFiling } from '../../src/persistence/HourlyFiling';
import { RunningTotal } from '../../src/persistence/RunningTotal';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { pageOfEveryone } from '../../src/persistence/everyonesFeedback';
import { storesFor } from '../../src/persistence/stores';
import { formatFeedbackPage } from '../../src/ui/messages';
import { InMemoryPersistence } from '../support/InMemoryPersistence';
import { RecordingLogger } from '../support/TestWorld';
import { seededRandom } from '../support/seededRandom';

const APP = 'app';
const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-03-01T08:00:00Z');

let serial = 0;
function feedback(at: number, fields: Partial<IFeedbackRecord> = {}): IFeedbackRecord {
	serial += 1;
	const id = `${serial.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
	const createdAt = new Date(at).toISOString();
	return {
		id,
		comment: `comment ${serial}`,
		category: 'Bug',
		rating: null,
		anonymous: false,
		author: null,
		roomId: null,
		createdAt,
		updatedAt: createdAt,
		...fields,
	};
}

/** The repository and the running total over one reader, as a request gets them. */
function feedbackStores(reader: IPersistenceRead, logger: ILogger = new RecordingLogger().logger) {
	const stores = storesFor(reader, logger);
	const { feedback, totals } = stores;
	return {
		pageOfAll: (writer: IPersistence, page: number, size: number, now: Date) =>
			pageOfEveryone(stores, writer, page, size, now),
		create: (writer: IPersistence, record: IFeedbackRecord) => feedback.create(writer, record),
		remove: (writer: IPersistence, record: IFeedbackRecord, now: Date) =>
			feedback.remove(writer, record, now),
		contributors: () => feedback.contributors.count(),
		tally: async (writer: IPersistence, now: Date) => {
			const { tally, preparing } = await totals.refresh(writer, now);
			assert.equal(preparing, undefined, 'every closed day folded in one call');
			return tally;
		},
	};
}

/** The record as its author stored it (the USER association comes from the author). */
function byAuthor(record: IFeedbackRecord, userId: string): IFeedbackRecord {
	return { ...record, author: { id: userId, username: userId, name: userId } };
}

/** A reader that counts how many feedback records reads hand back. */
function countingReader(reader: IPersistenceRead): {
	reader: IPersistenceRead;
	feedbackRead: () => number;
} {
	let feedbackRead = 0;
	return {
		feedbackRead: () => feedbackRead,
		reader: {
			...reader,
			readByAssociations: async (associations) => {
				const found = await reader.readByAssociations(associations);
				feedbackRead += found.filter((data) => 'comment' in data).length;
				return found;
			},
		},
	};
}

describe('days', () => {
	it('a day closes only after its end plus the grace period', () => {
		assert.equal(dayOf('2026-03-01T23:59:59.999Z'), '2026-03-01');
		const end = Date.parse('2026-03-02T00:00:00Z');
		assert.equal(isDayClosed('2026-03-01', new Date(end + DAY_CLOSING_GRACE_MS - 1)), false);
		assert.equal(isDayClosed('2026-03-01', new Date(end + DAY_CLOSING_GRACE_MS)), true);
	});
});

describe('fold progress', () => {
	it('shows one fold at a time, the feedback first, so its days are of one kind', () => {
		const feedback = { daysFolded: 20, daysLeft: 180 };
		const statuses = { daysFolded: 5, daysLeft: 194 };
		assert.deepEqual(foldProgressOf(feedback, statuses), feedback);
		assert.deepEqual(foldProgressOf(undefined, statuses), statuses);
		assert.equal(foldProgressOf(undefined, undefined), undefined);
	});
});

describe('the running total of statistics by day', () => {
	it('closed days are folded into one running total once and then not read again', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const counting = countingReader(store.reader(APP));
		const feedbackStore = feedbackStores(counting.reader);
		for (let day = 0; day < 5; day += 1) {
			for (let index = 0; index < 20; index += 1) {
				await feedbackStore.create(
					writer,
					byAuthor(feedback(START + day * DAY + index * 1000), 'u'),
				);
			}
		}
		const now = new Date(START + 10 * DAY);
		const first = await feedbackStore.tally(writer, now);
		assert.equal(first.total, 100);
		const [total] = store.matching(APP, buildAssociations({ scope: RecordScope.FeedbackTotal }));
		assert.equal(
			(total.data as { reach: string }).reach,
			`${dayOf(new Date(START + 4 * DAY).toISOString())}T23`,
		);
		const readBefore = counting.feedbackRead();
		const second = await feedbackStore.tally(writer, now);
		assert.deepEqual(second, first);
		assert.equal(counting.feedbackRead(), readBefore, 'no feedback record read for closed days');
	});

	it('a closed day holding categories named like object members folds and stays readable', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const log = new RecordingLogger();
		const feedbackStore = feedbackStores(store.reader(APP), log.logger);
		const names = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'Bug'];
		for (const [index, category] of names.entries()) {
			await feedbackStore.create(writer, byAuthor(feedback(START + index, { category }), 'u'));
		}
		const now = new Date(START + 3 * DAY);
		const first = await feedbackStore.tally(writer, now);
		assert.deepEqual([...first.categories.keys()].sort(), [...names].sort());
		const calls = store.calls.length;
		const second = await feedbackStore.tally(writer, now);
		assert.deepEqual(second, first);
		assert.ok(store.calls.length - calls <= 4, `${store.calls.length - calls} calls after folding`);
		assert.deepEqual(log.errors, []);
	});

	it('a running total that cannot be read is rebuilt once, and said so in the log', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const log = new RecordingLogger();
		const warnings: Array<unknown> = [];
		const logger = { ...log.logger, warn: (...items: Array<unknown>) => void warnings.push(items) };
		const feedbackStore = feedbackStores(store.reader(APP), logger);
		for (let day = 0; day < 3; day += 1) {
			await feedbackStore.create(writer, byAuthor(feedback(START + day * DAY), 'u'));
		}
		// A total an older version wrote: categories as object keys, no version.
		await writer.updateByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackTotal }),
			{
				throughDay: '2099-01-01',
				tally: { total: 1, categories: { toString: 'x' } },
				deletedIds: [],
			},
			true,
		);
		const now = new Date(START + 10 * DAY);
		assert.equal((await feedbackStore.tally(writer, now)).total, 3);
		assert.equal(warnings.length, 1, 'the rebuild is logged');
		const calls = store.calls.length;
		assert.equal((await feedbackStore.tally(writer, now)).total, 3);
		assert.equal(warnings.length, 1, 'rebuilt once');
		assert.ok(
			store.calls.length - calls <= 4,
			`${store.calls.length - calls} calls after the rebuild`,
		);
	});

	it('a running total that cannot be saved is logged, and the next call folds again', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const log = new RecordingLogger();
		const feedbackStore = feedbackStores(store.reader(APP), log.logger);
		await feedbackStore.create(writer, byAuthor(feedback(START), 'u'));
		// The store has been filed by the hour all along: the next write is the total's.
		await HourlyFiling.markSince(writer, new Date(START - 10 * DAY));
		store.failNext('updateByAssociations');
		const now = new Date(START + 3 * DAY);
		assert.equal((await feedbackStore.tally(writer, now)).total, 1);
		assert.equal(log.errors.length, 1);
		assert.match(String(log.errors[0][0]), /saving the running total/);
		assert.equal((await feedbackStore.tally(writer, now)).total, 1);
		assert.equal(
			store.matching(APP, buildAssociations({ scope: RecordScope.FeedbackTotal })).length,
			1,
		);
	});

	it('today is counted live and never folded', async () => {
		const store = new InMemoryPersistence();
		const feedbackStore = feedbackStores(store.reader(APP));
		await feedbackStore.create(store.writer(APP), byAuthor(feedback(START), 'u'));
		const tally = await feedbackStore.tally(store.writer(APP), new Date(START + 1000));
		assert.equal(tally.total, 1);
		assert.equal(
			store.matching(APP, buildAssociations({ scope: RecordScope.FeedbackTotal })).length,
			0,
		);
	});

	it('a delete in a folded day corrects the statistics, and its contributor stops counting', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const feedbackStore = feedbackStores(store.reader(APP));
		const kept = byAuthor(feedback(START, { rating: 4, category: 'Idea' }), 'a');
		const dropped = byAuthor(feedback(START + 1000, { rating: 2, category: 'Bug' }), 'b');
		await feedbackStore.create(writer, kept);
		await feedbackStore.create(writer, dropped);
		const later = new Date(START + 3 * DAY);
		assert.equal((await feedbackStore.tally(writer, later)).total, 2);
		assert.equal(await feedbackStore.contributors(), 2);
		await feedbackStore.remove(writer, dropped, later);
		assert.deepEqual(await feedbackStore.tally(writer, later), tallyOf([kept]));
		assert.equal(await feedbackStore.contributors(), 1);
	});

	it('duplicated records and duplicated totals are counted once', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const feedbackStore = feedbackStores(store.reader(APP));
		const record = feedback(START);
		await feedbackStore.create(writer, byAuthor(record, 'u'));
		await feedbackStore.create(writer, byAuthor(record, 'u'));
		store.duplicateUpserts = true;
		const later = new Date(START + 3 * DAY);
		assert.equal((await feedbackStore.tally(writer, later)).total, 1);
		assert.equal((await feedbackStore.tally(writer, later)).total, 1);
	});

	it('a failed removal leaves the entry stored and counted, live and folded, and a retry deletes it', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const feedbackStore = feedbackStores(store.reader(APP));
		const record = feedback(START);
		const other = feedback(START + 1000);
		await feedbackStore.create(writer, byAuthor(record, 'u'));
		await feedbackStore.create(writer, byAuthor(other, 'u'));
		store.failNext('removeByAssociations');
		await assert.rejects(feedbackStore.remove(writer, record, new Date(START + 2000)));
		assert.equal((await feedbackStore.tally(writer, new Date(START + 2000))).total, 2);
		const later = new Date(START + 3 * DAY);
		assert.equal((await feedbackStore.tally(writer, later)).total, 2);
		assert.equal((await feedbackStore.tally(writer, later)).total, 2);
		await feedbackStore.remove(writer, record, later);
		assert.deepEqual(await feedbackStore.tally(writer, later), tallyOf([other]));
		assert.deepEqual(await feedbackStore.tally(writer, later), tallyOf([other]));
	});

	it('a deletion after the fold is checked once, then taken into the total', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const feedbackStore = feedbackStores(store.reader(APP));
		const record = feedback(START);
		await feedbackStore.create(writer, byAuthor(record, 'u'));
		await feedbackStore.create(writer, byAuthor(feedback(START + 1000), 'u'));
		const later = new Date(START + 3 * DAY);
		await feedbackStore.tally(writer, later);
		await feedbackStore.remove(writer, record, later);
		assert.equal((await feedbackStore.tally(writer, later)).total, 1);
		const [summary] = store.matching(APP, buildAssociations({ scope: RecordScope.FeedbackTotal }));
		assert.deepEqual((summary.data as { recent: Array<[string, string]> }).recent, [
			[record.id, later.toISOString().slice(0, 13)],
		]);
		assert.equal((await feedbackStore.tally(writer, later)).total, 1);
		// Once the hour of the delete is closed, no later call reads its note: nothing is kept.
		const afterItsHour = new Date(later.getTime() + 4 * 60 * 60 * 1000);
		assert.equal((await feedbackStore.tally(writer, afterItsHour)).total, 1);
		const [pruned] = store.matching(APP, buildAssociations({ scope: RecordScope.FeedbackTotal }));
		assert.deepEqual((pruned.data as { recent: Array<[string, string]> }).recent, []);
		assert.equal((await feedbackStore.tally(writer, afterItsHour)).total, 1);
	});

	it('statistics stay right when the total cannot be written', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const feedbackStore = feedbackStores(store.reader(APP));
		await feedbackStore.create(writer, byAuthor(feedback(START), 'u'));
		// The store has been filed by the hour all along: the next write is the total's.
		await HourlyFiling.markSince(writer, new Date(START - 10 * DAY));
		store.failNext('updateByAssociations');
		assert.equal((await feedbackStore.tally(writer, new Date(START + 3 * DAY))).total, 1);
		assert.equal(
			store.matching(APP, buildAssociations({ scope: RecordScope.FeedbackTotal })).length,
			0,
		);
		assert.equal((await feedbackStore.tally(writer, new Date(START + 3 * DAY))).total, 1);
	});

	it('an older total written last by a slow instance is folded forward again, not trusted as current', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const feedbackStore = feedbackStores(store.reader(APP));
		const all: IFeedbackRecord[] = [];
		for (let day = 0; day < 6; day += 1) {
			const record = feedback(START + day * DAY);
			all.push(record);
			await feedbackStore.create(writer, byAuthor(record, 'u'));
		}
		await feedbackStore.tally(writer, new Date(START + 3 * DAY));
		const [total] = store.matching(APP, buildAssociations({ scope: RecordScope.FeedbackTotal }));
		const older = JSON.parse(JSON.stringify(total.data)) as object;
		const later = new Date(START + 10 * DAY);
		assert.deepEqual(await feedbackStore.tally(writer, later), tallyOf(all));
		total.data = older;
		assert.deepEqual(await feedbackStore.tally(writer, later), tallyOf(all));
	});

	it('matches a full count over any sequence of creates, deletes and reads across days', async () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const next = seededRandom(seed);
			const store = new InMemoryPersistence();
			const writer = store.writer(APP);
			const feedbackStore = feedbackStores(store.reader(APP));
			const present = new Map<string, IFeedbackRecord>();
			let clock = START;
			for (let step = 0; step < 300; step += 1) {
				clock += Math.floor(next() * 4 * 60 * 60 * 1000);
				const roll = next();
				if (roll < 0.6) {
					const record = byAuthor(
						feedback(clock, {
							category: ['Bug', 'Idea', 'Praise'][Math.floor(next() * 3)],
							rating: next() < 0.5 ? null : 1 + Math.floor(next() * 5),
						}),
						`user-${Math.floor(next() * 6)}`,
					);
					await feedbackStore.create(writer, record);
					present.set(record.id, record);
				} else if (roll < 0.8 && present.size > 0) {
					const victims = [...present.values()];
					const victim = victims[Math.floor(next() * victims.length)];
					if (next() < 0.2) {
						// A removal that fails leaves the entry where it was.
						store.failNext('removeByAssociations');
						await assert.rejects(feedbackStore.remove(writer, victim, new Date(clock)));
					} else {
						await feedbackStore.remove(writer, victim, new Date(clock));
						present.delete(victim.id);
					}
				} else {
					if (next() < 0.2) {
						store.failNext('updateByAssociations');
					}
					const tally = await feedbackStore.tally(writer, new Date(clock));
					store.clearFailures();
					assert.deepEqual(tally, tallyOf([...present.values()]), `seed ${seed}, step ${step}`);
					assert.equal(
						await feedbackStore.contributors(),
						new Set([...present.values()].map((entry) => entry.author?.id)).size,
						`distinct authors, seed ${seed}, step ${step}`,
					);
				}
			}
			assert.deepEqual(
				await feedbackStore.tally(writer, new Date(clock + 5 * DAY)),
				tallyOf([...present.values()]),
			);
		}
	});

	it('the admin list reads only the newest days a page needs', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const counting = countingReader(store.reader(APP));
		const feedbackStore = feedbackStores(counting.reader);
		for (let day = 0; day < 30; day += 1) {
			for (let index = 0; index < 10; index += 1) {
				await feedbackStore.create(
					writer,
					byAuthor(feedback(START + day * DAY + index * 1000), 'u'),
				);
			}
		}
		const now = new Date(START + 40 * DAY);
		await feedbackStore.tally(writer, now);
		const before = counting.feedbackRead();
		const page = await feedbackStore.pageOfAll(writer, 2, 10, now);
		assert.equal(page.total, 300);
		assert.equal(page.pages, 30);
		assert.equal(page.items.length, 10);
		assert.ok(page.items[0].createdAt < new Date(START + 29 * DAY).toISOString());
		assert.ok(page.items[0].createdAt > new Date(START + 28 * DAY).toISOString());
		assert.equal(counting.feedbackRead() - before, 20, 'two days read for page 2');
	});

	it('the admin list reads an open day once, for the page and the total together', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const counting = countingReader(store.reader(APP));
		const feedbackStore = feedbackStores(counting.reader);
		for (let index = 0; index < 15; index += 1) {
			await feedbackStore.create(writer, byAuthor(feedback(START + index * 1000), 'u'));
		}
		const page = await feedbackStore.pageOfAll(writer, 1, 10, new Date(START + 60_000));
		assert.equal(page.total, 15);
		assert.equal(page.items.length, 10);
		assert.equal(counting.feedbackRead(), 15);
	});

	it('a store larger than one call can fold is folded over several calls, each storing its progress', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer(APP);
		const reader = store.reader(APP);
		const repository = new FeedbackRepository(reader);
		const logger = new RecordingLogger();
		// A budget of 25 records a call; five closed days of 20 entries, and 3 today.
		const totals = new RunningTotal(reader, repository, logger.logger, 25);
		const all: Array<IFeedbackRecord> = [];
		for (let day = 0; day < 5; day += 1) {
			for (let index = 0; index < 20; index += 1) {
				all.push(feedback(START + day * DAY + index * 1000));
			}
		}
		const now = START + 6 * DAY;
		for (let index = 0; index < 3; index += 1) {
			all.push(feedback(now - 1000 * (index + 1)));
		}
		for (const record of all) {
			await repository.create(writer, record);
		}
		const calls = [];
		for (let call = 0; call < 3; call += 1) {
			calls.push((await totals.refresh(writer, new Date(now))).preparing);
		}
		// Day 1 (20) then day 2 (40 ≥ 25): out of budget; then days 3 and 4; then day 5 and today.
		assert.deepEqual(calls, [
			{ daysFolded: 2, daysLeft: 3 },
			{ daysFolded: 4, daysLeft: 1 },
			undefined,
		]);
		const complete = await totals.refresh(writer, new Date(now));
		assert.equal(complete.preparing, undefined);
		assert.deepEqual(complete.tally, tallyOf(all));
		// While it was not complete, a page of everyone's feedback said the total was being counted.
		const fresh = new InMemoryPersistence();
		const freshWriter = fresh.writer(APP);
		const freshReader = fresh.reader(APP);
		const freshFeedback = new FeedbackRepository(freshReader);
		for (const record of all) {
			await freshFeedback.create(freshWriter, record);
		}
		const stores = {
			feedback: freshFeedback,
			totals: new RunningTotal(freshReader, freshFeedback, logger.logger, 25),
		};
		const first = await pageOfEveryone(stores, freshWriter, 1, 10, new Date(now));
		assert.equal(first.counting, true);
		assert.deepEqual(
			first.items.map((record) => record.id),
			[...all]
				.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
				.slice(0, 10)
				.map((record) => record.id),
		);
		assert.equal(first.pages, 2, 'a next page, its number unknown yet');
		const t = (key: string, values?: Record<string, unknown>) => `${key} ${JSON.stringify(values)}`;
		assert.match(formatFeedbackPage(first, 'all', t), /^list_all_title_counting \{"page":1\}/);
		assert.match(formatFeedbackPage(first, 'all', t), /list_all_more \{"next":2\}$/);
		// Past the end while counting: the last page is what was read, exactly.
		const last = await pageOfEveryone(stores, freshWriter, 11, 10, new Date(now));
		assert.equal(last.items.length, 3);
		assert.equal(last.pages, 11);
		const beyond = await pageOfEveryone(stores, freshWriter, 13, 10, new Date(now));
		assert.deepEqual([beyond.items.length, beyond.pages], [0, 11]);
		assert.deepEqual(logger.errors, []);
	});
});
