import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IUIKitInteraction } from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitInteractionType } from '@rocket.chat/apps-engine/definition/uikit';

import { UiKitClient } from './uikit-client';

/** An ephemeral message the app sent to one user (notifyUser / notifyRoom). */
export interface INotification {
	appId: string;
	room?: string;
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
	/** Inline errors the app answered for the last submit, by action id. */
	errors: Record<string, string>;
}

/**
 * What a Rocket.Chat client would show each user but the server does not store:
 * ephemeral notifications and the open views. Kept per host process, like a client session.
 * What the app sends to a member's client passes the client's trigger check first (`client`).
 */
export class SessionState {
	private readonly notificationsByUser = new Map<string, INotification[]>();

	private readonly viewsByUser = new Map<string, IOpenView>();

	private readonly interactionsByUser = new Map<string, IUIKitInteraction[]>();

	/** The members' web clients: triggerIds, dropped interactions, toasts, deadlines. */
	constructor(public readonly client: UiKitClient = new UiKitClient()) {}

	/** Records an ephemeral message for a user. */
	public addNotification(username: string, notification: INotification): void {
		const list = this.notificationsByUser.get(username) ?? [];
		list.push(notification);
		this.notificationsByUser.set(username, list);
	}

	/** The ephemeral messages a user received, oldest first. */
	public notifications(username: string): INotification[] {
		return [...(this.notificationsByUser.get(username) ?? [])];
	}

	/** Forgets a user's ephemeral messages (or everyone's). */
	public clearNotifications(username?: string): void {
		if (username === undefined) {
			this.notificationsByUser.clear();
		} else {
			this.notificationsByUser.delete(username);
		}
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
	 * Applies what the app sent as the client's `handleServerInteraction` does; returns false
	 * when the client dropped it (see the client's refusedInteractions).
	 */
	public receive(username: string, interaction: IUIKitInteraction): boolean {
		const { type } = interaction;
		const { view, viewId: errorsViewId } = interaction as unknown as {
			view?: Record<string, unknown>;
			viewId?: string;
		};
		const viewId = typeof view?.id === 'string' ? view.id : errorsViewId;
		if (!this.client.accept(username, { ...interaction, ...(viewId ? { viewId } : {}) })) {
			return false;
		}
		if (
			type === UIKitInteractionType.MODAL_OPEN ||
			type === UIKitInteractionType.MODAL_UPDATE ||
			type === UIKitInteractionType.CONTEXTUAL_BAR_OPEN ||
			type === UIKitInteractionType.CONTEXTUAL_BAR_UPDATE
		) {
			if (!view || !viewId) {
				throw new Error(`The app sent ${type} without a view id`);
			}
			const current = this.viewsByUser.get(username);
			if (type.endsWith('.update') && current?.viewId !== viewId) {
				// Updates go to the listeners of that view id: nothing listens when it is not open.
				return true;
			}
			this.showView(username, {
				appId: interaction.appId,
				viewId,
				surface: type.startsWith('modal') ? 'modal' : 'contextual_bar',
				triggerId: interaction.triggerId,
				view,
				errors: {},
			});
		} else if (type === UIKitInteractionType.CONTEXTUAL_BAR_CLOSE) {
			this.closeView(username, viewId);
		} else if (type === UIKitInteractionType.ERRORS) {
			// `modal.close` is not here: ActionManager.handleServerInteraction leaves the modal open.
			const current = this.viewsByUser.get(username);
			const { errors } = interaction as unknown as { errors?: Record<string, string> };
			if (current && errors && current.viewId === viewId) {
				current.errors = { ...errors };
			}
		}
		return true;
	}

	/** Puts a view on a member's screen as is (a client that kept it), with no trigger check. */
	public showView(username: string, open: IOpenView): void {
		this.viewsByUser.set(username, { ...open, errors: { ...open.errors } });
	}

	/** The view a user has open, if any. */
	public openView(username: string): IOpenView | undefined {
		return this.viewsByUser.get(username);
	}

	/** Closes the user's open view (only if it is `viewId`, when given), as `disposeView` does. */
	public closeView(username: string, viewId?: string): void {
		if (viewId === undefined || this.viewsByUser.get(username)?.viewId === viewId) {
			this.viewsByUser.delete(username);
		}
	}

	/** Every UIKit interaction the app sent to a user (shown or dropped), oldest first. */
	public interactions(username: string): IUIKitInteraction[] {
		return [...(this.interactionsByUser.get(username) ?? [])];
	}
}
