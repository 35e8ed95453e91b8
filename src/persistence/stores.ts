import type { ILogger, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { AnnouncementQueue } from './AnnouncementQueue';
import { AnswerStore } from './AnswerStore';
import { FeedbackRepository } from './FeedbackRepository';
import { FollowStore } from './FollowStore';
import { JobHeartbeat } from './JobHeartbeat';
import { MergeLog } from './MergeLog';
import { PendingViewStore } from './PendingViewStore';
import { RunningTotal } from './RunningTotal';
import { StatusLog } from './StatusLog';
import { StatusNotices } from './StatusNotices';
import { StatusTotal } from './StatusTotal';
import { SurveyMarks } from './SurveyMarks';
import { SurveyStore } from './SurveyStore';
import { VoteRefreshes } from './VoteRefreshes';
import { VoteStore } from './VoteStore';
import { WeDidPosts } from './WeDidPosts';

/** The stores one request works with, over that request's persistence reader. */
export interface IFeedbackStores {
	readonly feedback: FeedbackRepository;
	readonly totals: RunningTotal;
	readonly pendingViews: PendingViewStore;
	readonly announcements: AnnouncementQueue;
	readonly statuses: StatusLog;
	readonly statusTotals: StatusTotal;
	readonly statusNotices: StatusNotices;
	readonly jobHeartbeat: JobHeartbeat;
	/** "Me too" clicks. */
	readonly votes: VoteStore;
	/** Clicks whose announcement's count is still to verify. */
	readonly voteRefreshes: VoteRefreshes;
	/** Follows, unfollows and members' choice of notices. */
	readonly follows: FollowStore;
	/** Merges of duplicates. */
	readonly merges: MergeLog;
	/** "You said, we did" posts to make. */
	readonly weDid: WeDidPosts;
	/** Surveys and admins' changes of them. */
	readonly surveys: SurveyStore;
	/** Who was invited, reminded and took part in each survey round. */
	readonly surveyMarks: SurveyMarks;
	/** Answers to survey rounds, apart from who answered. */
	readonly surveyAnswers: AnswerStore;
}

/** Builds the stores of one request: the one place handlers get them from. */
export function storesFor(reader: IPersistenceRead, logger: ILogger): IFeedbackStores {
	const feedback = new FeedbackRepository(reader);
	const statuses = new StatusLog(reader);
	return {
		feedback,
		totals: new RunningTotal(reader, feedback, logger),
		pendingViews: new PendingViewStore(reader),
		announcements: new AnnouncementQueue(reader),
		statuses,
		statusTotals: new StatusTotal(reader, statuses, feedback, logger),
		statusNotices: new StatusNotices(reader),
		jobHeartbeat: new JobHeartbeat(reader),
		votes: new VoteStore(reader),
		voteRefreshes: new VoteRefreshes(reader),
		follows: new FollowStore(reader),
		merges: new MergeLog(reader),
		weDid: new WeDidPosts(reader),
		surveys: new SurveyStore(reader),
		surveyMarks: new SurveyMarks(reader),
		surveyAnswers: new AnswerStore(reader),
	};
}
