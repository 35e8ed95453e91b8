// /feedback stats and list all for admins, through the packaged app.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	type ISentFeedback,
	entryLine,
	feedbackCount,
	fixturePerTest,
	newestFirst,
	reply,
	sendFeedback,
	shortIdsIn,
	storedFeedback,
	listText,
} from './app-fixture';
import { timed } from './timing';
import type { LocalHost } from '../../host';

const STATS_REFUSED = 'Only workspace admins can see feedback statistics.';
const LIST_ALL_REFUSED = "Only workspace admins can list everyone's feedback.";
const PAGE_INVALID = 'The page must be a whole number from 1 up, for example /feedback list 2.';

/** Four entries: two named (alice, clara), two anonymous (bruno, alice), oldest first. */
interface IFourEntries {
	aliceNamed: ISentFeedback;
	brunoAnonymous: ISentFeedback;
	claraNamed: ISentFeedback;
	aliceAnonymous: ISentFeedback;
}

async function sendFour(host: LocalHost): Promise<IFourEntries> {
	return timed('4 feedback', async () => ({
		aliceNamed: await sendFeedback(host, 'alice', 'general', {
			comment: 'named by alice',
			category: 'Bug',
			rating: '4',
		}),
		brunoAnonymous: await sendFeedback(host, 'bruno', 'feedback', {
			comment: 'anônimo',
			category: 'Idea',
			rating: '2',
			anonymous: ['anonymous'],
		}),
		claraNamed: await sendFeedback(host, 'clara', 'general', {
			comment: 'von clara',
			category: 'Idea',
		}),
		aliceAnonymous: await sendFeedback(host, 'alice', 'feedback', {
			comment: 'secret of someone',
			category: 'Praise',
			rating: '5',
			anonymous: ['anonymous'],
		}),
	}));
}

