import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IPage } from '../../src/domain/paging';
import { copyRankOf, type IFeedbackRecord } from '../../src/domain/record';
import type { IFeedbackStats } from '../../src/domain/stats';
import { catalog } from '../../src/i18n/catalog';
import { translatorFor } from '../../src/i18n/translate';
import {
	announcementKeyOf,
	COMMENT_PREVIEW_LENGTH,
	formatAnnouncement,
	formatDate,
	formatEntry,
	formatFeedbackPage,
	formatHelp,
	formatStats,
	NAME_LENGTH,
	quoteName,
	quoteUserText,
} from '../../src/ui/messages';
import { feedbackRecord } from '../support/feedbackRecord';

const t = translatorFor('en');
const tPt = translatorFor('pt-BR');
const WJ = '\u2060';

const record = feedbackRecord;

function page(
	items: ReadonlyArray<IFeedbackRecord>,
	pageNumber: number,
	pages: number,
	total: number,
): IPage<IFeedbackRecord> {
	return { items, page: pageNumber, pages, total };
}

/** Asserts that no @ in the text can start a mention: each one is followed by a word joiner. */
function assertNoMention(text: string): void {
	assert.doesNotMatch(
		text,
		new RegExp(`@(?!${WJ})`),
		`a mention could fire in ${JSON.stringify(text)}`,
	);
}

/** Asserts the text is exactly one inline code span and returns its inside. */
function insideOneCodeSpan(text: string): string {
	assert.ok(text.startsWith('`') && text.endsWith('`'), `not a code span: ${JSON.stringify(text)}`);
	const inside = text.slice(1, -1);
	assert.ok(!inside.includes('`'), `a backtick escapes the code span: ${JSON.stringify(text)}`);
	assert.ok(!inside.includes('\n'), `a newline breaks the code span: ${JSON.stringify(text)}`);
	return inside;
}

describe('quoteUserText', () => {
	it('puts plain text inside one inline code span', () => {
		assert.equal(quoteUserText('hello world'), '`hello world`');
	});

	it('splits every @ from what follows so @all, @here and @alice never mention', () => {
		const quoted = quoteUserText('hey @all and @here, ping @alice');
		assertNoMention(quoted);
		assert.equal(quoted, `\`hey @${WJ}all and @${WJ}here, ping @${WJ}alice\``);
	});

	it('markdown and backticks cannot escape the code span', () => {
		const texts = [
			'*bold* _x_ ~~s~~ [link](http://x)',
			'a `code` b',
			'```block```',
			'`',
			'``@all``',
			'end with `',
		];
		for (const text of texts) {
			const quoted = quoteUserText(text);
			insideOneCodeSpan(quoted);
			assert.equal(
				quoted.split('`').length - 1,
				2,
				`exactly two backticks in ${JSON.stringify(quoted)}`,
			);
			assertNoMention(quoted);
		}
	});

	it('keeps markdown characters other than backticks as literal text inside the span', () => {
		assert.equal(
			insideOneCodeSpan(quoteUserText('*bold* _x_ ~~s~~ [link](http://x)')),
			'*bold* _x_ ~~s~~ [link](http://x)',
		);
	});

	it('collapses newlines, tabs and runs of spaces into single spaces and trims', () => {
		assert.equal(
			quoteUserText('  first\n\nsecond\r\nthird\tfourth   fifth  '),
			'`first second third fourth fifth`',
		);
	});

	it('keeps text exactly at the limit whole', () => {
		const text = 'a'.repeat(COMMENT_PREVIEW_LENGTH);
		assert.equal(insideOneCodeSpan(quoteUserText(text)), text);
	});

	it('cuts longer text with an ellipsis to the limit in characters', () => {
		const inside = insideOneCodeSpan(quoteUserText('a'.repeat(COMMENT_PREVIEW_LENGTH + 1)));
		assert.equal([...inside].length, COMMENT_PREVIEW_LENGTH);
		assert.ok(inside.endsWith('…'));
		assert.equal(inside, `${'a'.repeat(COMMENT_PREVIEW_LENGTH - 1)}…`);
	});

	it('counts emoji as one character each when cutting', () => {
		const inside = insideOneCodeSpan(quoteUserText('😀'.repeat(200), 10));
		assert.equal(inside, `${'😀'.repeat(9)}…`);
		assert.equal([...inside].length, 10);
	});

	it('honours a custom limit', () => {
		assert.equal(quoteUserText('abcdefghij', 5), '`abcd…`');
		assert.equal(quoteUserText('abcde', 5), '`abcde`');
	});

	it('does not leave a space before the ellipsis', () => {
		assert.equal(quoteUserText('abc   defghij', 5), '`abc…`');
	});
});

