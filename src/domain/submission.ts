import { ANONYMOUS_OPTION_VALUE, FeedbackField, RATINGS } from './form';
import type { IFeedbackSettings } from './settings';
import { characterCount, hasVisibleCharacter } from './text';
import type { MessageKey } from '../i18n/catalog';

/** A valid form, ready to store. */
export interface ISubmission {
	readonly comment: string;
	readonly category: string;
	readonly rating: number | null;
	readonly anonymous: boolean;
}

/** An error on one field: the message key and its parameters. */
export interface IFieldError {
	readonly key: MessageKey;
	readonly params?: Readonly<Record<string, string | number>>;
}

export type SubmissionResult =
	| { readonly valid: true; readonly submission: ISubmission }
	| { readonly valid: false; readonly errors: Partial<Record<FeedbackField, IFieldError>> };

/** The value of one field in a submitted view's state: state[blockId][actionId]. */
function fieldValue(state: unknown, field: FeedbackField): unknown {
	if (typeof state !== 'object' || state === null) {
		return undefined;
	}
	const block: unknown = (state as Record<string, unknown>)[field];
	if (typeof block !== 'object' || block === null) {
		return undefined;
	}
	return (block as Record<string, unknown>)[field];
}

function isEmpty(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		value === '' ||
		(Array.isArray(value) && value.length === 0)
	);
}

function readComment(value: unknown, maxLength: number): string | IFieldError {
	const comment = typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '';
	// Zero-width and blank characters alone would store a feedback that shows as an empty line.
	if (!hasVisibleCharacter(comment)) {
		return { key: 'error_comment_empty' };
	}
	const length = characterCount(comment);
	return length > maxLength
		? { key: 'error_comment_too_long', params: { length, max: maxLength } }
		: comment;
}

function readCategory(value: unknown, categories: ReadonlyArray<string>): string | IFieldError {
	if (typeof value === 'string' && categories.includes(value)) {
		return value;
	}
	// A chosen value the settings no longer list: an admin changed them while the form was open.
	return typeof value === 'string' && value !== ''
		? { key: 'error_category_changed' }
		: { key: 'error_category_invalid' };
}

function readRating(value: unknown): number | null | IFieldError {
	if (isEmpty(value)) {
		return null;
	}
	return typeof value === 'string' && (RATINGS as ReadonlyArray<string>).includes(value)
		? Number(value)
		: { key: 'error_rating_invalid' };
}

function readAnonymous(value: unknown, allowed: boolean): boolean | IFieldError {
	if (isEmpty(value) || value === false) {
		return false;
	}
	const requested =
		value === true ||
		(Array.isArray(value) && value.length === 1 && value[0] === ANONYMOUS_OPTION_VALUE);
	if (!requested) {
		return { key: 'error_anonymous_not_allowed' };
	}
	return allowed ? true : { key: 'error_anonymous_not_allowed' };
}

function isFieldError(value: unknown): value is IFieldError {
	return typeof value === 'object' && value !== null && 'key' in value;
}

/** Checks a submitted form against the current settings; every bad field gets its own error. */
export function validateSubmission(state: unknown, settings: IFeedbackSettings): SubmissionResult {
	const comment = readComment(fieldValue(state, FeedbackField.Comment), settings.maxCommentLength);
	const categoryValue = fieldValue(state, FeedbackField.Category);
	const category = readCategory(categoryValue, settings.categories);
	const rating = readRating(fieldValue(state, FeedbackField.Rating));
	const anonymous = readAnonymous(
		fieldValue(state, FeedbackField.Anonymous),
		settings.allowAnonymous,
	);

	const errors: Partial<Record<FeedbackField, IFieldError>> = {};
	if (isFieldError(comment)) errors[FeedbackField.Comment] = comment;
	if (isFieldError(category)) errors[FeedbackField.Category] = category;
	if (isFieldError(rating)) errors[FeedbackField.Rating] = rating;
	if (isFieldError(anonymous)) errors[FeedbackField.Anonymous] = anonymous;
	if (
		isFieldError(comment) ||
		isFieldError(category) ||
		isFieldError(rating) ||
		isFieldError(anonymous)
	) {
		return { valid: false, errors };
	}
	return { valid: true, submission: { comment, category, rating, anonymous } };
}
