import type {
	ILogger,
	IPersistence,
	IRead,
	IUIKitSurfaceViewParam,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { authorReach } from './authorReach';
import type { AuthorReach } from './authorReach';
import type { IViewAction } from './viewAction';
import {
	decodeAdminEntryRef,
	decodeAdminState,
	decodeFeedbackId,
	FeedbackAction,
	FIRST_ADMIN_PAGE,
} from '../domain/actions';
import type { IAdminViewState, IStatusFormRef } from '../domain/actions';
import { foldProgressOf } from '../domain/days';
import { newId } from '../domain/ids';
import { PAGE_SIZE } from '../domain/paging';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import { computeStats } from '../domain/stats';
import { FeedbackStatus, newestChange, previousChange, statusAfter } from '../domain/status';
import type { IStatusChange } from '../domain/status';
import { isNoOpSave, NOTICE_PROMISED_MINUTES } from '../domain/statusNotice';
import type { Translator } from '../i18n/translate';
import type { ShardedCounter } from '../persistence/ShardedCounter';
import { adminPage } from '../persistence/adminPage';
import { storesFor } from '../persistence/stores';
import { readSettings } from '../settings/settings';
import { buildAdminView } from '../ui/adminView';
import { preparingText, quoteUserText, statsLines } from '../ui/messages';
import { buildStatusModal } from '../ui/statusModal';
import { formatTriageStats, plainLine, statusText } from '../ui/triageText';

/** What an admin action answers: the admin view updated, or the status form opened over it. */
export type AdminAnswer =
	| { readonly kind: 'admin-view'; readonly view: IUIKitSurfaceViewParam }
	/** Opened anew: the client updates a contextual bar only when one is open (ActionManager). */
	| { readonly kind: 'admin-view-opened'; readonly view: IUIKitSurfaceViewParam }
	| { readonly kind: 'status-form'; readonly view: IUIKitSurfaceViewParam };

/** What saving a status form did. */
export type StatusSave =
	/** `reach`: how a named author hears of it (none for anonymous feedback). */
	| { readonly kind: 'saved'; readonly change: IStatusChange; readonly reach?: AuthorReach }
	/** The entry already had this status and note: nothing stored, no one told. */
	| { readonly kind: 'unchanged'; readonly feedbackId: string; readonly status: FeedbackStatus }
	| { readonly kind: 'gone' };

/** The admin view in the contextual bar, and the status changes made from it. */
export class AdminViewHandler {
	constructor(
		private readonly appId: string,
		private readonly messageCounter: ShardedCounter,
		private readonly now: () => Date,
	) {}

	/** The admin view: statistics, filters and a page of entries. */
	public async view(
		read: IRead,
		persistence: IPersistence,
		state: IAdminViewState,
		t: Translator,
		logger: ILogger,
		extras: { notice?: string; confirmDelete?: IFeedbackRecord } = {},
	): Promise<IUIKitSurfaceViewParam> {
		const reader = read.getPersistenceReader();
		const stores = storesFor(reader, logger);
		const now = this.now();
		const [settings, counts, triage, messages, page] = await Promise.all([
			readSettings(read),
			stores.totals.counts(persistence, now),
			stores.statusTotals.refresh(persistence, now),
			this.messageCounter.total(reader),
			adminPage(stores, state, PAGE_SIZE),
		]);
		const progress = foldProgressOf(counts.preparing, triage.preparing);
		const statistics = progress
			? [preparingText(progress, t)]
			: [
					...statsLines(computeStats(counts, messages), t, (name) => plainLine(name, 64)),
					...formatTriageStats(counts.tally.total, triage.byStatus, triage.responseBuckets, t),
				];
		const categories = [...new Set([...settings.categories, ...counts.tally.categories.keys()])];
		return buildAdminView({
			appId: this.appId,
			state,
			entries: page.entries,
			hasNextPage: page.hasNextPage,
			statistics,
			categories,
			t,
			...extras,
		});
	}

	/** The answer to an admin's button; undefined for an action that is not the admin view's. */
	public async act(action: IViewAction): Promise<AdminAnswer | undefined> {
		const { actionId, value, read, persistence, t, logger } = action;
		const adminView = async (state: IAdminViewState, extras = {}) => ({
			kind: 'admin-view' as const,
			view: await this.view(read, persistence, state, t, logger, extras),
		});
		switch (actionId as FeedbackAction) {
			case FeedbackAction.AdminOpen:
				return { ...(await adminView(FIRST_ADMIN_PAGE)), kind: 'admin-view-opened' };
			case FeedbackAction.AdminPage:
			case FeedbackAction.AdminFilterCategory:
			case FeedbackAction.AdminFilterStatus:
			case FeedbackAction.AdminDeleteCancel:
				return adminView(decodeAdminState(value));
			case FeedbackAction.AdminChangeStatus: {
				const record = await this.entry(read, value, logger);
				if (!record) {
					return adminView(FIRST_ADMIN_PAGE, { notice: t('error_feedback_gone') });
				}
				const changes = await storesFor(read.getPersistenceReader(), logger).statuses.changesOf(
					record.id,
				);
				return {
					kind: 'status-form',
					view: buildStatusModal(this.appId, record, statusAfter(changes), newId(), t),
				};
			}
			case FeedbackAction.AdminDelete: {
				const { id, state } = decodeAdminEntryRef(value);
				const record = await this.entry(read, id, logger);
				return adminView(
					state,
					record ? { confirmDelete: record } : { notice: t('error_feedback_gone') },
				);
			}
			case FeedbackAction.AdminDeleteConfirm:
				return adminView(decodeAdminEntryRef(value).state, { notice: await this.delete(action) });
			default:
				return undefined;
		}
	}

	/**
	 * Saves a status form: appends its change (newest wins, so two admins never lose one) and
	 * notes that a named author has something to hear; the notice job tells them. The change takes
	 * the form's id, so a form submitted again, here or on another instance, finds its change and
	 * stores nothing more (copies stored by a race collapse on every read). A save of the status
	 * and note the entry already has stores nothing and tells no one.
	 */
	public async changeStatus(
		read: IRead,
		persistence: IPersistence,
		admin: IUser,
		form: IStatusFormRef,
		status: FeedbackStatus,
		note: string,
		logger: ILogger,
	): Promise<StatusSave> {
		const { feedbackId } = form;
		const stores = storesFor(read.getPersistenceReader(), logger);
		// The change records what was read before it, so the statistics need not read it again.
		const readAt = this.now();
		const [record, earlier] = await Promise.all([
			stores.feedback.find(feedbackId),
			stores.statuses.changesOf(feedbackId),
		]);
		if (!record) {
			return { kind: 'gone' };
		}
		let change = form.formId ? earlier.find((stored) => stored.id === form.formId) : undefined;
		if (!change) {
			if (isNoOpSave(newestChange(earlier), FeedbackStatus.New, status, note)) {
				return { kind: 'unchanged', feedbackId, status };
			}
			change = {
				id: form.formId ?? newId(),
				feedbackId,
				feedbackCreatedAt: record.createdAt,
				status,
				note,
				adminId: admin.id,
				at: this.now().toISOString(),
				previous: previousChange(earlier, readAt),
			};
			await stores.statuses.append(persistence, change);
		}
		// Also on a repeated submit: the first may have failed before this; copies collapse.
		if (!record.anonymous && record.author !== null) {
			await stores.statusNotices.add(persistence, {
				authorId: record.author.id,
				feedbackId,
				changeId: change.id,
				changeAt: change.at,
			});
			return {
				kind: 'saved',
				change,
				reach: await authorReach(read, stores.statusNotices, record.author.id),
			};
		}
		return { kind: 'saved', change };
	}

	/** What the admin is told of how the author hears of a saved change. */
	private reachNotice(reach: AuthorReach | undefined, t: Translator): string {
		switch (reach?.kind) {
			case 'encrypted':
				return t('status_not_told_encrypted');
			case 'refused':
				return t('status_not_told_refused', { reason: quoteUserText(reach.detail) });
			default:
				return t('status_told_soon', { minutes: NOTICE_PROMISED_MINUTES });
		}
	}

	/** A line for the admin saying what a save did. */
	public savedNotice(saved: StatusSave, t: Translator): string {
		switch (saved.kind) {
			case 'saved':
				return [
					t('status_saved', {
						id: shortIdOf(saved.change.feedbackId),
						status: statusText(saved.change.status, t),
					}),
					this.reachNotice(saved.reach, t),
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

	private async delete(action: IViewAction): Promise<string> {
		const { value, read, persistence, t, logger } = action;
		const record = await this.entry(read, decodeAdminEntryRef(value).id, logger);
		if (!record) {
			return t('error_feedback_gone');
		}
		try {
			await storesFor(read.getPersistenceReader(), logger).feedback.remove(persistence, record);
			return t('delete_done', { id: shortIdOf(record.id) });
		} catch (error) {
			logger.error('deleting feedback from the admin view failed', error);
			return t('delete_failed', { id: shortIdOf(record.id) });
		}
	}

	private async entry(
		read: IRead,
		value: unknown,
		logger: ILogger,
	): Promise<IFeedbackRecord | undefined> {
		const id = decodeFeedbackId(value);
		return id ? storesFor(read.getPersistenceReader(), logger).feedback.find(id) : undefined;
	}
}
