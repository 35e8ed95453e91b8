import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IUIKitInteraction } from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitInteractionType } from '@rocket.chat/apps-engine/definition/uikit';

import { UiKitClient } from './uikit-client';
import { initialValues, type IKeptValue, viewFields } from './view-fields';

/** An ephemeral message the app sent to one user (notifyUser / notifyRoom). */
export interface INotification {
	/**
	 * The id the server's converter drew for it (converters/messages.ts `convertAppMessage`:
	 * `Random.id()` when the app gave none). The client keeps it as the message's id, so a
	 * button in it is clicked with `container: { type: 'message', id }` and `mid`, though no
	 * stored message has that id.
	 */
	id: string;
	appId: string;
	/** The room's name (a direct room has none: its id). */
	room?: string;
	/** The id of the room the member sees it in. */
	roomId?: string;
	text: string;
	blocks?: unknown[];
	attachments?: unknown[];
	createdAt: Date;
	message: IMessage;
}

/** A view (modal or contextual bar) a user currently has open, as the app last sent it. */
export interface IOpenView {
	appId: string;
	viewId: string;
	surface: 'modal' | 'contextual_bar';
	triggerId: string;
	view: Record<string, unknown>;
	/** Inline errors the app answered for the view, by action id. */
	errors: Record<string, string>;
	/**
	 * Grows each time the app sends this member inline errors (0: none yet), so a client that
	 * loads the view later can tell errors it saw arrive from errors it never saw.
	 */
	errorsVersion?: number;
	/**
	 * The values the member's client keeps for a modal, by action id: the first view's initial
	 * values, then what the member gave; updates do not reset them (view-fields.ts initialValues).
	 */
	values?: Record<string, IKeptValue>;
	/**
	 * Every field (block id, then its action ids) any view of this modal had since it opened:
	 * the client may send a value of each (the values it keeps outlive an update).
	 */
	fieldsShown?: Record<string, string[]>;
}

/** The fields of a view added to those shown before. */
function withFieldsOf(
	shown: Record<string, string[]> | undefined,
	view: Record<string, unknown>,
): Record<string, string[]> {
	const fields: Record<string, string[]> = { ...shown };
	for (const { blockId, actionId } of viewFields(view)) {
		fields[blockId] = [...new Set([...(fields[blockId] ?? []), actionId])];
	}
	return fields;
}

/** The room a member's client shows: a contextual bar's block actions carry its id. */
export interface ICurrentRoom {
	id: string;
}

/** The interaction types Rocket.Chat's mobile app shows (actions.ts `handlePayloadUserInteraction`). */
const MOBILE_SHOWS: readonly string[] = [
	UIKitInteractionType.MODAL_OPEN,
	UIKitInteractionType.MODAL_UPDATE,
	UIKitInteractionType.ERRORS,
];

/**
 * What a Rocket.Chat client would show each user but the server does not store:
 * ephemeral notifications and the open views (a modal and, beside it, a contextual bar, as
 * Rocket.Chat's ActionManager keeps both in its `viewInstances`). Kept per host process, like a
 * client session. What the app sends to a member's client passes the client's trigger check
 * first (`client`).
 */
export class SessionState {
	private readonly notificationsByUser = new Map<string, INotification[]>();

	private readonly modalsByUser = new Map<string, IOpenView>();

	/** The mobile app's modals, bottom first: each `modal.open` pushes a ModalBlockView screen. */
	private readonly mobileModalsByUser = new Map<string, IOpenView[]>();

	private readonly barsByUser = new Map<string, IOpenView>();

	private readonly interactionsByUser = new Map<string, IUIKitInteraction[]>();

	private readonly roomsByUser = new Map<string, ICurrentRoom>();

	private errorsSequence = 0;

	/** The members' web clients: triggerIds, dropped interactions, toasts, deadlines. */
	constructor(public readonly client: UiKitClient = new UiKitClient()) {}

	/** Records an ephemeral message for a user. */
	public addNotification(username: string, notification: INotification): void {
		const list = this.notificationsByUser.get(username) ?? [];
		list.push(notification);
		this.notificationsByUser.set(username, list);
	}

	/**
	 * A stored message was edited: the server streams it to the clients of its room
	 * (notifyOnMessageChange → stream-room-messages), which show it again in place.
	 */
	public messageChanged(_message: IMessage): void {
		this.client.messageChanged();
	}

	/** The ephemeral messages a user received, oldest first. */
	public notifications(username: string): INotification[] {
		return [...(this.notificationsByUser.get(username) ?? [])];
	}

	/** One of a user's ephemeral messages, by its id. */
	public notification(username: string, id: string): INotification | undefined {
		return this.notificationsByUser.get(username)?.find((notification) => notification.id === id);
	}

