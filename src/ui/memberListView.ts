import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { ButtonElement, LayoutBlock } from '@rocket.chat/ui-kit';

import { actions, button, context, divider, plain, section } from './blocks';
import { entryHeading, mergedIntoText, plainLine, VIEW_COMMENT_LENGTH } from './triageText';
import { encodeEntryRef, FeedbackAction, MEMBER_LIST_VIEW_ID } from '../domain/actions';
import type { IPage } from '../domain/paging';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import { FeedbackStatus } from '../domain/status';
import type { Translator } from '../i18n/translate';

/** What the member's list shows. */
export interface IMemberListOptions {
	readonly appId: string;
	readonly page: IPage<IFeedbackRecord>;
	readonly statuses: ReadonlyMap<string, FeedbackStatus>;
	/** The team's note with each entry's status ('' or absent: none). */
	readonly notes?: ReadonlyMap<string, string>;
	readonly t: Translator;
	/** A line on top, e.g. what the last action did. */
	readonly notice?: string;
}

/** Previous and next buttons for a page, carrying the page they go to. */
export function pageButtons(
	appId: string,
	actionId: FeedbackAction,
	page: number,
	pages: number,
	t: Translator,
	valueOf: (page: number) => string = String,
): Array<LayoutBlock> {
	const elements: Array<ButtonElement> = [];
	if (page > 1) {
		elements.push(
			button(appId, `${actionId}`, t('button_previous'), valueOf(Math.min(page - 1, pages))),
		);
	}
	if (page < pages) {
		elements.push(button(appId, `${actionId}`, t('button_next'), valueOf(page + 1)));
	}
	return elements.length > 0 ? [actions(`${actionId}-buttons`, elements)] : [];
}

function closeButton(appId: string, t: Translator) {
	return {
		appId,
		blockId: 'close',
		actionId: 'close',
		type: 'button' as const,
		text: plain(t('button_close')),
	};
}

/** The member's own feedback as a modal: an entry each with its status, the team's note and a delete button. */
export function buildMemberListView(options: IMemberListOptions): IUIKitSurfaceViewParam {
	const { appId, page, statuses, notes, t, notice } = options;
	const blocks: Array<LayoutBlock> = notice ? [context(notice)] : [];
	if (page.total === 0) {
		blocks.push(section(t('list_view_empty')));
	}
	for (const record of page.items) {
		const status = statuses.get(record.id) ?? FeedbackStatus.New;
		blocks.push(
			section(
				entryHeading(record, status, t, false),
				`entry-${shortIdOf(record.id)}`,
				button(
					appId,
					FeedbackAction.ListDelete,
					t('button_delete'),
					encodeEntryRef(record.id, page.page),
					'danger',
				),
			),
			context(plainLine(record.comment, VIEW_COMMENT_LENGTH)),
		);
		const note = notes?.get(record.id) ?? '';
		const merged = mergedIntoText(status, note, t);
		if (merged !== undefined) {
			blocks.push(context(merged));
		} else if (note !== '') {
			blocks.push(context(t('status_notice_note', { note: plainLine(note, VIEW_COMMENT_LENGTH) })));
		}
	}
	if (page.total > 0) {
		blocks.push(divider(), context(t('list_view_page', { page: page.page, pages: page.pages })));
		blocks.push(...pageButtons(appId, FeedbackAction.ListPage, page.page, page.pages, t));
	}
	return {
		id: MEMBER_LIST_VIEW_ID,
		type: UIKitSurfaceType.MODAL,
		title: plain(t('list_view_title')),
		blocks,
		close: closeButton(appId, t),
	};
}

/** The member's list asking to confirm a delete. */
export function buildDeleteConfirmation(
	appId: string,
	record: IFeedbackRecord,
	returnPage: number,
	t: Translator,
): IUIKitSurfaceViewParam {
	return {
		id: MEMBER_LIST_VIEW_ID,
		type: UIKitSurfaceType.MODAL,
		title: plain(t('list_view_title')),
		blocks: [
			section(t('list_delete_confirm', { id: shortIdOf(record.id) })),
			context(plainLine(record.comment, VIEW_COMMENT_LENGTH)),
			actions('confirm-delete', [
				button(
					appId,
					FeedbackAction.ListDeleteConfirm,
					t('button_delete'),
					encodeEntryRef(record.id, returnPage),
					'danger',
				),
				button(appId, FeedbackAction.ListDeleteCancel, t('button_cancel'), String(returnPage)),
			]),
		],
		close: closeButton(appId, t),
	};
}
