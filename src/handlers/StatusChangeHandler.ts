import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';

import type { AdminViewHandler } from './AdminViewHandler';
import { authorReach } from './authorReach';
import { closeModalResponse } from './closeModal';
import type { IMemberRequest, IViewSubmitRequest } from './requestContext';
import { FIRST_ADMIN_PAGE } from '../domain/actions';
import { newId } from '../domain/ids';
import {
	FeedbackStatus,
	type IStatusChange,
	isStatus,
	newestChange,
	previousChange,
	statusAfter,
} from '../domain/status';
import {
	checkStatusForm,
	earlierStatusFormOf,
	noteOf,
	StatusField,
	statusFormOfView,
	statusFormsInState,
	statusFormToSave,
} from '../domain/statusForm';
import type { IStatusFormRef, StatusSave } from '../domain/statusForm';
import { isNoOpSave } from '../domain/statusNotice';
import { isMoveToDone } from '../domain/weDid';
import { readWeDidPosts } from '../settings/settings';
import { statusSavedText } from '../ui/statusModal';

/**
 * An admin changes a status: the admin modal's submit (Save of its status form, Refresh of its
 * list) and the status forms earlier versions opened in modals of their own. Each is checked
 * again for the role, the form's fields by src/domain/statusForm.ts; a change is appended to the
 * status log, a named author's notice is noted for StatusNoticeJob to send and, when the setting
 * asks for it, a move to Done is noted for WeDidJob to post in the announcement room.
 */
export class StatusChangeHandler {
	constructor(
		private readonly adminView: AdminViewHandler,
		private readonly now: () => Date,
	) {}

	/**
	 * A submit of the admin modal, answered with the list (with what the save did) in the same
	 * modal, which keeps it open on both clients, or with errors on the form's fields.
	 */
	public async submitAdminView(request: IViewSubmitRequest): Promise<IUIKitResponse> {
		const { view, user, responder, logger } = request;
		const t = await request.translator();
		if (!(await request.isAdmin())) {
			logger.warn(`refused a status form of ${user.username}`);
			return responder.updateModalViewResponse(this.adminView.noticeView(t('admin_refused'), t));
		}
		try {
			const answer = await this.saveFromAdminView(request);
			if ('errors' in answer) {
				return responder.viewErrorResponse({ viewId: view.id, errors: answer.errors });
			}
			const extras = answer.notice ? { notice: answer.notice } : {};
			return responder.updateModalViewResponse(
				await this.adminView.view(request, FIRST_ADMIN_PAGE, extras),
			);
		} catch (error) {
			logger.error('the admin view submit failed', error);
			return responder.updateModalViewResponse(
				this.adminView.noticeView(t('error_action_failed'), t),
			);
		}
	}

	/**
	 * Saves a status form an earlier version opened in a modal of its own (its view id names the
	 * feedback and the form), then closes it; checked again for the role, the status and the note.
	 */
	public async submitEarlierForm(request: IViewSubmitRequest): Promise<IUIKitResponse> {
		const { view, user, responder, logger } = request;
		const form = statusFormOfView(view.id);
		const t = await request.translator();
		const fail = (field: StatusField, text: string) =>
			responder.viewErrorResponse({ viewId: view.id, errors: { [field]: text } });
		if (!form || !(await request.isAdmin())) {
			logger.warn(`refused a status form of ${user.username}`);
			return fail(StatusField.Status, t('admin_refused'));
		}
		const checked = checkStatusForm(earlierStatusFormOf(view.state));
		if ('error' in checked) {
			return fail(checked.field, t(checked.error.key, checked.error.params));
		}
		try {
			const saved = await this.changeStatus(request, form, checked.status, checked.note);
			if (saved.kind === 'gone') {
				return fail(StatusField.Status, t('error_feedback_gone'));
			}
			return closeModalResponse(request);
		} catch (error) {
			logger.error(`changing the status of feedback ${form.feedbackId} failed`, error);
			return fail(StatusField.Status, t('error_action_failed'));
		}
	}

