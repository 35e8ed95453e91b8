// The feedback form's fields and the rule that one form stores one feedback: the view id carries a
// random form id, from which every submit derives the same feedback id (domain/ids.ts), so a
// repeated submit finds what the first stored. The form id itself is never stored.

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
const FORM_ID_PREFIX = 'form-';
const UUID_PATTERN = /^[0-9a-f-]{36}$/;

/** What a view id says about the feedback form it belongs to. */
export type FormOfView =
	| { readonly kind: 'form'; readonly formId: string }
	/** A form opened by an earlier version (its view id named the feedback id): open a new one. */
	| { readonly kind: 'earlier' };

/** The view id of the form with this random form id. */
export function viewIdForForm(formId: string): string {
	return `${VIEW_ID_PREFIX}${FORM_ID_PREFIX}${formId}`;
}

/** The form a view id belongs to, or undefined for a view that is not a feedback form. */
export function formOfView(viewId: string): FormOfView | undefined {
	if (!viewId.startsWith(VIEW_ID_PREFIX)) {
		return undefined;
	}
	const rest = viewId.slice(VIEW_ID_PREFIX.length);
	if (rest.startsWith(FORM_ID_PREFIX)) {
		const formId = rest.slice(FORM_ID_PREFIX.length);
		return UUID_PATTERN.test(formId) ? { kind: 'form', formId } : undefined;
	}
	return UUID_PATTERN.test(rest) ? { kind: 'earlier' } : undefined;
}
