import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';

import type { AdminViewHandler } from './AdminViewHandler';
import type { MemberListHandler } from './MemberListHandler';
import { closeModalResponse } from './closeModal';
import type { IBlockActionRequest, IViewSubmitRequest } from './requestContext';
import { ADMIN_ACTIONS, ADMIN_VIEW_ID, statusFormOfView } from '../domain/actions';
import { isStatus, MAX_NOTE_LENGTH } from '../domain/status';
import { characterCount, hasVisibleCharacter } from '../domain/text';
import { StatusField } from '../ui/statusModal';

function fieldValue(state: unknown, field: StatusField): unknown {
	const block = (state as Record<string, unknown> | undefined)?.[field];
	return typeof block === 'object' && block !== null
		? (block as Record<string, unknown>)[field]
		: undefined;
}

/** Buttons and selects of the app's views, and the status form's submit. */
export class InteractionHandler {
	constructor(
		private readonly memberList: MemberListHandler,
		private readonly admin: AdminViewHandler,
	) {}

	/** Answers a block action; an admin action is checked for the role again, whoever sent it. */
	public async blockAction(request: IBlockActionRequest): Promise<IUIKitResponse> {
		const { actionId, user, responder, logger } = request;
		try {
			if (ADMIN_ACTIONS.has(actionId)) {
				if (!(await request.isAdmin())) {
					// A block action can be forged by anyone who knows its ids: nothing happens.
					logger.warn(`refused admin action ${actionId} of ${user.username}`);
					return responder.successResponse();
				}
				const answer = await this.admin.act(request);
				if (answer?.kind === 'admin-view-opened') {
					return responder.openModalViewResponse(answer.view);
				}
				// The admin modal's states switch by update: both clients keep it open.
				return answer
					? responder.updateModalViewResponse(answer.view)
					: responder.successResponse();
			}
			const view = await this.memberList.act(request);
			return view ? responder.updateModalViewResponse(view) : responder.successResponse();
		} catch (error) {
			logger.error(`the ${actionId} action failed`, error);
			return responder.errorResponse();
		}
	}

	/** Whether a submitted view is the admin modal or a status form (else it is the feedback form's). */
	public isAdminView(viewId: string): boolean {
		return viewId === ADMIN_VIEW_ID || statusFormOfView(viewId) !== undefined;
	}

	/**
	 * A submit of the admin modal (Save of its status form, Refresh of its list), answered with
	 * the modal updated, which keeps it open on both clients; checked again for the role.
	 */
	public async submitAdmin(request: IViewSubmitRequest): Promise<IUIKitResponse> {
		const { view, user, responder, logger } = request;
		if (view.id !== ADMIN_VIEW_ID) {
			return this.submitEarlierStatusForm(request);
		}
		const t = await request.translator();
		if (!(await request.isAdmin())) {
			logger.warn(`refused a status form of ${user.username}`);
			return responder.updateModalViewResponse(this.admin.noticeView(t('admin_refused'), t));
		}
		try {
			const answer = await this.admin.submit(request, view.state);
			return answer.kind === 'errors'
				? responder.viewErrorResponse({ viewId: view.id, errors: answer.errors })
				: responder.updateModalViewResponse(answer.view);
		} catch (error) {
			logger.error('the admin view submit failed', error);
			return responder.updateModalViewResponse(this.admin.noticeView(t('error_action_failed'), t));
		}
	}

	/**
	 * Saves a status form an earlier version opened in a modal of its own (its view id names the
	 * feedback and the form): checked again for the role, the status and the note's length.
	 */
	private async submitEarlierStatusForm(request: IViewSubmitRequest): Promise<IUIKitResponse> {
		const { view, user, responder, logger } = request;
		const form = statusFormOfView(view.id);
		const t = await request.translator();
		const fail = (field: StatusField, text: string) =>
			responder.viewErrorResponse({ viewId: view.id, errors: { [field]: text } });
		if (!form || !(await request.isAdmin())) {
			logger.warn(`refused a status form of ${user.username}`);
			return fail(StatusField.Status, t('admin_refused'));
		}
		const status = fieldValue(view.state, StatusField.Status);
		if (!isStatus(status)) {
			return fail(StatusField.Status, t('error_status_invalid'));
		}
		const typed = fieldValue(view.state, StatusField.Note);
		const note = typeof typed === 'string' && hasVisibleCharacter(typed) ? typed.trim() : '';
		if (characterCount(note) > MAX_NOTE_LENGTH) {
			return fail(
				StatusField.Note,
				t('error_note_too_long', { length: characterCount(note), max: MAX_NOTE_LENGTH }),
			);
		}
		try {
			const saved = await this.admin.changeStatus(request, form, status, note);
			if (saved.kind === 'gone') {
				return fail(StatusField.Status, t('error_feedback_gone'));
			}
			return closeModalResponse(request);
		} catch (error) {
			logger.error(`changing the status of feedback ${form.feedbackId} failed`, error);
			return fail(StatusField.Status, t('error_action_failed'));
		}
	}
}
