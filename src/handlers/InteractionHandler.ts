import type { ILogger, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type {
	IUIKitResponse,
	UIKitBlockInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';

import type { AdminViewHandler } from './AdminViewHandler';
import type { MemberListHandler } from './MemberListHandler';
import { closeModalResponse } from './closeModal';
import { languageForMember } from './language';
import { ADMIN_ACTIONS, ADMIN_VIEW_ID, statusFormOfView } from '../domain/actions';
import { isFeedbackAdmin } from '../domain/settings';
import { isStatus, MAX_NOTE_LENGTH } from '../domain/status';
import { characterCount, hasVisibleCharacter } from '../domain/text';
import { translatorFor } from '../i18n/translate';
import { readSettings } from '../settings/settings';
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
	public async blockAction(
		context: UIKitBlockInteractionContext,
		read: IRead,
		persistence: IPersistence,
		logger: ILogger,
	): Promise<IUIKitResponse> {
		const { actionId, value, user } = context.getInteractionData();
		const responder = context.getInteractionResponder();
		const t = translatorFor(await languageForMember(read, user, logger));
		try {
			if (ADMIN_ACTIONS.has(actionId)) {
				if (!isFeedbackAdmin(user.roles, await readSettings(read))) {
					// A block action can be forged by anyone who knows its ids: nothing happens.
					logger.warn(`refused admin action ${actionId} of ${user.username}`);
					return responder.successResponse();
				}
				const answer = await this.admin.act({
					actionId,
					value,
					user,
					read,
					persistence,
					t,
					logger,
				});
				if (answer?.kind === 'admin-view-opened') {
					return responder.openModalViewResponse(answer.view);
				}
				// The admin modal's states switch by update: both clients keep it open.
				return answer
					? responder.updateModalViewResponse(answer.view)
					: responder.successResponse();
			}
			const view = await this.memberList.act({
				actionId,
				value,
				user,
				read,
				persistence,
				t,
				logger,
			});
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
	public async submitAdmin(
		context: UIKitViewSubmitInteractionContext,
		read: IRead,
		persistence: IPersistence,
		logger: ILogger,
	): Promise<IUIKitResponse> {
		const { view, user } = context.getInteractionData();
		if (view.id !== ADMIN_VIEW_ID) {
			return this.submitEarlierStatusForm(context, read, persistence, logger);
		}
		const responder = context.getInteractionResponder();
		const t = translatorFor(await languageForMember(read, user, logger));
		if (!isFeedbackAdmin(user.roles, await readSettings(read))) {
			logger.warn(`refused a status form of ${user.username}`);
			return responder.updateModalViewResponse(this.admin.noticeView(t('admin_refused'), t));
		}
		try {
			const answer = await this.admin.submit(read, persistence, user, view.state, t, logger);
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
	private async submitEarlierStatusForm(
		context: UIKitViewSubmitInteractionContext,
		read: IRead,
		persistence: IPersistence,
		logger: ILogger,
	): Promise<IUIKitResponse> {
		const { view, user } = context.getInteractionData();
		const responder = context.getInteractionResponder();
		const form = statusFormOfView(view.id);
		const t = translatorFor(await languageForMember(read, user, logger));
		const fail = (field: StatusField, text: string) =>
			responder.viewErrorResponse({ viewId: view.id, errors: { [field]: text } });
		if (!form || !isFeedbackAdmin(user.roles, await readSettings(read))) {
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
			const saved = await this.admin.changeStatus(
				read,
				persistence,
				user,
				form,
				status,
				note,
				logger,
			);
			if (saved.kind === 'gone') {
				return fail(StatusField.Status, t('error_feedback_gone'));
			}
			return closeModalResponse(context);
		} catch (error) {
			logger.error(`changing the status of feedback ${form.feedbackId} failed`, error);
			return fail(StatusField.Status, t('error_action_failed'));
		}
	}
}
