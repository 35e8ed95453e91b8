import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { InputBlock, LayoutBlock } from '@rocket.chat/ui-kit';

import { adminModal } from './adminView';
import { context, option, plain } from './blocks';
import { quoteUserText } from './messages';
import { entryHeading, plainLine, statusText, VIEW_COMMENT_LENGTH } from './triageText';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import { CHOSEN_STATUSES, MAX_NOTE_LENGTH } from '../domain/status';
import type { FeedbackStatus } from '../domain/status';
import { statusFormFields } from '../domain/statusForm';
import type { StatusSave } from '../domain/statusForm';
import { NOTICE_PROMISED_MINUTES } from '../domain/statusNotice';
import type { AuthorReach } from '../domain/statusNotice';
import type { Translator } from '../i18n/translate';

/**
 * The admin modal as the form in which an admin sets a feedback's status and writes a note to its
 * author. `formId` (drawn when it opens) becomes the id of the change it stores; it and the
 * feedback ride in the fields' block ids (domain/statusForm.ts statusFormFields), since the view id
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
				options: CHOSEN_STATUSES.map((status) => option(statusText(status, t), status)),
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

/** What the admin is told of how the author hears of a saved change (no reach: anonymous). */
export function reachText(reach: AuthorReach | undefined, t: Translator): string {
	switch (reach?.kind) {
		case undefined:
			return t('status_anonymous_not_told');
		case 'encrypted':
			return t('status_not_told_encrypted');
		case 'refused':
			return t('status_not_told_refused', { reason: quoteUserText(reach.detail) });
		case 'notices-off':
			return t('status_not_told_notices_off');
		case 'unfollowed':
			return t('status_not_told_unfollowed');
		case 'direct':
			return t('status_told_soon', { minutes: NOTICE_PROMISED_MINUTES });
	}
}

/** A line for the admin saying what saving a status form did. */
export function statusSavedText(saved: StatusSave, t: Translator): string {
	switch (saved.kind) {
		case 'saved':
			return [
				t('status_saved', {
					id: shortIdOf(saved.change.feedbackId),
					status: statusText(saved.change.status, t),
				}),
				reachText(saved.reach, t),
				...(saved.weDidQueued ? [t('status_we_did_queued')] : []),
			].join(' ');
		case 'unchanged':
			return t('status_unchanged', {
				id: shortIdOf(saved.feedbackId),
				status: statusText(saved.status, t),
			});
		case 'gone':
			return t('error_feedback_gone');
	}
}