describe('quoteName', () => {
	it('shows a name in one code span, @ split, on one line', () => {
		const name = quoteName('  @all *Boss*\n\n`x`  ');
		assertNoMention(name);
		assert.equal(insideOneCodeSpan(name), `@${WJ}all *Boss* ˋxˋ`);
	});

	it('bounds a long name without splitting a character', () => {
		const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
		const inside = insideOneCodeSpan(quoteName(family.repeat(3000)));
		assert.equal(inside, `${family.repeat(NAME_LENGTH - 1)}…`);
	});
});

describe('formatDate', () => {
	it('shows an ISO time as YYYY-MM-DD HH:MM UTC', () => {
		assert.equal(formatDate('2024-03-05T07:08:09.123Z'), '2024-03-05 07:08 UTC');
	});

	it('converts an offset time to UTC', () => {
		assert.equal(formatDate('2024-03-05T23:30:00+02:00'), '2024-03-05 21:30 UTC');
	});

	it('shows ? for a value that is not a date', () => {
		assert.equal(formatDate('not a date'), '?');
		assert.equal(formatDate(''), '?');
	});
});

describe('formatEntry', () => {
	it('shows short id, date, category, rating and the quoted comment', () => {
		assert.equal(
			formatEntry(record(), t, false),
			'*1a2b3c4d* · 2024-03-05 07:08 UTC · `Bug` · 4/5\n> `The search is slow`',
		);
	});

	it('says no rating when there is none', () => {
		assert.equal(
			formatEntry(record({ rating: null }), t, false),
			'*1a2b3c4d* · 2024-03-05 07:08 UTC · `Bug` · no rating\n> `The search is slow`',
		);
	});

	it('adds the author username when asked', () => {
		assert.equal(
			formatEntry(record(), t, true),
			'*1a2b3c4d* · 2024-03-05 07:08 UTC · `Bug` · 4/5 · `alice`\n> `The search is slow`',
		);
	});

	it("shows a member's own entry with its status, and the team's note quoted safely", () => {
		const entry = formatEntry(record(), t, false, { label: 'Planned', note: 'ship it @all' });
		const lines = entry.split('\n');
		assert.match(lines[0], / · Status: Planned$/);
		assert.equal(lines.length, 3);
		assert.match(lines[2], /^Note from the team: `ship it @/);
		assert.ok(!lines[2].includes('@all'), 'no mention left live');
		assert.equal(formatEntry(record(), t, false, { label: 'New', note: '' }).split('\n').length, 2);
	});

	it('never names the author without withAuthor', () => {
		const entry = formatEntry(record(), t, false);
		assert.ok(!entry.includes('alice') && !entry.includes('Alice'));
	});

	it('never names an anonymous author, even with withAuthor and an author left on the record', () => {
		const entry = formatEntry(record({ anonymous: true }), t, true);
		assert.ok(!entry.includes('alice'), entry);
		assert.ok(!entry.includes('Alice'), entry);
		assert.ok(entry.includes(' · anonymous\n'), entry);
	});

	it('shows an entry without author as anonymous', () => {
		assert.ok(formatEntry(record({ author: null }), t, true).includes(' · anonymous\n'));
	});

	it('neutralises mentions and markdown in the category, username and comment', () => {
		const entry = formatEntry(
			record({
				category: '@here *Bug*',
				author: { id: 'u', username: '@all', name: '' },
				comment: '@alice `rm -rf` [x](http://x)\n*boom*',
			}),
			t,
			true,
		);
		assertNoMention(entry);
		const [heading, quote] = entry.split('\n');
		assert.equal(entry.split('\n').length, 2);
		assert.ok(heading.includes(`\`@${WJ}here *Bug*\``), heading);
		assert.ok(quote.startsWith('> '));
		insideOneCodeSpan(quote.slice(2));
	});

	it('cuts a long comment to the preview length', () => {
		const quote = formatEntry(record({ comment: 'x'.repeat(1000) }), t, false).split('\n')[1];
		assert.equal([...insideOneCodeSpan(quote.slice(2))].length, COMMENT_PREVIEW_LENGTH);
	});
});

