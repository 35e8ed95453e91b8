import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { ButtonElement, LayoutBlock, StaticSelectElement } from '@rocket.chat/ui-kit';

import { actions, button, context, divider, option, plain, section } from './blocks';
import { entryHeading, plainLine, statusText, VIEW_COMMENT_LENGTH } from './triageText';
import {
	ADMIN_VIEW_ID,
	encodeAdminEntryRef,
	encodeAdminState,
	FeedbackAction,
} from '../domain/actions';
import type { AdminSort, IAdminViewState } from '../domain/actions';
import type { EntryEngagement } from '../domain/merges';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import { STATUSES } from '../domain/status';
import type { FeedbackStatus } from '../domain/status';
import type { Translator } from '../i18n/translate';

/** One entry of the admin view. */
export interface IAdminEntry {
	readonly record: IFeedbackRecord;
	readonly status: FeedbackStatus;
	/** Who stands behind it; absent where it was not read. */
	readonly engagement?: EntryEngagement;
}

/** What the admin view shows. */
export interface IAdminViewOptions {
	readonly appId: string;
	readonly state: IAdminViewState;
	readonly entries: ReadonlyArray<IAdminEntry>;
	readonly hasNextPage: boolean;
	/** The statistics, one line each. */
	readonly statistics: ReadonlyArray<string>;
	readonly categories: ReadonlyArray<string>;
	readonly t: Translator;
	/** A line on top, e.g. what the last action did. */
	readonly notice?: string;
	/** An entry waiting for its delete to be confirmed. */
	readonly confirmDelete?: IFeedbackRecord;
	/** The page was not read in time: no entries are shown, only that they are coming. */
	readonly pending?: boolean;
}

/** The admin modal's frame: its fixed id, title, a submit button and the close button. */
export function adminModal(
	appId: string,
	t: Translator,
	blocks: Array<LayoutBlock>,
	submitLabel: string,
): IUIKitSurfaceViewParam {
	// Every state sends a submit button: the web client merges an update into the view it has
	// (a button once shown stays), the mobile app replaces it (a state without one has none).
	return {
		id: ADMIN_VIEW_ID,
		type: UIKitSurfaceType.MODAL,
		title: plain(t('admin_view_title')),
		blocks,
		submit: {
			appId,
			blockId: 'admin-submit',
			actionId: 'admin-submit',
			type: 'button',
			style: 'primary',
			text: plain(submitLabel),
		},
		close: {
			appId,
			blockId: 'admin-close',
			actionId: 'admin-close',
			type: 'button',
			text: plain(t('button_close')),
		},
	};
}

function filterSelect(
	appId: string,
	actionId: FeedbackAction,
	placeholder: string,
	choices: ReadonlyArray<readonly [label: string, state: IAdminViewState]>,
	selected: number,
): StaticSelectElement {
	const options = choices.map(([label, state]) => option(label, encodeAdminState(state)));
	return {
		type: 'static_select',
		appId,
		blockId: 'filters',
		actionId,
		placeholder: plain(placeholder),
		options,
		initialValue: options[selected]?.value,
	};
}

/** The filters: each option carries the whole state it leads to, on page 1. */
function filters(options: IAdminViewOptions): LayoutBlock {
	const { appId, state, categories, t } = options;
	const categoryChoices: Array<readonly [string, IAdminViewState]> = [
		[t('admin_filter_all'), { ...state, page: 1, category: null }],
		...categories.map(
			(category) => [plainLine(category, 64), { ...state, page: 1, category }] as const,
		),
	];
	const statusChoices: Array<readonly [string, IAdminViewState]> = [
		[t('admin_filter_all'), { ...state, page: 1, status: null }],
		...STATUSES.map((status) => [statusText(status, t), { ...state, page: 1, status }] as const),
	];
	const sorts: ReadonlyArray<AdminSort> = ['newest', 'votes'];
	const sortChoices = sorts.map(
		(sort) => [t(`admin_sort_${sort}`), { ...state, page: 1, sort }] as const,
	);
	return actions('filters', [
		filterSelect(
			appId,
			FeedbackAction.AdminFilterCategory,
			t('admin_filter_category'),
			categoryChoices,
			state.category === null ? 0 : categories.indexOf(state.category) + 1,
		),
		filterSelect(
			appId,
			FeedbackAction.AdminFilterStatus,
			t('admin_filter_status'),
			statusChoices,
			state.status === null ? 0 : STATUSES.indexOf(state.status) + 1,
		),
		filterSelect(
			appId,
			FeedbackAction.AdminSort,
			t('admin_sort'),
			sortChoices,
			sorts.indexOf(state.sort),
		),
	]);
}

