import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
	type IEngineFixture,
	type ISentFeedback,
	feedbackCount,
	onlyReply,
	optionValues,
	sendFeedback,
	SETTING,
	startFixture,
	statsMessageCount,
	stopFixture,
	storedFeedback,
} from './app-fixture';
import { timed } from './timing';
import type { LocalHost } from '../../host/local-host';

const HELP_LINES = [
	'*How to use /feedback:*',
	'/feedback: open the form and send feedback',
	'/feedback list [page]: your own feedback, newest first, 10 per page',
	'/feedback delete <id>: delete one of your entries',
];
const HELP_ADMIN =
	'Admins: /feedback stats, /feedback list all [page], /feedback delete <id> for any entry';
const PAGE_INVALID = 'The page must be a whole number from 1 up, for example /feedback list 2.';
const STATS_REFUSED = 'Only workspace admins can see feedback statistics.';
const LIST_ALL_REFUSED = "Only workspace admins can list everyone's feedback.";

/** The short ids of a list reply, in the order shown (`*1a2b3c4d* · date · ...`). */
function shortIdsIn(text: string): string[] {
	return [...text.matchAll(/^\*([0-9a-f]{8})\* · /gm)].map((match) => match[1]);
}

/** The header line of one entry in a list reply. */
function entryLine(text: string, shortId: string): string {
	const line = text.split('\n').find((candidate) => candidate.startsWith(`*${shortId}* · `));
	assert.ok(line, `entry ${shortId} in:\n${text}`);
	return line;
}

async function reply(host: LocalHost, username: string, text: string): Promise<string> {
	return onlyReply(await host.runSlashCommand(username, 'general', text));
}

