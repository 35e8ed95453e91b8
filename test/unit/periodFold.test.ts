import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	firstHourlyDay,
	hourOf,
	isHourClosed,
	periodsAfter,
	reachOf,
} from '../../src/domain/periods';
import { foldPeriods, furthestTotal } from '../../src/persistence/periodFold';

// 2026-03-05 closes at 2026-03-06T02:00Z: at this time 03-01 to 03-04 are closed, 03-05 and 03-06 open.
const NOW = new Date('2026-03-06T01:00:00Z');
const DAYS = ['2026-03-06', '2026-03-02', '2026-03-01', '2026-03-04', '2026-03-03', '2026-03-05'];
/** Every day read whole: none filed by the hour. */
const NO_HOURS = '9999-12-31';

/** A fold over some periods where each holds `perPeriod` records; what it did, in order. */
async function run(options: {
	reach?: string;
	budget?: number;
	closedOnly?: boolean;
	perPeriod?: number;
	firstHourlyDay?: string;
	now?: Date;
	days?: ReadonlyArray<string>;
}) {
	const done: Array<string> = [];
	const reach = options.reach ?? '';
	const now = options.now ?? NOW;
	const result = await foldPeriods({
		periods: periodsAfter(options.days ?? DAYS, reach, options.firstHourlyDay ?? NO_HOURS, now),
		reach,
		now,
		budget: options.budget ?? 1000,
		closedOnly: options.closedOnly ?? false,
		daysBefore: () => Promise.resolve(0),
		read: (period) => {
			done.push(`read ${period.key}`);
			return Promise.resolve(Array.from({ length: options.perPeriod ?? 2 }, () => period.key));
		},
		foldPeriod: (period, records) => {
			done.push(`fold ${period.key} ${records.length}`);
			return Promise.resolve();
		},
		openPeriod: (period) => {
			done.push(`open ${period.key}`);
			return Promise.resolve();
		},
	});
	return { result, done };
}

describe('folding periods into a stored total', () => {
	it('folds the closed days after the total oldest first, then reads the open days on top', async () => {
		const { result, done } = await run({ reach: '2026-03-01T23' });
		assert.deepEqual(result, { reach: '2026-03-04T23', periodsFolded: 3 });
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
			reach: '2026-03-02T23',
			periodsFolded: 2,
			preparing: { daysFolded: 2, daysLeft: 2 },
		});
		assert.deepEqual(done.filter((step) => step.startsWith('fold')).length, 2);
		assert.ok(done.every((step) => !step.startsWith('open')));
		const next = await run({ budget: 3, reach: '2026-03-02T23' });
		assert.deepEqual(next.result, { reach: '2026-03-04T23', periodsFolded: 2 });
	});

	it('stops at the time budget once it folded a period, and says how many closed days are left', async () => {
		let now = 0;
		const done: Array<string> = [];
		const result = await foldPeriods({
			periods: periodsAfter(DAYS, '', NO_HOURS, NOW),
			reach: '',
			now: NOW,
			budget: 1000,
			closedOnly: false,
			daysBefore: () => Promise.resolve(0),
			deadline: 2500,
			clock: () => now,
			read: (period) => {
				// Each read takes a second on this clock.
				now += 1000;
				done.push(period.key);
				return Promise.resolve([period.key]);
			},
			foldPeriod: () => Promise.resolve(),
			openPeriod: () => Promise.resolve(),
		});
		assert.deepEqual(done, ['2026-03-01', '2026-03-02', '2026-03-03']);
		assert.deepEqual(result, {
			reach: '2026-03-03T23',
			periodsFolded: 3,
			preparing: { daysFolded: 3, daysLeft: 1 },
		});
	});

	it('with nothing closed after the total, folds nothing and keeps the total’s reach', async () => {
		const { result } = await run({ reach: '2026-03-04T23' });
		assert.deepEqual(result, { reach: '2026-03-04T23', periodsFolded: 0 });
	});

	it('folds a day filed by the hour hour by hour, and reads only the hours still open', async () => {
		// At 10:30 the hours up to 07 are closed (their end plus two hours), 08 to 12 may still change.
		const now = new Date('2026-03-06T10:30:00Z');
		const { result, done } = await run({
			days: ['2026-03-06'],
			firstHourlyDay: '2026-03-06',
			reach: '2026-03-06T05',
			now,
			perPeriod: 1,
		});
		assert.deepEqual(result, { reach: '2026-03-06T07', periodsFolded: 2 });
		assert.deepEqual(done, [
			'read 2026-03-06T06',
			'fold 2026-03-06T06 1',
			'read 2026-03-06T07',
			'fold 2026-03-06T07 1',
			'read 2026-03-06T08',
			'open 2026-03-06T08',
			'read 2026-03-06T09',
			'open 2026-03-06T09',
			'read 2026-03-06T10',
			'open 2026-03-06T10',
			'read 2026-03-06T11',
			'open 2026-03-06T11',
			'read 2026-03-06T12',
			'open 2026-03-06T12',
		]);
	});

	it('reads a closed day the total holds nothing of whole, and by the hour once it holds part of it', () => {
		const now = new Date('2026-03-06T10:30:00Z');
		const days = ['2026-03-04', '2026-03-05', '2026-03-06'];
		const keys = (reach: string) =>
			periodsAfter(days, reach, '2026-03-01', now).map((period) => period.key);
		assert.deepEqual(keys('2026-03-03T23').slice(0, 3), [
			'2026-03-04',
			'2026-03-05',
			'2026-03-06T00',
		]);
		assert.deepEqual(keys('2026-03-05T21').slice(0, 3), [
			'2026-03-05T22',
			'2026-03-05T23',
			'2026-03-06T00',
		]);
	});

	it('reads the days before the first hourly day whole, and the hours from then on', () => {
		const periods = periodsAfter(
			['2026-03-02', '2026-03-01'],
			'',
			'2026-03-02',
			new Date('2026-03-02T00:10:00Z'),
		);
		assert.deepEqual(
			periods.map((period) => period.key),
			['2026-03-01', '2026-03-02T00', '2026-03-02T01', '2026-03-02T02'],
		);
	});
});

