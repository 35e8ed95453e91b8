import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { InputBlock, Option } from '@rocket.chat/ui-kit';

import type { Translator } from '../i18n/translate';

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

/** What the form shows. */
export interface IFeedbackModalOptions {
	readonly appId: string;
	readonly feedbackId: string;
	readonly categories: ReadonlyArray<string>;
	readonly maxCommentLength: number;
	readonly allowAnonymous: boolean;
	readonly t: Translator;
}

function plain(text: string) {
	return { type: 'plain_text' as const, text, emoji: false };
}

function option(text: string, value: string): Option {
	return { text: plain(text), value };
}

/** The feedback form as a UIKit modal. */
export function buildFeedbackModal({
	appId,
	feedbackId,
	categories,
	maxCommentLength,
	allowAnonymous,
	t,
}: IFeedbackModalOptions): IUIKitSurfaceViewParam {
	const field = (id: FeedbackField) => ({ appId, blockId: id, actionId: id });
	const blocks: Array<InputBlock> = [
		{
			type: 'input',
			blockId: FeedbackField.Comment,
			label: plain(t('field_comment_label')),
			hint: plain(t('field_comment_hint', { max: maxCommentLength })),
			element: {
				...field(FeedbackField.Comment),
				type: 'plain_text_input',
				multiline: true,
				maxLength: maxCommentLength,
				placeholder: plain(t('field_comment_placeholder')),
			},
		},
		{
			type: 'input',
			blockId: FeedbackField.Category,
			label: plain(t('field_category_label')),
			element: {
				...field(FeedbackField.Category),
				type: 'static_select',
				placeholder: plain(t('field_category_placeholder')),
				options: categories.map((category) => option(category, category)),
				initialValue: categories[0],
			},
		},
		{
			type: 'input',
			blockId: FeedbackField.Rating,
			optional: true,
			label: plain(t('field_rating_label')),
			element: {
				...field(FeedbackField.Rating),
				type: 'static_select',
				placeholder: plain(t('field_rating_placeholder')),
				options: RATINGS.map((rating) => option(t('list_rating', { rating }), rating)),
			},
		},
	];
	if (allowAnonymous) {
		blocks.push({
			type: 'input',
			blockId: FeedbackField.Anonymous,
			optional: true,
			label: plain(t('field_anonymous_label')),
			hint: plain(t('field_anonymous_hint')),
			element: {
				...field(FeedbackField.Anonymous),
				type: 'checkbox',
				options: [option(t('field_anonymous_option'), ANONYMOUS_OPTION_VALUE)],
			},
		});
	}
	return {
		id: viewIdForFeedback(feedbackId),
		type: UIKitSurfaceType.MODAL,
		title: plain(t('modal_title')),
		blocks,
		submit: {
			appId,
			blockId: 'submit',
			actionId: 'submit',
			type: 'button',
			style: 'primary',
			text: plain(t('modal_submit')),
		},
		close: {
			appId,
			blockId: 'close',
			actionId: 'close',
			type: 'button',
			text: plain(t('modal_close')),
		},
		notifyOnClose: true,
		clearOnClose: true,
	};
}