describe('/feedback list, delete and help for members', () => {
	let fixture: IEngineFixture | undefined;
	let host: LocalHost;
	/** Alice's twelve entries, oldest first. */
	const alice: ISentFeedback[] = [];
	let brunoEntry: ISentFeedback;

	before(async () => {
		fixture = await startFixture('member commands');
		host = fixture.host;
	});

	after(async () => {
		await stopFixture(fixture);
	});

	it('prints the usage for help and for an unknown subcommand, with admin lines for admins only', async () => {
		const help = await timed('help', () => reply(host, 'alice', '/feedback help'));
		assert.equal(help, HELP_LINES.join('\n'));
		assert.equal(await reply(host, 'alice', '/feedback HELP'), help, 'subcommands ignore case');
		assert.equal(
			await reply(host, 'admin', '/feedback help'),
			[...HELP_LINES, HELP_ADMIN].join('\n'),
		);
		assert.equal(
			await reply(host, 'alice', '/feedback frobnicate'),
			['"frobnicate" is not a /feedback command.', ...HELP_LINES].join('\n'),
		);
		assert.equal(
			await reply(host, 'alice', '/feedback @all'),
			['"@\u2060all" is not a /feedback command.', ...HELP_LINES].join('\n'),
			'the echoed word cannot mention anyone',
		);
	});

	it('says when a member has no feedback yet', async () => {
		assert.equal(
			await reply(host, 'alice', '/feedback list'),
			'You have not sent any feedback yet. Type /feedback to send some.',
		);
		assert.equal(
			await reply(host, 'clara', '/feedback list'),
			'Du hast noch kein Feedback gesendet. Gib /feedback ein, um welches zu senden.',
		);
	});

	it("lists a member's own feedback newest first, 10 per page", async () => {
		await timed('12 feedback', async () => {
			for (let index = 1; index <= 12; index++) {
				const number = String(index).padStart(2, '0');
				alice.push(
					await sendFeedback(host, 'alice', index % 2 ? 'general' : 'feedback', {
						comment: `entry ${number}`,
						category: index % 3 ? 'Idea' : 'Bug',
						rating: index % 4 ? String((index % 5) + 1) : '',
					}),
				);
			}
		});
		brunoEntry = await sendFeedback(host, 'bruno', 'general', { comment: 'do Bruno', rating: '3' });

		const newestFirst = [...alice].reverse().map((entry) => entry.shortId);
		const first = await timed('list', () => reply(host, 'alice', '/feedback list'));
		const lines = first.split('\n');
		assert.equal(lines[0], 'Your feedback, page 1 of 2:');
		assert.deepEqual(shortIdsIn(first), newestFirst.slice(0, 10));
		assert.equal(lines.at(-1), 'More: /feedback list 2');
		assert.match(
			entryLine(first, alice[11].shortId),
			new RegExp(
				`^\\*${alice[11].shortId}\\* · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC · Bug · no rating$`,
			),
		);
		assert.match(first, /\n> `entry 12`\n/);
		assert.match(entryLine(first, alice[10].shortId), / · Idea · 2\/5$/, 'the rating, no author');
		assert.doesNotMatch(first, /do Bruno|alice/, 'only her own entries, without author');

		const second = await reply(host, 'alice', '/feedback list 2');
		assert.equal(second.split('\n')[0], 'Your feedback, page 2 of 2:');
		assert.deepEqual(shortIdsIn(second), newestFirst.slice(10));
		assert.doesNotMatch(second, /More:/);
		assert.match(second, /> `entry 01`$/);

		assert.equal(
			await reply(host, 'alice', '/feedback list 3'),
			'There is no page 3; the last page is 2.',
		);
		for (const page of ['0', 'two', '-1', '1 2', '1.5']) {
			assert.equal(await reply(host, 'alice', `/feedback list ${page}`), PAGE_INVALID, page);
		}
		assert.equal(
			await reply(host, 'bruno', '/feedback list 4'),
			'Não existe a página 4; a última página é 1.',
		);
		const brunoList = await reply(host, 'bruno', '/feedback list');
		assert.equal(brunoList.split('\n')[0], 'Seu feedback, página 1 de 1:');
		assert.deepEqual(shortIdsIn(brunoList), [brunoEntry.shortId]);
	});

	it("deletes a member's own entry by the id of the list, short or full", async () => {
		const stored = feedbackCount(host);
		const newest = alice[11];
		assert.equal(
			await timed('delete', () => reply(host, 'alice', `/feedback delete ${newest.shortId}`)),
			`Feedback ${newest.shortId} was deleted.`,
		);
		assert.equal(feedbackCount(host), stored - 1);
		const list = await reply(host, 'alice', '/feedback list');
		assert.ok(!shortIdsIn(list).includes(newest.shortId));
		assert.equal(list.split('\n')[0], 'Your feedback, page 1 of 2:', '11 entries left');

		const byFullId = alice[10];
		assert.equal(
			await reply(host, 'alice', `/feedback delete ${byFullId.id.toUpperCase()}`),
			`Feedback ${byFullId.shortId} was deleted.`,
		);
		assert.equal(feedbackCount(host), stored - 2);
		assert.equal(
			await reply(host, 'alice', `/feedback delete ${byFullId.shortId}`),
			`None of your feedback has the id ${byFullId.shortId}.`,
			'a deleted entry is gone',
		);
		assert.equal(
			(await reply(host, 'alice', '/feedback list')).split('\n')[0],
			'Your feedback, page 1 of 1:',
		);
	});

	it('explains a delete without an id, with something that is not an id, or with an unknown id', async () => {
		assert.equal(
			await reply(host, 'alice', '/feedback delete'),
			'Say which entry to delete, for example /feedback delete 1a2b3c4d. The ids are in /feedback list.',
		);
		assert.equal(
			await reply(host, 'alice', '/feedback delete xyz'),
			'"xyz" is not a feedback id. Ids are the 8 characters shown in /feedback list.',
		);
		assert.equal(
			await reply(host, 'alice', '/feedback delete deadbeef'),
			'None of your feedback has the id deadbeef.',
		);
	});

	it("does not let a member delete another member's entry", async () => {
		const stored = feedbackCount(host);
		assert.equal(
			await reply(host, 'alice', `/feedback delete ${brunoEntry.shortId}`),
			`None of your feedback has the id ${brunoEntry.shortId}.`,
		);
		assert.equal(
			await reply(host, 'clara', `/feedback delete ${brunoEntry.id}`),
			`Keines deiner Feedbacks hat die ID ${brunoEntry.id}.`,
		);
		assert.equal(feedbackCount(host), stored, 'nothing deleted');
		assert.ok((await storedFeedback(host)).some((record) => record.id === brunoEntry.id));
	});

	it('lets an admin delete any entry', async () => {
		const stored = feedbackCount(host);
		assert.equal(
			await reply(host, 'admin', `/feedback delete ${brunoEntry.shortId}`),
			`Feedback ${brunoEntry.shortId} was deleted.`,
		);
		assert.equal(feedbackCount(host), stored - 1);
		assert.equal(
			await reply(host, 'bruno', '/feedback list'),
			'Você ainda não enviou nenhum feedback. Digite /feedback para enviar.',
		);
		assert.equal(
			await reply(host, 'admin', '/feedback delete deadbeef'),
			'No feedback has the id deadbeef.',
		);
	});

	it('answers in Portuguese for bruno and in German for clara', async () => {
		assert.equal(
			(await reply(host, 'bruno', '/feedback help')).split('\n')[0],
			'*Como usar /feedback:*',
		);
		assert.equal(
			(await reply(host, 'clara', '/feedback help')).split('\n')[0],
			'*So verwendest du /feedback:*',
		);
		assert.equal(
			(await reply(host, 'bruno', '/feedback xyz')).split('\n')[0],
			'"xyz" não é um comando do /feedback.',
		);
		assert.equal(
			(await reply(host, 'clara', '/feedback xyz')).split('\n')[0],
			'„xyz“ ist kein /feedback-Befehl.',
		);

		await host.runSlashCommand('bruno', 'general', '/feedback');
		const empty = await host.submitView('bruno', { comment: '' });
		assert.deepEqual(empty.errors, { comment: 'Escreva um comentário.' });
		const tooLong = await host.submitView('bruno', { comment: 'a'.repeat(2001) });
		assert.deepEqual(tooLong.errors, {
			comment: 'Seu comentário tem 2001 caracteres; o limite é 2000.',
		});
		const saved = await host.submitView('bruno', { comment: 'Muito bom', category: 'Praise' });
		assert.match(
			saved.notifications[0]?.text ?? '',
			/^Obrigado! Seu feedback foi salvo como [0-9a-f]{8}\.$/,
		);
		const brunoId = /([0-9a-f]{8})\.$/.exec(saved.notifications[0].text)?.[1] ?? '';
		assert.equal(
			await reply(host, 'bruno', `/feedback delete ${brunoId}`),
			`O feedback ${brunoId} foi excluído.`,
		);

		await host.runSlashCommand('clara', 'general', '/feedback');
		const badCategory = await host.submitView('clara', { comment: 'gut', category: 'Lob' });
		assert.deepEqual(badCategory.errors, { category: 'Wähle eine der aufgeführten Kategorien.' });
		await host.closeView('clara');

		assert.equal(
			await reply(host, 'bruno', '/feedback stats'),
			'Somente administradores do workspace podem ver as estatísticas de feedback.',
		);
		assert.equal(
			await reply(host, 'clara', '/feedback list all'),
			'Nur Workspace-Admins können das Feedback aller auflisten.',
		);
	});
});

