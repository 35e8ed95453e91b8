import type { AdminAnswer, AdminViewHandler } from './AdminViewHandler';
import type { StatusChangeHandler } from './StatusChangeHandler';
import type { IBlockActionRequest } from './requestContext';
import {
	decodeAdminEntryRef,
	decodeAdminState,
	decodeMergeRef,
	FeedbackAction,
} from '../domain/actions';
import type { IAdminViewState, IMergeRef } from '../domain/actions';
import { newId } from '../domain/ids';
import { checkMerge, heldMerges, rootOf } from '../domain/merges';
import type { IMergeRecord, MergeRefusal } from '../domain/merges';
import { PAGE_SIZE } from '../domain/paging';
import { shortIdOf } from '../domain/record';
import { FeedbackStatus, statusAfter } from '../domain/status';
import type { Translator } from '../i18n/translate';
import { adminPage } from '../persistence/adminPage';
import { buildMergeConfirm, buildMergeForm, mergeRefusalText } from '../ui/mergeForm';
import type { IMergeEntry } from '../ui/mergeForm';
import { reachText } from '../ui/statusModal';

/**
 * Merging a duplicate into another entry from the admin view: Merge into… opens the merge form,
 * choosing the entry to keep asks to confirm, and Merge stores it. Every step is a block action,
 * checked for the role by BlockActionHandler and read back defensively here. Merge stores one
 * merge record (id: the form's id, so a confirm delivered twice stores one), and, once the merge
 * holds, the duplicate's `duplicate` status through StatusChangeHandler.changeStatus (its note
 * is the target's short id), which notes the named author's notice.
 */
export class MergeHandler {
	constructor(
		private readonly appId: string,
		private readonly adminView: AdminViewHandler,
		private readonly statusChanges: StatusChangeHandler,
		private readonly now: () => Date,
	) {}

	/** The answer to a merge action; undefined for another action. */
	public async act(request: IBlockActionRequest): Promise<AdminAnswer | undefined> {
		switch (request.actionId as FeedbackAction) {
			case FeedbackAction.AdminMerge:
				return this.openForm(request);
			case FeedbackAction.AdminMergeTarget:
				return this.askToConfirm(request);
			case FeedbackAction.AdminMergeConfirm:
				return this.confirm(request);
			case FeedbackAction.AdminMergeCancel:
				return this.list(request, decodeAdminState(request.value));
			default:
				return undefined;
		}
	}

	private async list(
		request: IBlockActionRequest,
		state: IAdminViewState,
		notice?: string,
	): Promise<AdminAnswer> {
		return {
			kind: 'admin-view',
			view: await this.adminView.view(request, state, notice ? { notice } : {}),
		};
	}

	private async entryOf(
		request: IBlockActionRequest,
		id: string,
	): Promise<IMergeEntry | undefined> {
		const [record, changes] = await Promise.all([
			request.stores.feedback.find(id),
			request.stores.statuses.changesOf(id),
		]);
		return record ? { record, status: statusAfter(changes) } : undefined;
	}

	/** Merge into…: the form, offering the entries of the page the admin was on. */
	private async openForm(request: IBlockActionRequest): Promise<AdminAnswer> {
		const t = await request.translator();
		const { id, state } = decodeAdminEntryRef(request.value);
		const source = id ? await this.entryOf(request, id) : undefined;
		if (!source) {
			return this.list(request, state, t('error_feedback_gone'));
		}
		const page = await adminPage(request.stores, state, PAGE_SIZE, this.now());
		const candidates = page.entries.filter(
			(entry) => entry.record.id !== source.record.id && entry.engagement.kind !== 'duplicate',
		);
		const { appId } = this;
		return {
			kind: 'admin-view',
			view: buildMergeForm({ appId, source, formId: newId(), state, candidates, t }),
		};
	}

