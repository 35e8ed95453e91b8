import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	computeNextRunAt,
	CronTime,
	humanInterval,
	parseWhen,
} from '../../host/server/scheduler/schedule-time';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = new Date(2030, 0, 7, 12, 0, 0, 0).getTime(); // a Monday, local time

describe('schedule times read as Agenda reads them (human-interval 2, cron 1.8, Job.computeNextRunAt)', () => {
	it('human-interval: sums of number and unit, words, fractions; NaN without a unit', () => {
		assert.equal(humanInterval('one minute'), MINUTE);
		assert.equal(humanInterval('1.5 minutes'), 1.5 * MINUTE);
		assert.equal(humanInterval('3 days and 4 hours'), 3 * DAY + 4 * HOUR);
		assert.equal(humanInterval('3 days, 4 hours and 36 seconds'), 3 * DAY + 4 * HOUR + 36 * SECOND);
		assert.equal(humanInterval('week'), 7 * DAY);
		assert.equal(humanInterval('2 months'), 60 * DAY);
		assert.equal(humanInterval('twenty five seconds'), 25 * SECOND);
		assert.equal(humanInterval(90_000), 90_000);
		assert.ok(Number.isNaN(humanInterval('soon')));
		assert.ok(Number.isNaN(humanInterval('1000')));
	});

	it('cron 1.x: 5 or 6 fields, local time, months counted from 0, names, steps; others throw', () => {
		const next = (expression: string, from = NOW) =>
			new Date(CronTime.parse(expression).next(from));
		assert.deepEqual(next('0 9 * * 1'), new Date(2030, 0, 14, 9, 0, 0, 0));
		assert.deepEqual(next('0 9 * * mon'), new Date(2030, 0, 14, 9, 0, 0, 0));
		assert.deepEqual(next('*/15 * * * *'), new Date(2030, 0, 7, 12, 15, 0, 0));
		assert.deepEqual(next('30 0 12 * * *'), new Date(2030, 0, 7, 12, 0, 30, 0));
		// cron 1.8 numbers months 0-11: "1" is February.
		assert.deepEqual(next('0 0 9 1 1 *'), new Date(2030, 1, 1, 9, 0, 0, 0));
		assert.deepEqual(next('0 0 1 * *', NOW + 0.5 * SECOND), new Date(2030, 1, 1, 0, 0, 0, 0));
		// Never the start itself.
		const monday9 = new Date(2030, 0, 14, 9, 0, 0, 0).getTime();
		assert.equal(
			CronTime.parse('0 9 * * 1').next(monday9),
			new Date(2030, 0, 21, 9, 0, 0, 0).getTime(),
		);
		assert.throws(() => CronTime.parse('1 week'), /Unknown alias/);
		assert.throws(() => CronTime.parse(60_000), TypeError);
	});

	it('computeNextRunAt: never-run jobs due now, then one interval after the run; cron after the last run', () => {
		assert.deepEqual(computeNextRunAt('1 day', undefined, NOW, NOW), { nextRunAt: NOW });
		assert.deepEqual(computeNextRunAt(HOUR, undefined, NOW, NOW), { nextRunAt: NOW });
		assert.deepEqual(computeNextRunAt('1 day', NOW, NOW, NOW), { nextRunAt: NOW + DAY });
		assert.deepEqual(computeNextRunAt(HOUR, NOW, NOW - 3 * HOUR, NOW), { nextRunAt: NOW + HOUR });
		assert.deepEqual(computeNextRunAt('0 9 * * 1', NOW, NOW, NOW), {
			nextRunAt: new Date(2030, 0, 14, 9, 0, 0, 0).getTime(),
		});
		// Text that is neither cron nor an interval counts as 0 ms: due again at once (the server runs it every scan).
		assert.deepEqual(computeNextRunAt('every monday', NOW, NOW, NOW), { nextRunAt: NOW });
	});

	it('when: a Date or date text as new Date reads it, or a relative time', () => {
		assert.equal(parseWhen(new Date(NOW + HOUR), NOW), NOW + HOUR);
		assert.equal(parseWhen(new Date(NOW + HOUR).toISOString(), NOW), NOW + HOUR);
		assert.equal(parseWhen('in 5 minutes', NOW), NOW + 5 * MINUTE);
		assert.equal(parseWhen('10 minutes from now', NOW), NOW + 10 * MINUTE);
		assert.equal(parseWhen('one hour', NOW), NOW + HOUR);
		assert.equal(parseWhen('now', NOW), NOW);
		assert.throws(() => parseWhen('tomorrow at noon', NOW), /does not read the time/);
	});
});