describe('/feedback stats and list all for admins', () => {
	let fixture: IEngineFixture | undefined;
	let host: LocalHost;
	const entries: Record<string, ISentFeedback> = {};
	/** Eight more entries of clara and bruno, oldest first. */
	const more: ISentFeedback[] = [];

	before(async () => {
		fixture = await startFixture('admin commands');
		host = fixture.host;
	});

	after(async () => {
		await stopFixture(fixture);
	});

	it('shows empty statistics and an empty list before any feedback', async () => {
		assert.equal(
			await reply(host, 'admin', '/feedback stats'),
			[
				'*Feedback statistics*',
				'Feedback received: 0',
				'By category: none yet',
				'Average rating: no ratings yet',
				'Distinct contributors: 0',
				'Messages sent on the server: 0',
				'Feedback per 1000 messages: not available until messages are sent',
			].join('\n'),
		);
		assert.equal(
			await reply(host, 'admin', '/feedback list all'),
			'No feedback has been sent yet.',
		);
	});

	it('refuses stats and list all to a member', async () => {
		assert.equal(await reply(host, 'alice', '/feedback stats'), STATS_REFUSED);
		assert.equal(await reply(host, 'alice', '/feedback list all'), LIST_ALL_REFUSED);
		assert.equal(await reply(host, 'alice', '/feedback list all 2'), LIST_ALL_REFUSED);
		assert.equal(
			await reply(host, 'clara', '/feedback stats'),
			'Nur Workspace-Admins können Feedback-Statistiken sehen.',
		);
	});

	it('counts feedback in the statistics without naming anyone', async () => {
		await timed('4 feedback', async () => {
			entries.aliceNamed = await sendFeedback(host, 'alice', 'general', {
				comment: 'named by alice',
				category: 'Bug',
				rating: '4',
			});
			entries.brunoAnonymous = await sendFeedback(host, 'bruno', 'feedback', {
				comment: 'anônimo',
				category: 'Idea',
				rating: '2',
				anonymous: ['anonymous'],
			});
			entries.claraNamed = await sendFeedback(host, 'clara', 'general', {
				comment: 'von clara',
				category: 'Idea',
			});
			entries.aliceAnonymous = await sendFeedback(host, 'alice', 'feedback', {
				comment: 'secret of someone',
				category: 'Praise',
				rating: '5',
				anonymous: ['anonymous'],
			});
		});
		const stats = await timed('stats', () => reply(host, 'admin', '/feedback stats'));
		assert.equal(
			stats,
			[
				'*Feedback statistics*',
				'Feedback received: 4',
				'By category: Idea 2, Bug 1, Praise 1',
				'Average rating: 3.7 (3 rated)',
				'Distinct contributors: 3',
				'Messages sent on the server: 0',
				'Feedback per 1000 messages: not available until messages are sent',
			].join('\n'),
		);
	});

	it("lists everyone's feedback for an admin, never showing the author of an anonymous entry", async () => {
		const list = await timed('list all', () => reply(host, 'admin', '/feedback list all'));
		assert.equal(list.split('\n')[0], 'All feedback, page 1 of 1 (4 entries):');
		assert.deepEqual(shortIdsIn(list), [
			entries.aliceAnonymous.shortId,
			entries.claraNamed.shortId,
			entries.brunoAnonymous.shortId,
			entries.aliceNamed.shortId,
		]);
		assert.match(entryLine(list, entries.aliceNamed.shortId), / · Bug · 4\/5 · alice$/);
		assert.match(entryLine(list, entries.claraNamed.shortId), / · Idea · no rating · clara$/);
		assert.match(entryLine(list, entries.brunoAnonymous.shortId), / · Idea · 2\/5 · anonymous$/);
		assert.match(entryLine(list, entries.aliceAnonymous.shortId), / · Praise · 5\/5 · anonymous$/);
		assert.doesNotMatch(list, /bruno|Bruno/, 'bruno only sent anonymously');
		assert.equal(
			list.match(/alice/g)?.length,
			2,
			'alice named once in an entry, once in a comment',
		);

		// The anonymous author's own list still has the entry, without a name on it.
		const own = await reply(host, 'bruno', '/feedback list');
		assert.deepEqual(shortIdsIn(own), [entries.brunoAnonymous.shortId]);
	});

	it("pages through everyone's feedback", async () => {
		await timed('8 more feedback', async () => {
			for (let index = 1; index <= 8; index++) {
				more.push(
					await sendFeedback(host, index % 2 ? 'clara' : 'bruno', 'general', {
						comment: `more ${index}`,
					}),
				);
			}
		});
		const first = await reply(host, 'admin', '/feedback list all');
		assert.equal(first.split('\n')[0], 'All feedback, page 1 of 2 (12 entries):');
		assert.equal(shortIdsIn(first).length, 10);
		assert.equal(first.split('\n').at(-1), 'More: /feedback list all 2');
		const second = await reply(host, 'admin', '/feedback list all 2');
		assert.equal(second.split('\n')[0], 'All feedback, page 2 of 2 (12 entries):');
		assert.deepEqual(shortIdsIn(second), [
			entries.brunoAnonymous.shortId,
			entries.aliceNamed.shortId,
		]);
		assert.equal(
			await reply(host, 'admin', '/feedback list all 3'),
			'There is no page 3; the last page is 2.',
		);
		assert.equal(await reply(host, 'admin', '/feedback list all x'), PAGE_INVALID);
		assert.match(await reply(host, 'admin', '/feedback stats'), /^Feedback received: 12$/m);

		// An admin deletes an anonymous entry from the list; the statistics follow.
		assert.equal(
			await reply(host, 'admin', `/feedback delete ${entries.brunoAnonymous.shortId}`),
			`Feedback ${entries.brunoAnonymous.shortId} was deleted.`,
		);
		const stats = await reply(host, 'admin', '/feedback stats');
		assert.match(stats, /^Feedback received: 11$/m);
		assert.match(stats, /^Average rating: 4\.5 \(2 rated\)$/m);
	});
	it('keeps an entry it could not delete listed and counted', async () => {
		// Bruno's newest entry, on the first page of the admin's list.
		const entry = more[7];
		const stored = feedbackCount(host);
		const totalLine = (text: string) => /^Feedback received: \d+$/m.exec(text)?.[0];
		const before = {
			stats: totalLine(await reply(host, 'admin', '/feedback stats')),
			header: (await reply(host, 'admin', '/feedback list all')).split('\n')[0],
		};
		const failed = `Feedback ${entry.shortId} could not be deleted. Please try again.`;

		// The removal fails once; the app takes its deletion note back.
		const stopAfterFirstFault = host.persistence.onCall((event) => {
			if (event.error) {
				host.setFaultInjection({ rate: 0 });
			}
		});
		host.setFaultInjection({ rate: 1, methods: ['removeByAssociations'] });
		try {
			assert.equal(await reply(host, 'admin', `/feedback delete ${entry.shortId}`), failed);
		} finally {
			stopAfterFirstFault();
			host.setFaultInjection({ rate: 0 });
		}
		assert.equal(feedbackCount(host), stored, 'still stored');
		assert.deepEqual(
			{
				stats: totalLine(await reply(host, 'admin', '/feedback stats')),
				header: (await reply(host, 'admin', '/feedback list all')).split('\n')[0],
			},
			before,
		);

		// Removing fails for a while (the removal and the take-back of the note both fail).
		host.setFaultInjection({ rate: 1, methods: ['removeByAssociations'] });
		try {
			assert.equal(await reply(host, 'admin', `/feedback delete ${entry.shortId}`), failed);
		} finally {
			host.setFaultInjection({ rate: 0 });
		}
		assert.equal(feedbackCount(host), stored, 'still stored');
		assert.ok(shortIdsIn(await reply(host, 'bruno', '/feedback list')).includes(entry.shortId));
		const list = await reply(host, 'admin', '/feedback list all');
		assert.ok(shortIdsIn(list).includes(entry.shortId), 'still listed for the admin');
		assert.deepEqual(
			{
				stats: totalLine(await reply(host, 'admin', '/feedback stats')),
				header: list.split('\n')[0],
			},
			before,
			'an entry that is still stored and listed is still counted',
		);
	});
});

