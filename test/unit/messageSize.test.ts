// Messages cut to the server's Message_MaxAllowedSize, counted as the server counts it (UTF-16
// units), on boundaries between the characters people see, with the parts the app finds its own
// posts by left whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { headingOf } from '../../src/domain/convergence';
import { weeksOfSlot } from '../../src/domain/digest';
import type { IWeekSummary } from '../../src/domain/digest';
import {
	DEFAULT_MESSAGE_MAX_SIZE,
	fitMessage,
	MessageTooLongError,
	SMALLEST_CUT_QUOTE,
} from '../../src/domain/messageSize';
import { copyRankOf } from '../../src/domain/record';
import { FeedbackStatus, type IStatusChange } from '../../src/domain/status';
import { cutToUnits, ELLIPSIS } from '../../src/domain/text';
import { translatorFor } from '../../src/i18n/translate';
import { readMessageMaxSize } from '../../src/settings/serverSettings';
import { digestHeading, formatDigest } from '../../src/ui/digestText';
import { announcementKeyOf, formatAnnouncement, quoteUserText } from '../../src/ui/messages';
import { formatStatusUpdate } from '../../src/ui/triageText';
import { feedbackRecord } from '../support/feedbackRecord';
import { readAsRocketChat } from '../support/messageSafety';

const t = translatorFor('en');
/** One character seen, 11 UTF-16 units: four emoji joined by zero-width joiners. */
const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
/** One character seen, 4 units: two regional indicators. */
const FLAG = '\u{1F1E7}\u{1F1F7}';
/** One character seen, 2 units: a surrogate pair. */
const GRIN = '\u{1F600}';
/** One character seen: e and a combining acute accent. */
const E_ACUTE = 'e\u0301';

const record = feedbackRecord;

function change(note: string, feedbackId = record().id): IStatusChange {
	return {
		id: `change-${feedbackId}`,
		feedbackId,
		feedbackCreatedAt: record().createdAt,
		status: FeedbackStatus.Planned,
		note,
		adminId: 'admin',
		at: '2024-03-06T10:00:00.000Z',
	};
}

