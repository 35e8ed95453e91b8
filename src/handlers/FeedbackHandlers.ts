import { AdminCommands } from './AdminCommands';
import { AdminViewHandler } from './AdminViewHandler';
import { AnnouncementJob } from './AnnouncementJob';
import { BlockActionHandler } from './BlockActionHandler';
import { DigestJob } from './DigestJob';
import { FeedbackCommand } from './FeedbackCommand';
import { FeedbackExporter } from './FeedbackExporter';
import { FeedbackFormHandler, FOLLOW_UP_BUDGET_MS } from './FeedbackFormHandler';
import { FollowDigestJob } from './FollowDigestJob';
import { FollowHandler } from './FollowHandler';
import { MemberListHandler } from './MemberListHandler';
import { MergeHandler } from './MergeHandler';
import { MessageSentHandler } from './MessageSentHandler';
import { PendingFormsJob } from './PendingFormsJob';
import { RecurringJobsKeeper } from './RecurringJobs';
import { StatusChangeHandler } from './StatusChangeHandler';
import { StatusNoticeJob } from './StatusNoticeJob';
import { SurveyAdminHandler } from './SurveyAdminHandler';
import { SurveyAnswerHandler } from './SurveyAnswerHandler';
import { SurveyFormHandler } from './SurveyFormHandler';
import { SurveyRoundJob } from './SurveyRoundJob';
import { UpkeepJob } from './UpkeepJob';
import { VoteCountJob } from './VoteCountJob';
import { VoteCounts } from './VoteCounts';
import { VoteHandler } from './VoteHandler';
import { WeDidJob } from './WeDidJob';
import type { ILoggerSource } from './logging';
import { ViewRoutes } from './viewRoutes';
import { ADMIN_VIEW_ID } from '../domain/actions';
import { ANSWER_VIEW_PREFIX } from '../domain/answerForm';
import { FORM_VIEW_PREFIX } from '../domain/form';
import { newId } from '../domain/ids';
import { STATUS_VIEW_PREFIX } from '../domain/statusForm';
import { SURVEY_FORM_VIEW_PREFIX } from '../domain/surveyForm';
import { ShardedCounter } from '../persistence/ShardedCounter';
import { RecordScope } from '../persistence/associations';

/** Everything one app instance answers the platform with. */
export interface IFeedbackHandlers {
	readonly command: FeedbackCommand;
	/** Submits and closes of the app's views, each to the handler of its kind. */
	readonly views: ViewRoutes;
	/** Buttons and selects of the member's list and the admin view. */
	readonly blockActions: BlockActionHandler;
	readonly messageSent: MessageSentHandler;
	readonly announcements: AnnouncementJob;
	readonly pendingForms: PendingFormsJob;
	readonly digest: DigestJob;
	readonly upkeep: UpkeepJob;
	/** Tells authors of status changes, coalesced per author. */
	readonly statusNotices: StatusNoticeJob;
	/** Tells followers, once a day, of the day's status changes to what they follow. */
	readonly followDigest: FollowDigestJob;
	/** Sends survey rounds' invitations and reminders. */
	readonly surveyRounds: SurveyRoundJob;
	/** Refreshes the vote counts a click left unverified. */
	readonly voteCounts: VoteCountJob;
	/** Posts "You said, we did" for feedback moved to Done. */
	readonly weDid: WeDidJob;
	/** This instance's shard of the message count: in memory on purpose, never shared state. */
	readonly messageCounter: ShardedCounter;
}

/** What the handlers are built with. */
export interface IFeedbackHandlerOptions {
	readonly appId: string;
	/** The App: handlers ask it for each request's logger (see logging.ts). */
	readonly app: ILoggerSource;
	/** The clock of records, forms and days; tests move it. */
	readonly now?: () => Date;
	/** How long a submit waits for its follow-up before it answers. */
	readonly followUpBudgetMs?: number;
}

/** Builds the handlers of one app instance: the one place FeedbackApp and the tests get them. */
export function createHandlers(options: IFeedbackHandlerOptions): IFeedbackHandlers {
	const { appId, app, now = () => new Date(), followUpBudgetMs = FOLLOW_UP_BUDGET_MS } = options;
	const messageCounter = new ShardedCounter(
		RecordScope.MessageCounter,
		RecordScope.MessageCounterRetired,
		newId,
		now,
	);
	const memberList = new MemberListHandler(appId, now);
	const recurringJobs = new RecurringJobsKeeper(now);
	const admin = new AdminViewHandler(appId, messageCounter, now);
	const surveyForms = new SurveyFormHandler(appId, now);
	const surveys = new SurveyAdminHandler(appId, surveyForms, now);
	const adminCommands = new AdminCommands(
		appId,
		messageCounter,
		admin,
		new FeedbackExporter(appId),
		now,
	);
	const form = new FeedbackFormHandler(now, followUpBudgetMs, recurringJobs);
	const statusChanges = new StatusChangeHandler(admin, now);
	const following = new FollowHandler(now);
	const voteCounts = new VoteCounts(appId);
	const surveyAnswers = new SurveyAnswerHandler(appId, now, followUpBudgetMs);
	// Every kind of view the app opens, by its id; its submits and closes go to its handler.
	const views = new ViewRoutes([
		{
			ids: { startingWith: FORM_VIEW_PREFIX },
			submit: (request) => form.submit(request),
			close: (request) => form.close(request),
		},
		// The admin modal's submit is its status form's Save (or its list's Refresh).
		{
			ids: { exactly: ADMIN_VIEW_ID },
			submit: (request) => statusChanges.submitAdminView(request),
		},
		{
			ids: { startingWith: STATUS_VIEW_PREFIX },
			submit: (request) => statusChanges.submitEarlierForm(request),
		},
		{
			ids: { startingWith: SURVEY_FORM_VIEW_PREFIX },
			submit: (request) => surveyForms.submit(request),
		},
		// A survey's answer form; closing it needs nothing (nothing is kept while it is open).
		{
			ids: { startingWith: ANSWER_VIEW_PREFIX },
			submit: (request) => surveyAnswers.submit(request),
		},
	]);
	return {
		command: new FeedbackCommand(
			appId,
			app,
			{ memberList },
			adminCommands,
			now,
			recurringJobs,
			following,
			{ forms: surveyForms, admin: surveys },
		),
		views,
		blockActions: new BlockActionHandler({
			memberList,
			admin,
			merge: new MergeHandler(appId, admin, statusChanges, now),
			following,
			votes: new VoteHandler(voteCounts, now),
			surveys,
			surveyAnswers,
		}),
		messageSent: new MessageSentHandler(messageCounter),
		announcements: new AnnouncementJob(appId, now),
		pendingForms: new PendingFormsJob(now),
		digest: new DigestJob(appId, now),
		upkeep: new UpkeepJob(now, messageCounter),
		statusNotices: new StatusNoticeJob(appId, now),
		followDigest: new FollowDigestJob(appId, now),
		surveyRounds: new SurveyRoundJob(appId, now),
		voteCounts: new VoteCountJob(voteCounts, now),
		weDid: new WeDidJob(now),
		messageCounter,
	};
}
