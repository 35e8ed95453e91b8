// Surveys in the weekly digest and the export, the pure parts: which rounds settled in a digest's
// week, the digest's survey lines (numbers only, the question inert, withheld rounds said so, the
// message within the server's size), and a survey's CSV rows (no member for anonymous surveys,
// formulas neutralised).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NO, YES } from '../../src/domain/answers';
import type { ISurveyAnswer } from '../../src/domain/answers';
import { summarizeWeek, weeksOfSlot } from '../../src/domain/digest';
import { roundAt } from '../../src/domain/rounds';
import type { IRound } from '../../src/domain/rounds';
import type { ISurvey } from '../../src/domain/survey';
import {
	isRoundExported,
	roundsSettledBetween,
	surveyExportHeader,
	surveyExportRow,
} from '../../src/domain/surveyReport';
import type { ISurveyDigestEntry } from '../../src/domain/surveyReport';
import { roundOutcome } from '../../src/domain/surveyResults';
import { translatorFor } from '../../src/i18n/translate';
import { formatDigest } from '../../src/ui/digestText';
import { trendText } from '../../src/ui/surveyDigestText';
import { assertMemberTextInert } from '../support/messageSafety';

const t = translatorFor('en');
const SLOT = new Date('2026-01-12T09:00:00Z');
const WEEK_START = new Date('2026-01-05T09:00:00Z');
const HOSTILE_QUESTION = 'Q-MARK @all **bold** `code` https://example.com :smile:';

function surveyOf(fields: Partial<ISurvey> = {}): ISurvey {
	return {
		id: 'survey-1',
		question: 'How likely are you to recommend us?',
		kind: 'nps',
		withComment: true,
		audience: { kind: 'room', roomName: 'general' },
		rhythm: 'weekly',
		anonymous: true,
		openDays: 3,
		createdAt: '2025-12-01T00:00:00.000Z',
		adminId: 'admin',
		...fields,
	};
}

function answersOf(
	survey: ISurvey,
	round: IRound,
	values: ReadonlyArray<number>,
	comment = '',
): Array<ISurveyAnswer> {
	return values.map((value, index) => ({
		surveyId: survey.id,
		roundKey: round.key,
		answerKey: `key-${index}`,
		value,
		comment: index === 0 ? comment : '',
		revision: 1,
		memberId: survey.anonymous ? null : `member-${index}`,
	}));
}

function roundNamed(survey: ISurvey, key: string): IRound {
	for (let index = 0; index < 60; index += 1) {
		const round = roundAt(survey, index);
		if (round?.key === key) {
			return round;
		}
	}
	throw new Error(`no round ${key}`);
}

const EMPTY_WEEK = summarizeWeek([], new Map());

describe('the rounds a digest reports', () => {
	it('are those settled (closed plus the grace) in the week before the slot, oldest first', () => {
		const weekly = surveyOf();
		// 2026-W02 opens Monday 01-05 00:00 and closes 01-08: settled in the week. 2026-W01 closed
		// 2026-01-01 00:00, settled at 02:00: in the week before. 2026-W03 is still open at the slot.
		assert.deepEqual(
			roundsSettledBetween(weekly, WEEK_START, SLOT).map((round) => round.key),
			['2026-W02'],
		);
		assert.deepEqual(
			roundsSettledBetween(weekly, new Date('2025-12-29T09:00:00Z'), WEEK_START).map(
				(round) => round.key,
			),
			['2026-W01'],
		);
		// A one-day round closing just before the slot is not settled yet: it waits for the next digest.
		const once = surveyOf({ rhythm: 'once', openDays: 1, createdAt: '2026-01-11T08:00:00.000Z' });
		assert.deepEqual(roundsSettledBetween(once, WEEK_START, SLOT), []);
		assert.deepEqual(
			roundsSettledBetween(once, SLOT, new Date(SLOT.getTime() + 7 * 86_400_000)).map(
				(round) => round.key,
			),
			['once'],
		);
	});
});

