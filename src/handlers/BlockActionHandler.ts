import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';

import type { AdminViewHandler } from './AdminViewHandler';
import type { MemberListHandler } from './MemberListHandler';
import type { VoteHandler } from './VoteHandler';
import type { IBlockActionRequest } from './requestContext';
import { ADMIN_ACTIONS, FeedbackAction } from '../domain/actions';

/**
 * The buttons and selects of the app's views and messages, by action id: the admin view's (each
 * checked for the role again, whoever sent it), the member's list and the announcements' votes.
 */
export class BlockActionHandler {
	constructor(
		private readonly memberList: MemberListHandler,
		private readonly admin: AdminViewHandler,
		private readonly votes: VoteHandler,
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
			if ((actionId as FeedbackAction) === FeedbackAction.Vote) {
				// A message's button: the member hears privately, the announcement's count changes.
				await this.votes.vote(request);
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
