import type { SurveyScore } from '../domain/surveyResults';
import type { Translator } from '../i18n/translate';

/** What stands for a value there is none of yet (no answers) or that is withheld. */
export const NO_VALUE = '–';

/** An NPS score with its sign, as NPS is read: +35, -10, 0. */
export function signedScore(score: number): string {
	return score > 0 ? `+${score}` : String(score);
}

/** A round's score in full, one line, the same in the admin view and the digest. */
export function scoreText(score: SurveyScore, t: Translator): string {
	switch (score.kind) {
		case 'nps':
			return t('survey_score_nps', {
				score: score.score === null ? NO_VALUE : signedScore(score.score),
				promoters: score.promoters,
				passives: score.passives,
				detractors: score.detractors,
			});
		case 'rating':
			return t('survey_score_rating', {
				average: score.average === null ? NO_VALUE : score.average.toFixed(1),
				distribution: score.distribution
					.map((count, index) => `${index + 1}★ ${count}`)
					.join(' · '),
			});
		case 'yes-no':
			return t('survey_score_yes_no', {
				percent: score.yesPercent ?? NO_VALUE,
				yes: score.yes,
				no: score.no,
			});
	}
}
