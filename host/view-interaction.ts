import {
	type IUIKitInteraction,
	type UIKitIncomingInteraction,
	UIKitIncomingInteractionType,
} from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitIncomingInteractionContainerType } from '@rocket.chat/apps-engine/definition/uikit/UIKitIncomingInteractionContainer';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { IOpenView, SessionState } from './session-state';
import type { IInteractionOutcome } from './uikit-client';
import { toErrorMap, type ViewState } from './view-fields';

// A member's submit or close of the view they have open, as Rocket.Chat's web client sends it
// (apps/meteor/client/lib/ActionManager.ts emitInteraction) and the server hands it to the app
// (apps/meteor/ee/server/apps/communication/uikit.ts): one payload per action, one answer rule.

/** What the member does with the open view. */
export type ViewAction = { kind: 'submit'; state: ViewState } | { kind: 'close' };

/** Runs the app's UIKit interaction handler (the engine's listener) and resolves with its answer. */
export type InteractionExecutor = (interaction: UIKitIncomingInteraction) => Promise<unknown>;

/** Answers after which the client keeps the view (ActionManager.emitInteraction's `finally`). */
const KEEPS_VIEW: Readonly<Record<ViewAction['kind'], readonly string[]>> = {
	submit: ['errors', 'modal.update', 'contextual_bar.update'],
	close: ['errors'],
};

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The payload the server hands the app for a member's action on a view. */
function incomingInteraction(
	user: IUser,
	open: IOpenView,
	action: ViewAction,
	triggerId: string,
): UIKitIncomingInteraction {
	const container = { type: UIKitIncomingInteractionContainerType.VIEW, id: open.viewId };
	if (action.kind === 'close') {
		// The server passes view-closed on without the triggerId (ee/server/apps/communication/uikit.ts).
		return {
			type: UIKitIncomingInteractionType.VIEW_CLOSED,
			container,
			appId: open.appId,
			user,
			payload: { view: { ...open.view, id: open.viewId }, isCleared: false },
		};
	}
	const submitButton = open.view.submit;
	return {
		type: UIKitIncomingInteractionType.VIEW_SUBMIT,
		container,
		appId: open.appId,
		actionId:
			isRecord(submitButton) && typeof submitButton.actionId === 'string'
				? submitButton.actionId
				: undefined,
		triggerId,
		user,
		payload: { view: { ...open.view, id: open.viewId, state: action.state } },
	};
}

/**
 * Handles the answer to a submit or close as ActionManager.emitInteraction does: a typed
 * answer (errors, a view) goes through the trigger check; the view is then disposed unless
 * the answer is one the client keeps it for (or none came).
 */
function handleAnswer(
	session: SessionState,
	username: string,
	open: IOpenView,
	action: ViewAction,
	answer: unknown,
): void {
	const type = isRecord(answer) && typeof answer.type === 'string' ? answer.type : undefined;
	if (type !== undefined) {
		session.receive(username, answer as IUIKitInteraction);
	}
	if (answer && !(type !== undefined && KEEPS_VIEW[action.kind].includes(type))) {
		session.closeView(username, open.viewId);
	}
}

/**
 * Sends a member's action on an open view as the client does: a fresh triggerId, the client's
 * deadline (the view closes with a toast when the answer is late), then the answer applied.
 * The triggerId is issued before anything is awaited, so a test's clock.advance() right after
 * the call counts.
 */
export function interact(
	session: SessionState,
	execute: InteractionExecutor,
	username: string,
	user: IUser,
	open: IOpenView,
	action: ViewAction,
): Promise<IInteractionOutcome<unknown>> {
	return session.client.emitInteraction(
		username,
		{
			appId: open.appId,
			viewId: open.viewId,
			onTimeout: () => session.closeView(username, open.viewId),
		},
		(triggerId) => execute(incomingInteraction(user, open, action, triggerId)),
		(answer) => handleAnswer(session, username, open, action, answer),
	);
}

/** Whether the app took a submit (no inline errors, no `success: false`), and its errors by action id. */
export function submitVerdict(answer: unknown): {
	accepted: boolean;
	errors: Record<string, string>;
} {
	const errors =
		isRecord(answer) && answer.type === 'errors' && isRecord(answer.errors)
			? toErrorMap(answer.errors)
			: {};
	const accepted = !(isRecord(answer) && (answer.success === false || answer.type === 'errors'));
	return { accepted, errors };
}