	/** Forgets a user's ephemeral messages (or everyone's). */
	public clearNotifications(username?: string): void {
		if (username === undefined) {
			this.notificationsByUser.clear();
		} else {
			this.notificationsByUser.delete(username);
		}
	}

	/** The room a member's client shows now (the room of their last command or message). */
	public currentRoom(username: string): ICurrentRoom | undefined {
		return this.roomsByUser.get(username);
	}

	/** A member's client moved to a room. */
	public enterRoom(username: string, roomId: string): void {
		this.roomsByUser.set(username, { id: roomId });
	}

	/**
	 * Hands a UIKit interaction the app sent (the UiInteractionBridge's push) to the member's
	 * client, which applies it only if its triggerId passes the check (UiKitClient.accept).
	 */
	public applyInteraction(username: string, interaction: IUIKitInteraction): void {
		const history = this.interactionsByUser.get(username) ?? [];
		history.push(interaction);
		this.interactionsByUser.set(username, history);
		this.client.deliver(() => this.receive(username, interaction));
	}

	/**
	 * Applies what the app sent as the client's `handleServerInteraction` does
	 * (apps/meteor/client/lib/ActionManager.ts); returns false when the client dropped it (see the
	 * client's refusedInteractions). `modal.open` and `contextual_bar.open` open their surface
	 * (replacing the one there), the updates go to whichever open view has the view id (the
	 * client emits them on the view id, where useUiKitView listens, and keeps the values and
	 * errors the member has), `contextual_bar.close` disposes the view with that id, `errors`
	 * go to the view with that id, `modal.close` does nothing.
	 */
	public receive(username: string, interaction: IUIKitInteraction): boolean {
		const { type } = interaction;
		const { view, viewId: errorsViewId } = interaction as unknown as {
			view?: Record<string, unknown>;
			viewId?: string;
		};
		const viewId = typeof view?.id === 'string' ? view.id : errorsViewId;
		if (type === UIKitInteractionType.MODAL_CLOSE && this.client.kindOf(username) === 'web') {
			// handleServerInteraction: the triggerId is used up if it is live, and either way
			// `modal.close` shows nothing, so a used one drops nothing the member could see.
			this.client.accept(username, interaction, { quiet: true });
			return true;
		}
		if (!this.client.accept(username, { ...interaction, ...(viewId ? { viewId } : {}) })) {
			return false;
		}
		if (this.client.kindOf(username) === 'mobile') {
			return this.receiveOnMobile(username, interaction, view, viewId);
		}
		switch (type) {
			case UIKitInteractionType.MODAL_OPEN:
			case UIKitInteractionType.CONTEXTUAL_BAR_OPEN: {
				if (!view || !viewId) {
					throw new Error(`The app sent ${type} without a view id`);
				}
				this.showView(username, {
					appId: interaction.appId,
					viewId,
					surface: type === UIKitInteractionType.MODAL_OPEN ? 'modal' : 'contextual_bar',
					triggerId: interaction.triggerId,
					view,
					errors: {},
					errorsVersion: 0,
				});
				break;
			}
			case UIKitInteractionType.MODAL_UPDATE:
			case UIKitInteractionType.CONTEXTUAL_BAR_UPDATE: {
				if (!view || !viewId) {
					throw new Error(`The app sent ${type} without a view id`);
				}
				// Updates go to the listeners of that view id: nothing listens when it is not open.
				for (const open of this.viewsWithId(username, viewId)) {
					// useUiKitView: `updateView((view) => ({ ...view, ...interaction.view }))`.
					open.view = { ...open.view, ...view };
					open.fieldsShown = withFieldsOf(open.fieldsShown, open.view);
					open.triggerId = interaction.triggerId;
				}
				break;
			}
			case UIKitInteractionType.CONTEXTUAL_BAR_CLOSE:
				if (viewId) {
					this.closeView(username, viewId);
				}
				break;
			case UIKitInteractionType.ERRORS: {
				// `modal.close` is not here: ActionManager.handleServerInteraction leaves the modal open.
				const { errors } = interaction as unknown as { errors?: Record<string, string> };
				const targets = viewId ? this.viewsWithId(username, viewId) : [];
				if (errors && targets.length > 0) {
					this.errorsSequence++;
					for (const open of targets) {
						open.errors = { ...errors };
						open.errorsVersion = this.errorsSequence;
					}
				}
				break;
			}
			default:
				break;
		}
		return true;
	}

