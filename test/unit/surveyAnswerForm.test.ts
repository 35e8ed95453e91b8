// The survey answer form: what its view id and block ids carry (the form id never in the view id),
// what a submit is read back as, forged views, and the modal's choices and lines per kind and keying.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	ANSWER_VIEW_PREFIX,
	AnswerField,
	answerChoices,
	answerFieldBlockId,
	answerFormOfView,
	answerViewId,
} from '../../src/domain/answerForm';
import { ANSWER_VALUES, checkAnswer } from '../../src/domain/answers';
import { roundOf } from '../../src/domain/rounds';
import { surveyOf } from '../../src/domain/survey';
import type { ISurvey, SurveyKind } from '../../src/domain/survey';
import { translatorFor } from '../../src/i18n/translate';
import { surveySecretName } from '../../src/settings/surveySecret';
import { buildSurveyAnswerModal, buildSurveyNoticeModal } from '../../src/ui/surveyAnswerModal';

const FORM_ID = '0f8e3c2a-1b4d-4e6f-8a9b-0c1d2e3f4a5b';
const OTHER_FORM_ID = '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d';
const VIEW_TOKEN = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';

function survey(kind: SurveyKind, withComment: boolean, anonymous = true): ISurvey {
	return surveyOf(
		{
			question: 'How likely are you to recommend *this* team?',
			kind,
			withComment,
			audience: { kind: 'room', roomName: 'general' },
			rhythm: 'once',
			anonymous,
			openDays: 2,
		},
		'survey-1',
		new Date('2026-03-02T09:00:00.000Z'),
		'admin-id',
	);
}

function stateOf(values: Partial<Record<AnswerField, unknown>>, formId = FORM_ID) {
	return Object.fromEntries(
		Object.entries(values).map(([field, value]) => [
			answerFieldBlockId(field as AnswerField, formId),
			{ [field]: value },
		]),
	);
}

interface IShownBlock {
	readonly type: string;
	readonly blockId?: string;
	readonly text?: { readonly text: string };
	readonly elements?: ReadonlyArray<{ readonly text: string }>;
	readonly label?: { readonly text: string };
	readonly element?: {
		readonly actionId: string;
		readonly type: string;
		readonly options?: ReadonlyArray<{ readonly value: string; readonly text: { text: string } }>;
	};
}

describe('the survey answer form', () => {
	it('carries the survey and round in its view id and the form id only in block ids and the submit value', () => {
		const viewId = answerViewId('survey-1', '2026-W10', VIEW_TOKEN);
		assert.ok(viewId.startsWith(ANSWER_VIEW_PREFIX));
		assert.ok(!viewId.includes(FORM_ID));
		const read = answerFormOfView({
			id: viewId,
			state: stateOf({ [AnswerField.Value]: '9', [AnswerField.Comment]: 'Good' }),
		});
		assert.deepEqual(read, {
			surveyId: 'survey-1',
			roundKey: '2026-W10',
			formId: FORM_ID,
			value: '9',
			comment: 'Good',
		});
	});

	it('takes the form id from the submit button when no field came (the web client sends the view)', () => {
		const read = answerFormOfView({
			id: answerViewId('survey-1', 'once', VIEW_TOKEN),
			submit: { value: FORM_ID },
			state: {},
		});
		assert.equal(read?.formId, FORM_ID);
		assert.equal(read?.value, undefined);
	});

	it('has no form id when two are named or the one named is not an id', () => {
		const id = answerViewId('survey-1', 'once', VIEW_TOKEN);
		const twice = {
			...stateOf({ [AnswerField.Value]: '3' }),
			...stateOf({ [AnswerField.Comment]: 'x' }, OTHER_FORM_ID),
		};
		assert.equal(answerFormOfView({ id, state: twice })?.formId, undefined);
		assert.equal(answerFormOfView({ id, submit: { value: 'not-an-id' } })?.formId, undefined);
		assert.equal(answerFormOfView({ id })?.formId, undefined);
	});

	it('is no answer form for another view or a forged view id', () => {
		assert.equal(answerFormOfView({ id: 'feedback-form:form-x' }), undefined);
		for (const forged of [
			`${ANSWER_VIEW_PREFIX}survey-1|once`,
			`${ANSWER_VIEW_PREFIX}survey 1|once|${VIEW_TOKEN}`,
			`${ANSWER_VIEW_PREFIX}survey-1|2026-13x|${VIEW_TOKEN}`,
			`${ANSWER_VIEW_PREFIX}survey-1|once|${VIEW_TOKEN}|more`,
			`${ANSWER_VIEW_PREFIX}survey-1|once|not-a-token`,
		]) {
			assert.equal(answerFormOfView({ id: forged }), undefined, forged);
		}
	});

	it('offers exactly the values each kind accepts, each read back by checkAnswer', () => {
		for (const kind of ['nps', 'rating', 'yes-no'] as const) {
			const choices = answerChoices(kind);
			assert.deepEqual(
				choices.map((choice) => choice.number).sort((a, b) => a - b),
				[...ANSWER_VALUES[kind]],
			);
			for (const choice of choices) {
				const checked = checkAnswer({ kind, withComment: false }, choice.value, undefined);
				assert.deepEqual(checked, { valid: true, value: choice.number, comment: '' }, kind);
			}
		}
	});

	it('names the survey secret as the server lets the app read it', () => {
		assert.equal(
			surveySecretName('9304fb11-2303-45bc-a2d7-abe09f0a1d7d'),
			'RC_APPS_9304FB11_2303_45BC_A2D7_ABE09F0A1D7D_SURVEY_SECRET',
		);
	});
});

