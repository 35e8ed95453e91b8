import type { LayoutBlock } from '@rocket.chat/ui-kit';

import { actions, button } from './blocks';
import { formatDate, quoteUserText } from './messages';
import { FeedbackAction, surveyAnswerValue } from '../domain/actions';
import type { IRound } from '../domain/rounds';
import type { ISurvey } from '../domain/survey';
import { SURVEY_QUESTION_MAX } from '../domain/survey';
import type { Translator } from '../i18n/translate';

/** Which message of a round a member gets. */
export type SurveyMessageKind = 'invitation' | 'reminder';

/**
 * A member's invitation to (or reminder of) a survey round. Its first line holds only the
 * reference, never text people typed, so it cannot be forged (AppPoster.placeOnce finds copies
 * by it); the question is quoted inert.
 */
export function formatSurveyMessage(
	kind: SurveyMessageKind,
	survey: ISurvey,
	round: IRound,
	reference: string,
	t: Translator,
): string {
	return [
		t(kind === 'invitation' ? 'survey_invitation_heading' : 'survey_reminder_heading', {
			reference,
		}),
		t('survey_question_line', { question: quoteUserText(survey.question, SURVEY_QUESTION_MAX) }),
		t('survey_closes_line', { closes: formatDate(round.closesAt) }),
		t(survey.anonymous ? 'survey_anonymous_line' : 'survey_named_line'),
		t('survey_notices_footer'),
	].join('\n');
}

/** The "Answer" button of a round's message; the block and button name the app. */
export function surveyAnswerBlocks(
	appId: string,
	surveyId: string,
	roundKey: string,
	t: Translator,
): Array<LayoutBlock> {
	return [
		actions(
			FeedbackAction.SurveyAnswer,
			[
				button(
					appId,
					FeedbackAction.SurveyAnswer,
					t('survey_answer_button'),
					surveyAnswerValue(surveyId, roundKey),
					'primary',
				),
			],
			appId,
		),
	];
}
