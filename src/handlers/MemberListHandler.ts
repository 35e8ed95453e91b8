import type {
	ILogger,
	IRead,
	IUIKitSurfaceViewParam,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { IViewAction } from './viewAction';
import { decodeEntryRef, decodePage, FeedbackAction } from '../domain/actions';
import { paginate, PAGE_SIZE } from '../domain/paging';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import { FeedbackStatus, newestChange } from '../domain/status';
import type { Translator } from '../i18n/translate';
import { storesFor } from '../persistence/stores';
import { buildDeleteConfirmation, buildMemberListView } from '../ui/memberListView';

/** A member's own feedback in a modal: pages, statuses, and delete with a confirmation. */
export class MemberListHandler {
	constructor(private readonly appId: string) {}

	/** The list at a page (the last one when the page is past the end). */
	public async view(
		read: IRead,
		user: IUser,
		page: number,
		t: Translator,
		logger: ILogger,
		notice?: string,
	): Promise<IUIKitSurfaceViewParam> {
		const stores = storesFor(read.getPersistenceReader(), logger);
		const own = await stores.feedback.listForUser(user.id);
		const pages = Math.max(1, Math.ceil(own.length / PAGE_SIZE));
		const shown = paginate(own, Math.min(page, pages));
		// Each entry's status and the team's note with it: what the author hears of in a direct
		// message, shown here too for an author the server lets the app not message (issue 19).
		const ids = shown.items.map((record) => record.id);
		const changes = await Promise.all(ids.map((id) => stores.statuses.changesOf(id)));
		const newest = ids.map((_, index) => newestChange(changes[index]));
		const statuses = new Map(
			ids.map((id, index) => [id, newest[index]?.status ?? FeedbackStatus.New] as const),
		);
		const notes = new Map(ids.map((id, index) => [id, newest[index]?.note ?? ''] as const));
		return buildMemberListView({ appId: this.appId, page: shown, statuses, notes, t, notice });
	}

	/** The view a member's button leads to; undefined for an action that is not the list's. */
	public async act(action: IViewAction): Promise<IUIKitSurfaceViewParam | undefined> {
		const { actionId, value, user, read, t, logger } = action;
		switch (actionId as FeedbackAction) {
			case FeedbackAction.ListPage:
			case FeedbackAction.ListDeleteCancel:
				return this.view(read, user, decodePage(value), t, logger);
			case FeedbackAction.ListDelete: {
				const ref = decodeEntryRef(value);
				const record = ref && (await this.ownEntry(read, user, ref.id, logger));
				if (!ref || !record) {
					return this.view(read, user, ref?.page ?? 1, t, logger, this.goneNotice(ref?.id, t));
				}
				return buildDeleteConfirmation(this.appId, record, ref.page, t);
			}
			case FeedbackAction.ListDeleteConfirm:
				return this.confirmDelete(action);
			default:
				return undefined;
		}
	}

	private async confirmDelete(action: IViewAction): Promise<IUIKitSurfaceViewParam> {
		const { value, user, read, persistence, t, logger } = action;
		const ref = decodeEntryRef(value);
		const record = ref && (await this.ownEntry(read, user, ref.id, logger));
		if (!ref || !record) {
			return this.view(read, user, ref?.page ?? 1, t, logger, this.goneNotice(ref?.id, t));
		}
		let notice: string;
		try {
			// Only through the member's own USER association: never another member's entry.
			await storesFor(read.getPersistenceReader(), logger).feedback.remove(
				persistence,
				record,
				user.id,
			);
			notice = t('delete_done', { id: shortIdOf(record.id) });
		} catch (error) {
			logger.error('deleting feedback from the list failed', error);
			notice = t('delete_failed', { id: shortIdOf(record.id) });
		}
		return this.view(read, user, ref.page, t, logger, notice);
	}

	/** The member's own entry with this exact id, if there is one. */
	private async ownEntry(
		read: IRead,
		user: IUser,
		id: string,
		logger: ILogger,
	): Promise<IFeedbackRecord | undefined> {
		const matches = await storesFor(read.getPersistenceReader(), logger).feedback.findByTypedId(
			id,
			user.id,
		);
		return matches.find((record) => record.id === id);
	}

	private goneNotice(id: string | undefined, t: Translator): string {
		return t('list_delete_gone', { id: id ? shortIdOf(id) : '?' });
	}
}