	/** The entry to keep was chosen: the merge to confirm. */
	private async askToConfirm(request: IBlockActionRequest): Promise<AdminAnswer> {
		const t = await request.translator();
		const ref = decodeMergeRef(request.value);
		if (!ref) {
			return this.malformed(request, t);
		}
		const [source, target] = await Promise.all([
			this.entryOf(request, ref.sourceId),
			this.entryOf(request, ref.targetId),
		]);
		if (!source || !target) {
			const refusal: MergeRefusal = source ? 'target-gone' : 'source-gone';
			return this.list(request, ref.state, this.refusalText(refusal, ref, new Map(), t));
		}
		const { appId } = this;
		const { formId, state } = ref;
		return {
			kind: 'admin-view',
			view: buildMergeConfirm({ appId, source, target, formId, state, t }),
		};
	}

	/** Merge: checked against the merges that hold, stored once, then the duplicate's status. */
	private async confirm(request: IBlockActionRequest): Promise<AdminAnswer> {
		const t = await request.translator();
		const ref = decodeMergeRef(request.value);
		if (!ref) {
			return this.malformed(request, t);
		}
		const { stores, persistence, user, logger } = request;
		const [source, target, records] = await Promise.all([
			stores.feedback.find(ref.sourceId),
			stores.feedback.find(ref.targetId),
			stores.merges.records(),
		]);
		const ours = (merge: IMergeRecord) => merge.id === ref.formId;
		// A confirm delivered again finds its merge stored: it goes on to the status, not refused.
		if (!records.some(ours)) {
			const refusal = checkMerge(heldMerges(records), ref.sourceId, ref.targetId, {
				source: source !== undefined,
				target: target !== undefined,
			});
			if (refusal) {
				return this.list(
					request,
					ref.state,
					this.refusalText(refusal, ref, heldMerges(records), t),
				);
			}
			await stores.merges.add(persistence, {
				id: ref.formId,
				sourceId: ref.sourceId,
				targetId: ref.targetId,
				adminId: user.id,
				at: this.now().toISOString(),
			});
		}
		// Read again: of merges racing on other instances, the earliest holds (domain/merges.ts).
		const after = await stores.merges.records();
		const held = heldMerges(after);
		if (!(held.get(ref.sourceId)?.id === ref.formId) || !source || !target) {
			const without = heldMerges(after.filter((merge) => !ours(merge)));
			const refusal =
				checkMerge(without, ref.sourceId, ref.targetId, {
					source: source !== undefined,
					target: target !== undefined,
				}) ?? 'source-merged';
			logger.info(`a merge of ${shortIdOf(ref.sourceId)} lost to a merge stored at once`);
			return this.list(request, ref.state, this.refusalText(refusal, ref, without, t));
		}
		// The counts on both announcements change: the vote count job writes them (VoteCountJob).
		await stores.voteRefreshes.add(persistence, {
			feedbackId: ref.sourceId,
			memberId: user.id,
			clickId: ref.formId,
			at: this.now().toISOString(),
			merge: true,
		});
		const saved = await this.statusChanges.changeStatus(
			request,
			{ feedbackId: ref.sourceId, formId: ref.formId },
			FeedbackStatus.Duplicate,
			shortIdOf(ref.targetId),
		);
		const ids = { id: shortIdOf(ref.sourceId), target: shortIdOf(ref.targetId) };
		const told = saved.kind === 'saved' ? ` ${reachText(saved.reach, t)}` : '';
		return this.list(request, ref.state, `${t('merge_done', ids)}${told}`);
	}

	private refusalText(
		refusal: MergeRefusal,
		ref: IMergeRef,
		held: ReadonlyMap<string, IMergeRecord>,
		t: Translator,
	): string {
		const mergedFrom = refusal === 'source-merged' ? ref.sourceId : ref.targetId;
		return mergeRefusalText(
			refusal,
			{
				id: shortIdOf(ref.sourceId),
				target: shortIdOf(ref.targetId),
				mergedInto: shortIdOf(rootOf(held, mergedFrom)),
			},
			t,
		);
	}

	/** A value no merge form of the app sends: a forged or broken one, refused and logged. */
	private malformed(request: IBlockActionRequest, t: Translator): Promise<AdminAnswer> {
		request.logger.warn(`refused a malformed merge of ${request.user.username}`);
		return this.list(request, decodeAdminState(undefined), t('merge_malformed'));
	}
}
