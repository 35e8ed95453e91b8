import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PAGE_SIZE, paginate } from '../../src/domain/paging';
import { copyRankOf, isFeedbackIdInput, shortIdOf } from '../../src/domain/record';
import type { IFeedbackRecord } from '../../src/domain/record';
import { computeStats } from '../../src/domain/stats';
import { tallyOf } from '../../src/domain/tally';
import { distinctNewestFirst, parseFeedbackRecord } from '../../src/persistence/FeedbackRecord';

function record(overrides: Partial<IFeedbackRecord> = {}): IFeedbackRecord {
	return {
		id: '00000000-0000-4000-8000-000000000001',
		comment: 'comment',
		category: 'Bug',
		rating: null,
		anonymous: false,
		author: { id: 'user-1', username: 'alice', name: 'Alice' },
		roomId: null,
		createdAt: '2024-01-01T00:00:00.000Z',
		updatedAt: '2024-01-01T00:00:00.000Z',
		...overrides,
	};
}

/** The counts of records, with one contributor: distinct authors are counted by ContributorMarks. */
function counted(records: ReadonlyArray<IFeedbackRecord>) {
	return { tally: tallyOf(records), contributors: 1 };
}

describe('computeStats', () => {
	it('no feedback and no messages: zeros and nothing to average', () => {
		assert.deepEqual(computeStats({ tally: tallyOf([]), contributors: 0 }, 0), {
			total: 0,
			byCategory: [],
			ratingCount: 0,
			averageRating: null,
			contributors: 0,
			anonymous: 0,
			messages: 0,
			perThousandMessages: null,
		});
	});

	it('counts feedback, categories most used first, ratings, contributors and the ratio', () => {
		const records = [
			record({ id: 'a', category: 'Idea', rating: 5 }),
			record({ id: 'b', category: 'Bug', rating: 2 }),
			record({ id: 'c', category: 'Bug', rating: null }),
			record({ id: 'd', category: 'Praise', rating: 4 }),
		];
		assert.deepEqual(computeStats({ tally: tallyOf(records), contributors: 3 }, 2000), {
			total: 4,
			byCategory: [
				['Bug', 2],
				['Idea', 1],
				['Praise', 1],
			],
			ratingCount: 3,
			averageRating: 11 / 3,
			contributors: 3,
			anonymous: 0,
			messages: 2000,
			perThousandMessages: 2,
		});
	});

	it('orders categories with equal counts by name', () => {
		const records = ['Zeta', 'Alpha', 'Mid'].map((category, index) =>
			record({ id: String(index), category }),
		);
		assert.deepEqual(
			computeStats(counted(records), 0).byCategory.map(([category]) => category),
			['Alpha', 'Mid', 'Zeta'],
		);
	});

	it('feedback without ratings has no average', () => {
		const stats = computeStats(counted([record({ id: 'a' }), record({ id: 'b' })]), 10);
		assert.equal(stats.ratingCount, 0);
		assert.equal(stats.averageRating, null);
	});

	it('without any message the ratio is not available', () => {
		assert.equal(computeStats(counted([record()]), 0).perThousandMessages, null);
	});

	it('the ratio is feedback per 1000 messages', () => {
		assert.equal(
			computeStats(counted([record({ id: 'a' }), record({ id: 'b' }), record({ id: 'c' })]), 2000)
				.perThousandMessages,
			1.5,
		);
		assert.equal(computeStats(counted([record()]), 1).perThousandMessages, 1000);
	});

	it('anonymous feedback is counted apart; distinct authors come as counted', () => {
		const records = [
			record({ id: 'a' }),
			record({ id: 'b' }),
			record({ id: 'c', anonymous: true, author: null }),
			record({ id: 'd', anonymous: true, author: null }),
		];
		const stats = computeStats({ tally: tallyOf(records), contributors: 1 }, 0);
		assert.equal(stats.contributors, 1);
		assert.equal(stats.anonymous, 2);
		assert.equal(stats.total, 4);
	});

	it('counts categories named like object members as categories', () => {
		const names = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'Bug'];
		const records = names.map((category, index) => record({ id: String(index), category }));
		const byCategory = new Map(computeStats(counted(records), 0).byCategory);
		assert.deepEqual([...byCategory.keys()].sort(), [...names].sort());
		assert.ok([...byCategory.values()].every((amount) => amount === 1));
	});
});

describe('paginate', () => {
	const items = Array.from({ length: 25 }, (_, index) => index);

	it('uses pages of ten by default', () => {
		assert.equal(PAGE_SIZE, 10);
		assert.deepEqual(paginate(items, 1), {
			items: items.slice(0, 10),
			page: 1,
			pages: 3,
			total: 25,
		});
	});

	it('the last page holds the rest', () => {
		assert.deepEqual(paginate(items, 3), {
			items: [20, 21, 22, 23, 24],
			page: 3,
			pages: 3,
			total: 25,
		});
	});

	it('a page past the end has no items but keeps the page count', () => {
		assert.deepEqual(paginate(items, 4), { items: [], page: 4, pages: 3, total: 25 });
	});

	it('an empty list has one empty page', () => {
		assert.deepEqual(paginate([], 1), { items: [], page: 1, pages: 1, total: 0 });
	});

	it('an exact multiple of the size has no extra page', () => {
		assert.equal(paginate(items.slice(0, 20), 1).pages, 2);
	});

	it('honours a custom size', () => {
		assert.deepEqual(paginate(items, 2, 7), {
			items: [7, 8, 9, 10, 11, 12, 13],
			page: 2,
			pages: 4,
			total: 25,
		});
	});
});

