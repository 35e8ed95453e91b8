import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { InputBlock, LayoutBlock } from '@rocket.chat/ui-kit';

import { context, option, plain, section } from './blocks';
import { formatDate } from './messages';
import { plainLine } from './triageText';
import { shortIdOf } from '../domain/record';
import type { IRound } from '../domain/rounds';
import { SURVEY_OPEN_DAYS_MAX, SURVEY_QUESTION_MAX } from '../domain/survey';
import type { ISurvey, SurveyAudience, SurveyKind, SurveyRhythm } from '../domain/survey';
import {
	SURVEY_FORM_DEFAULT_OPEN_DAYS,
	SurveyFormField,
	surveyFormViewId,
} from '../domain/surveyForm';
import type { Translator } from '../i18n/translate';

/** A survey kind's name in the admin's language. */
export function surveyKindText(kind: SurveyKind, t: Translator): string {
	switch (kind) {
		case 'nps':
			return t('survey_kind_nps');
		case 'rating':
			return t('survey_kind_rating');
		case 'yes-no':
			return t('survey_kind_yes_no');
	}
}

/** A rhythm's name in the admin's language. */
export function surveyRhythmText(rhythm: SurveyRhythm, t: Translator): string {
	switch (rhythm) {
		case 'once':
			return t('survey_rhythm_once');
		case 'weekly':
			return t('survey_rhythm_weekly');
		case 'monthly':
			return t('survey_rhythm_monthly');
		case 'quarterly':
			return t('survey_rhythm_quarterly');
	}
}

/** Who a survey asks, as a short line. */
export function surveyAudienceText(audience: SurveyAudience, t: Translator): string {
	return audience.kind === 'room'
		? t('survey_audience_room_short', { room: plainLine(audience.roomName, 100) })
		: t('survey_audience_role_short', { role: plainLine(audience.role, 100) });
}

function select(
	appId: string,
	field: SurveyFormField,
	label: string,
	choices: ReadonlyArray<readonly [value: string, text: string]>,
	initialValue: string,
	hint?: string,
): InputBlock {
	return {
		type: 'input',
		blockId: field,
		label: plain(label),
		...(hint ? { hint: plain(hint) } : {}),
		element: {
			type: 'static_select',
			appId,
			blockId: field,
			actionId: field,
			placeholder: plain(label),
			options: choices.map(([value, text]) => option(text, value)),
			initialValue,
		},
	};
}

function textInput(
	appId: string,
	field: SurveyFormField,
	label: string,
	extras: { hint?: string; placeholder?: string; initialValue?: string; maxLength?: number },
): InputBlock {
	return {
		type: 'input',
		blockId: field,
		label: plain(label),
		...(extras.hint ? { hint: plain(extras.hint) } : {}),
		element: {
			type: 'plain_text_input',
			appId,
			blockId: field,
			actionId: field,
			...(extras.placeholder ? { placeholder: plain(extras.placeholder) } : {}),
			...(extras.initialValue ? { initialValue: extras.initialValue } : {}),
			...(extras.maxLength ? { maxLength: extras.maxLength } : {}),
		},
	};
}

function frame(
	appId: string,
	formId: string,
	blocks: Array<LayoutBlock>,
	submitLabel: string,
	t: Translator,
): IUIKitSurfaceViewParam {
	return {
		id: surveyFormViewId(formId),
		type: UIKitSurfaceType.MODAL,
		title: plain(t('survey_form_title')),
		blocks,
		submit: {
			appId,
			blockId: 'survey-submit',
			actionId: 'survey-submit',
			type: 'button',
			style: 'primary',
			text: plain(submitLabel),
		},
		close: {
			appId,
			blockId: 'survey-close',
			actionId: 'survey-close',
			type: 'button',
			text: plain(t('button_close')),
		},
	};
}

/**
 * The survey form, a modal of its own: every choice has its value given, so a submit sends
 * them all (clients take the initial values once, when the modal opens).
 */
