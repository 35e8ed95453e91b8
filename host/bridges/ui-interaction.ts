import type { IUIKitInteraction } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UiInteractionBridge } from '@rocket.chat/apps-engine/server/bridges';

import type { SessionState } from '../client/session-state';

/** What an app pushes to a member's client (a view to open, update or close): the client's check applies. */
export class LocalUiInteractionBridge extends UiInteractionBridge {
	constructor(private readonly session: SessionState) {
		super();
	}

	protected async notifyUser(user: IUser, interaction: IUIKitInteraction): Promise<void> {
		this.session.applyInteraction(user.username, interaction);
	}
}
