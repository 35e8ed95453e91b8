import type { AnswerStore } from './AnswerStore';
import type { SurveyMarks } from './SurveyMarks';
import type { ISurveyAnswer } from '../domain/answers';
import { isSettled, recentRounds } from '../domain/rounds';
import type { IRound } from '../domain/rounds';
import type { ISurvey } from '../domain/survey';
import { roundsSettledBetween } from '../domain/surveyReport';
import type { ISurveyDigestEntry } from '../domain/surveyReport';
import { roundOutcome, surveyTrend } from '../domain/surveyResults';
import type { IRoundData, RoundOutcome } from '../domain/surveyResults';

/** How many rounds a trend shows. */
export const SURVEY_TREND_ROUNDS = 6;

/** What the admin view, the digest and the export read of one survey round. */
export interface IRoundFacts extends IRoundData {
	/** Members not invited because their notices were off when the invitation was due. */
	readonly optedOut: number;
}

/** The stores a survey's outcomes are read from, and the secret that opens sealed answers. */
export interface ISurveyOutcomeStores {
	readonly surveyMarks: SurveyMarks;
	readonly surveyAnswers: AnswerStore;
	/** The survey secret from the server's environment (settings/surveySecret.ts), read when an anonymous survey needs it. */
	readonly answerSecret: () => Promise<string | undefined>;
}

/** One round's counted answers, how many got the invitation, and how many had opted out. */
export async function roundFacts(
	stores: ISurveyOutcomeStores,
	survey: ISurvey,
	round: IRound,
): Promise<IRoundFacts> {
	// Only a keyed anonymous survey's answers are sealed: the others never need the secret.
	const secret = survey.anonymous ? await stores.answerSecret() : undefined;
	const [invitations, answers] = await Promise.all([
		stores.surveyMarks.sent('invited', survey.id, round.key),
		stores.surveyAnswers.ofRound(survey.id, round.key, secret),
	]);
	const outcomes = [...invitations.values()];
	return {
		round,
		answers: answers as ReadonlyArray<ISurveyAnswer>,
		invited: outcomes.filter((outcome) => outcome === 'sent').length,
		optedOut: outcomes.filter((outcome) => outcome === 'skipped').length,
	};
}

/** The facts of a survey's last `count` rounds opened by `now`, oldest first. */
export async function recentRoundFacts(
	stores: ISurveyOutcomeStores,
	survey: ISurvey,
	now: Date,
	count: number = SURVEY_TREND_ROUNDS,
): Promise<Array<IRoundFacts>> {
	const rounds = recentRounds(survey, now, count).reverse();
	return Promise.all(rounds.map((round) => roundFacts(stores, survey, round)));
}

/** The outcomes of a survey's last rounds, oldest first, each shown or withheld (surveyTrend). */
export async function readSurveyTrend(
	stores: ISurveyOutcomeStores,
	survey: ISurvey,
	now: Date,
	count: number = SURVEY_TREND_ROUNDS,
): Promise<{ readonly facts: Array<IRoundFacts>; readonly trend: Array<RoundOutcome> }> {
	const facts = await recentRoundFacts(stores, survey, now, count);
	return { facts, trend: surveyTrend(survey, facts, now, count) };
}

/** Whether a round had anyone to ask: an invitation sent or skipped, or an answer. */
function wasAsked(facts: IRoundFacts): boolean {
	return facts.invited > 0 || facts.optedOut > 0 || facts.answers.length > 0;
}

/**
 * What the digest of [from, to) shows of a survey: its rounds settled then (a round that asked no
 * one, of a closed survey, is left out), and the trend of its rounds settled by `to`; undefined
 * when none settled then. Everything is read as at `to`, so every run for a slot says the same.
 */
export async function settledRoundsReport(
	stores: ISurveyOutcomeStores,
	survey: ISurvey,
	from: Date,
	to: Date,
): Promise<ISurveyDigestEntry | undefined> {
	const settledKeys = new Set(roundsSettledBetween(survey, from, to).map((round) => round.key));
	if (settledKeys.size === 0) {
		return undefined;
	}
	const facts = (await recentRoundFacts(stores, survey, to)).filter(
		(round) => isSettled(round.round, to) && wasAsked(round),
	);
	const trend = surveyTrend(survey, facts, to, SURVEY_TREND_ROUNDS);
	const rounds = facts
		.filter((round) => settledKeys.has(round.round.key))
		.map((round) => ({
			outcome: roundOutcome(survey, round.round, round.answers, round.invited, to),
			optedOut: round.optedOut,
		}));
	return rounds.length > 0 ? { survey, rounds, trend } : undefined;
}