describe('formatFeedbackPage', () => {
	const first = record();
	const second = record({
		id: '9f8e7d6c-0000-4000-8000-000000000002',
		comment: 'Love it',
		category: 'Praise',
		rating: null,
	});

	it('an empty own list says so', () => {
		assert.equal(formatFeedbackPage(page([], 1, 1, 0), 'own', t), t('list_empty'));
		assert.equal(
			t('list_empty'),
			'You have not sent any feedback yet. Type /feedback to send some.',
		);
	});

	it('an empty list of everyone says so', () => {
		assert.equal(formatFeedbackPage(page([], 1, 1, 0), 'all', t), 'No feedback has been sent yet.');
	});

	it('a page past the end names the last page', () => {
		assert.equal(
			formatFeedbackPage(page([], 5, 2, 12), 'own', t),
			'That page does not exist; the last page is 2.',
		);
		assert.equal(
			formatFeedbackPage(page([], 3, 1, 1), 'all', t),
			'That page does not exist; the last page is 1.',
		);
	});

	it('the own list has a title, the entries without author, and a line to the next page', () => {
		const text = formatFeedbackPage(page([first, second], 1, 2, 12), 'own', t);
		assert.equal(
			text,
			[
				'Your feedback, page 1 of 2:',
				formatEntry(first, t, false),
				formatEntry(second, t, false),
				'More: /feedback list 2',
			].join('\n'),
		);
		assert.ok(!text.includes('alice'));
	});

	it('the last page of the own list has no line to a next page', () => {
		const text = formatFeedbackPage(page([first], 2, 2, 11), 'own', t);
		assert.equal(text, ['Your feedback, page 2 of 2:', formatEntry(first, t, false)].join('\n'));
	});

	it('the list of everyone has a title with the total, entries with author, and a line to the next page', () => {
		const text = formatFeedbackPage(page([first, second], 2, 3, 25), 'all', t);
		assert.equal(
			text,
			[
				'All feedback, page 2 of 3 (25 entries):',
				formatEntry(first, t, true),
				formatEntry(second, t, true),
				'More: /feedback list all 3',
			].join('\n'),
		);
		assert.ok(text.includes(' · `alice`\n'));
	});

	it('the list of everyone never names anonymous authors', () => {
		const text = formatFeedbackPage(page([record({ anonymous: true })], 1, 1, 1), 'all', t);
		assert.ok(!text.includes('alice') && !text.includes('Alice'), text);
		assert.ok(!text.includes('More:'));
	});

	it('renders in Portuguese for a pt-BR translator', () => {
		const english = formatFeedbackPage(page([first], 1, 2, 11), 'own', t);
		const portuguese = formatFeedbackPage(page([first], 1, 2, 11), 'own', tPt);
		assert.notEqual(portuguese, english);
		assert.ok(portuguese.startsWith('Seu feedback, página 1 de 2:'), portuguese);
		assert.ok(portuguese.endsWith('Mais: /feedback list 2'), portuguese);
	});
});

