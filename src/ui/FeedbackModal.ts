import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { InputBlock } from '@rocket.chat/ui-kit';

import { formButtons, option, plain } from './blocks';
import {
	ANONYMOUS_OPTION_VALUE,
	FeedbackField,
	formFieldBlockId,
	RATINGS,
	viewIdForForm,
} from '../domain/form';
import type { Translator } from '../i18n/translate';

/** What the form shows. */
export interface IFeedbackModalOptions {
	readonly appId: string;
	/** Carried by the submit button's value, never by the view id (domain/form.ts). */
	readonly formId: string;
	readonly viewToken: string;
	readonly categories: ReadonlyArray<string>;
	readonly maxCommentLength: number;
	readonly allowAnonymous: boolean;
	readonly t: Translator;
}

/** The feedback form as a UIKit modal. */
export function buildFeedbackModal({
	appId,
	formId,
	viewToken,
	categories,
	maxCommentLength,
	allowAnonymous,
	t,
}: IFeedbackModalOptions): IUIKitSurfaceViewParam {
	// The block ids carry the form id (domain/form.ts); the action ids stay the fields' names.
	const blockId = (id: FeedbackField) => formFieldBlockId(id, formId);
	const field = (id: FeedbackField) => ({ appId, blockId: blockId(id), actionId: id });
	const blocks: Array<InputBlock> = [
		{
			type: 'input',
			blockId: blockId(FeedbackField.Comment),
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
			blockId: blockId(FeedbackField.Category),
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
			blockId: blockId(FeedbackField.Rating),
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
			blockId: blockId(FeedbackField.Anonymous),
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
		id: viewIdForForm(viewToken),
		type: UIKitSurfaceType.MODAL,
		title: plain(t('modal_title')),
		blocks,
		...formButtons(appId, t('modal_submit'), formId, t('modal_close')),
		notifyOnClose: true,
		clearOnClose: true,
	};
}
