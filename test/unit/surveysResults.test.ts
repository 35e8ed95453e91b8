// Results of a round: response rate, NPS (and its rounding), rating average and distribution,
// yes/no shares, comments without author in an anonymous survey; withheld under 5 answers and,
// for an anonymous survey, until the round is settled; the trend over the last rounds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ISurveyAnswer } from '../../src/domain/answers';
import type { IRound } from '../../src/domain/rounds';
import {
	npsOf,
	ratingOf,
	responseRateOf,
	roundOutcome,
	roundResultsOf,
	surveyTrend,
	yesNoOf,
} from '../../src/domain/surveyResults';

const ROUND: IRound = {
	index: 1,
	key: '2025-02',
	opensAt: '2025-02-01T00:00:00.000Z',
	closesAt: '2025-02-08T00:00:00.000Z',
};
const OPEN = new Date('2025-02-03T00:00:00Z');
const SETTLED = new Date('2025-02-08T02:00:00Z');

function answers(
	values: ReadonlyArray<number>,
	comments: ReadonlyArray<string> = [],
): Array<ISurveyAnswer> {
	return values.map((value, index) => ({
		surveyId: 'survey-1',
		roundKey: ROUND.key,
		answerKey: `k${index}`,
		value,
		comment: comments[index] ?? '',
		revision: 1,
		memberId: `member-${index}`,
	}));
}

describe('scores', () => {
	it('NPS: promoters 9-10, passives 7-8, detractors 0-6; % promoters minus % detractors', () => {
		assert.deepEqual(npsOf([10, 9, 8, 7, 6, 0]), {
			kind: 'nps',
			promoters: 2,
			passives: 2,
			detractors: 2,
			score: 0,
		});
		assert.equal(npsOf([10, 10, 10]).score, 100);
		assert.equal(npsOf([0, 6]).score, -100);
		assert.equal(npsOf([9, 8, 8]).score, 33, '33.3 rounds to 33');
		assert.equal(npsOf([9, 9, 8]).score, 67, '66.7 rounds to 67');
	});

	it('NPS rounds halves away from zero, the same for a negative score', () => {
		// 1 promoter of 8 is 12.5.
		assert.equal(npsOf([9, 7, 7, 7, 7, 7, 7, 7]).score, 13);
		assert.equal(npsOf([0, 7, 7, 7, 7, 7, 7, 7]).score, -13);
	});

	it('NPS of no answers has no score', () => {
		assert.deepEqual(npsOf([]), {
			kind: 'nps',
			promoters: 0,
			passives: 0,
			detractors: 0,
			score: null,
		});
	});

	it('rating: the average to one decimal and the count of each of 1 to 5', () => {
		assert.deepEqual(ratingOf([5, 4, 4, 1]), {
			kind: 'rating',
			average: 3.5,
			distribution: [1, 0, 0, 2, 1],
		});
		assert.equal(ratingOf([1, 1, 2]).average, 1.3);
		assert.equal(
			ratingOf([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3]).average,
			2.1,
			'2.05 rounds up',
		);
		assert.deepEqual(ratingOf([]), {
			kind: 'rating',
			average: null,
			distribution: [0, 0, 0, 0, 0],
		});
	});

	it('yes/no: counts and the share of yes', () => {
		assert.deepEqual(yesNoOf([1, 0, 1]), { kind: 'yes-no', yes: 2, no: 1, yesPercent: 67 });
		assert.equal(yesNoOf([]).yesPercent, null);
	});

	it('response rate: rounded down, so 100 % is everyone; none when no one was invited', () => {
		assert.deepEqual(responseRateOf(199, 200), { answered: 199, invited: 200, percent: 99 });
		assert.equal(responseRateOf(200, 200).percent, 100);
		assert.equal(responseRateOf(3, 2).percent, 100);
		assert.equal(responseRateOf(0, 0).percent, null);
	});
});

describe('comments', () => {
	it('come in text order, with their author in a named survey only', () => {
		const given = answers([9, 3, 7], ['zebra', '', 'apple']);
		assert.deepEqual(roundResultsOf({ kind: 'nps', anonymous: false }, given, 3).comments, [
			{ text: 'apple', memberId: 'member-2' },
			{ text: 'zebra', memberId: 'member-0' },
		]);
		assert.deepEqual(roundResultsOf({ kind: 'nps', anonymous: true }, given, 3).comments, [
			{ text: 'apple', memberId: null },
			{ text: 'zebra', memberId: null },
		]);
	});
});

describe('roundOutcome', () => {
	const named = { kind: 'nps', anonymous: false } as const;
	const anonymous = { kind: 'nps', anonymous: true } as const;

	it('withholds a round of 4 answers and shows one of exactly 5', () => {
		const four = roundOutcome(named, ROUND, answers([9, 9, 9, 9]), 10, SETTLED);
		assert.deepEqual(four, {
			shown: false,
			round: ROUND,
			reason: 'too-few-answers',
			responseRate: { answered: 4, invited: 10, percent: 40 },
		});
		const five = roundOutcome(named, ROUND, answers([9, 9, 9, 9, 0]), 10, SETTLED);
		assert.equal(five.shown, true);
		assert.equal(five.shown && five.results.score.kind === 'nps' && five.results.score.score, 60);
	});

	it('shows a named round while open, an anonymous one only once settled', () => {
		const given = answers([9, 9, 9, 9, 9, 9]);
		assert.equal(roundOutcome(named, ROUND, given, 10, OPEN).shown, true);
		const open = roundOutcome(anonymous, ROUND, given, 10, OPEN);
		assert.equal(!open.shown && open.reason, 'round-open');
		const justClosed = roundOutcome(anonymous, ROUND, given, 10, new Date(ROUND.closesAt));
		assert.equal(
			!justClosed.shown && justClosed.reason,
			'round-open',
			'closed, but not on every instance yet',
		);
		assert.equal(roundOutcome(anonymous, ROUND, given, 10, SETTLED).shown, true);
		const settledFew = roundOutcome(anonymous, ROUND, answers([9]), 10, SETTLED);
		assert.equal(!settledFew.shown && settledFew.reason, 'too-few-answers');
	});
});

describe('surveyTrend', () => {
	const rating = { kind: 'rating', anonymous: true } as const;
	const round = (index: number): IRound => ({
		index,
		key: `2025-0${index}`,
		opensAt: `2025-0${index}-01T00:00:00.000Z`,
		closesAt: `2025-0${index}-08T00:00:00.000Z`,
	});

	it('gives the last rounds oldest first, each shown or withheld with its reason', () => {
		const data = [
			{ round: round(3), answers: answers([5, 5, 5, 5, 5]), invited: 5 },
			{ round: round(1), answers: answers([1, 2, 3, 4, 5]), invited: 8 },
			{ round: round(2), answers: answers([3]), invited: 8 },
			{ round: round(4), answers: answers([4, 4, 4, 4, 4]), invited: 5 },
		];
		const trend = surveyTrend(rating, data, new Date('2025-04-03T00:00:00Z'), 3);
		assert.deepEqual(
			trend.map((outcome) => [outcome.round.index, outcome.shown ? 'shown' : outcome.reason]),
			[
				[2, 'too-few-answers'],
				[3, 'shown'],
				[4, 'round-open'],
			],
		);
		assert.deepEqual(surveyTrend(rating, data, new Date('2025-05-01T00:00:00Z'), 0), []);
		assert.equal(surveyTrend(rating, data, new Date('2025-05-01T00:00:00Z'), 10).length, 4);
	});
});
