import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';

import type { AdminViewHandler } from './AdminViewHandler';
import type { FollowHandler } from './FollowHandler';
import type { MemberListHandler } from './MemberListHandler';
import type { MergeHandler } from './MergeHandler';
import type { SurveyAdminHandler } from './SurveyAdminHandler';
import type { SurveyAnswerHandler } from './SurveyAnswerHandler';
import type { VoteHandler } from './VoteHandler';
import type { IBlockActionRequest } from './requestContext';
import { ADMIN_ACTIONS, FeedbackAction, MERGE_ACTIONS } from '../domain/actions';

/** The handlers block actions are routed to. */
export interface IBlockActionRoutes {
	readonly memberList: MemberListHandler;
	readonly admin: AdminViewHandler;
	readonly merge: MergeHandler;
	readonly following: FollowHandler;
	readonly votes: VoteHandler;
	readonly surveys: SurveyAdminHandler;
	readonly surveyAnswers: SurveyAnswerHandler;
}

/**
 * The buttons and selects of the app's views and messages, by action id: the admin view's, its
 * merges' included (each checked for the role again, whoever sent it), the member's list, and
 * "Stop following" in the app's direct messages, the announcements' votes and the surveys'
 * "Answer" buttons.
 */
export class BlockActionHandler {
	constructor(private readonly routes: IBlockActionRoutes) {}

	/** Answers a block action with the view it leads to, in the modal it came from. */
	public async handle(request: IBlockActionRequest): Promise<IUIKitResponse> {
		const { actionId, user, responder, logger } = request;
		const { memberList, admin, merge, following, votes, surveys, surveyAnswers } = this.routes;
		try {
			if (ADMIN_ACTIONS.has(actionId)) {
				if (!(await request.isAdmin())) {
					// A block action can be forged by anyone who knows its ids: nothing happens.
					logger.warn(
						MERGE_ACTIONS.has(actionId)
							? `refused merge of ${user.username}`
							: `refused admin action ${actionId} of ${user.username}`,
					);
					return responder.successResponse();
				}
				const answer =
					(await merge.act(request)) ?? (await surveys.act(request)) ?? (await admin.act(request));
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
				await following.stopFollowing(request);
				return responder.successResponse();
			}
			if ((actionId as FeedbackAction) === FeedbackAction.Vote) {
				// A message's button: the member hears privately, the announcement's count changes.
				await votes.vote(request);
				return responder.successResponse();
			}
			if ((actionId as FeedbackAction) === FeedbackAction.SurveyAnswer) {
				// Opens the answer form (or a notice) itself: this answer says nothing.
				await surveyAnswers.open(request);
				return responder.successResponse();
			}
			const view = await memberList.act(request);
			return view ? responder.updateModalViewResponse(view) : responder.successResponse();
		} catch (error) {
			logger.error(`the ${actionId} action failed`, error);
			return responder.errorResponse();
		}
	}
}
