// The survey answer form and what its submit carries. The survey and the round are no secret (the
// member was invited to them), so they ride in the view id. Each opening of the form gets a fresh
// random id, so a client never fills one form with another's state; as for the feedback form
// (form.ts) it is never stored and never in the view id, which the engine logs with the member:
// it rides in the fields' block ids, which every client sends with the values (the mobile app
// sends a submit's view id and state only), and in the submit button's value.

import { YES, NO } from './answers';
import type { SurveyKind } from './survey';

/** Action ids of the answer form's fields (a field's block id adds the form id). */
export enum AnswerField {
	Value = 'survey-value',
	Comment = 'survey-comment',
}

/** What the view id of every answer form starts with. */
export const ANSWER_VIEW_PREFIX = 'survey-answer:';
/** What the view id of a notice about answering (closed, final, not invited) starts with. */
export const ANSWER_NOTICE_VIEW_PREFIX = 'survey-answer-notice:';

const UUID_PATTERN = /^[0-9a-f-]{36}$/;
const SURVEY_ID_PATTERN = /^[\w-]{1,64}$/;
const ROUND_KEY_PATTERN = /^(?:once|\d{4}-(?:W\d{2}|\d{2}|Q[1-4]))$/;
const FIELDS: ReadonlySet<string> = new Set(Object.values(AnswerField));

/** The choices of a kind, as a select offers them: its value and the number it stands for. */
export function answerChoices(
	kind: SurveyKind,
): ReadonlyArray<{ readonly value: string; readonly number: number }> {
	if (kind === 'yes-no') {
		return [
			{ value: 'yes', number: YES },
			{ value: 'no', number: NO },
		];
	}
	const [from, to] = kind === 'nps' ? [0, 10] : [1, 5];
	return Array.from({ length: to - from + 1 }, (_, index) => ({
		value: String(from + index),
		number: from + index,
	}));
}

/** The view id of an answer form: the survey, the round and a random view token (not the form id). */
export function answerViewId(surveyId: string, roundKey: string, viewToken: string): string {
	return `${ANSWER_VIEW_PREFIX}${surveyId}|${roundKey}|${viewToken}`;
}

/** The block id of one of the form's fields: the field, then the form id. */
export function answerFieldBlockId(field: AnswerField, formId: string): string {
	return `${field}:${formId}`;
}

/** The parts of a submitted view the form reads. */
export interface IAnswerView {
	readonly id: string;
	readonly submit?: { readonly value?: string };
	readonly state?: unknown;
}

/** What a submitted answer form says. */
export interface IAnswerFormSubmit {
	readonly surveyId: string;
	readonly roundKey: string;
	/** Undefined when it did not come with the form (no field given on a phone) or was forged. */
	readonly formId: string | undefined;
	/** The values as received, checked by checkAnswer. */
	readonly value: unknown;
	readonly comment: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The answer form a view is, with what was submitted, or undefined for a view that is not one. A
 * state naming two form ids (forged) has none: nothing can be stored once under it.
 */
export function answerFormOfView(view: IAnswerView): IAnswerFormSubmit | undefined {
	if (!view.id.startsWith(ANSWER_VIEW_PREFIX)) {
		return undefined;
	}
	const [surveyId, roundKey, token, ...rest] = view.id.slice(ANSWER_VIEW_PREFIX.length).split('|');
	if (
		rest.length > 0 ||
		!SURVEY_ID_PATTERN.test(surveyId ?? '') ||
		!ROUND_KEY_PATTERN.test(roundKey ?? '') ||
		!UUID_PATTERN.test(token ?? '')
	) {
		return undefined;
	}
	const formIds = new Set<string>();
	const values: Record<string, unknown> = {};
	for (const [blockId, block] of Object.entries(isRecord(view.state) ? view.state : {})) {
		const [field, formId, ...more] = blockId.split(':');
		if (more.length === 0 && FIELDS.has(field) && UUID_PATTERN.test(formId ?? '')) {
			formIds.add(formId);
			values[field] = isRecord(block) ? block[field] : undefined;
		}
	}
	const submitted = view.submit?.value;
	const named = formIds.size === 0 && submitted !== undefined ? new Set([submitted]) : formIds;
	const formId = named.size === 1 ? [...named][0] : undefined;
	return {
		surveyId,
		roundKey,
		formId: formId !== undefined && UUID_PATTERN.test(formId) ? formId : undefined,
		value: values[AnswerField.Value],
		comment: values[AnswerField.Comment],
	};
}
