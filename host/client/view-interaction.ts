import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import {
	type IUIKitInteraction,
	type UIKitIncomingInteraction,
	UIKitIncomingInteractionType,
} from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitIncomingInteractionContainerType } from '@rocket.chat/apps-engine/definition/uikit/UIKitIncomingInteractionContainer';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { IOpenView, SessionState } from './session-state';
import type { IInteractionOutcome } from './uikit-client';
import { stateOfKept, toErrorMap, type ViewState } from './view-fields';

// What a member's client sends the server for an app (apps/meteor/client/lib/ActionManager.ts
// `emitInteraction`), what the server hands the app (apps/meteor/ee/server/apps/communication/
// uikit.ts, AppUIKitInteractionApi.routeHandler) and how the client applies the answer
// (`handleServerInteraction`, then `emitInteraction`'s `finally`): one payload per action, one
// answer rule, one deadline.

/** A click or a change on an element of a view or a message (`blockAction`). */
export interface IBlockAction {
	/** The element's block (`element.blockId ?? block.blockId`, as fuselage-ui-kit passes it). */
	readonly blockId: string;
	readonly actionId: string;
	/**
	 * What the element holds: a button's `value`, a static select's chosen option value, a multi
	 * select's values, a text input's text (`event.target.value` in fuselage-ui-kit's useUiKitState).
	 */
	readonly value?: unknown;
}

/**
 * Where a block action happened, as the client sends it:
 * - a view (apps/meteor/client/uikit/hooks/useModalContextValue.ts and
 *   useContextualBarContextValue.ts): `container: { type: 'view', id: viewId }`; a contextual bar
 *   also sends the room it is shown in (`rid`, RocketChat/Rocket.Chat#39858), a modal none;
 * - a message (useMessageBlockContextValue.ts): `container: { type: 'message', id: mid }`,
 *   `rid` and `mid`.
 */
export interface IBlockActionSource {
	readonly appId: string;
	readonly container: { readonly type: 'view' | 'message'; readonly id: string };
	/** The room the server converts from `rid` (see LocalHost.blockAction for a missing rid). */
	readonly room?: IRoom;
	/** The message the server converts from `mid`: undefined for an ephemeral one (never stored). */
	readonly message?: IMessage;
}

/** What the member does: submit or close the view they have open, or act on an element. */
export type MemberInteraction =
	| { kind: 'submit'; open: IOpenView; state: ViewState }
	| { kind: 'close'; open: IOpenView; isCleared?: boolean }
	| { kind: 'block'; source: IBlockActionSource; action: IBlockAction };

/** Runs the app's UIKit interaction handler (the engine's listener) and resolves with its answer. */
export type InteractionExecutor = (interaction: UIKitIncomingInteraction) => Promise<unknown>;

/**
 * Answers after which the client keeps the view (ActionManager.emitInteraction's `finally`); a
 * block action disposes nothing, whatever the answer.
 */
const KEEPS_VIEW: Readonly<Record<'submit' | 'close', readonly string[]>> = {
	submit: ['errors', 'modal.update', 'contextual_bar.update'],
	close: ['errors'],
};

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The payload the server hands the app for a member's action (uikit.ts routeHandler). */
function incomingInteraction(
	user: IUser,
	interaction: MemberInteraction,
	triggerId: string,
	mobile: boolean,
): UIKitIncomingInteraction {
	if (interaction.kind === 'block') {
		const { source, action } = interaction;
		// case 'blockAction': { type, container, appId, actionId, message, triggerId, payload, user,
		// visitor, room }; the engine hands the app blockId and value out of `payload`.
		return {
			type: UIKitIncomingInteractionType.BLOCK,
			container: {
				type:
					source.container.type === 'view'
						? UIKitIncomingInteractionContainerType.VIEW
						: UIKitIncomingInteractionContainerType.MESSAGE,
				id: source.container.id,
			},
			appId: source.appId,
			actionId: action.actionId,
			triggerId,
			user,
			room: source.room,
			message: source.message,
			payload: { blockId: action.blockId, value: action.value },
		} as UIKitIncomingInteraction;
	}
	const { open } = interaction;
	const container = { type: UIKitIncomingInteractionContainerType.VIEW, id: open.viewId };
	if (interaction.kind === 'close') {
		// The server passes view-closed on without the triggerId (ee/server/apps/communication/uikit.ts).
		// Both clients send the view with the values they keep (UiKitModal handleCancel,
		// ModalBlockView.cancel).
		return {
			type: UIKitIncomingInteractionType.VIEW_CLOSED,
			container,
			appId: open.appId,
			user,
			payload: {
				view: { ...open.view, id: open.viewId, state: stateOfKept(open.values ?? {}) },
				isCleared: interaction.isCleared === true,
			},
		};
	}
	if (mobile) {
		// ModalBlockView.submit sends `payload: { view: { id, state } }` and no actionId
		// (interactionAdapters.ts toUserInteraction): nothing else of the view reaches the app.
		return {
			type: UIKitIncomingInteractionType.VIEW_SUBMIT,
			container,
			appId: open.appId,
			triggerId,
			user,
			payload: { view: { id: open.viewId, state: interaction.state } },
		} as UIKitIncomingInteraction;
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
		payload: { view: { ...open.view, id: open.viewId, state: interaction.state } },
	};
}

