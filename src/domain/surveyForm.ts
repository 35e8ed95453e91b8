// The survey form, in which an admin creates a survey: its view id (which carries the form's own
// id, the survey's id derives from it), its fields, and how a submitted state is read back into a
// draft for checkSurveyDraft. A submit can be forged or repeated, so every value is read as
// unknown here and checked by the domain (survey.ts).

import type { ISurveyDraftInput, SurveyField } from './survey';

/** The prefix of a survey form's view id; the rest is the form's id, drawn when it opens. */
export const SURVEY_FORM_VIEW_PREFIX = 'feedback-survey:';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The fields of the survey form: each is its block's and its element's id. */
export enum SurveyFormField {
	Question = 'survey-question',
	Kind = 'survey-kind',
	WithComment = 'survey-comment',
	AudienceKind = 'survey-audience-kind',
	AudienceName = 'survey-audience-name',
	Rhythm = 'survey-rhythm',
	Anonymous = 'survey-anonymous',
	OpenDays = 'survey-open-days',
}

/** The days a round stays open, offered when the form opens (it fits every rhythm). */
export const SURVEY_FORM_DEFAULT_OPEN_DAYS = 5;

/** The view id of one opening of the survey form. */
export function surveyFormViewId(formId: string): string {
	return `${SURVEY_FORM_VIEW_PREFIX}${formId}`;
}

/** The form id a survey form's view id carries, or undefined for another (or a forged) view id. */
export function surveyFormIdOfView(viewId: string): string | undefined {
	if (!viewId.startsWith(SURVEY_FORM_VIEW_PREFIX)) {
		return undefined;
	}
	const formId = viewId.slice(SURVEY_FORM_VIEW_PREFIX.length);
	return UUID_PATTERN.test(formId) ? formId : undefined;
}

function valueIn(state: unknown, field: SurveyFormField): unknown {
	if (typeof state !== 'object' || state === null) {
		return undefined;
	}
	const block = (state as Record<string, unknown>)[field];
	return typeof block === 'object' && block !== null
		? (block as Record<string, unknown>)[field]
		: undefined;
}

/** What a submitted survey form holds, each value as the client sent it (state[blockId][actionId]). */
export function surveyDraftInputOf(state: unknown): ISurveyDraftInput {
	return {
		question: valueIn(state, SurveyFormField.Question),
		kind: valueIn(state, SurveyFormField.Kind),
		withComment: valueIn(state, SurveyFormField.WithComment),
		audienceKind: valueIn(state, SurveyFormField.AudienceKind),
		audienceName: valueIn(state, SurveyFormField.AudienceName),
		rhythm: valueIn(state, SurveyFormField.Rhythm),
		anonymous: valueIn(state, SurveyFormField.Anonymous),
		openDays: valueIn(state, SurveyFormField.OpenDays),
	};
}

/**
 * The form field a draft's error is shown on. An audience error about its kind (a role, which
 * cannot be asked yet, or no choice) goes on the choice; a bad name on the name.
 */
export function surveyErrorField(field: SurveyField, errorKey: string): SurveyFormField {
	switch (field) {
		case 'question':
			return SurveyFormField.Question;
		case 'kind':
			return SurveyFormField.Kind;
		case 'withComment':
			return SurveyFormField.WithComment;
		case 'audience':
			return errorKey === 'error_survey_room_name_invalid' ||
				errorKey === 'error_survey_role_invalid'
				? SurveyFormField.AudienceName
				: SurveyFormField.AudienceKind;
		case 'rhythm':
			return SurveyFormField.Rhythm;
		case 'anonymous':
			return SurveyFormField.Anonymous;
		case 'openDays':
			return SurveyFormField.OpenDays;
	}
}