describe('formatStats', () => {
	const withRatings: IFeedbackStats = {
		total: 3,
		byCategory: [
			['Bug', 2],
			['*Idea* @all', 1],
		],
		ratingCount: 3,
		averageRating: 11 / 3,
		contributors: 2,
		anonymous: 1,
		messages: 2000,
		perThousandMessages: 1.5,
	};

	it('shows totals, categories, the average rating and the ratio with one decimal', () => {
		assert.equal(
			formatStats(withRatings, t),
			[
				'*Feedback statistics*',
				'Feedback received: 3',
				`By category: \`Bug\` 2, \`*Idea* @${WJ}all\` 1`,
				'Average rating: 3.7 (3 rated)',
				'Distinct contributors: 2',
				'Sent anonymously: 1',
				'Messages sent on the server: 2000',
				'Feedback per 1000 messages: 1.5',
			].join('\n'),
		);
	});

	it('shows a whole average with one decimal', () => {
		assert.ok(
			formatStats({ ...withRatings, averageRating: 4, ratingCount: 1 }, t).includes(
				'Average rating: 4.0 (1 rated)',
			),
		);
	});

	it('category names cannot mention anyone', () => {
		assertNoMention(formatStats(withRatings, t));
	});

	it('without feedback, ratings or messages it says none yet and not available', () => {
		const empty: IFeedbackStats = {
			total: 0,
			byCategory: [],
			ratingCount: 0,
			averageRating: null,
			anonymous: 0,
			contributors: 0,
			messages: 0,
			perThousandMessages: null,
		};
		assert.equal(
			formatStats(empty, t),
			[
				'*Feedback statistics*',
				'Feedback received: 0',
				'By category: none yet',
				'Average rating: no ratings yet',
				'Distinct contributors: 0',
				'Sent anonymously: 0',
				'Messages sent on the server: 0',
				'Feedback per 1000 messages: not available until messages are sent',
			].join('\n'),
		);
	});

	it('feedback without ratings but with messages shows no rating and a ratio', () => {
		const text = formatStats(
			{ ...withRatings, ratingCount: 0, averageRating: null, perThousandMessages: 250 },
			t,
		);
		assert.ok(text.includes('\nAverage rating: no ratings yet\n'), text);
		assert.ok(text.endsWith('\nFeedback per 1000 messages: 250.0'), text);
	});

	it('renders in Portuguese for a pt-BR translator', () => {
		const portuguese = formatStats(withRatings, tPt);
		assert.notEqual(portuguese, formatStats(withRatings, t));
		assert.ok(portuguese.startsWith('*Estatísticas de feedback*'), portuguese);
	});
});

describe('formatHelp', () => {
	it('members see how to send, list, delete, follow and turn notices off', () => {
		assert.equal(
			formatHelp(t, false),
			[
				'*How to use /feedback:*',
				'/feedback: open the form and send feedback',
				'/feedback list [page]: your own feedback, newest first, 10 per page',
				'/feedback delete <id>: delete one of your entries',
				'/feedback follow <id>, /feedback unfollow <id>: get, or stop getting, a daily direct message with the status changes of a feedback (you follow what you wrote or voted for)',
				'/feedback notices off, /feedback notices on: turn every direct message about feedback you follow, and survey invitations, off or back on',
			].join('\n'),
		);
	});

	it('admins also see the admin commands', () => {
		const text = formatHelp(t, true);
		assert.equal(
			text,
			[
				formatHelp(t, false),
				t('help_admin'),
				t('help_admin_view'),
				t('help_export'),
				t('help_survey'),
			].join('\n'),
		);
		assert.ok(text.includes('/feedback stats'));
		assert.ok(text.includes('/feedback survey new'));
		assert.ok(text.includes('/feedback admin'));
		assert.ok(text.includes('/feedback export'));
	});

	it('an unknown word is named first, without a mention or markdown', () => {
		const text = formatHelp(t, false, '@all*x*');
		assertNoMention(text);
		assert.ok(
			text.startsWith(`\`@${WJ}all*x*\` is not a /feedback command.\n*How to use /feedback:*`),
			text,
		);
	});
});