/** Whether every lone surrogate is absent: a cut never leaves half of an emoji. */
function isWellFormed(text: string): boolean {
	return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

describe('cutToUnits', () => {
	it('leaves a text that fits as it is', () => {
		assert.equal(cutToUnits('abc', 3), 'abc');
		assert.equal(cutToUnits(FAMILY, 11), FAMILY);
		assert.equal(cutToUnits('', 0), '');
	});

	it('cuts with an ellipsis, within the units, ellipsis included', () => {
		assert.equal(cutToUnits('abcdef', 4), 'abc…');
		assert.equal(cutToUnits('abc def', 5), 'abc…', 'no space before the ellipsis');
	});

	it('keeps ZWJ sequences, flags, surrogate pairs and combining marks whole', () => {
		assert.equal(cutToUnits(FAMILY.repeat(3), 30), `${FAMILY}${FAMILY}…`);
		assert.equal(cutToUnits(FAMILY.repeat(3), 22), `${FAMILY}…`, '22 holds one family and …');
		assert.equal(cutToUnits(FAMILY.repeat(3), 11), '…', 'not a piece of a family');
		assert.equal(cutToUnits(FLAG.repeat(3), 8), `${FLAG}…`, 'not one regional indicator');
		assert.equal(cutToUnits(GRIN.repeat(3), 4), `${GRIN}…`);
		assert.equal(cutToUnits(GRIN.repeat(3), 2), '…', 'never half a surrogate pair');
		assert.equal(cutToUnits(E_ACUTE.repeat(3), 3), 'e\u0301…', 'the accent stays on its e');
		for (let units = 0; units <= 40; units += 1) {
			const cut = cutToUnits(`${FAMILY}${FLAG}${GRIN}${E_ACUTE}x`.repeat(2), units);
			assert.ok(cut.length <= units, `${cut.length} <= ${units}`);
			assert.ok(isWellFormed(cut), `${units}: ${JSON.stringify(cut)}`);
		}
	});

	it('gives nothing when not even the ellipsis fits', () => {
		assert.equal(cutToUnits('abc', 0), '');
		assert.equal(cutToUnits('abc', -5), '');
		assert.equal(cutToUnits('abc', 1), ELLIPSIS);
	});

	it('measures a character as it will be shown when told how', () => {
		const doubled = (part: string) => part.replace(/@/g, '@@').length;
		assert.equal(cutToUnits('a@b@c', 5, doubled), 'a@b…', 'a, @@, b and … make 5');
		assert.equal(cutToUnits('a@b@c', 4, doubled), 'a@…');
	});
});

describe('quoteUserText within units', () => {
	it('fits its quotes, the ellipsis and every @ made inert within the units', () => {
		const quoted = quoteUserText('@all '.repeat(20), 500, 20);
		assert.ok(quoted.length <= 20, quoted);
		assert.equal(quoted, '`@\u2060all @\u2060all @\u2060all…`');
		assert.deepEqual(readAsRocketChat(quoted).active, []);
	});

	it('never cuts between an @ and what keeps it from mentioning', () => {
		for (let units = SMALLEST_CUT_QUOTE; units < 30; units += 1) {
			const quoted = quoteUserText('@@@@@@@@@@@@@@@@', 500, units);
			assert.ok(quoted.length <= units);
			assert.match(quoted, /^`(?:@\u2060)*…`$/u, quoted);
		}
	});

	it('is the whole quote when it fits, and `…` at the least', () => {
		assert.equal(quoteUserText('short', 500, 7), '`short`');
		assert.equal(quoteUserText('longer', 500, SMALLEST_CUT_QUOTE), '`…`');
	});
});

describe('fitMessage', () => {
	const build = (texts: string[][]) => (caps: ReadonlyArray<number>) =>
		texts
			.map((tier, index) => tier.map((text) => quoteUserText(text, 10_000, caps[index])).join(' '))
			.join('\n');

	it('cuts nothing that fits', () => {
		assert.equal(fitMessage(100, 1, build([['a', 'b']])), '`a` `b`');
	});

	it('cuts the longest texts of the first tier to one cap, the short ones stay whole', () => {
		const message = fitMessage(40, 2, build([['x'.repeat(50), 'y'.repeat(50), 'z'], ['name']]));
		assert.equal(message.length, 40);
		const [first, second] = message.split('\n');
		assert.equal(second, '`name`', 'the second tier is not cut while the first can give');
		const [x, y, z] = first.split(' ');
		assert.equal(z, '`z`');
		assert.match(x, /^`x+…`$/);
		assert.ok(Math.abs(x.length - y.length) <= 1, `${x} ${y}`);
	});

	it('cuts the next tier only when the first at its least is not enough', () => {
		const message = fitMessage(30, 2, build([['x'.repeat(50)], ['n'.repeat(50)]]));
		const [first, second] = message.split('\n');
		assert.equal(first, '`…`');
		assert.match(second, /^`n+…`$/);
		assert.equal(message.length, 30);
	});

	it('refuses, naming the setting, when the rest of the message alone is too long', () => {
		const heading = 'h'.repeat(50);
		assert.throws(
			() => fitMessage(40, 1, (caps) => `${heading}\n${quoteUserText('text', 100, caps[0])}`),
			(error: unknown) =>
				error instanceof MessageTooLongError &&
				error.maxSize === 40 &&
				error.smallest === 54 &&
				/Message_MaxAllowedSize is 40/.test(error.message),
		);
	});
});

describe('messages from what people typed, at Message_MaxAllowedSize', () => {
	it('an announcement of 480 family emoji fits 5000, its heading whole, cut after a family', () => {
		const feedback = record({ comment: FAMILY.repeat(480) });
		const text = formatAnnouncement(feedback, t);
		assert.ok(text.length <= DEFAULT_MESSAGE_MAX_SIZE && text.length > 5000 - FAMILY.length);
		assert.deepEqual(announcementKeyOf(text), {
			feedbackId: feedback.id,
			copyRank: copyRankOf(feedback),
		});
		assert.match(text.split('\n')[1], new RegExp(`^> \`(?:${FAMILY})+…\`$`, 'u'));
	});

	it('an announcement with a long name and category at 500 cuts the comment, then the names, never the key', () => {
		const feedback = record({
			author: { id: 'u', username: 'u', name: FAMILY.repeat(64) },
			category: FLAG.repeat(64),
			comment: 'c'.repeat(450),
		});
		for (const size of [500, 300, 200]) {
			const text = formatAnnouncement(feedback, t, size);
			assert.ok(text.length <= size, `${text.length} <= ${size}`);
			assert.ok(isWellFormed(text));
			assert.deepEqual(announcementKeyOf(text)?.feedbackId, feedback.id);
		}
		// Where the comment alone can give way, the name and category stay whole.
		const roomy = formatAnnouncement(feedback, t, 1300);
		assert.ok(roomy.includes(FAMILY.repeat(64)) && roomy.includes(FLAG.repeat(64)));
		assert.match(roomy.split('\n')[1], /^> `c{100,}…`$/);
		assert.equal(formatAnnouncement(feedback, t, 500).split('\n')[1], '> `…`');
		assert.throws(() => formatAnnouncement(feedback, t, 100), MessageTooLongError);
	});

	it('a status notice of five long notes at 500 keeps its heading and names every feedback', () => {
		const items = [1, 2, 3, 4, 5].map((index) => {
			const id = `1a2b3c4${index}-0000-4000-8000-000000000001`;
			return {
				record: record({ id, comment: FAMILY.repeat(80) }),
				change: change(GRIN.repeat(460), id),
			};
		});
		const text = formatStatusUpdate('0123456789abcdef', items[0].change.at, items, t, 500);
		assert.ok(text.length <= 500, `${text.length}`);
		assert.ok(isWellFormed(text));
		assert.equal(
			headingOf(text),
			'Update on your feedback · 2024-03-06 10:00 UTC · ref 0123456789abcdef',
		);
		for (const { record: each } of items) {
			assert.ok(text.includes(`Your feedback ${each.id.slice(0, 8)} (`), each.id);
		}
		assert.equal(
			text.split('\n').filter((line) => line.startsWith('Note from the team: `')).length,
			5,
		);
	});

	it('a status notice with a note of 460 family emoji fits the default 5000', () => {
		const items = [{ record: record(), change: change(FAMILY.repeat(460)) }];
		const text = formatStatusUpdate('0123456789abcdef', items[0].change.at, items, t);
		assert.ok(text.length <= 5000 && text.length > 5000 - FAMILY.length, `${text.length}`);
		assert.match(text.split('\n')[2], new RegExp(`^Note from the team: \`(?:${FAMILY})+…\`$`, 'u'));
	});

	it('a digest with long category names fits, its heading whole', () => {
		const weeks = weeksOfSlot(new Date('2026-01-12T09:00:00Z'));
		const week: IWeekSummary = {
			total: 3,
			byCategory: ['A', 'B', 'C'].map((letter) => [`${letter}${FAMILY.repeat(63)}`, 1]),
			byStatus: new Map(),
			averageRating: null,
		};
		const previous: IWeekSummary = { ...week, total: 0, byCategory: [] };
		const text = formatDigest(week, previous, weeks, t, 400);
		assert.ok(text.length <= 400, `${text.length}`);
		assert.equal(headingOf(text), digestHeading(weeks, t));
		assert.match(
			text,
			new RegExp(`By category: \`A(?:${FAMILY})*…\` 1, \`B(?:${FAMILY})*…\` 1`, 'u'),
		);
	});
});

describe('readMessageMaxSize', () => {
	const warnings: string[] = [];
	const logger = { warn: (text: string) => warnings.push(text) } as unknown as ILogger;
	const readWith = (getValueById: () => Promise<unknown>) =>
		({
			getEnvironmentReader: () => ({ getServerSettings: () => ({ getValueById }) }),
		}) as unknown as IRead;

	it('reads the server’s value, as the server compares it', async () => {
		assert.equal(
			await readMessageMaxSize(
				readWith(async () => 500),
				logger,
			),
			500,
		);
		assert.equal(
			await readMessageMaxSize(
				readWith(async () => 500.5),
				logger,
			),
			500,
		);
		assert.equal(
			await readMessageMaxSize(
				readWith(async () => '300'),
				logger,
			),
			300,
		);
		assert.equal(
			await readMessageMaxSize(
				readWith(async () => 0),
				logger,
			),
			0,
		);
		assert.deepEqual(warnings, []);
	});

	it('falls back to 5000, logged, when the setting cannot be read or is no number', async () => {
		const failing = readWith(async () => {
			throw new Error('No Server Setting found');
		});
		assert.equal(await readMessageMaxSize(failing, logger), 5000);
		assert.equal(
			await readMessageMaxSize(
				readWith(async () => 'lots'),
				logger,
			),
			5000,
		);
		assert.equal(
			await readMessageMaxSize(
				readWith(async () => undefined),
				logger,
			),
			5000,
		);
		assert.equal(warnings.length, 3);
		assert.ok(warnings.every((warning) => warning.includes('Message_MaxAllowedSize')));
	});
});
