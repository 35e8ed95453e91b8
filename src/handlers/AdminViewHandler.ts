import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';

import type { IBlockActionRequest, IMemberRequest } from './requestContext';
import {
	decodeAdminEntryRef,
	decodeAdminState,
	decodeFeedbackId,
	FeedbackAction,
	FIRST_ADMIN_PAGE,
} from '../domain/actions';
import type { IAdminViewState } from '../domain/actions';
import { foldProgressOf } from '../domain/days';
import { newId } from '../domain/ids';
import { PAGE_SIZE } from '../domain/paging';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import type { IFeedbackSettings } from '../domain/settings';
import { computeStats } from '../domain/stats';
import { statusAfter } from '../domain/status';
import type { Translator } from '../i18n/translate';
import { settleWithin } from '../lib/settleWithin';
import type { ShardedCounter } from '../persistence/ShardedCounter';
import { adminPage } from '../persistence/adminPage';
import { countedOnce } from '../persistence/countedOnce';
import { adminModal, buildAdminView } from '../ui/adminView';
import { context } from '../ui/blocks';
import { preparingText, statsLines } from '../ui/messages';
import { buildStatusForm } from '../ui/statusModal';
import { formatTriageStats, plainLine } from '../ui/triageText';

/**
 * How long the admin view waits for its statistics and page before it opens without them: the
 * web client drops a view that comes 5 s after the click (ActionManager TRIGGER_TIMEOUT), and the
 * view must open however large the store is.
 */
export const ADMIN_VIEW_BUDGET_MS = 2500;

/** What an admin action answers: the admin modal in another state, or opened anew. */
export type AdminAnswer =
	| { readonly kind: 'admin-view'; readonly view: IUIKitSurfaceViewParam }
	/** Opened from a message (the stats button): no modal is there to update. */
	| { readonly kind: 'admin-view-opened'; readonly view: IUIKitSurfaceViewParam };

/**
 * The admin view: one modal of statistics, filters and a page of everyone's feedback, and its
 * buttons (pages, filters, delete with a confirmation, a status form to open). Its submit saves a
 * status form: src/handlers/StatusChangeHandler.ts.
 */
export class AdminViewHandler {
	constructor(
		private readonly appId: string,
		private readonly messageCounter: ShardedCounter,
		private readonly now: () => Date,
		private readonly budgetMs = ADMIN_VIEW_BUDGET_MS,
	) {}

	/**
	 * The admin view: statistics, filters and a page of entries, if they are read within the
	 * budget; else the view at once, saying they are coming, while the reading goes on (the
	 * statistics it folds are stored, so the next Refresh finds them ready).
	 */
	public async view(
		request: IMemberRequest,
		state: IAdminViewState,
		extras: { notice?: string; confirmDelete?: IFeedbackRecord } = {},
	): Promise<IUIKitSurfaceViewParam> {
		const [t, settings] = await Promise.all([request.translator(), request.settings()]);
		const full = this.fullView(request, state, t, settings, extras);
		if (await settleWithin(full, this.budgetMs)) {
			return full;
		}
		full.catch((error: unknown) =>
			request.logger.error('reading the admin view in the background failed', error),
		);
		return buildAdminView({
			appId: this.appId,
			state,
			entries: [],
			hasNextPage: false,
			statistics: [t('admin_stats_pending')],
			categories: settings.categories,
			t,
			pending: true,
			...(extras.notice ? { notice: extras.notice } : {}),
		});
	}

	/** The admin modal with one line only, when nothing else could be read. */
	public noticeView(notice: string, t: Translator): IUIKitSurfaceViewParam {
		return adminModal(this.appId, t, [context(notice)], t('button_refresh'));
	}

	private async fullView(
		request: IMemberRequest,
		state: IAdminViewState,
		t: Translator,
		settings: IFeedbackSettings,
		extras: { notice?: string; confirmDelete?: IFeedbackRecord },
	): Promise<IUIKitSurfaceViewParam> {
		const { stores, persistence } = request;
		const now = this.now();
		const [counts, triage, messages, page] = await Promise.all([
			stores.totals.counts(persistence, now).then((raw) => countedOnce(stores, raw)),
			stores.statusTotals.refresh(persistence, now),
			this.messageCounter.total(request.read.getPersistenceReader()),
			adminPage(stores, state, PAGE_SIZE, now),
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
	public async act(request: IBlockActionRequest): Promise<AdminAnswer | undefined> {
		const { actionId, value } = request;
		const t = await request.translator();
		const adminView = async (state: IAdminViewState, extras = {}) => ({
			kind: 'admin-view' as const,
			view: await this.view(request, state, extras),
		});
		switch (actionId as FeedbackAction) {
			case FeedbackAction.AdminOpen:
				return { ...(await adminView(FIRST_ADMIN_PAGE)), kind: 'admin-view-opened' };
			case FeedbackAction.AdminPage:
			case FeedbackAction.AdminFilterCategory:
			case FeedbackAction.AdminFilterStatus:
			case FeedbackAction.AdminSort:
			case FeedbackAction.AdminDeleteCancel:
				return adminView(decodeAdminState(value));
			case FeedbackAction.AdminChangeStatus: {
				const record = await this.entry(request, value);
				if (!record) {
					return adminView(FIRST_ADMIN_PAGE, { notice: t('error_feedback_gone') });
				}
				const changes = await request.stores.statuses.changesOf(record.id);
				return {
					kind: 'admin-view',
					view: buildStatusForm(this.appId, record, statusAfter(changes), newId(), t),
				};
			}
			case FeedbackAction.AdminDelete: {
				const { id, state } = decodeAdminEntryRef(value);
				const record = await this.entry(request, id);
				return adminView(
					state,
					record ? { confirmDelete: record } : { notice: t('error_feedback_gone') },
				);
			}
			case FeedbackAction.AdminDeleteConfirm:
				return adminView(decodeAdminEntryRef(value).state, { notice: await this.delete(request) });
			default:
				return undefined;
		}
	}

	private async delete(request: IBlockActionRequest): Promise<string> {
		const { value, persistence, logger } = request;
		const t = await request.translator();
		const record = await this.entry(request, decodeAdminEntryRef(value).id);
		if (!record) {
			return t('error_feedback_gone');
		}
		try {
			await request.stores.feedback.remove(persistence, record, this.now());
			return t('delete_done', { id: shortIdOf(record.id) });
		} catch (error) {
			logger.error('deleting feedback from the admin view failed', error);
			return t('delete_failed', { id: shortIdOf(record.id) });
		}
	}

	private async entry(
		request: IMemberRequest,
		value: unknown,
	): Promise<IFeedbackRecord | undefined> {
		const id = decodeFeedbackId(value);
		return id ? request.stores.feedback.find(id) : undefined;
	}
}