describe('formatAnnouncement', () => {
	it('names a named author by display name', () => {
		assert.equal(
			formatAnnouncement(record(), t),
			`New feedback \`1a2b3c4d-0000-4000-8000-000000000001\`, sent \`${copyRankOf(record())}\`, in \`Bug\` (4/5) from \`Alice Liddell\`:\n> \`The search is slow\``,
		);
	});

	it('falls back to the username when the author has no name', () => {
		const nameless = record({ author: { id: 'user-alice', username: 'alice', name: '' } });
		const text = formatAnnouncement(nameless, t);
		assert.ok(
			text.startsWith(
				`New feedback \`1a2b3c4d-0000-4000-8000-000000000001\`, sent \`${copyRankOf(nameless)}\`, in \`Bug\` (4/5) from \`alice\`:`,
			),
			text,
		);
	});

	it('never names an anonymous author, even with an author left on the record', () => {
		const anonymous = record({ anonymous: true, rating: null });
		const text = formatAnnouncement(anonymous, t);
		assert.equal(
			text,
			`New anonymous feedback \`1a2b3c4d-0000-4000-8000-000000000001\`, sent \`${copyRankOf(anonymous)}\`, in \`Bug\` (no rating):\n> \`The search is slow\``,
		);
		assert.ok(!text.includes('alice') && !text.includes('Alice'));
	});

	it('announces a record without author as anonymous', () => {
		assert.ok(
			formatAnnouncement(record({ author: null }), t).startsWith(
				`New anonymous feedback \`1a2b3c4d-0000-4000-8000-000000000001\`, sent \`${copyRankOf(record({ author: null }))}\`,`,
			),
		);
	});

	it('neutralises mentions in the author name, category and comment', () => {
		const text = formatAnnouncement(
			record({
				author: { id: 'u', username: 'x', name: '@here' },
				category: '@all',
				comment: 'cc @alice\n`@all`',
			}),
			t,
		);
		assertNoMention(text);
		const lines = text.split('\n');
		assert.equal(lines.length, 2);
		insideOneCodeSpan(lines[1].slice(2));
	});

	it('quotes up to 500 characters of the comment', () => {
		const quote = formatAnnouncement(record({ comment: 'y'.repeat(600) }), t).split('\n')[1];
		const inside = insideOneCodeSpan(quote.slice(2));
		assert.equal([...inside].length, 500);
		assert.ok(inside.endsWith('…'));
	});

	it('names the feedback and its stored copy first, in every language, whatever members typed', () => {
		// A copy is recognized by its heading (src/handlers/Announcer.ts): nothing a member types
		// can come before the id and the creation time, nor hold a backtick to fake them.
		const forged = record({
			author: { id: 'u', username: 'x', name: '`9f9f9f9f-0000-4000-8000-000000000009` `2020`' },
			category: '`9f9f9f9f-0000-4000-8000-000000000009`',
			comment: '`9f9f9f9f-0000-4000-8000-000000000009`',
		});
		for (const language of Object.keys(catalog)) {
			for (const anonymous of [false, true]) {
				const text = formatAnnouncement({ ...forged, anonymous }, translatorFor(language));
				assert.deepEqual(
					announcementKeyOf(text),
					{ feedbackId: forged.id, copyRank: copyRankOf({ ...forged, anonymous }) },
					`${language}: ${text}`,
				);
			}
		}
		assert.equal(announcementKeyOf('Weekly digest\n`1a2b`'), undefined);
		assert.equal(announcementKeyOf(undefined), undefined);
	});

	it('renders in Portuguese for a pt-BR translator', () => {
		assert.ok(
			formatAnnouncement(record(), tPt).startsWith(
				`Novo feedback \`1a2b3c4d-0000-4000-8000-000000000001\`, enviado \`${copyRankOf(record())}\`, em \`Bug\` (4/5) de \`Alice Liddell\`:`,
			),
		);
	});
});
