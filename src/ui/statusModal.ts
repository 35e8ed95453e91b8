import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { InputBlock, LayoutBlock } from '@rocket.chat/ui-kit';

import { adminModal } from './adminView';
import { context, option, plain } from './blocks';
import { entryHeading, plainLine, statusText, VIEW_COMMENT_LENGTH } from './triageText';
import { statusFormFields } from '../domain/actions';
import type { IFeedbackRecord } from '../domain/record';
import { MAX_NOTE_LENGTH, STATUSES } from '../domain/status';
import type { FeedbackStatus } from '../domain/status';
import type { Translator } from '../i18n/translate';

/** Field ids of a status form opened by an earlier version in a modal of its own (state[id][id]). */
export enum StatusField {
	Status = 'status',
	Note = 'note',
}

/**
 * The admin modal as the form in which an admin sets a feedback's status and writes a note to its
 * author. `formId` (drawn when it opens) becomes the id of the change it stores; it and the
 * feedback ride in the fields' block ids (domain/actions.ts statusFormFields), since the view id
 * stays the admin modal's. Its submit saves; its close closes the admin view.
 */
export function buildStatusForm(
	appId: string,
	record: IFeedbackRecord,
	current: FeedbackStatus,
	formId: string,
	t: Translator,
): IUIKitSurfaceViewParam {
	const fields = statusFormFields(record.id, formId, current);
	const inputs: Array<InputBlock> = [
		{
			type: 'input',
			blockId: fields.statusBlockId,
			label: plain(t('status_field_label')),
			element: {
				appId,
				blockId: fields.statusBlockId,
				actionId: fields.statusActionId,
				type: 'static_select',
				placeholder: plain(t('status_field_label')),
				options: STATUSES.map((status) => option(statusText(status, t), status)),
				initialValue: current,
			},
		},
		{
			type: 'input',
			blockId: fields.noteBlockId,
			optional: true,
			label: plain(t('note_field_label')),
			hint: plain(t('note_field_hint', { max: MAX_NOTE_LENGTH })),
			element: {
				appId,
				blockId: fields.noteBlockId,
				actionId: fields.noteActionId,
				type: 'plain_text_input',
				multiline: true,
				maxLength: MAX_NOTE_LENGTH,
			},
		},
	];
	const blocks: Array<LayoutBlock> = [
		context(t('status_modal_title')),
		context(entryHeading(record, current, t, true)),
		context(plainLine(record.comment, VIEW_COMMENT_LENGTH)),
		...inputs,
	];
	return adminModal(appId, t, blocks, t('button_save'));
}
