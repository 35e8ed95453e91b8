// The feedback form's fields and the rule that one form stores one feedback: the form carries a
// random form id, from which every submit derives the same feedback id (domain/ids.ts), so a
// repeated submit finds what the first stored. The form id itself is never stored, and it rides in
// the submit button's value, not in the view id: the engine logs a submit's answer (an inline error
// names the view id) and the server keeps that log entry with the member.

/** Block and action ids of the form's fields; a field's value is state[id][id]. */
export enum FeedbackField {
	Comment = 'comment',
	Category = 'category',
	Rating = 'rating',
	Anonymous = 'anonymous',
}

export const RATINGS = ['1', '2', '3', '4', '5'] as const;
export const ANONYMOUS_OPTION_VALUE = 'anonymous';
const VIEW_ID_PREFIX = 'feedback-form:';
// Forms of this version; a view id of an earlier version carried the feedback's id directly.
const FORM_VIEW_PREFIX = 'form-';
const UUID_PATTERN = /^[0-9a-f-]{36}$/;

/** The parts of a submitted or closed view the form reads. */
export interface IFormView {
	readonly id: string;
	readonly submit?: { readonly value?: string };
}

/** What a view says about the feedback form it belongs to. */
export type FormOfView =
	| { readonly kind: 'form'; readonly formId: string }
	/** A form opened by an earlier version (its view id named the feedback id): open a new one. */
	| { readonly kind: 'earlier' };

/** The view id of a form: a random view token, unrelated to the form id. */
export function viewIdForForm(viewToken: string): string {
	return `${VIEW_ID_PREFIX}${FORM_VIEW_PREFIX}${viewToken}`;
}

/** The form a view belongs to, or undefined for a view that is not a feedback form. */
export function formOfView(view: IFormView): FormOfView | undefined {
	if (!view.id.startsWith(VIEW_ID_PREFIX)) {
		return undefined;
	}
	const rest = view.id.slice(VIEW_ID_PREFIX.length);
	if (rest.startsWith(FORM_VIEW_PREFIX)) {
		const formId = view.submit?.value ?? '';
		return UUID_PATTERN.test(formId) ? { kind: 'form', formId } : undefined;
	}
	return UUID_PATTERN.test(rest) ? { kind: 'earlier' } : undefined;
}