	/** Saves the form of the admin modal that asks for it (domain statusFormToSave), if any. */
	private async saveFromAdminView(
		request: IViewSubmitRequest,
	): Promise<{ readonly errors: Record<string, string> } | { readonly notice?: string }> {
		const t = await request.translator();
		const { statuses } = request.stores;
		const forms = await Promise.all(
			statusFormsInState(request.view.state).map(async (form) => {
				const changes = await statuses.changesOf(form.feedbackId);
				const saved = changes.find((change) => change.id === form.formId);
				return { form, changes, ...(saved ? { saved } : {}) };
			}),
		);
		const choice = statusFormToSave(forms);
		switch (choice.kind) {
			case 'unclear':
				return { notice: t('status_form_unclear') };
			case 'none':
				return {};
			case 'as-shown': {
				const { feedbackId, shown } = choice.entry.form;
				return { notice: statusSavedText({ kind: 'unchanged', feedbackId, status: shown }, t) };
			}
			case 'again': {
				// Its first submit may have stopped before the author's notice was noted: copies collapse.
				const { status, note } = choice.saved;
				const again = await this.changeStatus(request, choice.entry.form, status, note);
				return again.kind === 'gone' ? {} : { notice: statusSavedText(again, t) };
			}
			case 'save': {
				const { form, changes } = choice.entry;
				const note = noteOf(form.note);
				// A status left untouched is checked as the one shown, and keeps the entry's status.
				const checked = checkStatusForm({ status: form.status ?? form.shown, note });
				if ('error' in checked) {
					const { statusActionId, noteActionId } = form.fields;
					const actionId = checked.field === StatusField.Status ? statusActionId : noteActionId;
					return { errors: { [actionId]: t(checked.error.key, checked.error.params) } };
				}
				const status = isStatus(form.status) ? form.status : statusAfter(changes);
				const saved = await this.changeStatus(request, form, status, note);
				return saved.kind === 'gone'
					? { errors: { [form.fields.statusActionId]: t('error_feedback_gone') } }
					: { notice: statusSavedText(saved, t) };
			}
		}
	}

	/**
	 * Saves a status form: appends its change (newest wins, so two admins never lose one) and
	 * notes that a named author has something to hear; the notice job tells them. The change takes
	 * the form's id, so a form submitted again, here or on another instance, finds its change and
	 * stores nothing more (copies stored by a race collapse on every read). A save of the status
	 * and note the entry already has stores nothing and tells no one. A merge saves its
	 * `duplicate` status here too (src/handlers/MergeHandler.ts). A change to Done notes its
	 * "You said, we did" post when that is turned on; the job decides whether it was a move to Done.
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
		const weDidQueued = await this.noteWeDid(request, change, earlier);
		const extras = weDidQueued ? { weDidQueued } : {};
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
				reach: await authorReach(request, record.author.id, feedbackId),
				...extras,
			};
		}
		return { kind: 'saved', change, ...extras };
	}

	/**
	 * Notes a change to Done for its "You said, we did" post when the setting is on (the job
	 * drops it when the setting is off or the room missing by then); copies collapse. Resolves
	 * with whether the admin may be told it is queued: a move to Done as read here, with a room set.
	 */
	private async noteWeDid(
		request: IMemberRequest,
		change: IStatusChange,
		earlier: ReadonlyArray<IStatusChange>,
	): Promise<boolean> {
		if (change.status !== FeedbackStatus.Done) {
			return false;
		}
		const [on, settings] = await Promise.all([readWeDidPosts(request.read), request.settings()]);
		if (!on) {
			return false;
		}
		await request.stores.weDid.add(request.persistence, {
			changeId: change.id,
			feedbackId: change.feedbackId,
			notedAt: this.now().toISOString(),
		});
		const changes = earlier.some((stored) => stored.id === change.id)
			? earlier
			: [...earlier, change];
		return settings.announceRoom !== '' && isMoveToDone(change.id, changes);
	}
}
