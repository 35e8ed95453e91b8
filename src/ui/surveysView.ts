import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { LayoutBlock } from '@rocket.chat/ui-kit';

import { adminModal } from './adminView';
import { actions, button, context, divider, section } from './blocks';
import { formatDate } from './messages';
import { surveySummaryLine } from './surveyForm';
import { scoreText } from './surveyScoreText';
import { plainLine } from './triageText';
import {
	encodeAdminState,
	FeedbackAction,
	FIRST_ADMIN_PAGE,
	surveyEventValue,
} from '../domain/actions';
import { shortIdOf } from '../domain/record';
import type { IRound } from '../domain/rounds';
import type { ISurveyState } from '../domain/surveyEvents';
import { RESULTS_MIN_ANSWERS, responseRateOf } from '../domain/surveyResults';
import type { IResponseRate, IRoundData, RoundOutcome } from '../domain/surveyResults';
import type { Translator } from '../i18n/translate';

/** How many surveys the admin view shows, newest first: the modal stays a readable size. */
export const SURVEYS_SHOWN = 10;
/** How many comments of a round the admin view shows, and how much of each. */
export const SURVEY_COMMENTS_SHOWN = 3;
export const SURVEY_COMMENT_LENGTH = 150;

/** A round's facts as the admin view reads them (persistence/surveyOutcomes.ts roundFacts). */
export interface IShownRoundFacts extends IRoundData {
	/** Members not invited because their notices were off. */
	readonly optedOut: number;
}

/** What the admin view shows of one survey. */
export interface ISurveyOverview {
	readonly state: ISurveyState;
	/** The round open or last closed now; undefined before the first opens. */
	readonly current: IRound | undefined;
	/** The first round, when none has opened yet. */
	readonly upcoming: IRound | undefined;
	/** The last rounds' facts and outcomes, oldest first (surveyOutcomes.readSurveyTrend). */
	readonly facts: ReadonlyArray<IShownRoundFacts>;
	readonly trend: ReadonlyArray<RoundOutcome>;
	/** The id the Close or Reopen button stores its event under, drawn for this showing. */
	readonly eventId: string;
}

/** What the surveys state of the admin view shows. */
export interface ISurveysViewOptions {
	readonly appId: string;
	readonly surveys: ReadonlyArray<ISurveyOverview>;
	/** How many surveys there are (only the newest SURVEYS_SHOWN are shown). */
	readonly total: number;
	/** Usernames of the members named surveys' comments are by. */
	readonly usernames: ReadonlyMap<string, string>;
	readonly t: Translator;
	readonly notice?: string;
	/** The surveys were not read in time: only that they are coming is shown. */
	readonly pending?: boolean;
}

/** "answered/invited answered (percent)". */
export function responseRateText(rate: IResponseRate, t: Translator): string {
	return t('survey_rate', {
		answered: rate.answered,
		invited: rate.invited,
		percent: rate.percent === null ? '–' : `${rate.percent} %`,
	});
}

/** One round of a trend: its score and response rate, or why its results are withheld. */
export function roundOutcomeLine(outcome: RoundOutcome, t: Translator): string {
	const round = outcome.round.key;
	if (!outcome.shown) {
		const rate = responseRateText(outcome.responseRate, t);
		return outcome.reason === 'round-open'
			? t('survey_withheld_open', { round, rate })
			: t('survey_withheld_few', { round, rate, min: RESULTS_MIN_ANSWERS });
	}
	const { score, responseRate } = outcome.results;
	return t('survey_result_line', {
		round,
		score: scoreText(score, t),
		rate: responseRateText(responseRate, t),
	});
}

/** A shown round's comments: without author for anonymous surveys, by username for named ones. */
export function roundCommentLines(
	outcome: RoundOutcome,
	usernames: ReadonlyMap<string, string>,
	t: Translator,
): Array<string> {
	if (!outcome.shown) {
		return [];
	}
	const { comments } = outcome.results;
	const lines = comments.slice(0, SURVEY_COMMENTS_SHOWN).map((comment) => {
		const text = plainLine(comment.text, SURVEY_COMMENT_LENGTH);
		return comment.memberId === null
			? t('survey_comment_anonymous', { round: outcome.round.key, text })
			: t('survey_comment_named', {
					round: outcome.round.key,
					text,
					member: usernames.get(comment.memberId) ?? comment.memberId,
				});
	});
	if (comments.length > SURVEY_COMMENTS_SHOWN) {
		lines.push(t('survey_comments_more', { count: comments.length - SURVEY_COMMENTS_SHOWN }));
	}
	return lines;
}

/** The current round's line: its response rate and how many opted out; or when the first opens. */
export function currentRoundLine(overview: ISurveyOverview, t: Translator): string {
	const { current, upcoming, facts } = overview;
	if (!current) {
		return upcoming
			? t('survey_round_upcoming', { opens: formatDate(upcoming.opensAt) })
			: t('survey_round_none');
	}
	const fact = facts.find((candidate) => candidate.round.key === current.key);
	const answered = fact?.answers.length ?? 0;
	const invited = fact?.invited ?? 0;
	return t('survey_round_current', {
		round: current.key,
		closes: formatDate(current.closesAt),
		rate: responseRateText(responseRateOf(answered, invited), t),
		optedOut: fact?.optedOut ?? 0,
	});
}

function surveyBlocks(options: ISurveysViewOptions, overview: ISurveyOverview): Array<LayoutBlock> {
	const { appId, usernames, t } = options;
	const { survey, active } = overview.state;
	const id = shortIdOf(survey.id);
	const lines = [
		surveySummaryLine(survey, active, t),
		currentRoundLine(overview, t),
		...(overview.trend.length > 0 ? [t('survey_trend_title')] : []),
		...overview.trend.flatMap((outcome) => [
			roundOutcomeLine(outcome, t),
			...roundCommentLines(outcome, usernames, t),
		]),
	];
	const value = surveyEventValue(survey.id, overview.eventId);
	const toggle = active
		? button(appId, FeedbackAction.AdminSurveyClose, t('button_survey_close'), value, 'danger')
		: button(appId, FeedbackAction.AdminSurveyReopen, t('button_survey_reopen'), value);
	return [
		divider(),
		section(plainLine(survey.question, 300), `survey-${id}`),
		...lines.map((line) => context(line)),
		actions(`survey-actions-${id}`, [toggle]),
	];
}

/** The admin modal's surveys state: each survey's definition, current round and trend, its buttons. */
export function buildSurveysView(options: ISurveysViewOptions): IUIKitSurfaceViewParam {
	const { appId, surveys, total, t, notice, pending } = options;
	const blocks: Array<LayoutBlock> = notice ? [context(notice)] : [];
	blocks.push(
		section(t('admin_surveys_title', { count: total })),
		actions('surveys-top', [
			button(appId, FeedbackAction.AdminSurveyNew, t('button_survey_new'), '', 'primary'),
			button(appId, FeedbackAction.AdminSurveys, t('button_refresh'), ''),
			button(
				appId,
				FeedbackAction.AdminPage,
				t('button_back_to_feedback'),
				encodeAdminState(FIRST_ADMIN_PAGE),
			),
		]),
	);
	if (pending) {
		blocks.push(context(t('admin_surveys_pending')));
	} else if (total === 0) {
		blocks.push(section(t('admin_surveys_empty')));
	} else if (total > surveys.length) {
		blocks.push(context(t('admin_surveys_more', { shown: surveys.length, count: total })));
	}
	for (const overview of surveys) {
		blocks.push(...surveyBlocks(options, overview));
	}
	return adminModal(appId, t, blocks, t('button_refresh'));
}
