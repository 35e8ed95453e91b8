// The status form, in which an admin sets a feedback's status and writes a note to its author:
// where its fields live in a submitted view, which of the forms a submit carries is the one to
// save, and what makes one unfit to save. A submit can be forged or repeated, so everything read
// back is checked again here; saving it is src/handlers/StatusChangeHandler.ts.

import { FeedbackStatus, isStatus, MAX_NOTE_LENGTH } from './status';
import type { IStatusChange } from './status';
import type { AuthorReach } from './statusNotice';
import type { IFieldError } from './submission';
import { characterCount, hasVisibleCharacter } from './text';

/** The prefix of the view id of a status form an earlier version opened in a modal of its own. */
export const STATUS_VIEW_PREFIX = 'feedback-status:';
const STATUS_BLOCK_PREFIX = 'status-form:';
const UUID_PATTERN = /^[0-9a-f-]{36}$/;

/** Field ids of a status form opened by an earlier version in a modal of its own (state[id][id]). */
export enum StatusField {
	Status = 'status',
	Note = 'note',
}

/**
 * The view id of one opening of a feedback's status form as an earlier version opened it, in a
 * modal of its own (such a form may still be submitted after an update): the feedback and the
 * form's own id, drawn when it opens. The form's change takes that id, so however often and
 * wherever the form is submitted it stores one change (as the feedback form does,
 * src/domain/form.ts).
 */
export function statusViewIdFor(feedbackId: string, formId: string): string {
	return `${STATUS_VIEW_PREFIX}${feedbackId}:${formId}`;
}

/** What a status form's view id carries; formId is absent on a form opened by an older version. */
export interface IStatusFormRef {
	readonly feedbackId: string;
	readonly formId?: string;
}

/** The feedback and form a status form is for, or undefined for another view. */
export function statusFormOfView(viewId: string): IStatusFormRef | undefined {
	if (!viewId.startsWith(STATUS_VIEW_PREFIX)) {
		return undefined;
	}
	const [feedbackId, formId, ...rest] = viewId.slice(STATUS_VIEW_PREFIX.length).split(':');
	if (rest.length > 0 || !UUID_PATTERN.test(feedbackId)) {
		return undefined;
	}
	if (formId === undefined) {
		return { feedbackId };
	}
	return UUID_PATTERN.test(formId) ? { feedbackId, formId } : undefined;
}

/** The status form shown in the admin view: block ids carry the feedback, the form and what it showed. */
export interface IStatusFormFields {
	readonly statusBlockId: string;
	readonly statusActionId: string;
	readonly noteBlockId: string;
	readonly noteActionId: string;
}

/**
 * Where the fields of one status form live. Both clients keep the values a member gave by
 * action id for as long as the modal stays open, across updates (web UiKitModal's useValues,
 * mobile ModalBlockView.values), and send only those and the first view's initial values: so
 * each form's fields get their own action ids, and their block ids name the feedback, the form
 * (its id becomes the change's id) and the status it showed.
 */
export function statusFormFields(
	feedbackId: string,
	formId: string,
	shown: FeedbackStatus,
): IStatusFormFields {
	const identity = `${feedbackId}:${formId}:${shown}`;
	return {
		statusBlockId: `${STATUS_BLOCK_PREFIX}status:${identity}`,
		statusActionId: `status:${formId}`,
		noteBlockId: `${STATUS_BLOCK_PREFIX}note:${identity}`,
		noteActionId: `note:${formId}`,
	};
}

/** One status form found in a submitted admin view's state, with what was given in it. */
export interface ISubmittedStatusForm extends IStatusFormRef {
	readonly formId: string;
	/** The status the form showed when it opened. */
	readonly shown: FeedbackStatus;
	/** What the select holds, when it was changed (else the form's status was left alone). */
	readonly status?: unknown;
	/** What the note holds, when it was typed in. */
	readonly note?: unknown;
	readonly fields: IStatusFormFields;
}

/** Every status form whose fields are in a submitted state (a modal keeps earlier forms' values). */
export function statusFormsInState(state: unknown): ISubmittedStatusForm[] {
	const forms = new Map<string, ISubmittedStatusForm>();
	if (typeof state !== 'object' || state === null) {
		return [];
	}
	for (const [blockId, block] of Object.entries(state as Record<string, unknown>)) {
		if (!blockId.startsWith(STATUS_BLOCK_PREFIX)) {
			continue;
		}
		const [field, feedbackId, formId, shown, ...rest] = blockId
			.slice(STATUS_BLOCK_PREFIX.length)
			.split(':');
		if (
			rest.length > 0 ||
			(field !== 'status' && field !== 'note') ||
			!UUID_PATTERN.test(feedbackId) ||
			!UUID_PATTERN.test(formId) ||
			!isStatus(shown)
		) {
			continue;
		}
		const fields = statusFormFields(feedbackId, formId, shown);
		const values =
			typeof block === 'object' && block !== null ? (block as Record<string, unknown>) : {};
		const earlier = forms.get(formId) ?? { feedbackId, formId, shown, fields };
		if (earlier.feedbackId !== feedbackId || earlier.shown !== shown) {
			continue;
		}
		forms.set(
			formId,
			field === 'status'
				? { ...earlier, status: values[fields.statusActionId] }
				: { ...earlier, note: values[fields.noteActionId] },
		);
	}
	return [...forms.values()];
}

