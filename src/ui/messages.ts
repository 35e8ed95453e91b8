import type { IFoldProgress } from '../domain/days';
import { DEFAULT_MESSAGE_MAX_SIZE, fitMessage } from '../domain/messageSize';
import type { IPage } from '../domain/paging';
import { copyRankOf, shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import type { IFeedbackStats } from '../domain/stats';
import { cutToLength, cutToUnits, hasVisibleCharacter, utf16Units } from '../domain/text';
import type { Translator } from '../i18n/translate';

export const COMMENT_PREVIEW_LENGTH = 140;
/** How much of a name, category or typed word a message shows. */
export const NAME_LENGTH = 64;
const WORD_JOINER = '\u2060';

/** Text with nothing that could close inline code or start a mention. */
function inertText(text: string): string {
	return text.replace(/`/g, 'ˋ').replace(/@/g, `@${WORD_JOINER}`);
}

/**
 * Text people typed (comments, names, categories), made safe to show in a message: one line,
 * cut on character boundaries, inside inline code (Rocket.Chat's parser turns nothing there into
 * markdown, links or emoji), with backticks that could close the code replaced and every @
 * split from what follows so no mention (@all, @here, @user) can fire. At most `maxLength`
 * characters as people count them and, quotes included, `maxUnits` UTF-16 units as the server
 * counts a message (src/domain/messageSize.ts).
 */
export function quoteUserText(
	text: string,
	maxLength = COMMENT_PREVIEW_LENGTH,
	maxUnits = Number.POSITIVE_INFINITY,
): string {
	const oneLine = text.replace(/\s+/g, ' ').trim();
	// Cut before it is made safe, measured as it will show: no cut falls between an @ and the
	// word joiner that keeps it from mentioning.
	const shown = cutToUnits(cutToLength(oneLine, maxLength), maxUnits - 2, (part) =>
		utf16Units(inertText(part)),
	);
	return `\`${inertText(shown)}\``;
}

/** A name or category, as safely as a comment and short. */
export function quoteName(text: string, maxUnits = Number.POSITIVE_INFINITY): string {
	return quoteUserText(text, NAME_LENGTH, maxUnits);
}

/** The name to show for a person: the display name, else the username when it shows nothing. */
function personName(name: string, username: string, maxUnits = Number.POSITIVE_INFINITY): string {
	return quoteName(hasVisibleCharacter(name) ? name : username, maxUnits);
}

/** A stored ISO time as "YYYY-MM-DD HH:MM UTC". */
export function formatDate(iso: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime())
		? '?'
		: `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function ratingText(rating: number | null, t: Translator): string {
	return rating === null ? t('list_no_rating') : t('list_rating', { rating });
}

function authorText(record: IFeedbackRecord, t: Translator): string {
	if (record.anonymous || record.author === null) {
		return t('list_anonymous');
	}
	return personName(record.author.username, record.author.id);
}

/** An entry's status as a member's own list shows it: its label, and the team's note ('' for none). */
export interface IShownStatus {
	readonly label: string;
	readonly note: string;
	/** Shown instead of the note: where a duplicate was merged (triageText.ts mergedIntoText). */
	readonly mergedInto?: string;
}

/**
 * One entry of a list: id, date, category, rating (and the author in the admin list; the status in
 * the member's own), then the comment and the team's note.
 */
export function formatEntry(
	record: IFeedbackRecord,
	t: Translator,
	withAuthor: boolean,
	status?: IShownStatus,
): string {
	const parts = [
		`*${shortIdOf(record.id)}*`,
		formatDate(record.createdAt),
		quoteName(record.category),
		ratingText(record.rating, t),
	];
	if (withAuthor) {
		parts.push(authorText(record, t));
	}
	if (status) {
		parts.push(t('entry_status', { status: status.label }));
	}
	const lines = [parts.join(' · '), `> ${quoteUserText(record.comment)}`];
	if (status?.mergedInto !== undefined) {
		lines.push(status.mergedInto);
	} else if (status && status.note !== '') {
		lines.push(t('status_notice_note', { note: quoteUserText(status.note) }));
	}
	return lines.join('\n');
}

/** A page of feedback as one message. */
export function formatFeedbackPage(
	page: IPage<IFeedbackRecord> & { readonly counting?: boolean },
	scope: 'own' | 'all',
	t: Translator,
	statuses?: ReadonlyMap<string, IShownStatus>,
): string {
	if (page.total === 0) {
		return t(scope === 'own' ? 'list_empty' : 'list_all_empty');
	}
	if (page.items.length === 0) {
		return t('error_page_out_of_range', { pages: page.pages });
	}
	let title = t('list_title', { page: page.page, pages: page.pages });
	if (scope === 'all') {
		title = page.counting
			? t('list_all_title_counting', { page: page.page })
			: t('list_all_title', { page: page.page, pages: page.pages, total: page.total });
	}
	const lines = [
		title,
		...page.items.map((record) =>
			formatEntry(record, t, scope === 'all', statuses?.get(record.id)),
		),
	];
	if (page.page < page.pages) {
		lines.push(t(scope === 'own' ? 'list_more' : 'list_all_more', { next: page.page + 1 }));
	}
	return lines.join('\n');
}

function decimal(value: number): string {
	return (Math.round(value * 10) / 10).toFixed(1);
}

/** The statistics, a line each; `showName` shows a category (safely for where it goes). */
export function statsLines(
	stats: IFeedbackStats,
	t: Translator,
	showName: (text: string) => string,
): Array<string> {
	const lines = [t('stats_total', { total: stats.total })];
	lines.push(
		stats.byCategory.length > 0
			? t('stats_by_category', {
					categories: stats.byCategory
						.map(([category, count]) => `${showName(category)} ${count}`)
						.join(', '),
				})
			: t('stats_no_category'),
	);
	lines.push(
		stats.averageRating === null
			? t('stats_no_rating')
			: t('stats_rating', { average: decimal(stats.averageRating), count: stats.ratingCount }),
	);
	lines.push(t('stats_contributors', { count: stats.contributors }));
	lines.push(t('stats_anonymous', { count: stats.anonymous }));
	lines.push(t('stats_messages', { count: stats.messages }));
	lines.push(
		stats.perThousandMessages === null
			? t('stats_per_thousand_none')
			: t('stats_per_thousand', { ratio: decimal(stats.perThousandMessages) }),
	);
	return lines;
}

/** The admin's statistics as one message, with any further lines (triage) at the end. */
export function formatStats(
	stats: IFeedbackStats,
	t: Translator,
	furtherLines: ReadonlyArray<string> = [],
): string {
	return [`*${t('stats_title')}*`, ...statsLines(stats, t, quoteName), ...furtherLines].join('\n');
}

/** Statistics not ready yet: how many days are counted so far (a fold ran out of budget). */
export function preparingText(progress: IFoldProgress, t: Translator): string {
	return t('stats_preparing', {
		done: progress.daysFolded,
		days: progress.daysFolded + progress.daysLeft,
	});
}

/** The usage of /feedback; admins also see their commands. */
export function formatHelp(t: Translator, isAdmin: boolean, unknownWord?: string): string {
	const lines =
		unknownWord === undefined ? [] : [t('help_unknown', { command: quoteName(unknownWord) })];
	lines.push(`*${t('help_title')}*`, t('help_send'), t('help_list'), t('help_delete'));
	lines.push(t('help_follow'), t('help_notices'));
	if (isAdmin) {
		lines.push(t('help_admin'), t('help_admin_view'), t('help_export'), t('help_survey'));
	}
	return lines.join('\n');
}

/** How much of a comment an announcement shows, as people count characters. */
export const ANNOUNCED_COMMENT_LENGTH = 500;

/**
 * The room announcement of a new feedback, never naming an anonymous author, at most `maxSize`
 * UTF-16 units (the server's Message_MaxAllowedSize): the comment is cut first, then the author's
 * name and the category; the id and copy the app finds its posts by are never cut.
 */
export function formatAnnouncement(
	record: IFeedbackRecord,
	t: Translator,
	maxSize = DEFAULT_MESSAGE_MAX_SIZE,
): string {
	return fitMessage(maxSize, 2, ([comment, names]) => {
		// The id and the creation time come first, each in inline code, before any text a person
		// typed (which can hold no backtick): the heading names the stored copy and cannot be forged.
		const params = {
			id: `\`${record.id}\``,
			// The creation time, and a digest of the copy's content for copies stored in one millisecond.
			created: `\`${copyRankOf(record)}\``,
			category: quoteName(record.category, names),
			rating: ratingText(record.rating, t),
		};
		const heading =
			record.anonymous || record.author === null
				? t('announce_anonymous', params)
				: t('announce_named', {
						...params,
						author: personName(record.author.name, record.author.username, names),
					});
		return `${heading}\n> ${quoteUserText(record.comment, ANNOUNCED_COMMENT_LENGTH, comment)}`;
	});
}

/** Which stored copy of a feedback an announcement names. */
export interface IAnnouncementKey {
	readonly feedbackId: string;
	/** The copy's rank (domain/record.ts copyRankOf): racing copies of one feedback differ in it. */
	readonly copyRank: string;
}

/** The feedback and copy an announcement's heading names: its first two inline codes. */
export function announcementKeyOf(text: string | undefined): IAnnouncementKey | undefined {
	const heading = (text ?? '').split('\n', 1)[0];
	const found = /^[^`]*`([0-9a-f-]+)`[^`]*`([^`]+)`/.exec(heading);
	return found ? { feedbackId: found[1], copyRank: found[2] } : undefined;
}