export function buildSurveyForm(
	appId: string,
	formId: string,
	t: Translator,
	/** The survey secret's variable when the server does not set it: anonymous is then not offered first. */
	missingSecret?: string,
): IUIKitSurfaceViewParam {
	const max = SURVEY_OPEN_DAYS_MAX;
	const blocks: Array<LayoutBlock> = [
		textInput(appId, SurveyFormField.Question, t('survey_field_question'), {
			placeholder: t('survey_field_question_placeholder'),
			maxLength: SURVEY_QUESTION_MAX * 2,
		}),
		select(
			appId,
			SurveyFormField.Kind,
			t('survey_field_kind'),
			(['nps', 'rating', 'yes-no'] as const).map((kind) => [kind, surveyKindText(kind, t)]),
			'nps',
		),
		select(
			appId,
			SurveyFormField.WithComment,
			t('survey_field_comment'),
			[
				['yes', t('survey_comment_yes')],
				['no', t('survey_comment_no')],
			],
			'yes',
		),
		select(
			appId,
			SurveyFormField.AudienceKind,
			t('survey_field_audience'),
			[
				['room', t('survey_audience_room')],
				['role', t('survey_audience_role')],
			],
			'room',
		),
		textInput(appId, SurveyFormField.AudienceName, t('survey_field_audience_name'), {
			hint: t('survey_field_audience_name_hint'),
			placeholder: 'general',
		}),
		select(
			appId,
			SurveyFormField.Rhythm,
			t('survey_field_rhythm'),
			(['once', 'weekly', 'monthly', 'quarterly'] as const).map((rhythm) => [
				rhythm,
				surveyRhythmText(rhythm, t),
			]),
			'once',
		),
		select(
			appId,
			SurveyFormField.Anonymous,
			t('survey_field_anonymous'),
			[
				['yes', t('survey_anonymous_yes')],
				['no', t('survey_anonymous_no')],
			],
			missingSecret ? 'no' : 'yes',
			missingSecret
				? t('survey_field_anonymous_needs_secret', { variable: missingSecret })
				: undefined,
		),
		textInput(appId, SurveyFormField.OpenDays, t('survey_field_open_days'), {
			hint: t('survey_field_open_days_hint', {
				weekly: max.weekly,
				monthly: max.monthly,
				quarterly: max.quarterly,
				once: max.once,
			}),
			initialValue: String(SURVEY_FORM_DEFAULT_OPEN_DAYS),
		}),
	];
	return frame(appId, formId, blocks, t('survey_form_create'), t);
}

/** One line of what a survey is: kind, audience, rhythm, anonymous or named, open or closed. */
export function surveySummaryLine(survey: ISurvey, active: boolean, t: Translator): string {
	return t('survey_summary', {
		kind: surveyKindText(survey.kind, t),
		audience: surveyAudienceText(survey.audience, t),
		rhythm: surveyRhythmText(survey.rhythm, t),
		anonymity: t(survey.anonymous ? 'survey_anonymous_short' : 'survey_named_short'),
		state: t(active ? 'survey_state_open' : 'survey_state_closed'),
		id: shortIdOf(survey.id),
	});
}

/**
 * The survey form once its survey is created: what was created and its first round's dates
 * (seen by the admin alone). Its submit, Done, closes it: the survey exists by then.
 */
export function buildSurveyCreated(
	appId: string,
	formId: string,
	survey: ISurvey,
	firstRound: IRound | undefined,
	t: Translator,
): IUIKitSurfaceViewParam {
	const blocks: Array<LayoutBlock> = [
		section(t('survey_created', { question: plainLine(survey.question, SURVEY_QUESTION_MAX) })),
		context(surveySummaryLine(survey, true, t)),
		...(firstRound
			? [
					section(
						t('survey_created_first_round', {
							opens: formatDate(firstRound.opensAt),
							closes: formatDate(firstRound.closesAt),
						}),
					),
				]
			: []),
		context(t('survey_created_manage', { id: shortIdOf(survey.id) })),
	];
	return frame(appId, formId, blocks, t('survey_form_created_button'), t);
}