describe('parseFeedbackRecord', () => {
	it('reads a complete stored record unchanged', () => {
		const stored = record({ rating: 3, roomId: 'room-1' });
		assert.deepEqual(parseFeedbackRecord(JSON.parse(JSON.stringify(stored))), stored);
	});

	it('refuses values without a string id and comment', () => {
		for (const value of [
			undefined,
			null,
			42,
			'text',
			[],
			{},
			{ id: 'a' },
			{ comment: 'c' },
			{ id: 1, comment: 'c' },
			{ id: 'a', comment: 5 },
		]) {
			assert.equal(parseFeedbackRecord(value), undefined, `value ${JSON.stringify(value)}`);
		}
	});

	it('defaults every other field', () => {
		assert.deepEqual(parseFeedbackRecord({ id: 'a', comment: 'c' }), {
			id: 'a',
			comment: 'c',
			category: '',
			rating: null,
			anonymous: false,
			author: null,
			roomId: null,
			createdAt: '',
			updatedAt: '',
		});
	});

	it('ignores fields of the wrong type', () => {
		const parsed = parseFeedbackRecord({
			id: 'a',
			comment: 'c',
			category: 3,
			rating: '4',
			anonymous: 'yes',
			roomId: 7,
			createdAt: 1,
		});
		assert.equal(parsed?.category, '');
		assert.equal(parsed?.rating, null);
		assert.equal(parsed?.anonymous, false);
		assert.equal(parsed?.roomId, null);
		assert.equal(parsed?.createdAt, '');
	});

	it('drops the author of an anonymous record', () => {
		const parsed = parseFeedbackRecord({
			id: 'a',
			comment: 'c',
			anonymous: true,
			author: { id: 'u', username: 'alice', name: 'Alice' },
		});
		assert.equal(parsed?.anonymous, true);
		assert.equal(parsed?.author, null);
	});

	it('reads an author only with a string id, defaulting username and name', () => {
		assert.equal(
			parseFeedbackRecord({ id: 'a', comment: 'c', author: { username: 'alice' } })?.author,
			null,
		);
		assert.equal(parseFeedbackRecord({ id: 'a', comment: 'c', author: 'alice' })?.author, null);
		assert.deepEqual(
			parseFeedbackRecord({ id: 'a', comment: 'c', author: { id: 'u', username: 5 } })?.author,
			{ id: 'u', username: '', name: '' },
		);
	});
});

describe('distinctNewestFirst', () => {
	const older = record({ id: 'b-older', createdAt: '2024-01-01T00:00:00.000Z' });
	const newer = record({ id: 'a-newer', createdAt: '2024-02-01T00:00:00.000Z' });
	const newest = record({ id: 'c-newest', createdAt: '2024-03-01T00:00:00.000Z' });

	it('orders records newest first', () => {
		assert.deepEqual(distinctNewestFirst([older, newest, newer]), [newest, newer, older]);
	});

	it('collapses records stored twice under the same id', () => {
		const result = distinctNewestFirst([older, newer, older, newer, newer]);
		assert.deepEqual(result, [newer, older]);
	});

	it('keeps the same copy of a duplicated id whatever the stored order: the lower copy rank', () => {
		const copy = { ...older, comment: 'second copy' };
		const kept = copyRankOf(older) < copyRankOf(copy) ? older : copy;
		assert.deepEqual(distinctNewestFirst([older, copy]), [kept]);
		assert.deepEqual(distinctNewestFirst([copy, older]), [kept]);
		const later = { ...older, comment: 'later copy', createdAt: '2099-01-01T00:00:00.000Z' };
		assert.deepEqual(distinctNewestFirst([later, older]), [older], 'the earliest copy first');
	});

	it('orders records with the same time by id, whatever the stored order', () => {
		const at = '2024-05-05T05:05:05.000Z';
		const tied = ['d', 'b', 'c', 'a'].map((id) => record({ id, createdAt: at }));
		const expected = ['a', 'b', 'c', 'd'];
		assert.deepEqual(
			distinctNewestFirst(tied).map((item) => item.id),
			expected,
		);
		assert.deepEqual(
			distinctNewestFirst([...tied].reverse()).map((item) => item.id),
			expected,
		);
	});

	it('ignores values that are not records', () => {
		const result = distinctNewestFirst([
			null,
			42,
			'junk',
			{ id: 'x' },
			older,
			{ comment: 'y' },
			undefined,
			[],
		]);
		assert.deepEqual(result, [older]);
	});

	it('an empty input is an empty list', () => {
		assert.deepEqual(distinctNewestFirst([]), []);
	});
});

describe('shortIdOf', () => {
	it('is the first eight characters of the id', () => {
		assert.equal(shortIdOf('1a2b3c4d-5e6f-4000-8000-000000000000'), '1a2b3c4d');
	});

	it('keeps a shorter id whole', () => {
		assert.equal(shortIdOf('abc'), 'abc');
	});
});

describe('isFeedbackIdInput', () => {
	it('accepts a short id and a full id in lower-case hexadecimal', () => {
		assert.equal(isFeedbackIdInput('1a2b3c4d'), true);
		assert.equal(isFeedbackIdInput('1a2b3c4d-5e6f'), true);
		assert.equal(isFeedbackIdInput('1a2b3c4d-5e6f-4000-8000-000000000000'), true);
	});

	it('refuses ids shorter than eight or longer than 36 characters', () => {
		assert.equal(isFeedbackIdInput('1a2b3c4'), false);
		assert.equal(isFeedbackIdInput(''), false);
		assert.equal(isFeedbackIdInput('1a2b3c4d-5e6f-4000-8000-0000000000000'), false);
	});

	it('refuses characters that are not lower-case hexadecimal or dashes', () => {
		for (const text of ['1A2B3C4D', '1a2b3c4g', '1a2b 3c4d', '1a2b3c4d*', '@all1234']) {
			assert.equal(isFeedbackIdInput(text), false, text);
		}
	});
});
