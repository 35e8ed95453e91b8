import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';

import type { AdminViewHandler } from './AdminViewHandler';
import type { FollowHandler } from './FollowHandler';
import type { MemberListHandler } from './MemberListHandler';
import type { IBlockActionRequest } from './requestContext';
import { ADMIN_ACTIONS, FeedbackAction } from '../domain/actions';

/**
 * The buttons and selects of the app's views and messages, by action id: the admin view's (each
 * checked for the role again, whoever sent it), the member's list, and "Stop following" in the
 * app's direct messages.
 */
export class BlockActionHandler {
	constructor(
		private readonly memberList: MemberListHandler,
		private readonly admin: AdminViewHandler,
		private readonly following: FollowHandler,
	) {}

	/** Answers a block action with the view it leads to, in the modal it came from. */
	public async handle(request: IBlockActionRequest): Promise<IUIKitResponse> {
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
			if (actionId === String(FeedbackAction.StopFollowing)) {
				// Any member, for themselves only: nothing to check beyond the value.
				await this.following.stopFollowing(request);
				return responder.successResponse();
			}
			const view = await this.memberList.act(request);
			return view ? responder.updateModalViewResponse(view) : responder.successResponse();
		} catch (error) {
			logger.error(`the ${actionId} action failed`, error);
			return responder.errorResponse();
		}
	}
}
