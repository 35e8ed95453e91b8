// /feedback help, list and delete for members, through the packaged app.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	type ISentFeedback,
	appLogLines,
	entryLine,
	feedbackCount,
	fixturePerTest,
	reply,
	sendFeedback,
	shortIdsIn,
	storedFeedback,
	listText,
} from './app-fixture';
import { timed } from './timing';
import type { LocalHost } from '../../host';

const HELP_LINES = [
	'*How to use /feedback:*',
	'/feedback: open the form and send feedback',
	'/feedback list [page]: your own feedback, newest first, 10 per page',
	'/feedback delete <id>: delete one of your entries',
	'/feedback follow <id>, /feedback unfollow <id>: get, or stop getting, a daily direct message with the status changes of a feedback (you follow what you wrote or voted for)',
	'/feedback notices off, /feedback notices on: turn every direct message about feedback you follow, and survey invitations, off or back on',
];
const HELP_ADMIN = [
	'Admins: /feedback stats, /feedback list all [page], /feedback delete <id> for any entry',
	'Admins: /feedback admin opens the admin view (statistics, filters, status, notes to authors)',
	"Admins: /feedback export [from] [to] [in #room]: everyone's feedback as CSV in your direct messages, or in a room you are in (days as YYYY-MM-DD, UTC)",
	'Admins: /feedback survey new creates a survey; /feedback survey close <id> or reopen <id>',
].join('\n');
const PAGE_INVALID = 'The page must be a whole number from 1 up, for example /feedback list 2.';
const EMPTY_LIST = 'You have not sent any feedback yet. Type /feedback to send some.';

/** Sends `count` entries as a member, oldest first, with varied categories and ratings. */
async function sendMany(
	host: LocalHost,
	username: string,
	count: number,
): Promise<ISentFeedback[]> {
	const sent: ISentFeedback[] = [];
	for (let index = 1; index <= count; index++) {
		const number = String(index).padStart(2, '0');
		sent.push(
			await sendFeedback(host, username, index % 2 ? 'general' : 'feedback', {
				comment: `entry ${number}`,
				category: index % 3 ? 'Idea' : 'Bug',
				rating: index % 4 ? String((index % 5) + 1) : '',
			}),
		);
	}
	return sent;
}

describe('/feedback help', () => {
	const fixture = fixturePerTest('help');

	it('prints the usage for help and for an unknown subcommand, with admin lines for admins only', async () => {
		const { host } = fixture();
		const help = await timed('help', () => reply(host, 'alice', '/feedback help'));
		assert.equal(help, HELP_LINES.join('\n'));
		assert.equal(await reply(host, 'alice', '/feedback HELP'), help, 'subcommands ignore case');
		assert.equal(
			await reply(host, 'admin', '/feedback help'),
			[...HELP_LINES, HELP_ADMIN].join('\n'),
		);
		assert.equal(
			await reply(host, 'alice', '/feedback frobnicate'),
			['`frobnicate` is not a /feedback command.', ...HELP_LINES].join('\n'),
		);
		assert.equal(
			await reply(host, 'alice', '/feedback @all'),
			['`@\u2060all` is not a /feedback command.', ...HELP_LINES].join('\n'),
			'the echoed word cannot mention anyone',
		);
		assert.equal(
			(await reply(host, 'alice', '/feedback https://example.com')).split('\n')[0],
			'`https://example.com` is not a /feedback command.',
			'the echoed word is shown as code, never as a link',
		);
	});
});

describe('/feedback list for members', () => {
	const fixture = fixturePerTest('member lists');

	it('says when a member has no feedback yet', async () => {
		const { host } = fixture();
		assert.equal(await listText(host, 'alice', '/feedback list'), EMPTY_LIST);
		assert.equal(
			await listText(host, 'clara', '/feedback list'),
			'Du hast noch kein Feedback gesendet. Gib /feedback ein, um welches zu senden.',
		);
	});

	it('tells the member when the list cannot be read, and logs why', async () => {
		const { host } = fixture();
		host.setFaultInjection({ rate: 1, methods: ['readByAssociations'] });
		assert.match(await listText(host, 'alice', '/feedback list'), /could not be read/);
		host.setFaultInjection({ rate: 0 });
		const lines = await appLogLines(host);
		assert.ok(
			lines.some((line) => line.startsWith('error') && line.includes('feedback command failed')),
			`the failure is in the app's log:\n${lines.join('\n')}`,
		);
	});

	it("lists a member's own feedback newest first, 10 per page", async () => {
		const { host } = fixture();
		const alice = await timed('12 feedback', () => sendMany(host, 'alice', 12));
		const bruno = await sendFeedback(host, 'bruno', 'general', {
			comment: 'do Bruno',
			rating: '3',
		});

		const newestFirst = [...alice].reverse().map((entry) => entry.shortId);
		const first = await timed('list', () => listText(host, 'alice', '/feedback list'));
		const lines = first.split('\n');
		assert.equal(lines[0], 'Your feedback, page 1 of 2:');
		assert.deepEqual(shortIdsIn(first), newestFirst.slice(0, 10));
		assert.equal(lines.at(-1), 'More: /feedback list 2');
		assert.match(
			entryLine(first, alice[11].shortId),
			new RegExp(
				`^\\*${alice[11].shortId}\\* · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC · \`Bug\` · no rating · Status: New$`,
			),
		);
		assert.match(first, /\n> `entry 12`\n/);
		assert.match(
			entryLine(first, alice[10].shortId),
			/ · `Idea` · 2\/5 · Status: New$/,
			'the rating and the status, no author',
		);
		assert.doesNotMatch(first, /do Bruno|alice/, 'only her own entries, without author');

		const second = await listText(host, 'alice', '/feedback list 2');
		assert.equal(second.split('\n')[0], 'Your feedback, page 2 of 2:');
		assert.deepEqual(shortIdsIn(second), newestFirst.slice(10));
		assert.doesNotMatch(second, /More:/);
		assert.match(second, /> `entry 01`$/);

		const brunoList = await listText(host, 'bruno', '/feedback list');
		assert.equal(brunoList.split('\n')[0], 'Seu feedback, página 1 de 1:');
		assert.deepEqual(shortIdsIn(brunoList), [bruno.shortId]);
	});

	it('answers a page past the end, however large, with the last page', async () => {
		const { host } = fixture();
		await sendMany(host, 'alice', 11);
		await sendFeedback(host, 'bruno', 'general', { comment: 'do Bruno' });
		for (const page of ['3', '4', '99999999999999999999']) {
			assert.equal(
				await listText(host, 'alice', `/feedback list ${page}`),
				'That page does not exist; the last page is 2.',
				page,
			);
		}
		for (const page of ['0', 'two', '-1', '1 2', '1.5', '01x']) {
			assert.equal(await listText(host, 'alice', `/feedback list ${page}`), PAGE_INVALID, page);
		}
		assert.equal(
			await listText(host, 'bruno', '/feedback list 4'),
			'Essa página não existe; a última página é 1.',
		);
		assert.equal(
			await listText(host, 'clara', '/feedback list 99999999999999999999'),
			'Du hast noch kein Feedback gesendet. Gib /feedback ein, um welches zu senden.',
			'no feedback at all: said so, whatever the page',
		);
	});
});

