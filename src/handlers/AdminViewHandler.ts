import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';

import { authorReach } from './authorReach';
import type { AuthorReach } from './authorReach';
import type { IBlockActionRequest, IMemberRequest } from './requestContext';
import {
	decodeAdminEntryRef,
	decodeAdminState,
	decodeFeedbackId,
	FeedbackAction,
	FIRST_ADMIN_PAGE,
	statusFormsInState,
} from '../domain/actions';
import type { IAdminViewState, IStatusFormRef, ISubmittedStatusForm } from '../domain/actions';
import { foldProgressOf } from '../domain/days';
import { newId } from '../domain/ids';
import { PAGE_SIZE } from '../domain/paging';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import type { IFeedbackSettings } from '../domain/settings';
import { computeStats } from '../domain/stats';
import {
	FeedbackStatus,
	isStatus,
	MAX_NOTE_LENGTH,
	newestChange,
	previousChange,
	statusAfter,
} from '../domain/status';
import type { IStatusChange } from '../domain/status';
import { isNoOpSave, NOTICE_PROMISED_MINUTES } from '../domain/statusNotice';
import { characterCount, hasVisibleCharacter } from '../domain/text';
import type { Translator } from '../i18n/translate';
import { settleWithin } from '../lib/settleWithin';
import type { ShardedCounter } from '../persistence/ShardedCounter';
import { adminPage } from '../persistence/adminPage';
import { adminModal, buildAdminView } from '../ui/adminView';
import { context } from '../ui/blocks';
import { preparingText, quoteUserText, statsLines } from '../ui/messages';
import { buildStatusForm } from '../ui/statusModal';
import { formatTriageStats, plainLine, statusText } from '../ui/triageText';

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

/** What a submit of the admin modal answers: the list (after a save or a refresh), or errors. */
export type AdminSubmitAnswer =
	| { readonly kind: 'admin-view'; readonly view: IUIKitSurfaceViewParam }
	| { readonly kind: 'errors'; readonly errors: Record<string, string> };

/** What saving a status form did. */
export type StatusSave =
	/** `reach`: how a named author hears of it (none for anonymous feedback). */
	| { readonly kind: 'saved'; readonly change: IStatusChange; readonly reach?: AuthorReach }
	/** The entry already had this status and note: nothing stored, no one told. */
	| { readonly kind: 'unchanged'; readonly feedbackId: string; readonly status: FeedbackStatus }
	| { readonly kind: 'gone' };