describe('/feedback stats and list all for admins', () => {
	const fixture = fixturePerTest('admin commands');

	it('shows empty statistics and an empty list before any feedback', async () => {
		const { host } = fixture();
		assert.equal(
			await reply(host, 'admin', '/feedback stats'),
			[
				'*Feedback statistics*',
				'Feedback received: 0',
				'By category: none yet',
				'Average rating: no ratings yet',
				'Distinct contributors: 0',
				'Sent anonymously: 0',
				'Messages sent on the server: 0',
				'Feedback per 1000 messages: not available until messages are sent',
				'By status: New 0, Acknowledged 0, Planned 0, Done 0, Declined 0',
				'Median time to the first status change: no status was changed yet',
			].join('\n'),
		);
		assert.equal(
			await reply(host, 'admin', '/feedback list all'),
			'No feedback has been sent yet.',
		);
		assert.equal(
			await reply(host, 'admin', '/feedback list all 99999999999999999999'),
			'No feedback has been sent yet.',
		);
	});

	it('refuses stats and list all to a member', async () => {
		const { host } = fixture();
		assert.equal(await reply(host, 'alice', '/feedback stats'), STATS_REFUSED);
		assert.equal(await reply(host, 'alice', '/feedback list all'), LIST_ALL_REFUSED);
		assert.equal(await reply(host, 'alice', '/feedback list all 2'), LIST_ALL_REFUSED);
		assert.equal(
			await reply(host, 'clara', '/feedback stats'),
			'Nur Workspace-Admins können Feedback-Statistiken sehen.',
		);
		assert.equal(
			await reply(host, 'dora', '/feedback list all'),
			LIST_ALL_REFUSED,
			'a member without a language of their own, on a workspace without one, reads English',
		);
	});

	it('counts feedback in the statistics, named contributors and anonymous entries apart', async () => {
		const { host } = fixture();
		await sendFour(host);
		const stats = await timed('stats', () => reply(host, 'admin', '/feedback stats'));
		assert.equal(
			stats,
			[
				'*Feedback statistics*',
				'Feedback received: 4',
				'By category: `Idea` 2, `Bug` 1, `Praise` 1',
				'Average rating: 3.7 (3 rated)',
				'Distinct contributors: 2',
				'Sent anonymously: 2',
				'Messages sent on the server: 0',
				'Feedback per 1000 messages: not available until messages are sent',
				'By status: New 4, Acknowledged 0, Planned 0, Done 0, Declined 0',
				'Median time to the first status change: no status was changed yet',
			].join('\n'),
		);
	});

	it("lists everyone's feedback for an admin, never showing the author of an anonymous entry", async () => {
		const { host } = fixture();
		const entries = await sendFour(host);
		const list = await timed('list all', () => reply(host, 'admin', '/feedback list all'));
		assert.equal(list.split('\n')[0], 'All feedback, page 1 of 1 (4 entries):');
		// Newest first; an anonymous entry keeps only the hour it was sent, so it sorts at its hour.
		const stored = newestFirst(await storedFeedback(host));
		assert.deepEqual(
			shortIdsIn(list),
			stored.map((record) => record.id.slice(0, 8)),
		);
		for (const anonymous of [entries.aliceAnonymous, entries.brunoAnonymous]) {
			const record = stored.find((candidate) => candidate.id === anonymous.id);
			assert.match(record?.createdAt ?? '', /T\d\d:00:00\.000Z$/, 'only the hour is kept');
		}
		assert.match(entryLine(list, entries.aliceNamed.shortId), / · `Bug` · 4\/5 · `alice`$/);
		assert.match(entryLine(list, entries.claraNamed.shortId), / · `Idea` · no rating · `clara`$/);
		assert.match(entryLine(list, entries.brunoAnonymous.shortId), / · `Idea` · 2\/5 · anonymous$/);
		assert.match(
			entryLine(list, entries.aliceAnonymous.shortId),
			/ · `Praise` · 5\/5 · anonymous$/,
		);
		assert.doesNotMatch(list, /bruno|Bruno/, 'bruno only sent anonymously');
		assert.equal(
			list.match(/alice/g)?.length,
			2,
			'alice named once in an entry, once in a comment',
		);
	});

	it("pages through everyone's feedback", async () => {
		const { host } = fixture();
		const entries = await sendFour(host);
		await timed('8 more feedback', async () => {
			for (let index = 1; index <= 8; index++) {
				await sendFeedback(host, index % 2 ? 'clara' : 'bruno', 'general', {
					comment: `more ${index}`,
				});
			}
		});
		const first = await reply(host, 'admin', '/feedback list all');
		assert.equal(first.split('\n')[0], 'All feedback, page 1 of 2 (12 entries):');
		assert.equal(shortIdsIn(first).length, 10);
		assert.equal(first.split('\n').at(-1), 'More: /feedback list all 2');
		const second = await reply(host, 'admin', '/feedback list all 2');
		assert.equal(second.split('\n')[0], 'All feedback, page 2 of 2 (12 entries):');
		assert.deepEqual(
			shortIdsIn(second),
			newestFirst(await storedFeedback(host))
				.slice(10)
				.map((record) => record.id.slice(0, 8)),
		);
		for (const page of ['3', '99999999999999999999']) {
			assert.equal(
				await reply(host, 'admin', `/feedback list all ${page}`),
				'That page does not exist; the last page is 2.',
			);
		}
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
		assert.match(stats, /^Distinct contributors: 3$/m);
		assert.match(stats, /^Sent anonymously: 1$/m);
	});

	it('keeps an entry it could not delete listed and counted', async () => {
		const { host } = fixture();
		await sendFour(host);
		const entry = await sendFeedback(host, 'bruno', 'general', { comment: 'delete me later' });
		const totalLine = (text: string) => /^Feedback received: \d+$/m.exec(text)?.[0];
		const snapshot = async () => ({
			stats: totalLine(await reply(host, 'admin', '/feedback stats')),
			header: (await reply(host, 'admin', '/feedback list all')).split('\n')[0],
		});
		const before = await snapshot();
		assert.deepEqual(before, {
			stats: 'Feedback received: 5',
			header: 'All feedback, page 1 of 1 (5 entries):',
		});
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
		assert.equal(feedbackCount(host), 5, 'still stored');
		assert.deepEqual(await snapshot(), before);

		// Removing fails for a while (the removal and the take-back of the note both fail).
		host.setFaultInjection({ rate: 1, methods: ['removeByAssociations'] });
		try {
			assert.equal(await reply(host, 'admin', `/feedback delete ${entry.shortId}`), failed);
		} finally {
			host.setFaultInjection({ rate: 0 });
		}
		assert.equal(feedbackCount(host), 5, 'still stored');
		assert.ok(shortIdsIn(await listText(host, 'bruno', '/feedback list')).includes(entry.shortId));
		const list = await reply(host, 'admin', '/feedback list all');
		assert.ok(shortIdsIn(list).includes(entry.shortId), 'still listed for the admin');
		assert.deepEqual(
			await snapshot(),
			before,
			'an entry that is still stored and listed is still counted',
		);
	});
});
