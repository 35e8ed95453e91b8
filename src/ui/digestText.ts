import { quoteName } from './messages';
import { statusText } from './triageText';
import type { IWeekSummary } from '../domain/digest';
import { STATUSES } from '../domain/status';
import type { Translator } from '../i18n/translate';

function average(value: number | null, t: Translator): string {
	return value === null ? t('digest_no_rating') : (Math.round(value * 10) / 10).toFixed(1);
}

/** The weekly digest as one message: the week, compared with the week before. */
export function formatDigest(
	week: IWeekSummary,
	previous: IWeekSummary,
	range: { readonly from: string; readonly to: string },
	t: Translator,
): string {
	const categories =
		week.byCategory.length > 0
			? week.byCategory.map(([category, count]) => `${quoteName(category)} ${count}`).join(', ')
			: t('digest_none');
	const statuses = STATUSES.map(
		(status) => `${statusText(status, t)} ${week.byStatus.get(status) ?? 0}`,
	).join(', ');
	return [
		`*${t('digest_title', range)}*`,
		t('digest_total', { count: week.total, previous: previous.total }),
		t('digest_by_category', { categories }),
		t('digest_by_status', { statuses }),
		t('digest_rating', {
			average: average(week.averageRating, t),
			previous: average(previous.averageRating, t),
		}),
	].join('\n');
}
