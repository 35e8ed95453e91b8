import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IUIKitInteraction } from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitInteractionType } from '@rocket.chat/apps-engine/definition/uikit';

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
 */
export class SessionState {
	private readonly notificationsByUser = new Map<string, INotification[]>();

	private readonly viewsByUser = new Map<string, IOpenView>();

	private readonly interactionsByUser = new Map<string, IUIKitInteraction[]>();

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

	/** Applies a UIKit interaction the app sent to a user, as the client would. */
	public applyInteraction(username: string, interaction: IUIKitInteraction): void {
		const history = this.interactionsByUser.get(username) ?? [];
		history.push(interaction);
		this.interactionsByUser.set(username, history);

		const { type } = interaction;
		if (
			type === UIKitInteractionType.MODAL_OPEN ||
			type === UIKitInteractionType.MODAL_UPDATE ||
			type === UIKitInteractionType.CONTEXTUAL_BAR_OPEN ||
			type === UIKitInteractionType.CONTEXTUAL_BAR_UPDATE
		) {
			const { view } = interaction as unknown as { view?: Record<string, unknown> };
			const viewId = typeof view?.id === 'string' ? view.id : undefined;
			if (!view || !viewId) {
				throw new Error(`The app sent ${type} without a view id`);
			}
			const current = this.viewsByUser.get(username);
			if (type.endsWith('.update') && current?.viewId !== viewId) {
				// Rocket.Chat's client ignores updates of a view that is not open.
				return;
			}
			this.viewsByUser.set(username, {
				appId: interaction.appId,
				viewId,
				surface: type.startsWith('modal') ? 'modal' : 'contextual_bar',
				triggerId: interaction.triggerId,
				view,
				errors: {},
			});
		} else if (
			type === UIKitInteractionType.MODAL_CLOSE ||
			type === UIKitInteractionType.CONTEXTUAL_BAR_CLOSE
		) {
			this.viewsByUser.delete(username);
		} else if (type === UIKitInteractionType.ERRORS) {
			const current = this.viewsByUser.get(username);
			const { errors } = interaction as unknown as { errors?: Record<string, string> };
			if (current && errors) {
				current.errors = { ...errors };
			}
		}
	}

	/** The view a user has open, if any. */
	public openView(username: string): IOpenView | undefined {
		return this.viewsByUser.get(username);
	}

	/** Closes the user's open view (as the client does after a successful submit or close). */
	public closeView(username: string): void {
		this.viewsByUser.delete(username);
	}

	/** Every UIKit interaction the app sent to a user, oldest first. */
	public interactions(username: string): IUIKitInteraction[] {
		return [...(this.interactionsByUser.get(username) ?? [])];
	}
}
