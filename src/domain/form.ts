// The feedback form's fields and the rule that one form stores one feedback (its id rides in the
// view id, so a repeated submit finds what the first stored).

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

/** The view id of a form that will store the feedback with this id: a repeated submit finds it. */
export function viewIdForFeedback(feedbackId: string): string {
	return `${VIEW_ID_PREFIX}${feedbackId}`;
}

/** The feedback id a form's view id carries, or undefined for a view that is not a feedback form. */
export function feedbackIdOfView(viewId: string): string | undefined {
	if (!viewId.startsWith(VIEW_ID_PREFIX)) {
		return undefined;
	}
	const id = viewId.slice(VIEW_ID_PREFIX.length);
	return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}