/** A status form's status and note as given; a status left undefined is no status. */
export interface IGivenStatus {
	readonly status: unknown;
	readonly note: string;
}

/** What a status form of an earlier version holds: state[field][field]. */
export function earlierStatusFormOf(state: unknown): IGivenStatus {
	const value = (field: StatusField): unknown => {
		const block = (state as Record<string, unknown> | undefined)?.[field];
		return typeof block === 'object' && block !== null
			? (block as Record<string, unknown>)[field]
			: undefined;
	};
	return { status: value(StatusField.Status), note: noteOf(value(StatusField.Note)) };
}

/** The note a form holds, trimmed; one of only invisible characters is no note. */
export function noteOf(typed: unknown): string {
	return typeof typed === 'string' && hasVisibleCharacter(typed) ? typed.trim() : '';
}

/** Whether a form asks for anything: a status other than the one it showed, or a note. */
export function asksForChange(form: ISubmittedStatusForm): boolean {
	return (form.status !== undefined && form.status !== form.shown) || noteOf(form.note) !== '';
}

/** A status and note fit to save, or the first field that is not, with its error. */
export type CheckedStatus =
	| { readonly status: FeedbackStatus; readonly note: string }
	| { readonly field: StatusField; readonly error: IFieldError };

/** Checks a status and note as given: a status an admin may pick, a note within MAX_NOTE_LENGTH. */
export function checkStatusForm(given: IGivenStatus): CheckedStatus {
	if (!isStatus(given.status)) {
		return { field: StatusField.Status, error: { key: 'error_status_invalid' } };
	}
	if (given.status === FeedbackStatus.Duplicate) {
		return { field: StatusField.Status, error: { key: 'error_status_by_merge' } };
	}
	const length = characterCount(given.note);
	if (length > MAX_NOTE_LENGTH) {
		return {
			field: StatusField.Note,
			error: { key: 'error_note_too_long', params: { length, max: MAX_NOTE_LENGTH } },
		};
	}
	return { status: given.status, note: given.note };
}

/** What saving a status form did. */
export type StatusSave =
	/**
	 * `reach`: how a named author hears of it (none for anonymous feedback); `weDidQueued`: a
	 * "You said, we did" post is noted for the announcement room.
	 */
	| {
			readonly kind: 'saved';
			readonly change: IStatusChange;
			readonly reach?: AuthorReach;
			readonly weDidQueued?: boolean;
	  }
	/** The entry already had this status and note: nothing stored, no one told. */
	| { readonly kind: 'unchanged'; readonly feedbackId: string; readonly status: FeedbackStatus }
	| { readonly kind: 'gone' };

/** A status form of a submit, with the change stored under its id, if any. */
export interface IStatusFormOnRecord {
	readonly form: ISubmittedStatusForm;
	readonly saved?: IStatusChange;
}

/** Which form a submit of the admin modal saves, told apart by what the forms hold. */
export type StatusFormChoice<T extends IStatusFormOnRecord> =
	/** Two or more forms ask for something (the view does not let that happen): none is saved. */
	| { readonly kind: 'unclear' }
	/** The one form that asks for something and is not stored yet. */
	| { readonly kind: 'save'; readonly entry: T }
	/** None asks: the form saved last is saved again (it finds its change and stores nothing). */
	| { readonly kind: 'again'; readonly entry: T; readonly saved: IStatusChange }
	/** The only form, saved as it was shown: nothing to store, nor to revert later. */
	| { readonly kind: 'as-shown'; readonly entry: T }
	/** No form, or several untouched: the list comes back (a Refresh). */
	| { readonly kind: 'none' };

/**
 * The form a submit saves. The client sends every value given since the modal opened (earlier
 * forms' too), so a form that asks for something (a status other than the one it showed, or a
 * note) and whose change is not stored is the one being saved; with none, the form saved last is
 * saved again, since its first submit may have stopped before the author's notice was noted.
 */
export function statusFormToSave<T extends IStatusFormOnRecord>(
	forms: ReadonlyArray<T>,
): StatusFormChoice<T> {
	const asking = forms.filter(({ form, saved }) => !saved && asksForChange(form));
	if (asking.length > 1) {
		return { kind: 'unclear' };
	}
	if (asking.length === 1) {
		return { kind: 'save', entry: asking[0] };
	}
	let latest: { entry: T; saved: IStatusChange } | undefined;
	for (const entry of forms) {
		if (entry.saved && (!latest || entry.saved.at > latest.saved.at)) {
			latest = { entry, saved: entry.saved };
		}
	}
	if (latest) {
		return { kind: 'again', ...latest };
	}
	return forms.length === 1 ? { kind: 'as-shown', entry: forms[0] } : { kind: 'none' };
}
