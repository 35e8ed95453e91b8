import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';

import type { IBlockActionRequest, IMemberRequest } from './requestContext';
import { decodeEntryRef, decodePage, FeedbackAction } from '../domain/actions';
import { paginate, PAGE_SIZE } from '../domain/paging';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import { FeedbackStatus, newestChange } from '../domain/status';
import type { Translator } from '../i18n/translate';
import { removeFeedback } from '../persistence/removeFeedback';
import { buildDeleteConfirmation, buildMemberListView } from '../ui/memberListView';

/**
 * Each entry's status and the team's note with it: what the author hears of in a direct message,
 * shown in their list too for an author the server does not let the app message (issue 19).
 */
export async function statusesOf(
	request: IMemberRequest,
	records: ReadonlyArray<IFeedbackRecord>,
): Promise<Map<string, { readonly status: FeedbackStatus; readonly note: string }>> {
	const changes = await Promise.all(
		records.map((record) => request.stores.statuses.changesOf(record.id)),
	);
	return new Map(
		records.map((record, index) => {
			const newest = newestChange(changes[index]);
			return [
				record.id,
				{ status: newest?.status ?? FeedbackStatus.New, note: newest?.note ?? '' },
			];
		}),
	);
}

/** A member's own feedback in a modal: pages, statuses, and delete with a confirmation. */
export class MemberListHandler {
	constructor(
		private readonly appId: string,
		private readonly now: () => Date = () => new Date(),
	) {}

	/** The list at a page (the last one when the page is past the end). */
	public async view(
		request: IMemberRequest,
		page: number,
		notice?: string,
	): Promise<IUIKitSurfaceViewParam> {
		const { stores, user } = request;
		const t = await request.translator();
		const own = await stores.feedback.listForUser(user.id);
		const pages = Math.max(1, Math.ceil(own.length / PAGE_SIZE));
		const shown = paginate(own, Math.min(page, pages));
		const shownStatuses = await statusesOf(request, shown.items);
		const statuses = new Map(
			[...shownStatuses].map(([id, shownStatus]) => [id, shownStatus.status]),
		);
		const notes = new Map([...shownStatuses].map(([id, shownStatus]) => [id, shownStatus.note]));
		return buildMemberListView({ appId: this.appId, page: shown, statuses, notes, t, notice });
	}

	/** The view a member's button leads to; undefined for an action that is not the list's. */
	public async act(request: IBlockActionRequest): Promise<IUIKitSurfaceViewParam | undefined> {
		const { actionId, value } = request;
		switch (actionId as FeedbackAction) {
			case FeedbackAction.ListPage:
			case FeedbackAction.ListDeleteCancel:
				return this.view(request, decodePage(value));
			case FeedbackAction.ListDelete: {
				const t = await request.translator();
				const ref = decodeEntryRef(value);
				const record = ref && (await this.ownEntry(request, ref.id));
				if (!ref || !record) {
					return this.view(request, ref?.page ?? 1, this.goneNotice(ref?.id, t));
				}
				return buildDeleteConfirmation(this.appId, record, ref.page, t);
			}
			case FeedbackAction.ListDeleteConfirm:
				return this.confirmDelete(request);
			default:
				return undefined;
		}
	}

	private async confirmDelete(request: IBlockActionRequest): Promise<IUIKitSurfaceViewParam> {
		const { value, user, persistence, logger } = request;
		const t = await request.translator();
		const ref = decodeEntryRef(value);
		const record = ref && (await this.ownEntry(request, ref.id));
		if (!ref || !record) {
			return this.view(request, ref?.page ?? 1, this.goneNotice(ref?.id, t));
		}
		let notice: string;
		try {
			// Only through the member's own USER association: never another member's entry.
			await removeFeedback(request.stores, persistence, record, this.now(), user.id);
			notice = t('delete_done', { id: shortIdOf(record.id) });
		} catch (error) {
			logger.error('deleting feedback from the list failed', error);
			notice = t('delete_failed', { id: shortIdOf(record.id) });
		}
		return this.view(request, ref.page, notice);
	}

	/** The member's own entry with this exact id, if there is one. */
	private async ownEntry(
		request: IMemberRequest,
		id: string,
	): Promise<IFeedbackRecord | undefined> {
		const matches = await request.stores.feedback.findByTypedId(id, request.user.id);
		return matches.find((record) => record.id === id);
	}

	private goneNotice(id: string | undefined, t: Translator): string {
		return t('list_delete_gone', { id: id ? shortIdOf(id) : '?' });
	}
}
