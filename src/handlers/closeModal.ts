import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitInteractionType } from '@rocket.chat/apps-engine/definition/uikit';

import type { IViewSubmitRequest } from './requestContext';

/**
 * The answer that closes a submitted modal on every client. `{ success: true }` alone is not
 * enough: Rocket.Chat's mobile app (React Native 4.71, app/lib/methods/actions.ts triggerAction)
 * throws on an answer without a type it knows and keeps the modal open; `modal.close` makes it
 * go back (triggerActions.ts triggerSubmitView). The web client (ActionManager) passes it through
 * handleServerInteraction, which does nothing with it, then disposes the submitted view, as it
 * does after any answer but errors or an update. The engine's responder has no method for it.
 */
export function closeModalResponse(request: IViewSubmitRequest): IUIKitResponse {
	const { appId, triggerId, view } = request;
	const answer: IUIKitResponse & Record<string, unknown> = {
		success: true,
		type: UIKitInteractionType.MODAL_CLOSE,
		triggerId,
		appId,
		viewId: view.id,
	};
	return answer;
}
