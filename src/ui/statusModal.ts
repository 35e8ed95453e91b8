import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { InputBlock, LayoutBlock } from '@rocket.chat/ui-kit';

import { context, option, plain } from './blocks';
import { entryHeading, plainLine, statusText, VIEW_COMMENT_LENGTH } from './triageText';
import { statusViewIdFor } from '../domain/actions';
import type { IFeedbackRecord } from '../domain/record';
import { MAX_NOTE_LENGTH, STATUSES } from '../domain/status';
import type { FeedbackStatus } from '../domain/status';
import type { Translator } from '../i18n/translate';

/** Block and action ids of the status form's fields; a field's value is state[id][id]. */
export enum StatusField {
	Status = 'status',
	Note = 'note',
}

/**
 * The form in which an admin sets a feedback's status and writes a note to its author; `formId`
 * (drawn when it opens) becomes the id of the change it stores.
 */
export function buildStatusModal(
	appId: string,
	record: IFeedbackRecord,
	current: FeedbackStatus,
	formId: string,
	t: Translator,
): IUIKitSurfaceViewParam {
	const field = (id: StatusField) => ({ appId, blockId: id, actionId: id });
	const inputs: Array<InputBlock> = [
		{
			type: 'input',
			blockId: StatusField.Status,
			label: plain(t('status_field_label')),
			element: {
				...field(StatusField.Status),
				type: 'static_select',
				placeholder: plain(t('status_field_label')),
				options: STATUSES.map((status) => option(statusText(status, t), status)),
				initialValue: current,
			},
		},
		{
			type: 'input',
			blockId: StatusField.Note,
			optional: true,
			label: plain(t('note_field_label')),
			hint: plain(t('note_field_hint', { max: MAX_NOTE_LENGTH })),
			element: {
				...field(StatusField.Note),
				type: 'plain_text_input',
				multiline: true,
				maxLength: MAX_NOTE_LENGTH,
			},
		},
	];
	const blocks: Array<LayoutBlock> = [
		context(entryHeading(record, current, t, true)),
		context(plainLine(record.comment, VIEW_COMMENT_LENGTH)),
		...inputs,
	];
	return {
		id: statusViewIdFor(record.id, formId),
		type: UIKitSurfaceType.MODAL,
		title: plain(t('status_modal_title')),
		blocks,
		submit: {
			appId,
			blockId: 'submit',
			actionId: 'submit',
			type: 'button',
			style: 'primary',
			text: plain(t('button_save')),
		},
		close: {
			appId,
			blockId: 'close',
			actionId: 'close',
			type: 'button',
			text: plain(t('button_cancel')),
		},
	};
}
