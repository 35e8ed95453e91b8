import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

/** The app-wide sets of records; each is one MISC association, and its keys are namespaced by it. */
export enum RecordScope {
	Feedback = 'feedback',
	/** One marker per day that has feedback, so the days can be listed without reading feedback. */
	FeedbackDay = 'feedback-day',
	/** Set once every feedback day marker is filed under its month too (DayMarkers). */
	FeedbackDayFiling = 'feedback-day-filing',
	/** When a version filing records by the hour first saw the store (HourlyFiling). */
	HourlyFiling = 'hourly-filing',
	/** The tally of every closed day, kept as one running total: past days are not read again. */
	FeedbackTotal = 'feedback-total',
	/**
	 * What a deleted feedback counted for, also filed under the hour it was deleted, so the running
	 * totals take each deletion in once, as its hour closes, without reading every note again.
	 */
	FeedbackDeletionByHour = 'feedback-deletion-hourly',
	/** Deletion notes of the version before, without the hour of the deletion: a finite set, read whole. */
	FeedbackDeletion = 'feedback-deletion',
	/**
	 * Deletion notes of earlier versions, which also held a key derived from a named author's id:
	 * the upkeep moves them to FeedbackDeletion without it.
	 */
	FeedbackDeletedEarlier = 'feedback-deleted',
	/** One mark per member who has named feedback stored, to count distinct authors. */
	Contributor = 'contributor',
	/** How far the marks of feedback stored before marks existed have been written. */
	ContributorBackfill = 'contributor-backfill',
	PendingView = 'pending-view',
	/** Status changes of feedback, appended by admins; the newest is the status. */
	StatusChange = 'feedback-status',
	/** Set once every status change is also filed under its feedback's creation day. */
	StatusFiling = 'feedback-status-filing',
	/** One marker per day that has status changes. */
	StatusDay = 'feedback-status-day',
	/** Set once every status day marker is filed under its month too (DayMarkers). */
	StatusDayFiling = 'feedback-status-day-filing',
	/** The statistics of status changes of every closed day, kept as one running total. */
	StatusTotal = 'feedback-status-total',
	/** Status changes whose author has not been told yet, one record per change. */
	StatusNoticePending = 'status-notice-pending',
	/** What each feedback's author was last told of its status. */
	StatusNoticeTold = 'status-notice-told',
	/** When each author was last sent a status notice. */
	StatusNoticeSent = 'status-notice-sent',
	/** The last notice the server refused to deliver to each author, and why. */
	StatusNoticeUndelivered = 'status-notice-undelivered',
	/** Feedback waiting for the scheduled job to announce it. */
	AnnouncementQueue = 'announcement-queue',
	/**
	 * One marker per announced feedback, written after its post: a hint for a late duplicate in
	 * the queue whose announcement is no longer among the room's newest messages.
	 */
	FeedbackAnnounced = 'feedback-announced',
	/** Changes that moved a feedback to Done, waiting for their "You said, we did" post, one record per change. */
	WeDidPending = 'we-did-pending',
	/** One marker per change whose "You said, we did" post is made, written after the post as a hint. */
	WeDidPosted = 'we-did-posted',
	/** When the app's recurring jobs last ran, so a purge that deleted them is noticed. */
	JobsHeartbeat = 'jobs-heartbeat',
	/** One record per shard of the message counter: each app instance writes only its own. */
	MessageCounter = 'message-counter',
	/**
	 * The message counts of retired shards (of instances that are gone), as one record that
	 * names the shards it absorbed until their records are removed (ShardRetirement.ts).
	 */
	MessageCounterRetired = 'message-counter-retired',
	/** When the weekly digest's check first saw the current weekday and hour (duplicates allowed). */
	DigestConfiguration = 'digest-configuration',
	/** One marker per weekly slot whose digest is posted, written after the post as a hint. */
	DigestPosted = 'digest-posted',
	/** One record per "me too" click, under the member who clicked (VoteStore). */
	FeedbackVote = 'feedback-vote',
	/**
	 * One record per "me too" click whose announcement may not show the new count yet: written
	 * before the click's vote, removed once the count shown is verified (VoteRefreshes).
	 */
	VoteCountRefresh = 'vote-count-refresh',
	/** One record per follow or unfollow of a feedback, under the member (FollowStore). */
	FeedbackFollow = 'feedback-follow',
	/** One record per choice of a member to receive notices of what they follow or not. */
	NoticeChoice = 'notice-choice',
	/** One record per merge of a duplicate into another feedback (MergeLog). */
	FeedbackMerge = 'feedback-merge',
	/** The first UTC day the followers' daily digest saw (racing copies allowed: the earliest counts). */
	FollowDigestStart = 'follow-digest-start',
	/** One marker per member and day whose followers' digest is sent (or given up). */
	FollowDigestSent = 'follow-digest-sent',
	/** One marker per day every followers' digest of is sent: finished days are not read again. */
	FollowDigestDayDone = 'follow-digest-day-done',
	/** One record per survey, created once (SurveyStore). */
	Survey = 'survey',
	/** One record per admin change, close or reopening of a survey; the newest wins. */
	SurveyEvent = 'survey-event',
	/** One marker per (survey, round, member) invited, written after the post as a hint. */
	SurveyInvited = 'survey-invited',
	/** One marker per (survey, round, member) reminded, written after the post as a hint. */
	SurveyReminded = 'survey-reminded',
	/** That a member answered a round: no value, no time (IParticipationMark). */
	SurveyParticipation = 'survey-participation',
	/** Answers to survey rounds, with no member when the survey is anonymous (AnswerStore). */
	SurveyAnswer = 'survey-answer',
}

/** What identifies a set of records: an optional owner, the scope, and keys inside that scope. */
export interface IAssociationParts {
	readonly userId?: string;
	readonly scope: RecordScope;
	readonly keys?: ReadonlyArray<string>;
}

/**
 * The one place association arrays are built, always as [USER?, MISC scope, MISC scope:key...].
 * Order matters: the server matches updateByAssociations on the exact array.
 */
export function buildAssociations({
	userId,
	scope,
	keys = [],
}: IAssociationParts): Array<RocketChatAssociationRecord> {
	const associations: Array<RocketChatAssociationRecord> = [];
	if (userId !== undefined) {
		associations.push(new RocketChatAssociationRecord(RocketChatAssociationModel.USER, userId));
	}
	associations.push(new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, scope));
	for (const key of keys) {
		associations.push(
			new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `${scope}:${key}`),
		);
	}
	return associations;
}
