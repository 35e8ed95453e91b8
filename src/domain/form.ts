// The feedback form's fields and the rule that one form stores one feedback: the form carries a
// random form id, from which every submit derives the same feedback id (domain/ids.ts), so a
// repeated submit finds what the first stored. The form id itself is never stored, and it is not in
// the view id: the engine logs a submit's answer (an inline error names the view id) and the server
// keeps that log entry with the member. It rides in the fields' block ids, which every client sends
// with the values (Rocket.Chat's mobile app sends a submit's view id and state only,
// ModalBlockView.submit), and in the submit button's value, which forms of the previous version
// carried alone (the web client sends the whole view).

/** Block and action ids of the form's fields; a field's value is state[id][id]. */
export enum FeedbackField {
	Comment = 'comment',
	Category = 'category',
	Rating = 'rating',
	Anonymous = 'anonymous',
}

export const RATINGS = ['1', '2', '3', '4', '5'] as const;
export const ANONYMOUS_OPTION_VALUE = 'anonymous';
/** What the view id of every feedback form starts with. */
export const FORM_VIEW_PREFIX = 'feedback-form:';
// Forms of this version; a view id of an earlier version carried the feedback's id directly.
const THIS_VERSION_PREFIX = 'form-';
const UUID_PATTERN = /^[0-9a-f-]{36}$/;

/** The parts of a submitted or closed view the form reads. */
export interface IFormView {
	readonly id: string;
	readonly submit?: { readonly value?: string };
	readonly state?: unknown;
}

/** What a view says about the feedback form it belongs to. */
export type FormOfView =
	| { readonly kind: 'form'; readonly formId: string }
	/** A form opened by an earlier version (its view id named the feedback id): open a new one. */
	| { readonly kind: 'earlier' }
	/** A form whose id did not come with it (no field was given, or an older form on a phone). */
	| { readonly kind: 'unidentified' };

const FIELDS: ReadonlySet<string> = new Set(Object.values(FeedbackField));

/** The block id of one of a form's fields: the field, then the form id. */
export function formFieldBlockId(field: FeedbackField, formId: string): string {
	return `${field}:${formId}`;
}

/** The form ids named by a state's block ids (one, unless the state was forged). */
function formIdsInState(state: unknown): Set<string> {
	const ids = new Set<string>();
	for (const blockId of Object.keys(isRecord(state) ? state : {})) {
		const [field, formId, ...rest] = blockId.split(':');
		if (rest.length === 0 && FIELDS.has(field) && UUID_PATTERN.test(formId ?? '')) {
			ids.add(formId);
		}
	}
	return ids;
}

/** A submitted state by field (state[field][field]), whichever block ids carried the fields. */
export function formState(state: unknown): Record<string, unknown> {
	const byField: Record<string, unknown> = {};
	for (const [blockId, block] of Object.entries(isRecord(state) ? state : {})) {
		const [field] = blockId.split(':');
		if (FIELDS.has(field)) {
			byField[field] = block;
		}
	}
	return byField;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The view id of a form: a random view token, unrelated to the form id. */
export function viewIdForForm(viewToken: string): string {
	return `${FORM_VIEW_PREFIX}${THIS_VERSION_PREFIX}${viewToken}`;
}

/** The form a view belongs to, or undefined for a view that is not a feedback form. */
export function formOfView(view: IFormView): FormOfView | undefined {
	if (!view.id.startsWith(FORM_VIEW_PREFIX)) {
		return undefined;
	}
	const rest = view.id.slice(FORM_VIEW_PREFIX.length);
	if (rest.startsWith(THIS_VERSION_PREFIX)) {
		const named = formIdsInState(view.state);
		if (named.size > 1) {
			return undefined;
		}
		const formId = [...named][0] ?? view.submit?.value ?? '';
		return UUID_PATTERN.test(formId) ? { kind: 'form', formId } : { kind: 'unidentified' };
	}
	return UUID_PATTERN.test(rest) ? { kind: 'earlier' } : undefined;
}