describe('the survey answer modal', () => {
	function modal(shown: ISurvey, answeredBefore = false, language = 'en') {
		const round = roundOf(shown, new Date('2026-03-02T10:00:00.000Z'));
		assert.ok(round);
		return buildSurveyAnswerModal({
			appId: 'app',
			survey: shown,
			round,
			answeredBefore,
			formId: FORM_ID,
			viewToken: VIEW_TOKEN,
			t: translatorFor(language),
		});
	}

	function blocksOf(view: ReturnType<typeof modal>): ReadonlyArray<IShownBlock> {
		return view.blocks as unknown as ReadonlyArray<IShownBlock>;
	}

	function linesOf(view: ReturnType<typeof modal>): string {
		return blocksOf(view)
			.flatMap((block) => [block.text?.text ?? '', ...(block.elements ?? []).map((e) => e.text)])
			.join('\n');
	}

	it('shows the question as typed, an NPS select 0 to 10, the comment, and that the answer can change until the close', () => {
		const view = modal(survey('nps', true));
		const blocks = blocksOf(view);
		assert.equal(blocks[0].text?.text, 'How likely are you to recommend *this* team?');
		const select = blocks.find((block) => block.element?.actionId === AnswerField.Value);
		assert.equal(select?.element?.type, 'static_select');
		assert.deepEqual(
			select?.element?.options?.map((choice) => choice.value),
			['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
		);
		assert.equal(select?.blockId, answerFieldBlockId(AnswerField.Value, FORM_ID));
		assert.ok(blocks.some((block) => block.element?.actionId === AnswerField.Comment));
		assert.match(linesOf(view), /You can change your answer until 2026-03-04 09:00 UTC/);
		assert.match(linesOf(view), /stored without your name/);
		assert.equal((view.submit as { value?: string }).value, FORM_ID);
		assert.ok(!view.id?.includes(FORM_ID), 'the form id is not in the view id');
	});

	it('offers yes and no in the member’s language, says until when the answer can change, and no comment when none is asked', () => {
		const view = modal(survey('yes-no', false), false, 'de');
		const select = blocksOf(view).find((block) => block.element?.actionId === AnswerField.Value);
		assert.deepEqual(
			select?.element?.options?.map((choice) => [choice.value, choice.text.text]),
			[
				['yes', 'Ja'],
				['no', 'Nein'],
			],
		);
		assert.ok(!blocksOf(view).some((block) => block.element?.actionId === AnswerField.Comment));
		assert.match(linesOf(view), /bis 2026-03-0\d \d\d:\d\d UTC ändern/);
		assert.equal(view.title?.text, 'Umfrage');
	});

	it('offers a rating 1 to 5 and tells a member who answered that sending replaces the answer', () => {
		const view = modal(survey('rating', false, false), true);
		const select = blocksOf(view).find((block) => block.element?.actionId === AnswerField.Value);
		assert.deepEqual(
			select?.element?.options?.map((choice) => choice.value),
			['1', '2', '3', '4', '5'],
		);
		assert.match(linesOf(view), /sending again replaces your answer/);
		assert.match(linesOf(view), /stored with your name/);
	});

	it('tells why no form opens in a modal with a close button only', () => {
		const t = translatorFor('es');
		const view = buildSurveyNoticeModal('app', VIEW_TOKEN, t('error_survey_closed'), t);
		assert.equal(view.submit, undefined);
		assert.match(JSON.stringify(view.blocks), /ya no acepta respuestas/);
	});
});
