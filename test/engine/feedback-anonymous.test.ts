// Anonymous feedback through the packaged app: stored so that nothing leads back to its author.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	closeAnonymousHour,
	feedbackCount,
	fixturePerTest,
	pendingViewCountOf,
	rawRecords,
	reply,
	roomMessages,
	runAnnouncements,
	sendFeedback,
	SETTING,
	shortIdsIn,
	storedFeedback,
	listText,
} from './app-fixture';

/** What could name bruno, or the room he typed /feedback in, in a stored record. */
const BRUNO_TRACES = ['user-bruno', 'bruno', 'Bruno', 'Silva', 'feedback-room'];

describe('anonymous feedback', () => {
	const fixture = fixturePerTest('anonymous');

	it('is stored with no author, no contributor key, no room and no USER association', async () => {
		const current = fixture();
		const { host } = current;
		await host.setSetting(SETTING.announceRoom, 'general');
		const sent = await sendFeedback(host, 'bruno', 'feedback', {
			comment: 'ninguém sabe',
			category: 'Idea',
			rating: '3',
			anonymous: ['anonymous'],
		});
		assert.match(sent.confirmation, /^Obrigado! /, 'confirmed to its author');
		assert.equal(closeAnonymousHour(current), 1);
		await runAnnouncements(host);
		assert.equal(roomMessages(host, 'general').length, 1, 'announced');
		assert.equal(pendingViewCountOf(host, 'bruno'), 0, 'the form, which named him, is forgotten');

		const [record] = await storedFeedback(host);
		assert.deepEqual(
			{
				anonymous: record.anonymous,
				author: record.author,
				roomId: record.roomId,
				keyed: 'contributor' in record,
			},
			{ anonymous: true, author: null, roomId: null, keyed: false },
		);

		// Everything the app stored (the feedback, its day, its announcement's queue and marker...),
		// read from the database file as anyone with database access would.
		const records = rawRecords(current);
		assert.ok(records.length > 1, 'the feedback and the app’s other records');
		for (const stored of records) {
			const text = JSON.stringify(stored);
			for (const trace of BRUNO_TRACES) {
				assert.ok(!text.includes(trace), `"${trace}" in ${text}`);
			}
			assert.deepEqual(
				stored.associations.filter((association) => association.model === 'user'),
				[],
				`no USER association on ${text}`,
			);
		}

		// Once he sends named feedback, he is marked as an author: not on the anonymous entry.
		await sendFeedback(host, 'bruno', 'general', { comment: 'com meu nome' });
		const anonymousRecord = rawRecords(current).find(
			(stored) => (stored.data as { id?: unknown }).id === sent.id,
		);
		assert.ok(anonymousRecord);
		assert.ok(!JSON.stringify(anonymousRecord).includes('user-bruno'));
	});

	it('is not in its author’s list, and its author cannot delete it', async () => {
		const { host } = fixture();
		const sent = await sendFeedback(host, 'bruno', 'general', {
			comment: 'anônimo',
			anonymous: ['anonymous'],
		});
		assert.equal(
			await listText(host, 'bruno', '/feedback list'),
			'Você ainda não enviou nenhum feedback. Digite /feedback para enviar.',
		);
		for (const typed of [sent.shortId, sent.id]) {
			assert.equal(
				await reply(host, 'bruno', `/feedback delete ${typed}`),
				`Nenhum dos seus feedbacks tem o ID ${typed}.`,
			);
		}
		assert.equal(feedbackCount(host), 1, 'still stored');

		// An admin sees it, without a name, and may delete it.
		const list = await reply(host, 'admin', '/feedback list all');
		assert.deepEqual(shortIdsIn(list), [sent.shortId]);
		assert.match(list, / · anonymous\n/);
		assert.doesNotMatch(list, /bruno/i);
		assert.equal(
			await reply(host, 'admin', `/feedback delete ${sent.shortId}`),
			`Feedback ${sent.shortId} was deleted.`,
		);
		assert.equal(feedbackCount(host), 0);
	});

	it('is counted apart from contributors in the statistics', async () => {
		const { host } = fixture();
		await sendFeedback(host, 'bruno', 'general', { comment: 'um', anonymous: ['anonymous'] });
		await sendFeedback(host, 'bruno', 'general', { comment: 'dois', anonymous: ['anonymous'] });
		await sendFeedback(host, 'clara', 'general', { comment: 'eins', anonymous: ['anonymous'] });
		const stats = await reply(host, 'admin', '/feedback stats');
		assert.match(stats, /^Feedback received: 3$/m);
		assert.match(stats, /^Distinct contributors: 0$/m);
		assert.match(stats, /^Sent anonymously: 3$/m);

		await sendFeedback(host, 'bruno', 'general', { comment: 'com nome' });
		const after = await reply(host, 'admin', '/feedback stats');
		assert.match(after, /^Distinct contributors: 1$/m);
		assert.match(after, /^Sent anonymously: 3$/m);
	});
});
