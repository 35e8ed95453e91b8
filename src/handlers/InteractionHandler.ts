import type {
	ILogger,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type {
	IUIKitResponse,
	UIKitBlockInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';

import type { AdminViewHandler, StatusSave } from './AdminViewHandler';
import type { MemberListHandler } from './MemberListHandler';
import { languageForMember } from './language';
import { ADMIN_ACTIONS, FIRST_ADMIN_PAGE, statusFormOfView } from '../domain/actions';
import { isFeedbackAdmin } from '../domain/settings';
import { isStatus, MAX_NOTE_LENGTH } from '../domain/status';
import { characterCount, hasVisibleCharacter } from '../domain/text';
import { translatorFor } from '../i18n/translate';
import type { Translator } from '../i18n/translate';
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
				if (answer?.kind === 'status-form') {
					return responder.openModalViewResponse(answer.view);
				}
				if (answer?.kind === 'admin-view-opened') {
					return responder.openContextualBarViewResponse(answer.view);
				}
				return answer
					? responder.updateContextualBarViewResponse(answer.view)
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

	/**
	 * Shows the new status in the admin view behind the form: the client applies a view pushed
	 * with the submit's trigger id, then closes the form on the success answer (ActionManager).
	 */
	private async refreshAdminView(
		read: IRead,
		persistence: IPersistence,
		modify: IModify,
		context: UIKitViewSubmitInteractionContext,
		t: Translator,
		logger: ILogger,
		saved: StatusSave,
	): Promise<void> {
		const { user, triggerId } = context.getInteractionData();
		try {
			const notice = this.admin.savedNotice(saved, t);
			const view = await this.admin.view(read, persistence, FIRST_ADMIN_PAGE, t, logger, {
				notice,
			});
			await modify.getUiController().updateSurfaceView(view, { triggerId }, user);
		} catch (error) {
			logger.warn('refreshing the admin view after a status change failed', error);
		}
	}

	/** Whether a submitted view is the status form (else it is the feedback form's). */
	public isStatusForm(viewId: string): boolean {
		return statusFormOfView(viewId) !== undefined;
	}

	/** Saves the status form: checked again for the role, the status and the note's length. */
	public async submitStatus(
		context: UIKitViewSubmitInteractionContext,
		read: IRead,
		persistence: IPersistence,
		modify: IModify,
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
			await this.refreshAdminView(read, persistence, modify, context, t, logger, saved);
			return responder.successResponse();
		} catch (error) {
			logger.error(`changing the status of feedback ${form.feedbackId} failed`, error);
			return fail(StatusField.Status, t('error_action_failed'));
		}
	}
}
