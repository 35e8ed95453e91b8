import { formatDate, quoteUserText } from './messages';
import { DEFAULT_MESSAGE_MAX_SIZE, fitMessage } from '../domain/messageSize';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import { CHOSEN_STATUSES, FeedbackStatus, MAX_NOTE_LENGTH, medianResponse } from '../domain/status';
import type { IStatusChange } from '../domain/status';
import { cutToLength } from '../domain/text';
import type { Translator } from '../i18n/translate';

/** How much of a comment a view shows. */
export const VIEW_COMMENT_LENGTH = 300;

/** A status as people read it. */
export function statusText(status: FeedbackStatus, t: Translator): string {
	switch (status) {
		case FeedbackStatus.New:
			return t('status_new');
		case FeedbackStatus.Acknowledged:
			return t('status_acknowledged');
		case FeedbackStatus.Planned:
			return t('status_planned');
		case FeedbackStatus.Done:
			return t('status_done');
		case FeedbackStatus.Declined:
			return t('status_declined');
		case FeedbackStatus.Duplicate:
			return t('status_duplicate');
	}
}

/**
 * Where a duplicate's votes and followers went, for a `duplicate` change (a merge stores the
 * target's short id as its note); undefined for any other change.
 */
export function mergedIntoText(
	status: FeedbackStatus,
	note: string,
	t: Translator,
): string | undefined {
	return status === FeedbackStatus.Duplicate && /^[0-9a-f]{8}$/.test(note)
		? t('status_notice_duplicate', { target: note })
		: undefined;
}

/** Text people typed, as one line of plain text (views show plain text as is: no markdown). */
export function plainLine(text: string, max: number): string {
	return cutToLength(text.replace(/\s+/g, ' ').trim(), max);
}

/** One entry's heading in a view: id, date, category, rating, (author,) status. */
export function entryHeading(
	record: IFeedbackRecord,
	status: FeedbackStatus,
	t: Translator,
	withAuthor: boolean,
): string {
	const parts = [
		shortIdOf(record.id),
		formatDate(record.createdAt),
		plainLine(record.category, 64),
		record.rating === null ? t('list_no_rating') : t('list_rating', { rating: record.rating }),
	];
	if (withAuthor) {
		parts.push(
			record.anonymous || record.author === null
				? t('list_anonymous')
				: plainLine(record.author.username, 64),
		);
	}
	parts.push(t('entry_status', { status: statusText(status, t) }));
	return parts.join(' · ');
}

/** One feedback a status notice names, with the change that is its status now. */
export interface IStatusUpdateItem {
	readonly record: IFeedbackRecord;
	readonly change: IStatusChange;
}

/** How much of a comment a status notice shows, as people count characters. */
export const NOTICE_PREVIEW_LENGTH = 80;

/**
 * The lines that tell an author one feedback's status and note (markdown, made safe); the note
 * at most `noteUnits` and the comment's preview `previewUnits` UTF-16 units, quotes included.
 */
export function formatStatusNotice(
	record: IFeedbackRecord,
	change: IStatusChange,
	t: Translator,
	noteUnits = Number.POSITIVE_INFINITY,
	previewUnits = Number.POSITIVE_INFINITY,
): string {
	const lines = [
		t('status_notice', {
			id: shortIdOf(record.id),
			preview: quoteUserText(record.comment, NOTICE_PREVIEW_LENGTH, previewUnits),
			status: statusText(change.status, t),
		}),
	];
	const note = changeNoteLine(change, t, noteUnits);
	return (note === undefined ? lines : [...lines, note]).join('\n');
}

/**
 * The line under a change: where a merged duplicate is followed now (a merge's note is its
 * target's id), else the admin's note cut to `noteUnits` UTF-16 units; undefined without either.
 */
export function changeNoteLine(
	change: Pick<IStatusChange, 'status' | 'note'>,
	t: Translator,
	noteUnits = Number.POSITIVE_INFINITY,
): string | undefined {
	const merged = mergedIntoText(change.status, change.note, t);
	if (merged !== undefined || change.note === '') {
		return merged;
	}
	return t('status_notice_note', { note: quoteUserText(change.note, MAX_NOTE_LENGTH, noteUnits) });
}

/**
 * The direct message that tells an author what became of their feedback, at most `maxSize`
 * UTF-16 units (the server's Message_MaxAllowedSize): the notes are cut first, then the comments'
 * previews. Its first line holds only the notice's reference and the time of its newest change,
 * never text people typed, so it tells one notice from another, cannot be forged and is never cut
 * (src/handlers/AppPoster.ts looks copies up by it).
 */
export function formatStatusUpdate(
	reference: string,
	newestChangeAt: string,
	items: ReadonlyArray<IStatusUpdateItem>,
	t: Translator,
	maxSize = DEFAULT_MESSAGE_MAX_SIZE,
): string {
	return fitMessage(maxSize, 2, ([notes, previews]) =>
		[
			t('status_notice_heading', { time: formatDate(newestChangeAt), reference }),
			...items.map(({ record, change }) => formatStatusNotice(record, change, t, notes, previews)),
		].join('\n'),
	);
}

function durationText(milliseconds: number, t: Translator): string {
	const minutes = Math.round(milliseconds / 60_000);
	if (minutes < 60) {
		return t('duration_minutes', { count: minutes });
	}
	const hours = Math.round(minutes / 60);
	return hours < 24
		? t('duration_hours', { count: hours })
		: t('duration_days', { count: Math.round(hours / 24) });
}

/** Feedback by status and the median time to a first status change, as lines of the statistics. */
export function formatTriageStats(
	total: number,
	byStatus: ReadonlyMap<FeedbackStatus, number>,
	responseBuckets: ReadonlyArray<number>,
	t: Translator,
): Array<string> {
	// A duplicate counts with the entry it was merged into (the total counts the two once), so it
	// is neither listed nor taken from the new ones.
	const triaged = [...byStatus]
		.filter(([status]) => status !== FeedbackStatus.Duplicate)
		.reduce((sum, [, count]) => sum + count, 0);
	const counts = CHOSEN_STATUSES.map((status) => {
		const count =
			status === FeedbackStatus.New ? Math.max(0, total - triaged) : (byStatus.get(status) ?? 0);
		return `${statusText(status, t)} ${count}`;
	});
	const median = medianResponse(responseBuckets);
	let response: string;
	if (median === undefined) {
		response = t('stats_response_none');
	} else if (median.to === Number.POSITIVE_INFINITY) {
		response = t('stats_response_over', { from: durationText(median.from, t) });
	} else {
		response = t('stats_response', {
			from: durationText(median.from, t),
			to: durationText(median.to, t),
		});
	}
	return [t('stats_by_status', { statuses: counts.join(', ') }), response];
}