	/**
	 * Puts a view on a member's screen as is (a client that kept it), with no trigger check. The
	 * mobile app shows no contextual bar and puts a modal on top of the ones it has.
	 */
	public showView(username: string, open: IOpenView): void {
		const shown = {
			...open,
			errors: { ...open.errors },
			values: { ...(open.values ?? initialValues(open.view)) },
			fieldsShown: withFieldsOf(open.fieldsShown, open.view),
		};
		if (this.client.kindOf(username) === 'mobile') {
			if (open.surface === 'modal') {
				this.mobileModalsByUser.set(username, [...this.mobileModals(username), shown]);
			}
			return;
		}
		if (open.surface === 'contextual_bar') {
			this.barsByUser.set(username, shown);
		} else {
			this.modalsByUser.set(username, shown);
		}
	}

	/** The modal a user has open (on the mobile app, the one on top), if any. */
	public openView(username: string): IOpenView | undefined {
		if (this.client.kindOf(username) === 'mobile') {
			return this.mobileModals(username).at(-1);
		}
		return this.modalsByUser.get(username);
	}

	/** Every modal a mobile member has open, bottom first (the web client shows one at a time). */
	public openModals(username: string): IOpenView[] {
		if (this.client.kindOf(username) === 'mobile') {
			return this.mobileModals(username);
		}
		const open = this.modalsByUser.get(username);
		return open ? [open] : [];
	}

	/** The contextual bar a user has open beside the room, if any. */
	public openContextualBar(username: string): IOpenView | undefined {
		if (this.client.kindOf(username) === 'mobile') {
			return undefined;
		}
		return this.barsByUser.get(username);
	}

	/**
	 * Disposes a view as the client's `disposeView(viewId)` does: whichever surface has that
	 * id. Without a view id it closes the modal.
	 */
	public closeView(username: string, viewId?: string): void {
		if (this.client.kindOf(username) === 'mobile') {
			// Navigation.back() leaves the screen on top (the view the member acted in).
			const stack = this.mobileModals(username);
			const index =
				viewId === undefined
					? stack.length - 1
					: stack.map((open) => open.viewId).lastIndexOf(viewId);
			if (index >= 0) {
				stack.splice(index, 1);
				this.mobileModalsByUser.set(username, stack);
			}
			return;
		}
		if (viewId === undefined || this.modalsByUser.get(username)?.viewId === viewId) {
			this.modalsByUser.delete(username);
		}
		if (viewId !== undefined && this.barsByUser.get(username)?.viewId === viewId) {
			this.barsByUser.delete(username);
		}
	}

	/** Every UIKit interaction the app sent to a user (shown or dropped), oldest first. */
	public interactions(username: string): IUIKitInteraction[] {
		return [...(this.interactionsByUser.get(username) ?? [])];
	}

	/**
	 * Applies what the mobile app shows (RocketChat/Rocket.Chat.ReactNative 4.71.2,
	 * app/lib/methods/actions.ts `handlePayloadUserInteraction`, reached from a pushed
	 * `uiInteraction` in app/lib/methods/subscriptions/rooms.ts or from an answer): the triggerId
	 * is used up first, a view id is needed, `modal.open` navigates to a new ModalBlockView (on
	 * top of any open one), `modal.update` and `errors` go to the open modals with that view id
	 * (ModalBlockView.handleUpdate: an update replaces the view, errors stay), and anything else
	 * (a contextual bar, `modal.close`) shows nothing.
	 */
	private receiveOnMobile(
		username: string,
		interaction: IUIKitInteraction,
		view: Record<string, unknown> | undefined,
		viewId: string | undefined,
	): boolean {
		const { type } = interaction;
		if (!MOBILE_SHOWS.includes(type)) {
			this.client.drop(username, interaction, 'unsupported-type');
			return false;
		}
		if (!viewId) {
			return false;
		}
		const targets = this.mobileModals(username).filter((open) => open.viewId === viewId);
		if (type === UIKitInteractionType.MODAL_OPEN && view) {
			this.showView(username, {
				appId: interaction.appId,
				viewId,
				surface: 'modal',
				triggerId: interaction.triggerId,
				view,
				errors: {},
				errorsVersion: 0,
			});
		} else if (type === UIKitInteractionType.MODAL_UPDATE && view) {
			for (const open of targets) {
				open.view = view;
				open.fieldsShown = withFieldsOf(open.fieldsShown, view);
				open.triggerId = interaction.triggerId;
			}
		} else if (type === UIKitInteractionType.ERRORS) {
			const { errors } = interaction as unknown as { errors?: Record<string, string> };
			if (errors && targets.length > 0) {
				this.errorsSequence++;
				for (const open of targets) {
					open.errors = { ...errors };
					open.errorsVersion = this.errorsSequence;
				}
			}
		}
		return true;
	}

	private mobileModals(username: string): IOpenView[] {
		return [...(this.mobileModalsByUser.get(username) ?? [])];
	}

	private viewsWithId(username: string, viewId: string): IOpenView[] {
		return [this.modalsByUser.get(username), this.barsByUser.get(username)].filter(
			(open): open is IOpenView => open?.viewId === viewId,
		);
	}
}
