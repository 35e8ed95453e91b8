import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { LayoutBlock } from '@rocket.chat/ui-kit';

import { adminModal } from './adminView';
import { actions, button, context, option, plain, section } from './blocks';
import { entryHeading, plainLine, VIEW_COMMENT_LENGTH } from './triageText';
import { encodeAdminState, encodeMergeRef, FeedbackAction } from '../domain/actions';
import type { IAdminViewState } from '../domain/actions';
import type { MergeRefusal } from '../domain/merges';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import type { FeedbackStatus } from '../domain/status';
import type { Translator } from '../i18n/translate';

/** One entry the merge form shows: the feedback and its status. */
export interface IMergeEntry {
	readonly record: IFeedbackRecord;
	readonly status: FeedbackStatus;
}

/** What a merge form is for: the duplicate, the form's id and the view to come back to. */
export interface IMergeFormOptions {
	readonly appId: string;
	readonly source: IMergeEntry;
	readonly formId: string;
	readonly state: IAdminViewState;
	readonly t: Translator;
}

function entryLines(entry: IMergeEntry, t: Translator): Array<LayoutBlock> {
	return [
		context(entryHeading(entry.record, entry.status, t, true)),
		context(plainLine(entry.record.comment, VIEW_COMMENT_LENGTH)),
	];
}

function cancel(options: IMergeFormOptions): LayoutBlock {
	const { appId, state, t } = options;
	return actions('merge-cancel', [
		button(appId, FeedbackAction.AdminMergeCancel, t('button_cancel'), encodeAdminState(state)),
	]);
}

/**
 * The admin modal as the merge form of one entry: a select of the entries of the page the admin
 * was on (the duplicate and entries merged already left out), each option carrying the whole
 * merge, so choosing one asks to confirm it without a submit; Cancel goes back to the list.
 */
export function buildMergeForm(
	options: IMergeFormOptions & { readonly candidates: ReadonlyArray<IMergeEntry> },
): IUIKitSurfaceViewParam {
	const { appId, source, formId, state, candidates, t } = options;
	const blocks: Array<LayoutBlock> = [
		section(t('merge_title', { id: shortIdOf(source.record.id) })),
		...entryLines(source, t),
		context(t('merge_explained')),
	];
	if (candidates.length === 0) {
		blocks.push(section(t('merge_no_candidates')));
	} else {
		blocks.push(
			actions('merge-target', [
				{
					type: 'static_select',
					appId,
					blockId: 'merge-target',
					actionId: FeedbackAction.AdminMergeTarget,
					placeholder: plain(t('merge_target_placeholder')),
					options: candidates.map(({ record, status }) =>
						option(
							plainLine(`${entryHeading(record, status, t, false)} · ${record.comment}`, 75),
							encodeMergeRef({ sourceId: source.record.id, targetId: record.id, formId, state }),
						),
					),
				},
			]),
		);
	}
	blocks.push(cancel(options));
	return adminModal(appId, t, blocks, t('button_refresh'));
}

/** The admin modal asking to confirm one merge: what it does, Merge and Cancel. */
export function buildMergeConfirm(
	options: IMergeFormOptions & { readonly target: IMergeEntry },
): IUIKitSurfaceViewParam {
	const { appId, source, target, formId, state, t } = options;
	const ids = { id: shortIdOf(source.record.id), target: shortIdOf(target.record.id) };
	const ref = encodeMergeRef({
		sourceId: source.record.id,
		targetId: target.record.id,
		formId,
		state,
	});
	const blocks: Array<LayoutBlock> = [
		section(t('merge_confirm', ids)),
		...entryLines(source, t),
		section(t('merge_confirm_into', ids)),
		...entryLines(target, t),
		context(t('merge_explained')),
		actions('merge-confirm', [
			button(appId, FeedbackAction.AdminMergeConfirm, t('button_merge_confirm'), ref, 'primary'),
			button(appId, FeedbackAction.AdminMergeCancel, t('button_cancel'), encodeAdminState(state)),
		]),
	];
	return adminModal(appId, t, blocks, t('button_refresh'));
}

/** Why a merge was refused, in the admin's language, with what to do instead. */
export function mergeRefusalText(
	refusal: MergeRefusal,
	ids: { readonly id: string; readonly target: string; readonly mergedInto?: string },
	t: Translator,
): string {
	const params = { id: ids.id, target: ids.target, other: ids.mergedInto ?? '' };
	switch (refusal) {
		case 'same-entry':
			return t('merge_refused_same', params);
		case 'source-gone':
			return t('merge_refused_source_gone', params);
		case 'target-gone':
			return t('merge_refused_target_gone', params);
		case 'source-merged':
			return t('merge_refused_source_merged', params);
		case 'target-merged':
			return t('merge_refused_target_merged', params);
		case 'cycle':
			return t('merge_refused_cycle', params);
	}
}