describe('hours', () => {
	it('an hour closes only after its end plus the grace period', () => {
		assert.equal(hourOf('2026-03-01T07:59:59.999Z'), '2026-03-01T07');
		assert.equal(isHourClosed('2026-03-01T07', new Date('2026-03-01T09:59:59.999Z')), false);
		assert.equal(isHourClosed('2026-03-01T07', new Date('2026-03-01T10:00:00Z')), true);
	});

	it('a total that reached a day reaches its last hour', () => {
		assert.equal(reachOf('2026-03-01'), '2026-03-01T23');
		assert.equal(reachOf('2026-03-01T05'), '2026-03-01T05');
	});

	it('files by the hour from the first day that starts the grace after the first sighting', () => {
		assert.equal(firstHourlyDay(new Date('2026-03-01T21:59:00Z')), '2026-03-02');
		assert.equal(firstHourlyDay(new Date('2026-03-01T22:00:00Z')), '2026-03-02');
		assert.equal(firstHourlyDay(new Date('2026-03-01T22:00:01Z')), '2026-03-03');
	});
});

describe('the furthest of racing copies of a total', () => {
	it('takes the latest hour, then the latest notes read, then the most deletions, and skips copies that do not parse', () => {
		const copies = [
			{ reach: '2026-03-02T23', notesReach: '2026-03-02T20', deletions: 9 },
			undefined,
			{ reach: '2026-03-03T04', notesReach: '2026-03-03T01', deletions: 8 },
			{ reach: '2026-03-03T04', notesReach: '2026-03-03T02', deletions: 1 },
			{ reach: '2026-03-03T04', notesReach: '2026-03-03T02', deletions: 4 },
			{ reach: '2026-03-03T04', notesReach: '2026-03-03T02', deletions: 2 },
		];
		assert.deepEqual(
			furthestTotal(copies, (copy) => copy),
			{ reach: '2026-03-03T04', notesReach: '2026-03-03T02', deletions: 4 },
		);
		assert.equal(
			furthestTotal([undefined], () => ({ notesReach: '', deletions: 0 })),
			undefined,
		);
	});
});
