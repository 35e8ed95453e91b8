// A survey's draft as an admin types it: every field checked, characters counted as people count
// them, the open period shorter than the rhythm; and a stored survey read back defensively.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	checkSurveyDraft,
	parseSurvey,
	serializeSurvey,
	SURVEY_QUESTION_MAX,
	surveyOf,
} from '../../src/domain/survey';
import type { ISurveyDraftInput } from '../../src/domain/survey';

const GOOD: ISurveyDraftInput = {
	question: 'How likely are you to recommend working here?',
	kind: 'nps',
	withComment: true,
	audienceKind: 'room',
	audienceName: '#general',
	rhythm: 'monthly',
	anonymous: 'yes',
	openDays: '7',
};

const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';

describe('checkSurveyDraft', () => {
	it('accepts a good draft, reading the form values it is given', () => {
		const result = checkSurveyDraft(GOOD);
		assert.deepEqual(result, {
			valid: true,
			draft: {
				question: 'How likely are you to recommend working here?',
				kind: 'nps',
				withComment: true,
				audience: { kind: 'room', roomName: 'general' },
				rhythm: 'monthly',
				anonymous: true,
				openDays: 7,
			},
		});
	});

	it('names every bad field with its own key at once', () => {
		const result = checkSurveyDraft({
			question: ' \u200B ',
			kind: 'stars',
			withComment: 'maybe',
			audienceKind: 'team',
			audienceName: 'x',
			rhythm: 'daily',
			anonymous: 1,
			openDays: 'seven',
		});
		assert.equal(result.valid, false);
		assert.deepEqual(
			!result.valid &&
				Object.fromEntries(
					Object.entries(result.errors).map(([field, error]) => [field, error.key]),
				),
			{
				question: 'error_survey_question_empty',
				kind: 'error_survey_kind_invalid',
				withComment: 'error_survey_choice_invalid',
				audience: 'error_survey_audience_invalid',
				rhythm: 'error_survey_rhythm_invalid',
				anonymous: 'error_survey_choice_invalid',
				openDays: 'error_survey_open_days_invalid',
			},
		);
	});

	it('counts the question as people count characters: a family emoji is one', () => {
		const atLimit = FAMILY.repeat(SURVEY_QUESTION_MAX);
		assert.ok(atLimit.length > SURVEY_QUESTION_MAX, 'far more UTF-16 units than characters');
		assert.equal(checkSurveyDraft({ ...GOOD, question: atLimit }).valid, true);
		const over = checkSurveyDraft({ ...GOOD, question: `${atLimit}a` });
		assert.deepEqual(!over.valid && over.errors.question, {
			key: 'error_survey_question_too_long',
			params: { length: SURVEY_QUESTION_MAX + 1, max: SURVEY_QUESTION_MAX },
		});
	});

	it('refuses a question of invisible characters and a non-text question', () => {
		for (const question of ['\u3164\u2800', '\u200D\u200B', 42, undefined]) {
			const result = checkSurveyDraft({ ...GOOD, question });
			assert.equal(!result.valid && result.errors.question?.key, 'error_survey_question_empty');
		}
	});

	it('checks room names as a mention writes them and role names as text', () => {
		for (const audienceName of ['', '#', 'two words', 'a\u200Bb', '@someone', 'x'.repeat(101)]) {
			const result = checkSurveyDraft({ ...GOOD, audienceName });
			assert.equal(
				!result.valid && result.errors.audience?.key,
				'error_survey_room_name_invalid',
				audienceName,
			);
		}
		// A well-formed role is refused: the engine cannot list its members (IRoleRead has no member list).
		const role = checkSurveyDraft({ ...GOOD, audienceKind: 'role', audienceName: ' Team Leads ' });
		assert.deepEqual(!role.valid && role.errors.audience, {
			key: 'error_survey_role_unsupported',
			params: { role: 'Team Leads' },
		});
		for (const audienceName of ['', '  ', 'lead\u0000s', 'a\u202Eb']) {
			const result = checkSurveyDraft({ ...GOOD, audienceKind: 'role', audienceName });
			assert.equal(
				!result.valid && result.errors.audience?.key,
				'error_survey_role_invalid',
				audienceName,
			);
		}
	});

	it('keeps a round shorter than its rhythm: 6 days a week, 27 a month, 89 a quarter, 90 once', () => {
		const limits = { weekly: 6, monthly: 27, quarterly: 89, once: 90 } as const;
		for (const [rhythm, max] of Object.entries(limits)) {
			assert.equal(checkSurveyDraft({ ...GOOD, rhythm, openDays: max }).valid, true, rhythm);
			const over = checkSurveyDraft({ ...GOOD, rhythm, openDays: max + 1 });
			assert.equal(over.valid, false, rhythm);
			assert.deepEqual(!over.valid && over.errors.openDays?.params?.max, max, rhythm);
		}
		const weekly = checkSurveyDraft({ ...GOOD, rhythm: 'weekly', openDays: 7 });
		assert.equal(!weekly.valid && weekly.errors.openDays?.key, 'error_survey_open_days_too_long');
		for (const openDays of [0, -1, 1.5, '1.5', '', null, Number.NaN]) {
			const result = checkSurveyDraft({ ...GOOD, openDays });
			assert.equal(
				!result.valid && result.errors.openDays?.key,
				'error_survey_open_days_invalid',
				String(openDays),
			);
		}
	});
});

describe('stored surveys', () => {
	const draft = checkSurveyDraft(GOOD);
	assert.ok(draft.valid);
	const survey = surveyOf(draft.draft, 'survey-1', new Date('2025-01-15T10:00:00Z'), 'admin-1');

	it('read back what was stored, through JSON', () => {
		assert.deepEqual(parseSurvey(JSON.parse(JSON.stringify(serializeSurvey(survey)))), survey);
	});

	it('refuse anything that is not a survey', () => {
		const stored = serializeSurvey(survey);
		for (const broken of [
			null,
			'survey',
			{ ...stored, id: '' },
			{ ...stored, kind: 'stars' },
			{ ...stored, audience: { kind: 'room' } },
			{ ...stored, audience: { kind: 'role', roomName: 'general' } },
			{ ...stored, rhythm: 'daily' },
			{ ...stored, openDays: 28 },
			{ ...stored, openDays: '7' },
			{ ...stored, anonymous: 'yes' },
			{ ...stored, createdAt: 'yesterday' },
			{ ...stored, adminId: undefined },
		]) {
			assert.equal(parseSurvey(broken), undefined, JSON.stringify(broken));
		}
	});
});
