import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { foldDays, furthestTotal } from '../../src/persistence/dayFold';

// 2026-03-05 closes at 2026-03-06T02:00Z: at this time 03-01 to 03-04 are closed, 03-05 and 03-06 open.
const NOW = new Date('2026-03-06T01:00:00Z');
const DAYS = ['2026-03-06', '2026-03-02', '2026-03-01', '2026-03-04', '2026-03-03', '2026-03-05'];

/** A fold over DAYS where each day holds `perDay` records; what it did, in order. */
async function run(options: {
	throughDay?: string;
	budget?: number;
	closedOnly?: boolean;
	perDay?: number;
}) {
	const done: Array<string> = [];
	const result = await foldDays({
		days: DAYS,
		throughDay: options.throughDay ?? '',
		now: NOW,
		budget: options.budget ?? 1000,
		closedOnly: options.closedOnly ?? false,
		read: (day) => {
			done.push(`read ${day}`);
			return Promise.resolve(Array.from({ length: options.perDay ?? 2 }, () => day));
		},
		foldDay: (day, records) => {
			done.push(`fold ${day} ${records.length}`);
			return Promise.resolve();
		},
		openDay: (day) => {
			done.push(`open ${day}`);
			return Promise.resolve();
		},
	});
	return { result, done };
}

describe('folding days into a stored total', () => {
	it('folds the closed days after the total oldest first, then reads the open days on top', async () => {
		const { result, done } = await run({ throughDay: '2026-03-01' });
		assert.deepEqual(result, { throughDay: '2026-03-04', daysFolded: 3 });
		assert.deepEqual(done, [
			'read 2026-03-02',
			'fold 2026-03-02 2',
			'read 2026-03-03',
			'fold 2026-03-03 2',
			'read 2026-03-04',
			'fold 2026-03-04 2',
			'read 2026-03-05',
			'open 2026-03-05',
			'read 2026-03-06',
			'open 2026-03-06',
		]);
	});

	it('reads no open day when only closed days are wanted', async () => {
		const { done } = await run({ closedOnly: true });
		assert.ok(
			done.every((step) => !step.includes('03-05') && !step.includes('03-06')),
			`${done}`,
		);
	});

	it('stops at the budget, says how many closed days are left, and reads no open day then', async () => {
		const { result, done } = await run({ budget: 3 });
		assert.deepEqual(result, {
			throughDay: '2026-03-02',
			daysFolded: 2,
			preparing: { daysFolded: 2, daysLeft: 2 },
		});
		assert.deepEqual(done.filter((step) => step.startsWith('fold')).length, 2);
		assert.ok(done.every((step) => !step.startsWith('open')));
		const next = await run({ budget: 3, throughDay: '2026-03-02' });
		assert.deepEqual(next.result, { throughDay: '2026-03-04', daysFolded: 2 });
	});

	it('with nothing closed after the total, folds nothing and keeps the total’s day', async () => {
		const { result } = await run({ throughDay: '2026-03-04' });
		assert.deepEqual(result, { throughDay: '2026-03-04', daysFolded: 0 });
	});
});

describe('the furthest of racing copies of a total', () => {
	it('takes the latest day, then the most deletions, and skips copies that do not parse', () => {
		const copies = [
			{ throughDay: '2026-03-02', deletions: 9 },
			undefined,
			{ throughDay: '2026-03-03', deletions: 1 },
			{ throughDay: '2026-03-03', deletions: 4 },
			{ throughDay: '2026-03-03', deletions: 2 },
		];
		assert.deepEqual(
			furthestTotal(copies, (copy) => copy.deletions),
			{ throughDay: '2026-03-03', deletions: 4 },
		);
		assert.equal(
			furthestTotal([undefined], () => 0),
			undefined,
		);
	});
});