/** An entry's votes and followers, or the entry it is a duplicate of. */
export function engagementText(engagement: EntryEngagement, t: Translator): string {
	return engagement.kind === 'duplicate'
		? t('admin_duplicate_of', { id: shortIdOf(engagement.rootId) })
		: t('admin_engagement', { votes: engagement.votes, followers: engagement.followers });
}

function entryBlocks(options: IAdminViewOptions, entry: IAdminEntry): Array<LayoutBlock> {
	const { appId, t, state, confirmDelete } = options;
	const { record } = entry;
	const id = shortIdOf(record.id);
	const confirming = confirmDelete?.id === record.id;
	// Delete and its confirmation carry the entry and the page to come back to.
	const ref = encodeAdminEntryRef(record.id, state);
	const buttons = confirming
		? [
				button(appId, FeedbackAction.AdminDeleteConfirm, t('button_delete'), ref, 'danger'),
				button(
					appId,
					FeedbackAction.AdminDeleteCancel,
					t('button_cancel'),
					encodeAdminState(state),
				),
			]
		: [
				// A duplicate's status comes with its merge, and it is merged already.
				...(entry.engagement?.kind === 'duplicate'
					? []
					: [
							button(appId, FeedbackAction.AdminChangeStatus, t('button_change_status'), record.id),
							button(appId, FeedbackAction.AdminMerge, t('button_merge'), ref),
						]),
				button(appId, FeedbackAction.AdminDelete, t('button_delete'), ref),
			];
	return [
		section(entryHeading(record, entry.status, t, true), `entry-${id}`),
		context(plainLine(record.comment, VIEW_COMMENT_LENGTH)),
		...(entry.engagement ? [context(engagementText(entry.engagement, t))] : []),
		...(confirming ? [section(t('list_delete_confirm', { id }))] : []),
		actions(`entry-actions-${id}`, buttons),
	];
}

/** The admin view, a modal: statistics, filters, a page of entries to act on; its submit refreshes. */
export function buildAdminView(options: IAdminViewOptions): IUIKitSurfaceViewParam {
	const { appId, state, entries, hasNextPage, statistics, t, notice } = options;
	const blocks: Array<LayoutBlock> = notice ? [context(notice)] : [];
	// Plain text keeps no line breaks where Rocket.Chat renders it: one section per line.
	blocks.push(
		...statistics.map((line) => section(line)),
		actions('admin-surveys', [
			button(appId, FeedbackAction.AdminSurveys, t('button_surveys'), ''),
			button(appId, FeedbackAction.AdminSurveyNew, t('button_survey_new'), ''),
		]),
		divider(),
		// The selects show their choice, not their name: say which is which above them.
		context(`${t('admin_filter_category')} · ${t('admin_filter_status')} · ${t('admin_sort')}`),
		filters(options),
	);
	if (entries.length === 0 && !options.pending) {
		blocks.push(section(t('admin_empty')));
	}
	for (const entry of entries) {
		blocks.push(...entryBlocks(options, entry));
	}
	blocks.push(divider(), context(t('admin_page', { page: state.page })));
	const paging: Array<ButtonElement> = [];
	if (state.page > 1) {
		paging.push(
			button(
				appId,
				FeedbackAction.AdminPage,
				t('button_previous'),
				encodeAdminState({ ...state, page: state.page - 1 }),
			),
		);
	}
	if (hasNextPage) {
		paging.push(
			button(
				appId,
				FeedbackAction.AdminPage,
				t('button_next'),
				encodeAdminState({ ...state, page: state.page + 1 }),
			),
		);
	}
	if (paging.length > 0) {
		blocks.push(actions('admin-paging', paging));
	}
	return adminModal(appId, t, blocks, t('button_refresh'));
}
