// What a round of a survey came to, and when it may be shown. A round's results are shown only
// once it has RESULTS_MIN_ANSWERS answers, and an anonymous round's only once it is settled
// (closed on every instance): results that change while a known member acts would tell what
// that member answered.

import type { ISurveyAnswer } from './answers';
import { YES } from './answers';
import type { IRound } from './rounds';
import { isSettled } from './rounds';
import type { ISurvey } from './survey';
import { compareCodeUnits } from './text';

/** The fewest answers a round's results are shown with. */
export const RESULTS_MIN_ANSWERS = 5;

/** How many of those asked answered. */
export interface IResponseRate {
	readonly answered: number;
	readonly invited: number;
	/**
	 * Rounded down, so 100 means everyone answered (199 of 200 is 99); null when no one was
	 * invited. Never above 100 (an answer of a member invited and later gone still counts).
	 */
	readonly percent: number | null;
}

/** The score of an NPS round. */
export interface INpsScore {
	readonly kind: 'nps';
	readonly promoters: number;
	readonly passives: number;
	readonly detractors: number;
	/** % promoters − % detractors, -100 to 100, rounded half away from zero; null without answers. */
	readonly score: number | null;
}

/** The score of a 1-to-5 rating round. */
export interface IRatingScore {
	readonly kind: 'rating';
	/** Rounded half up to one decimal; null without answers. */
	readonly average: number | null;
	/** How many answered 1, 2, 3, 4, 5 (index 0 is 1). */
	readonly distribution: ReadonlyArray<number>;
}

/** The score of a yes/no round. */
export interface IYesNoScore {
	readonly kind: 'yes-no';
	readonly yes: number;
	readonly no: number;
	/** The share of yes in %, rounded half away from zero; no's is 100 minus it. Null without answers. */
	readonly yesPercent: number | null;
}

export type SurveyScore = INpsScore | IRatingScore | IYesNoScore;

/** A comment left with an answer: its author only in a named survey. */
export interface ISurveyComment {
	readonly text: string;
	readonly memberId: string | null;
}

/** What a round came to. */
export interface IRoundResults {
	readonly responseRate: IResponseRate;
	readonly score: SurveyScore;
	/** In text order: the order follows no member and no time. */
	readonly comments: ReadonlyArray<ISurveyComment>;
}

/** A round's outcome as shown: its results, or why they are withheld (the response rate is always shown). */
export type RoundOutcome =
	| { readonly shown: true; readonly round: IRound; readonly results: IRoundResults }
	| {
			readonly shown: false;
			readonly round: IRound;
			readonly reason: 'round-open' | 'too-few-answers';
			readonly responseRate: IResponseRate;
	  };

/** `part` of `whole` in %, rounded half away from zero. */
export function roundedPercent(part: number, whole: number): number {
	const exact = (100 * part) / whole;
	return Math.sign(exact) * Math.round(Math.abs(exact));
}

/** The response rate of a round. */
export function responseRateOf(answered: number, invited: number): IResponseRate {
	return {
		answered,
		invited,
		percent: invited > 0 ? Math.min(100, Math.floor((100 * answered) / invited)) : null,
	};
}

/** The NPS of some answers (0 to 10): promoters 9–10, passives 7–8, detractors 0–6. */
export function npsOf(values: ReadonlyArray<number>): INpsScore {
	const promoters = values.filter((value) => value >= 9).length;
	const passives = values.filter((value) => value === 7 || value === 8).length;
	const detractors = values.filter((value) => value <= 6).length;
	return {
		kind: 'nps',
		promoters,
		passives,
		detractors,
		score: values.length > 0 ? roundedPercent(promoters - detractors, values.length) : null,
	};
}

/** The average and distribution of some 1-to-5 ratings. */
export function ratingOf(values: ReadonlyArray<number>): IRatingScore {
	const distribution = [1, 2, 3, 4, 5].map(
		(rating) => values.filter((value) => value === rating).length,
	);
	const sum = values.reduce((total, value) => total + value, 0);
	return {
		kind: 'rating',
		// Integers first: a tenth of a sum of integers has no binary rounding surprise.
		average: values.length > 0 ? Math.round((10 * sum) / values.length) / 10 : null,
		distribution,
	};
}

/** The yes and no counts of some yes/no answers. */
export function yesNoOf(values: ReadonlyArray<number>): IYesNoScore {
	const yes = values.filter((value) => value === YES).length;
	const no = values.length - yes;
	return {
		kind: 'yes-no',
		yes,
		no,
		yesPercent: values.length > 0 ? roundedPercent(yes, values.length) : null,
	};
}

/** What a round's counted answers (currentAnswers) come to, with how many were invited. */
export function roundResultsOf(
	survey: Pick<ISurvey, 'kind' | 'anonymous'>,
	answers: ReadonlyArray<ISurveyAnswer>,
	invited: number,
): IRoundResults {
	const values = answers.map((answer) => answer.value);
	const scoreOf = { 'nps': npsOf, 'rating': ratingOf, 'yes-no': yesNoOf }[survey.kind];
	const score: SurveyScore = scoreOf(values);
	const comments = answers
		.filter((answer) => answer.comment !== '')
		.map((answer) => ({
			text: answer.comment,
			// An anonymous survey's answers carry no member; a stray one is never shown.
			memberId: survey.anonymous ? null : answer.memberId,
		}))
		.sort((a, b) => compareCodeUnits(a.text, b.text));
	return { responseRate: responseRateOf(answers.length, invited), score, comments };
}

/**
 * A round's outcome at `now`: withheld while an anonymous round is not settled, or while it has
 * fewer than RESULTS_MIN_ANSWERS answers; shown otherwise.
 */
export function roundOutcome(
	survey: Pick<ISurvey, 'kind' | 'anonymous'>,
	round: IRound,
	answers: ReadonlyArray<ISurveyAnswer>,
	invited: number,
	now: Date,
): RoundOutcome {
	const responseRate = responseRateOf(answers.length, invited);
	if (survey.anonymous && !isSettled(round, now)) {
		return { shown: false, round, reason: 'round-open', responseRate };
	}
	if (answers.length < RESULTS_MIN_ANSWERS) {
		return { shown: false, round, reason: 'too-few-answers', responseRate };
	}
	return { shown: true, round, results: roundResultsOf(survey, answers, invited) };
}

/** One round's answers and invitations, as read for a trend. */
export interface IRoundData {
	readonly round: IRound;
	readonly answers: ReadonlyArray<ISurveyAnswer>;
	readonly invited: number;
}

/** The outcomes of the last `count` rounds, oldest first (withheld ones say why). */
export function surveyTrend(
	survey: Pick<ISurvey, 'kind' | 'anonymous'>,
	rounds: ReadonlyArray<IRoundData>,
	now: Date,
	count: number,
): Array<RoundOutcome> {
	const byIndex = new Map<number, IRoundData>();
	for (const data of rounds) {
		byIndex.set(data.round.index, data);
	}
	const ordered = [...byIndex.values()].sort((a, b) => a.round.index - b.round.index);
	return (count > 0 ? ordered.slice(-count) : []).map((data) =>
		roundOutcome(survey, data.round, data.answers, data.invited, now),
	);
}