describe('message counting and restart', () => {
	let fixture: IEngineFixture | undefined;
	let host: LocalHost;
	const N = 51;

	before(async () => {
		fixture = await startFixture('messages');
		host = fixture.host;
	});

	after(async () => {
		await stopFixture(fixture);
	});

	it(`counts exactly the ${N} messages members sent, in any room, at any pace`, async () => {
		const senders = ['alice', 'bruno', 'clara'];
		const rooms = ['general', 'feedback'];
		const message = (index: number) =>
			host.sendMessage(senders[index % 3], rooms[Math.floor(index / 3) % 2], `message ${index}`);
		await timed(`${N} messages`, async () => {
			for (let index = 0; index < 30; index++) {
				await message(index);
			}
			// The rest at once, as a busy server delivers them.
			await Promise.all(Array.from({ length: N - 30 }, (_, offset) => message(30 + offset)));
		});
		assert.deepEqual(host.listenerErrors(), []);
		assert.equal(host.timeline('general').length + host.timeline('feedback').length, N);
		const perSender = senders.map(
			(sender) =>
				[...host.timeline('general'), ...host.timeline('feedback')].filter(
					(entry) => entry.sender === sender,
				).length,
		);
		assert.deepEqual(perSender, [17, 17, 17]);
		assert.equal(await statsMessageCount(host), N);
	});

	it("does not count the app's own announcements", async () => {
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const timeline = host.timeline('feedback').length;
		await sendFeedback(host, 'alice', 'general', { comment: 'announce me' });
		await sendFeedback(host, 'bruno', 'feedback', { comment: 'me too', anonymous: ['anonymous'] });
		assert.equal(host.timeline('feedback').length, timeline + 2, 'two announcements');
		const stats = await reply(host, 'admin', '/feedback stats');
		assert.match(stats, new RegExp(`^Messages sent on the server: ${N}$`, 'm'));
		assert.match(stats, /^Feedback per 1000 messages: 39\.2$/m, '2 feedback per 51 messages');
	});

	it('keeps feedback, settings, open forms and the message count across a restart', async () => {
		await host.setSetting(SETTING.categories, 'Alpha, Beta');
		await sendFeedback(host, 'clara', 'general', { comment: 'vor dem Neustart', category: 'Beta' });
		const pending = await host.runSlashCommand('bruno', 'general', '/feedback');
		assert.ok(pending.view, 'bruno opened a form before the restart');
		const snapshot = {
			own: await reply(host, 'alice', '/feedback list'),
			all: await reply(host, 'admin', '/feedback list all'),
			stats: await reply(host, 'admin', '/feedback stats'),
			records: (await storedFeedback(host)).map((record) => record.id).sort(),
		};

		await timed('restart', () => host.restart());
		assert.deepEqual(
			{
				own: await reply(host, 'alice', '/feedback list'),
				all: await reply(host, 'admin', '/feedback list all'),
				stats: await reply(host, 'admin', '/feedback stats'),
				records: (await storedFeedback(host)).map((record) => record.id).sort(),
			},
			snapshot,
		);
		assert.equal(host.settings()[SETTING.categories]?.value, 'Alpha, Beta');
		const fresh = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.deepEqual(optionValues(fresh.view, 'category'), ['Alpha', 'Beta']);
		await host.closeView('alice');

		// The form opened before the restart is still remembered and can be sent.
		const late = await host.submitView('bruno', {
			comment: 'depois do reinício',
			category: 'Alpha',
		});
		assert.equal(late.accepted, true, JSON.stringify(late.errors));
		assert.equal(late.notifications[0]?.room, 'general');
		assert.equal(
			host.timeline('feedback').at(-1)?.sender,
			'feedback.bot',
			'announced after restart',
		);

		// The counter goes on from where it was, across two restarts.
		for (const sender of ['alice', 'bruno', 'clara', 'alice']) {
			await host.sendMessage(sender, 'general', `after restart from ${sender}`);
		}
		assert.equal(await statsMessageCount(host), N + 4);
		await timed('second restart', () => host.restart());
		await host.sendMessage('clara', 'feedback', 'after the second restart');
		assert.equal(await statsMessageCount(host), N + 5);
	});

	it('writes a message it failed to count together with the next one', async () => {
		const counted = await statsMessageCount(host);
		host.setFaultInjection({ rate: 1, methods: ['updateByAssociations'] });
		await host.sendMessage('alice', 'general', 'while the counter cannot be written');
		host.setFaultInjection({ rate: 0 });
		assert.deepEqual(host.listenerErrors(), [], 'the failure is handled inside the app');
		assert.equal(await statsMessageCount(host), counted, 'not written yet');
		await host.sendMessage('bruno', 'general', 'the next one');
		assert.equal(await statsMessageCount(host), counted + 2, 'both counted');
	});
});
