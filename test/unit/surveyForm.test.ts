// The pure parts of creating and showing surveys: the command's words, the form's view id and
// state, where each error shows, and the lines the admin view writes for a round.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseSurveyEventValue, surveyEventValue } from '../../src/domain/actions';
import { parseFeedbackCommand } from '../../src/domain/command';
import { surveyIdOfForm } from '../../src/domain/ids';
import { checkSurveyDraft } from '../../src/domain/survey';
import {
	surveyDraftInputOf,
	surveyErrorField,
	SurveyFormField,
	surveyFormIdOfView,
	surveyFormViewId,
} from '../../src/domain/surveyForm';
import { roundOutcome } from '../../src/domain/surveyResults';
import { translatorFor } from '../../src/i18n/translate';
import { roundCommentLines, roundOutcomeLine } from '../../src/ui/surveysView';

const t = translatorFor('en');
const FORM_ID = '0b8e6f3a-5c21-4d7e-8a94-2f6c1d3e9b57';
const ROUND = {
	index: 0,
	key: 'once',
	opensAt: '2025-01-01T00:00:00.000Z',
	closesAt: '2025-01-03T00:00:00.000Z',
};

describe('/feedback survey', () => {
	it('parses new, close and reopen with one id; anything else is the usage', () => {
		assert.deepEqual(parseFeedbackCommand(['survey', 'NEW']), { kind: 'survey', action: 'new' });
		assert.deepEqual(parseFeedbackCommand(['survey', 'close', 'AB12CD34']), {
			kind: 'survey',
			action: 'close',
			id: 'ab12cd34',
		});
		assert.deepEqual(parseFeedbackCommand(['survey', 'reopen', 'x']), {
			kind: 'survey',
			action: 'reopen',
			id: 'x',
		});
		for (const words of [
			['survey'],
			['survey', 'close'],
			['survey', 'new', 'x'],
			['survey', 'x'],
		]) {
			assert.deepEqual(
				parseFeedbackCommand(words),
				{ kind: 'survey', action: 'usage' },
				words.join(' '),
			);
		}
	});
});

describe('the survey form', () => {
	it('carries its form id in the view id, and only a well-formed one', () => {
		assert.equal(surveyFormIdOfView(surveyFormViewId(FORM_ID)), FORM_ID);
		assert.equal(surveyFormIdOfView('feedback-survey:not-a-uuid'), undefined);
		assert.equal(surveyFormIdOfView('feedback-admin'), undefined);
	});

	it('derives one survey id per form, another for another form', () => {
		assert.equal(surveyIdOfForm(FORM_ID), surveyIdOfForm(FORM_ID));
		assert.notEqual(surveyIdOfForm(FORM_ID), surveyIdOfForm(FORM_ID.replace('0b', '1b')));
		assert.notEqual(surveyIdOfForm(FORM_ID), FORM_ID);
	});

	it('reads a submitted state into a draft; missing or odd blocks read as undefined', () => {
		const state = Object.fromEntries(
			Object.entries({
				[SurveyFormField.Question]: 'Q?',
				[SurveyFormField.Kind]: 'rating',
				[SurveyFormField.WithComment]: 'no',
				[SurveyFormField.AudienceKind]: 'room',
				[SurveyFormField.AudienceName]: '#general',
				[SurveyFormField.Rhythm]: 'monthly',
				[SurveyFormField.Anonymous]: 'yes',
				[SurveyFormField.OpenDays]: '10',
			}).map(([field, value]) => [field, { [field]: value }]),
		);
		const checked = checkSurveyDraft(surveyDraftInputOf(state));
		assert.deepEqual(checked, {
			valid: true,
			draft: {
				question: 'Q?',
				kind: 'rating',
				withComment: false,
				audience: { kind: 'room', roomName: 'general' },
				rhythm: 'monthly',
				anonymous: true,
				openDays: 10,
			},
		});
		assert.equal(surveyDraftInputOf(null).question, undefined);
		assert.equal(surveyDraftInputOf({ [SurveyFormField.Question]: 'flat' }).question, undefined);
	});

	it('shows a role refusal on the audience choice and a bad name on the name', () => {
		assert.equal(
			surveyErrorField('audience', 'error_survey_role_unsupported'),
			SurveyFormField.AudienceKind,
		);
		assert.equal(
			surveyErrorField('audience', 'error_survey_room_name_invalid'),
			SurveyFormField.AudienceName,
		);
		assert.equal(surveyErrorField('openDays', 'x'), SurveyFormField.OpenDays);
	});

	it("a Close button's value names its survey and event, and nothing forged", () => {
		const value = surveyEventValue('survey-1', FORM_ID);
		assert.deepEqual(parseSurveyEventValue(value), { surveyId: 'survey-1', eventId: FORM_ID });
		assert.equal(parseSurveyEventValue('survey-1|x'), undefined);
		assert.equal(parseSurveyEventValue(`a b|${FORM_ID}`), undefined);
	});
});

describe("the admin view's round lines", () => {
	const answers = [1, 2, 4, 5, 5].map((value, index) => ({
		surveyId: 's',
		roundKey: 'once',
		answerKey: `k${index}`,
		value,
		comment: index === 0 ? 'slow builds' : '',
		revision: 1,
		memberId: `m${index}`,
	}));
	const after = new Date('2025-02-01T00:00:00Z');

	it('a rating round: average, distribution and response rate', () => {
		const outcome = roundOutcome({ kind: 'rating', anonymous: false }, ROUND, answers, 8, after);
		assert.equal(
			roundOutcomeLine(outcome, t),
			'once: average 3.4 · 1★ 1 · 2★ 1 · 3★ 0 · 4★ 1 · 5★ 2 · 5/8 answered (62 %)',
		);
		assert.deepEqual(roundCommentLines(outcome, new Map([['m0', 'alice']]), t), [
			'once comment by alice: slow builds',
		]);
	});

	it('a withheld round says why and still shows its response rate; no comments', () => {
		const few = roundOutcome(
			{ kind: 'nps', anonymous: false },
			ROUND,
			answers.slice(0, 4),
			0,
			after,
		);
		assert.equal(
			roundOutcomeLine(few, t),
			'once: results withheld: fewer than 5 answers · 4/0 answered (–)',
		);
		const open = roundOutcome(
			{ kind: 'nps', anonymous: true },
			ROUND,
			answers,
			5,
			new Date('2025-01-02T00:00:00Z'),
		);
		assert.match(
			roundOutcomeLine(open, t),
			/shown after the round closes · 5\/5 answered \(100 %\)/,
		);
		assert.deepEqual(roundCommentLines(open, new Map(), t), []);
	});
});