/** The admin view (one modal), and the status changes made from it. */
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
			stores.totals.counts(persistence, now),
			stores.statusTotals.refresh(persistence, now),
			this.messageCounter.total(request.read.getPersistenceReader()),
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

	/**
	 * A submit of the admin modal: "Save" of its status form, or "Refresh" of its list. The view
	 * id is the same in every state and the client sends every value given since the modal
	 * opened (earlier forms' too), so the forms are told apart by their fields: a form that asks
	 * for something (a status other than the one it showed, or a note) and whose change is not
	 * stored is the one being saved; with none, a form already saved is saved again (it finds its
	 * change: a repeated submit stores nothing) and the list comes back.
	 */
	public async submit(request: IMemberRequest, state: unknown): Promise<AdminSubmitAnswer> {
		const { stores } = request;
		const t = await request.translator();
		const forms = await Promise.all(
			statusFormsInState(state).map(async (form) => {
				const changes = await stores.statuses.changesOf(form.feedbackId);
				const saved = changes.find((change) => change.id === form.formId);
				return { form, changes, saved };
			}),
		);
		const asking = forms.filter(({ form, saved }) => !saved && asksForChange(form));
		const list = async (notice?: string): Promise<AdminSubmitAnswer> => ({
			kind: 'admin-view',
			view: await this.view(request, FIRST_ADMIN_PAGE, notice ? { notice } : {}),
		});
		if (asking.length > 1) {
			return list(t('status_form_unclear'));
		}
		const [wanted] = asking;
		if (wanted) {
			const { form, changes } = wanted;
			const error = formError(form, t);
			if (error) {
				return { kind: 'errors', errors: error };
			}
			const status = isStatus(form.status) ? form.status : statusAfter(changes);
			const saved = await this.changeStatus(request, form, status, noteOf(form));
			return saved.kind === 'gone'
				? { kind: 'errors', errors: { [form.fields.statusActionId]: t('error_feedback_gone') } }
				: list(this.savedNotice(saved, t));
		}
		const latest = forms
			.filter((entry) => entry.saved !== undefined)
			.sort((a, b) => ((a.saved?.at ?? '') < (b.saved?.at ?? '') ? 1 : -1))[0];
		if (!latest?.saved) {
			// A form saved as it was shown: nothing to store (and nothing it could revert later).
			const [idle, ...more] = forms;
			return idle && more.length === 0
				? list(
						this.savedNotice(
							{ kind: 'unchanged', feedbackId: idle.form.feedbackId, status: idle.form.shown },
							t,
						),
					)
				: list();
		}
		// Its first submit may have stopped before the author's notice was noted: copies collapse.
		const again = await this.changeStatus(
			request,
			latest.form,
			latest.saved.status,
			latest.saved.note,
		);
		return list(again.kind === 'gone' ? undefined : this.savedNotice(again, t));
	}

	/**
	 * Saves a status form: appends its change (newest wins, so two admins never lose one) and
	 * notes that a named author has something to hear; the notice job tells them. The change takes
	 * the form's id, so a form submitted again, here or on another instance, finds its change and
	 * stores nothing more (copies stored by a race collapse on every read). A save of the status
	 * and note the entry already has stores nothing and tells no one.
	 */
	public async changeStatus(
		request: IMemberRequest,
		form: IStatusFormRef,
		status: FeedbackStatus,
		note: string,
	): Promise<StatusSave> {
		const { feedbackId } = form;
		const { stores, persistence, user: admin } = request;
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
				reach: await authorReach(request.read, stores.statusNotices, record.author.id),
			};
		}
		return { kind: 'saved', change };
	}

	/** What the admin is told of how the author hears of a saved change (no reach: anonymous). */
	private reachNotice(reach: AuthorReach | undefined, t: Translator): string {
		switch (reach?.kind) {
			case undefined:
				return t('status_anonymous_not_told');
			case 'encrypted':
				return t('status_not_told_encrypted');
			case 'refused':
				return t('status_not_told_refused', { reason: quoteUserText(reach.detail) });
			case 'direct':
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

	private async delete(request: IBlockActionRequest): Promise<string> {
		const { value, persistence, logger } = request;
		const t = await request.translator();
		const record = await this.entry(request, decodeAdminEntryRef(value).id);
		if (!record) {
			return t('error_feedback_gone');
		}
		try {
			await request.stores.feedback.remove(persistence, record);
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

function noteOf(form: ISubmittedStatusForm): string {
	return typeof form.note === 'string' && hasVisibleCharacter(form.note) ? form.note.trim() : '';
}

/** Whether a form asks for anything: a status other than the one it showed, or a note. */
function asksForChange(form: ISubmittedStatusForm): boolean {
	return (form.status !== undefined && form.status !== form.shown) || noteOf(form) !== '';
}

/** The inline error of a form that cannot be saved as given, by its field's action id. */
function formError(form: ISubmittedStatusForm, t: Translator): Record<string, string> | undefined {
	if (form.status !== undefined && !isStatus(form.status)) {
		return { [form.fields.statusActionId]: t('error_status_invalid') };
	}
	const note = noteOf(form);
	if (characterCount(note) > MAX_NOTE_LENGTH) {
		return {
			[form.fields.noteActionId]: t('error_note_too_long', {
				length: characterCount(note),
				max: MAX_NOTE_LENGTH,
			}),
		};
	}
	return undefined;
}
