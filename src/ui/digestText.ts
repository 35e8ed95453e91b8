import { quoteName } from './messages';
import { surveySectionLines } from './surveyDigestText';
import { statusText } from './triageText';
import { slotTimeText } from '../domain/digest';
import type { IDigestWeeks, IWeekSummary } from '../domain/digest';
import { DEFAULT_MESSAGE_MAX_SIZE, fitMessage, MessageTooLongError } from '../domain/messageSize';
import { STATUSES } from '../domain/status';
import type { ISurveyDigestEntry } from '../domain/surveyReport';
import { catalog } from '../i18n/catalog';
import { translatorFor } from '../i18n/translate';
import type { Translator } from '../i18n/translate';

function average(value: number | null, t: Translator): string {
	return value === null ? t('digest_no_rating') : (Math.round(value * 10) / 10).toFixed(1);
}

/**
 * The digest's first line: the slot's week, from its start to the slot, in UTC. It holds no text
 * a member wrote, so it tells one slot's digest from any other message of the app.
 */
export function digestHeading(weeks: IDigestWeeks, t: Translator): string {
	return `*${t('digest_title', { from: slotTimeText(weeks.weekStart), to: slotTimeText(weeks.slot) })}*`;
}

/**
 * The slot's heading in every shipped language: a copy posted before the workspace language
 * changed is still a copy of the slot's digest.
 */
export function digestHeadings(weeks: IDigestWeeks): ReadonlySet<string> {
	return new Set(
		Object.keys(catalog).map((language) => digestHeading(weeks, translatorFor(language))),
	);
}

/**
 * The weekly digest of a slot as one message, its week beside the week before, then the surveys
 * whose rounds settled in the week, at most `maxSize` UTF-16 units (the server's
 * Message_MaxAllowedSize): category names and questions are cut, never the heading the app finds
 * its post by; surveys that still do not fit are counted in a last line instead.
 */
export function formatDigest(
	week: IWeekSummary,
	previous: IWeekSummary,
	weeks: IDigestWeeks,
	t: Translator,
	maxSize = DEFAULT_MESSAGE_MAX_SIZE,
	surveys: ReadonlyArray<ISurveyDigestEntry> = [],
): string {
	const statuses = STATUSES.map(
		(status) => `${statusText(status, t)} ${week.byStatus.get(status) ?? 0}`,
	).join(', ');
	const build = (shownSurveys: number) => (caps: ReadonlyArray<number>) => {
		const [names] = caps;
		const categories =
			week.byCategory.length > 0
				? week.byCategory
						.map(([category, count]) => `${quoteName(category, names)} ${count}`)
						.join(', ')
				: t('digest_none');
		return [
			digestHeading(weeks, t),
			t('digest_total', { count: week.total, previous: previous.total }),
			t('digest_by_category', { categories }),
			t('digest_by_status', { statuses }),
			t('digest_rating', {
				average: average(week.averageRating, t),
				previous: average(previous.averageRating, t),
			}),
			...surveySectionLines(surveys, shownSurveys, t, names),
		].join('\n');
	};
	// Every survey first; fewer only when even their questions cut to the least do not fit.
	for (let shown = surveys.length; shown > 0; shown -= 1) {
		try {
			return fitMessage(maxSize, 1, build(shown));
		} catch (error) {
			if (!(error instanceof MessageTooLongError)) {
				throw error;
			}
		}
	}
	return fitMessage(maxSize, 1, build(0));
}