describe('the digest’s survey section', () => {
	const nps = surveyOf({ question: HOSTILE_QUESTION });
	const w01 = roundNamed(nps, '2026-W01');
	const w02 = roundNamed(nps, '2026-W02');
	const npsAnswers = answersOf(nps, w02, [10, 10, 9, 8, 6, 3], 'C-MARK @here =cmd');
	const rating = surveyOf({ id: 'survey-2', kind: 'rating', anonymous: false, rhythm: 'once' });
	const ratingRound = roundAt(rating, 0) as IRound;
	const entries: Array<ISurveyDigestEntry> = [
		{
			survey: nps,
			rounds: [{ outcome: roundOutcome(nps, w02, npsAnswers, 8, SLOT), optedOut: 2 }],
			trend: [
				roundOutcome(nps, w01, answersOf(nps, w01, [10, 10, 10, 10, 10]), 5, SLOT),
				roundOutcome(nps, w02, npsAnswers, 8, SLOT),
			],
		},
		{
			survey: rating,
			rounds: [
				{
					outcome: roundOutcome(
						rating,
						ratingRound,
						answersOf(rating, ratingRound, [4, 5]),
						4,
						SLOT,
					),
					optedOut: 0,
				},
			],
			trend: [],
		},
	];

	it('shows rate, opt-outs, score and trend; a round under 5 answers withheld; comments only counted', () => {
		const text = formatDigest(EMPTY_WEEK, EMPTY_WEEK, weeksOfSlot(SLOT), t, 5000, entries);
		assert.match(text, /\n\n\*Surveys: rounds closed this week\*\n/);
		assert.match(
			text,
			/\(NPS, anonymous\)\n> Round 2026-W02: 6 of 8 answered \(75%\), 2 opted out\n/,
		);
		assert.match(text, /> NPS \+17 · 3 promoters, 1 passives, 2 detractors\n/);
		assert.match(text, /> 1 comment\(s\): admins read them in \/feedback export\.\n/);
		assert.match(text, /> Last rounds: \+100 → \+17\n/);
		assert.match(
			text,
			/\(rating 1 to 5, named\)\n> Round once: 2 of 4 answered \(50%\), 0 opted out\n> Results withheld: fewer than 5 answers/,
		);
		assert.doesNotMatch(text, /C-MARK|=cmd/, 'no comment in the room');
		assertMemberTextInert(text, ['Q-MARK', 'bold', 'example.com']);
	});

	it('stays within the server’s message size: questions cut, surveys that do not fit counted', () => {
		const many = Array.from({ length: 40 }, (_, index) => ({
			...entries[0],
			survey: { ...nps, id: `s-${index}`, question: `${'long question '.repeat(20)}${index}` },
		}));
		const text = formatDigest(EMPTY_WEEK, EMPTY_WEEK, weeksOfSlot(SLOT), t, 2000, many);
		assert.ok(text.length <= 2000, `${text.length} UTF-16 units`);
		assert.match(text, /^\*Weekly feedback digest, /, 'the heading stays whole');
		const more = /…and (\d+) more survey\(s\) that do not fit in this message/.exec(text);
		assert.ok(more, text);
		const shown = text.split('\n').filter((line) => line.startsWith('`long ')).length;
		assert.equal(shown + Number(more[1]), 40, 'every survey shown or counted');
		assert.ok(shown > 0);
	});

	it('without settled rounds, the digest has no survey section', () => {
		const text = formatDigest(EMPTY_WEEK, EMPTY_WEEK, weeksOfSlot(SLOT), t, 5000, []);
		assert.doesNotMatch(text, /Surveys/);
	});

	it('writes each kind’s trend compactly, withheld rounds as a dash', () => {
		const yesNo = surveyOf({ kind: 'yes-no' });
		const rounds = [w01, w02];
		assert.equal(
			trendText([
				roundOutcome(
					yesNo,
					rounds[0],
					answersOf(yesNo, rounds[0], [YES, YES, YES, NO, NO]),
					5,
					SLOT,
				),
				roundOutcome(yesNo, rounds[1], answersOf(yesNo, rounds[1], [YES]), 5, SLOT),
			]),
			'60% → –',
		);
		const rated = surveyOf({ kind: 'rating' });
		assert.equal(
			trendText([roundOutcome(rated, w01, answersOf(rated, w01, [4, 4, 5, 3, 5]), 5, SLOT)]),
			'4.2',
		);
		assert.equal(
			trendText([roundOutcome(nps, w01, answersOf(nps, w01, [0, 0, 0, 0, 0]), 5, SLOT)]),
			'-100',
		);
	});
});

describe('a survey’s export rows', () => {
	const round = roundNamed(surveyOf(), '2026-W02');

	it('name the member in a named survey only, whatever an anonymous record carries', () => {
		const named = surveyOf({ anonymous: false, kind: 'yes-no' });
		const [answer] = answersOf(named, round, [YES], 'fine');
		assert.equal(
			surveyExportRow(named, round, answer, 'alice'),
			'survey-1,How likely are you to recommend us?,2026-W02,2026-01-05 00:00:00,2026-01-08 00:00:00,yes,fine,alice\r\n',
		);
		const anonymous = surveyOf();
		const stray = { ...answersOf(anonymous, round, [9])[0], memberId: 'alice' };
		assert.match(surveyExportRow(anonymous, round, stray, 'alice'), /,9,,\r\n$/);
	});

	it('neutralise formulas and quote what RFC 4180 needs', () => {
		const survey = surveyOf({ question: '=HYPERLINK("http://evil.example")' });
		const [answer] = answersOf(survey, round, [3], '@SUM(A1), "quoted"\nline');
		const row = surveyExportRow(survey, round, answer, undefined);
		assert.ok(row.includes(`"'=HYPERLINK(""http://evil.example"")"`), row);
		assert.ok(row.includes(`"'@SUM(A1), ""quoted""\nline"`), row);
		assert.equal(
			surveyExportHeader(),
			'survey,question,round,opens (UTC),closes (UTC),value,comment,member\r\n',
		);
	});

	it('leave out an anonymous survey’s withheld rounds, never a named survey’s', () => {
		const anonymous = surveyOf();
		const named = surveyOf({ anonymous: false });
		const few = (survey: ISurvey) =>
			roundOutcome(survey, round, answersOf(survey, round, [1, 2]), 5, SLOT);
		const open = (survey: ISurvey) =>
			roundOutcome(
				survey,
				round,
				answersOf(survey, round, [1, 2, 3, 4, 5]),
				5,
				new Date('2026-01-06T00:00:00Z'),
			);
		assert.equal(isRoundExported(anonymous, few(anonymous)), false);
		assert.equal(isRoundExported(anonymous, open(anonymous)), false);
		assert.equal(isRoundExported(named, few(named)), true);
		assert.equal(isRoundExported(named, open(named)), true);
		const enough = roundOutcome(
			anonymous,
			round,
			answersOf(anonymous, round, [1, 2, 3, 4, 5]),
			5,
			SLOT,
		);
		assert.equal(isRoundExported(anonymous, enough), true);
	});
});
