import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { InputBlock, LayoutBlock } from '@rocket.chat/ui-kit';

import { context, formButtons, option, plain, section } from './blocks';
import { formatDate } from './messages';
import {
	ANSWER_NOTICE_VIEW_PREFIX,
	AnswerField,
	answerChoices,
	answerFieldBlockId,
	answerViewId,
} from '../domain/answerForm';
import { SURVEY_COMMENT_MAX } from '../domain/answers';
import type { IRound } from '../domain/rounds';
import type { ISurvey, SurveyKind } from '../domain/survey';
import type { MessageKey, Translator } from '../i18n/translate';

/** What the answer form shows. */
export interface ISurveyAnswerModalOptions {
	readonly appId: string;
	readonly survey: ISurvey;
	readonly round: IRound;
	/** Whether the member has answered the round already (the form then replaces that answer). */
	readonly answeredBefore: boolean;
	/** Carried by the fields' block ids and the submit button, never by the view id (domain/answerForm.ts). */
	readonly formId: string;
	readonly viewToken: string;
	readonly t: Translator;
}

const VALUE_LABELS: Readonly<Record<SurveyKind, MessageKey>> = {
	'nps': 'survey_answer_label_nps',
	'rating': 'survey_answer_label_rating',
	'yes-no': 'survey_answer_label_yes_no',
};

function choiceLabel(kind: SurveyKind, value: string, t: Translator): string {
	if (kind !== 'yes-no') {
		return value;
	}
	return t(value === 'yes' ? 'survey_answer_yes' : 'survey_answer_no');
}

/** The answer form of one round as a UIKit modal, in the member's language. */
export function buildSurveyAnswerModal(options: ISurveyAnswerModalOptions): IUIKitSurfaceViewParam {
	const { appId, survey, round, answeredBefore, formId, viewToken, t } = options;
	const blockId = (field: AnswerField) => answerFieldBlockId(field, formId);
	const field = (id: AnswerField) => ({ appId, blockId: blockId(id), actionId: id });
	const notes = [
		t('survey_answer_changeable', { closes: formatDate(round.closesAt) }),
		t(survey.anonymous ? 'survey_anonymous_line' : 'survey_named_line'),
	];
	const blocks: Array<LayoutBlock> = [
		// Plain text: the question is shown as the admin typed it, never read as markdown or mentions.
		section(survey.question),
		context(notes.join(' ')),
	];
	if (answeredBefore) {
		blocks.push(context(t('survey_answer_answered_before')));
	}
	const value: InputBlock = {
		type: 'input',
		blockId: blockId(AnswerField.Value),
		label: plain(t(VALUE_LABELS[survey.kind])),
		element: {
			...field(AnswerField.Value),
			type: 'static_select',
			placeholder: plain(t('survey_answer_placeholder')),
			options: answerChoices(survey.kind).map((choice) =>
				option(choiceLabel(survey.kind, choice.value, t), choice.value),
			),
		},
	};
	blocks.push(value);
	if (survey.withComment) {
		const comment: InputBlock = {
			type: 'input',
			blockId: blockId(AnswerField.Comment),
			optional: true,
			label: plain(t('survey_answer_comment_label')),
			hint: plain(t('survey_answer_comment_hint', { max: SURVEY_COMMENT_MAX })),
			element: {
				...field(AnswerField.Comment),
				type: 'plain_text_input',
				multiline: true,
				maxLength: SURVEY_COMMENT_MAX,
			},
		};
		blocks.push(comment);
	}
	return {
		id: answerViewId(survey.id, round.key, viewToken),
		type: UIKitSurfaceType.MODAL,
		title: plain(t('survey_answer_title')),
		blocks,
		...formButtons(appId, t('survey_answer_submit'), formId, t('modal_close')),
		clearOnClose: true,
	};
}

/** Why no answer form opens (the round closed, the answer is final...): a modal that says so. */
export function buildSurveyNoticeModal(
	appId: string,
	viewToken: string,
	text: string,
	t: Translator,
): IUIKitSurfaceViewParam {
	return {
		id: `${ANSWER_NOTICE_VIEW_PREFIX}${viewToken}`,
		type: UIKitSurfaceType.MODAL,
		title: plain(t('survey_answer_title')),
		blocks: [section(text)],
		close: {
			appId,
			blockId: 'close',
			actionId: 'close',
			type: 'button',
			text: plain(t('button_close')),
		},
	};
}
