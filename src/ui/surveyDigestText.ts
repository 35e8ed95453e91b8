// The digest's section on surveys. The digest is posted to a room whose members need not be
// admins, so it shows numbers only: the question quoted inert, never a comment (a named survey's
// would name its author, an anonymous one's could point at it), only how many were left and where
// admins read them.

import { quoteUserText } from './messages';
import { NO_VALUE, scoreText, signedScore } from './surveyScoreText';
import type { SurveyKind } from '../domain/survey';
import type { ISurveyDigestEntry, ISurveyDigestRound } from '../domain/surveyReport';
import type { RoundOutcome, SurveyScore } from '../domain/surveyResults';
import type { MessageKey, Translator } from '../i18n/translate';

/** How much of a question the digest shows, in characters as people count them. */
export const DIGEST_QUESTION_LENGTH = 100;

/**
 * The least of a question the digest keeps, in UTF-16 units with its quotes: cut shorter it says
 * nothing, so the digest lists fewer surveys instead (formatDigest).
 */
export const DIGEST_QUESTION_MIN_UNITS = 40;

const KIND_KEYS: Readonly<Record<SurveyKind, MessageKey>> = {
	'nps': 'digest_survey_kind_nps',
	'rating': 'digest_survey_kind_rating',
	'yes-no': 'digest_survey_kind_yes_no',
};

/** A score in a few characters, for the trend. */
function compactScore(score: SurveyScore): string {
	switch (score.kind) {
		case 'nps':
			return score.score === null ? NO_VALUE : signedScore(score.score);
		case 'rating':
			return score.average === null ? NO_VALUE : score.average.toFixed(1);
		case 'yes-no':
			return score.yesPercent === null ? NO_VALUE : `${score.yesPercent}%`;
	}
}

/** The trend of a survey's last settled rounds, oldest first: "+20 → +35 → –". */
export function trendText(trend: ReadonlyArray<RoundOutcome>): string {
	return trend
		.map((outcome) => (outcome.shown ? compactScore(outcome.results.score) : NO_VALUE))
		.join(' → ');
}

function roundLines(entry: ISurveyDigestRound, t: Translator): Array<string> {
	const { outcome, optedOut } = entry;
	const rate = outcome.shown ? outcome.results.responseRate : outcome.responseRate;
	const lines = [
		rate.percent === null
			? t('digest_survey_round_none_invited', {
					round: outcome.round.key,
					answered: rate.answered,
					optedOut,
				})
			: t('digest_survey_round', {
					round: outcome.round.key,
					answered: rate.answered,
					invited: rate.invited,
					percent: rate.percent,
					optedOut,
				}),
	];
	if (!outcome.shown) {
		lines.push(
			t(
				outcome.reason === 'too-few-answers'
					? 'digest_survey_withheld_few'
					: 'digest_survey_withheld_open',
			),
		);
		return lines;
	}
	lines.push(scoreText(outcome.results.score, t));
	const comments = outcome.results.comments.length;
	if (comments > 0) {
		lines.push(t('digest_survey_comments', { count: comments }));
	}
	return lines;
}

/**
 * One survey's part of the digest; its question quoted inert and cut to `maxUnits` UTF-16 units,
 * never below DIGEST_QUESTION_MIN_UNITS.
 */
export function surveyDigestLines(
	entry: ISurveyDigestEntry,
	t: Translator,
	maxUnits = Number.POSITIVE_INFINITY,
): Array<string> {
	const { survey } = entry;
	return [
		t('digest_survey_heading', {
			question: quoteUserText(
				survey.question,
				DIGEST_QUESTION_LENGTH,
				Math.max(maxUnits, DIGEST_QUESTION_MIN_UNITS),
			),
			kind: t(KIND_KEYS[survey.kind]),
			privacy: t(survey.anonymous ? 'digest_survey_anonymous' : 'digest_survey_named'),
		}),
		...entry.rounds.flatMap((round) => roundLines(round, t)),
		...(entry.trend.length > 0
			? [t('digest_survey_trend', { trend: trendText(entry.trend) })]
			: []),
	].map((line, index) => (index === 0 ? line : `> ${line}`));
}

/**
 * The digest's survey section for the first `shown` entries, with a line saying how many more
 * there are; nothing when no survey had a round settle in the week.
 */
export function surveySectionLines(
	entries: ReadonlyArray<ISurveyDigestEntry>,
	shown: number,
	t: Translator,
	maxUnits = Number.POSITIVE_INFINITY,
): Array<string> {
	if (entries.length === 0) {
		return [];
	}
	const lines = [
		'',
		`*${t('digest_surveys_title')}*`,
		...entries.slice(0, shown).flatMap((entry) => surveyDigestLines(entry, t, maxUnits)),
	];
	if (shown < entries.length) {
		lines.push(t('digest_surveys_more', { count: entries.length - shown }));
	}
	return lines;
}