describe('/feedback delete for members', () => {
	const fixture = fixturePerTest('member deletes');

	it("deletes a member's own entry by the id of the list, short or full", async () => {
		const { host } = fixture();
		const alice = await sendMany(host, 'alice', 3);
		const [oldest, middle, newest] = alice;
		assert.equal(
			await timed('delete', () => reply(host, 'alice', `/feedback delete ${newest.shortId}`)),
			`Feedback ${newest.shortId} was deleted.`,
		);
		assert.equal(feedbackCount(host), 2);
		assert.deepEqual(shortIdsIn(await listText(host, 'alice', '/feedback list')), [
			middle.shortId,
			oldest.shortId,
		]);

		assert.equal(
			await reply(host, 'alice', `/feedback delete ${middle.id.toUpperCase()}`),
			`Feedback ${middle.shortId} was deleted.`,
		);
		assert.equal(feedbackCount(host), 1);
		assert.equal(
			await reply(host, 'alice', `/feedback delete ${middle.shortId}`),
			`None of your feedback has the id ${middle.shortId}.`,
			'a deleted entry is gone',
		);
		assert.deepEqual(shortIdsIn(await listText(host, 'alice', '/feedback list')), [oldest.shortId]);
	});

	it('explains a delete without an id, with something that is not an id, with an unknown id or with more than one word', async () => {
		const { host } = fixture();
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'keep me' });
		assert.equal(
			await reply(host, 'alice', '/feedback delete'),
			'Say which entry to delete, for example /feedback delete 1a2b3c4d. The ids are in /feedback list.',
		);
		assert.equal(
			await reply(host, 'alice', '/feedback delete xyz'),
			'`xyz` is not a feedback id. Ids are the 8 characters shown in /feedback list.',
		);
		assert.equal(
			await reply(host, 'alice', '/feedback delete @here'),
			'`@\u2060here` is not a feedback id. Ids are the 8 characters shown in /feedback list.',
		);
		assert.equal(
			await reply(host, 'alice', '/feedback delete deadbeef'),
			'None of your feedback has the id deadbeef.',
		);
		const several =
			'Delete one entry at a time, for example /feedback delete 1a2b3c4d. Nothing was deleted.';
		assert.equal(await reply(host, 'alice', `/feedback delete ${sent.shortId} extra`), several);
		assert.equal(
			await reply(host, 'alice', `/feedback delete ${sent.shortId} ${sent.shortId}`),
			several,
		);
		assert.equal(feedbackCount(host), 1, 'nothing deleted');
	});

	it("does not let a member delete another member's entry", async () => {
		const { host } = fixture();
		const bruno = await sendFeedback(host, 'bruno', 'general', { comment: 'do Bruno' });
		assert.equal(
			await reply(host, 'alice', `/feedback delete ${bruno.shortId}`),
			`None of your feedback has the id ${bruno.shortId}.`,
		);
		assert.equal(
			await reply(host, 'clara', `/feedback delete ${bruno.id}`),
			`Keines deiner Feedbacks hat die ID ${bruno.id}.`,
		);
		assert.equal(feedbackCount(host), 1, 'nothing deleted');
		assert.ok((await storedFeedback(host)).some((record) => record.id === bruno.id));
	});

	it('lets an admin delete any entry', async () => {
		const { host } = fixture();
		const bruno = await sendFeedback(host, 'bruno', 'general', { comment: 'do Bruno' });
		assert.equal(
			await reply(host, 'admin', `/feedback delete ${bruno.shortId}`),
			`Feedback ${bruno.shortId} was deleted.`,
		);
		assert.equal(feedbackCount(host), 0);
		assert.equal(
			await listText(host, 'bruno', '/feedback list'),
			'Você ainda não enviou nenhum feedback. Digite /feedback para enviar.',
		);
		assert.equal(
			await reply(host, 'admin', '/feedback delete deadbeef'),
			'No feedback has the id deadbeef.',
		);
	});
});