/**
 * Handles the answer as ActionManager does: a typed answer (errors, a view to open or update)
 * goes through `handleServerInteraction` and its trigger check; then a submitted or closed
 * view is disposed unless the answer is one the client keeps it for (or none came). A block
 * action's answer disposes nothing.
 */
function handleAnswer(
	session: SessionState,
	username: string,
	interaction: MemberInteraction,
	answer: unknown,
): void {
	if (session.client.kindOf(username) === 'mobile') {
		handleMobileAnswer(session, username, interaction, answer);
		return;
	}
	const type = isRecord(answer) && typeof answer.type === 'string' ? answer.type : undefined;
	if (type !== undefined) {
		session.receive(username, answer as IUIKitInteraction);
	}
	if (interaction.kind === 'block') {
		return;
	}
	if (answer && !(type !== undefined && KEEPS_VIEW[interaction.kind].includes(type))) {
		session.closeView(username, interaction.open.viewId);
	}
}

/** The answers the mobile app reads (app/containers/UIKit/interactionAdapters.ts `toServerModalInteractionType`). */
const MOBILE_ANSWERS: readonly string[] = ['modal.open', 'modal.update', 'modal.close', 'errors'];

/**
 * Handles the answer as the mobile app's `triggerAction` does (RocketChat/Rocket.Chat.ReactNative
 * 4.71.2, app/lib/methods/actions.ts, then triggerActions.ts): an empty body is `modal.close`; an
 * answer of another type, or of none (`{ success: true }`, a contextual bar), throws, which the
 * client swallows (ModalBlockView's submit keeps the modal open); `modal.open`, `modal.update`
 * and `errors` go through `handlePayloadUserInteraction` and its trigger check. A submit closes
 * its modal (`Navigation.back()`) when that gave nothing or `modal.close`; a close has closed it
 * before it was sent; a block action closes nothing.
 */
function handleMobileAnswer(
	session: SessionState,
	username: string,
	interaction: MemberInteraction,
	answer: unknown,
): void {
	const type = isRecord(answer) && typeof answer.type === 'string' ? answer.type : undefined;
	let result: string | undefined;
	if (answer === undefined || answer === null || answer === '') {
		result = 'modal.close';
	} else if (type === undefined || !MOBILE_ANSWERS.includes(type)) {
		session.client.drop(
			username,
			{
				type: type ?? '(an answer without a type)',
				appId: interaction.kind === 'block' ? interaction.source.appId : interaction.open.appId,
				triggerId: isRecord(answer) ? answer.triggerId : undefined,
			},
			'unknown-answer',
		);
		return;
	} else if (type === 'modal.close') {
		result = type;
	} else {
		result = session.receive(username, answer as IUIKitInteraction) ? type : undefined;
	}
	if (interaction.kind === 'submit' && (result === undefined || result === 'modal.close')) {
		session.closeView(username, interaction.open.viewId);
	}
}

/** The app and, for a submit or close, the view whose deadline closes it (`runWithTimeout` details). */
function deadlineDetails(interaction: MemberInteraction): { appId: string; viewId?: string } {
	if (interaction.kind === 'block') {
		// A blockAction carries no top-level viewId: a late answer toasts and disposes nothing.
		return { appId: interaction.source.appId };
	}
	return { appId: interaction.open.appId, viewId: interaction.open.viewId };
}

/**
 * Sends a member's interaction as the client does: a fresh triggerId, the client's deadline
 * (a late answer toasts `UIKit_Interaction_Timeout` and disposes a submitted or closed view),
 * then the answer applied. The triggerId is issued before anything is awaited, so a test's
 * clock.advance() right after the call counts.
 */
export function interact(
	session: SessionState,
	execute: InteractionExecutor,
	username: string,
	user: IUser,
	interaction: MemberInteraction,
): Promise<IInteractionOutcome<unknown>> {
	const { appId, viewId } = deadlineDetails(interaction);
	if (interaction.kind === 'close' && session.client.kindOf(username) === 'mobile') {
		// ModalBlockView.cancel: Navigation.back() first, then the view-closed is sent.
		session.closeView(username, interaction.open.viewId);
	}
	return session.client.emitInteraction(
		username,
		{
			appId,
			viewId,
			onTimeout: () => {
				if (viewId !== undefined) {
					session.closeView(username, viewId);
				}
			},
		},
		(triggerId) =>
			execute(
				incomingInteraction(
					user,
					interaction,
					triggerId,
					session.client.kindOf(username) === 'mobile',
				),
			),
		(answer) => handleAnswer(session, username, interaction, answer),
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
