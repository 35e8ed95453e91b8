// The feedback form through the packaged app: opening, submitting, refusing, races and failures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	type FormValues,
	blocksOf,
	feedbackCount,
	fieldOf,
	fixturePerTest,
	onlyReply,
	optionValues,
	pendingViewCount,
	sendFeedback,
	SETTING,
	storedFeedback,
} from './app-fixture';
import { timed } from './timing';
import type { IOpenView, LocalHost } from '../../host';

const EN = {
	empty: 'Please write a comment.',
	category: 'Choose one of the listed categories.',
	categoryChanged:
		'The categories changed since this form opened. Close it and type /feedback again to see the current ones.',
	rating: 'The rating must be a whole number from 1 to 5.',
	anonymous: 'Anonymous feedback is turned off in this workspace.',
	expired: 'This form is no longer open. Close it and type /feedback again.',
	storeFailed: 'Your feedback could not be saved, and nothing was stored. Please try again.',
	openFailed: 'The feedback form could not be opened. Please try again.',
	readFailed: 'Feedback could not be read right now. Please try again.',
	tooLong: (length: number, max: number) =>
		`Your comment has ${length} characters; the limit is ${max}.`,
};

/** Shows a view to a user again, as a client that kept it (a retried or stale submit). */
function showAgain(host: LocalHost, username: string, open: IOpenView): void {
	host.session.showView(username, open);
}

describe('the feedback form in the engine', () => {
	const fixture = fixturePerTest('form');

	it('opens a modal with the comment, the categories of the setting, a rating and "anonymous"', async () => {
		const { host } = fixture();
		const opened = await timed('open form', () =>
			host.runSlashCommand('alice', 'general', '/feedback'),
		);
		assert.deepEqual(opened.notifications, [], 'opening the form sends no message');
		assert.deepEqual(opened.messages, []);
		assert.deepEqual(opened.refused, [], 'the client showed it');
		const { view } = opened;
		assert.ok(view);
		assert.equal(view.surface, 'modal');
		assert.match(
			view.viewId,
			/^feedback-form:form-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		assert.deepEqual(view.view.title, { type: 'plain_text', text: 'Send feedback', emoji: false });
		// Each field's block id carries the form id (the mobile app sends a submit's state only).
		const formId = (view.view.submit as { value?: string }).value;
		assert.ok(formId && !view.viewId.includes(formId), 'the form id is not in the view id');
		assert.deepEqual(
			blocksOf(view).map((block) => [
				block.blockId?.replace(`:${formId}`, ''),
				block.element?.type,
				block.optional ?? false,
			]),
			[
				['comment', 'plain_text_input', false],
				['category', 'static_select', false],
				['rating', 'static_select', true],
				['anonymous', 'checkbox', true],
			],
		);
		const comment = fieldOf(view, 'comment');
		assert.equal(comment.label?.text, 'Your feedback');
		assert.equal(comment.hint?.text, 'Up to 2000 characters.');
		assert.equal(comment.element?.maxLength, 2000);
		assert.deepEqual(optionValues(view, 'category'), ['General', 'Bug', 'Idea', 'Praise']);
		assert.equal(fieldOf(view, 'category').element?.initialValue, 'General');
		assert.deepEqual(optionValues(view, 'rating'), ['1', '2', '3', '4', '5']);
		assert.deepEqual(
			fieldOf(view, 'rating').element?.options?.map((option) => option.text.text),
			['1/5', '2/5', '3/5', '4/5', '5/5'],
		);
		assert.deepEqual(optionValues(view, 'anonymous'), ['anonymous']);
		assert.equal(
			fieldOf(view, 'anonymous').hint?.text,
			'Anonymous feedback keeps nothing that names you: it will not be in your list, you cannot delete it, and it cannot be traced to you. Only the hour it is sent is stored; its announcement, if any, comes with the others of that hour once the hour is over.',
		);
		assert.equal(pendingViewCount(host), 1, 'the app remembers the open form');

		await host.closeView('alice');
		assert.equal(pendingViewCount(host), 0, 'closing the form forgets it');
		assert.equal(feedbackCount(host), 0);
	});

	it("shows the form in the member's language", async () => {
		const { host } = fixture();
		const bruno = (await host.runSlashCommand('bruno', 'general', '/feedback')).view;
		assert.equal((bruno?.view.title as { text: string }).text, 'Enviar feedback');
		assert.equal(fieldOf(bruno, 'comment').label?.text, 'Seu feedback');
		assert.equal(fieldOf(bruno, 'comment').hint?.text, 'Até 2000 caracteres.');
		const clara = (await host.runSlashCommand('clara', 'feedback', '/feedback')).view;
		assert.equal((clara?.view.title as { text: string }).text, 'Feedback senden');
		assert.equal(fieldOf(clara, 'comment').label?.text, 'Dein Feedback');
	});

	it('stores a valid form once and confirms it in the room where /feedback was typed', async () => {
		const { host } = fixture();
		const sent = await timed('valid submit', () =>
			sendFeedback(host, 'alice', 'feedback', {
				comment: '  Search is slow\r\nplease fix  ',
				category: 'Bug',
				rating: '2',
			}),
		);
		assert.equal(sent.confirmation, `Thank you! Your feedback was saved as ${sent.shortId}.`);
		assert.equal(sent.shortId, sent.id.slice(0, 8));
		const [record] = (await storedFeedback(host)).filter((stored) => stored.id === sent.id);
		assert.deepEqual(
			{
				comment: record.comment,
				category: record.category,
				rating: record.rating,
				anonymous: record.anonymous,
				author: record.author,
				roomId: record.roomId,
			},
			{
				comment: 'Search is slow\nplease fix',
				category: 'Bug',
				rating: 2,
				anonymous: false,
				author: { id: 'user-alice', username: 'alice', name: 'Alice Doe' },
				roomId: 'feedback-room',
			},
		);
		assert.equal(
			'contributor' in record,
			false,
			'no key derived from the author: distinct authors are counted by marks',
		);
		assert.equal(pendingViewCount(host), 0, 'the submitted form is forgotten');

		// The defaults of an untouched form: the first category, no rating, not anonymous.
		const plain = await sendFeedback(host, 'clara', 'general', { comment: 'Alles gut' });
		assert.equal(
			plain.confirmation,
			`Danke! Dein Feedback wurde als ${plain.shortId} gespeichert.`,
		);
		const stored = (await storedFeedback(host)).find((candidate) => candidate.id === plain.id);
		assert.equal(stored?.category, 'General');
		assert.equal(stored?.rating, null);
		assert.equal(stored?.anonymous, false);
		assert.equal(stored?.roomId, 'GENERAL');

		// The confirmation is ephemeral; no announcement room is set, so the job posts nothing.
		await host.advanceClock(5000);
		assert.deepEqual(
			{ general: host.timeline('general').length, feedback: host.timeline('feedback').length },
			{ general: 0, feedback: 0 },
		);
	});

	it('confirms in the thread the command was typed in', async () => {
		const { host } = fixture();
		await host.runSlashCommand('alice', 'feedback', '/feedback', 'thread-root-1');
		const submit = await host.submitView('alice', { comment: 'from a thread' });
		assert.equal(submit.accepted, true);
		assert.equal(submit.notifications.length, 1);
		assert.equal(submit.notifications[0].room, 'feedback');
		assert.equal(submit.notifications[0].message.threadId, 'thread-root-1');
	});

	it('refuses each kind of invalid input inline, keeps the form open and stores nothing', async () => {
		const { host } = fixture();
		const opened = await host.runSlashCommand('alice', 'general', '/feedback');
		const viewId = opened.view?.viewId;
		// First, while the client keeps nothing but the first category (the select's initial value).
		const none = await host.submitView('alice', {});
		assert.deepEqual(none.errors, { comment: EN.empty }, 'no comment at all');
		// The client keeps every value given while the form stays open (UiKitModal's useValues,
		// ModalBlockView.values): each case gives every field, the others valid.
		const valid = { comment: 'ok', category: 'General', rating: '1', anonymous: [] };
		const cases: Array<[string, FormValues, Record<string, string>]> = [
			['empty comment', { comment: '' }, { comment: EN.empty }],
			['whitespace-only comment', { comment: ' \n\t\u00a0\u3000 \r\n' }, { comment: EN.empty }],
			[
				'invisible characters only',
				{ comment: '\u200b\u2060\u200d\u3164\u2800' },
				{ comment: EN.empty },
			],
			[
				'comment over the limit',
				{ comment: 'x'.repeat(2001) },
				{ comment: EN.tooLong(2001, 2000) },
			],
			// A value the form never offered reads as a list that changed since it opened.
			[
				'category not offered',
				{ comment: 'ok', category: 'Nonsense' },
				{ category: EN.categoryChanged },
			],
			['no category', { comment: 'ok', category: '' }, { category: EN.category }],
			[
				'category of another case',
				{ comment: 'ok', category: 'bug' },
				{ category: EN.categoryChanged },
			],
			['rating 6', { comment: 'ok', rating: '6' }, { rating: EN.rating }],
			['rating 0', { comment: 'ok', rating: '0' }, { rating: EN.rating }],
			['rating 2.5', { comment: 'ok', rating: '2.5' }, { rating: EN.rating }],
			['rating as a number', { comment: 'ok', rating: 3 }, { rating: EN.rating }],
			[
				'anonymous option not offered',
				{ comment: 'ok', anonymous: ['everyone'] },
				{ anonymous: EN.anonymous },
			],
			[
				'every field wrong at once',
				{ comment: ' ', category: 'Nope', rating: '9', anonymous: ['x', 'y'] },
				{
					comment: EN.empty,
					category: EN.categoryChanged,
					rating: EN.rating,
					anonymous: EN.anonymous,
				},
			],
		];
		await timed(`${cases.length} invalid submits`, async () => {
			for (const [name, values, errors] of cases) {
				const result = await host.submitView('alice', { ...valid, ...values });
				assert.equal(result.accepted, false, name);
				assert.deepEqual(result.errors, errors, name);
				assert.equal(result.view?.viewId, viewId, `${name}: the form stays open`);
				assert.deepEqual(result.view?.errors, errors, `${name}: the errors show on the form`);
				assert.deepEqual(result.notifications, [], `${name}: no message`);
				assert.equal(feedbackCount(host), 0, `${name}: nothing stored`);
				assert.equal(pendingViewCount(host), 1, `${name}: the form is still remembered`);
			}
		});

		// The same form, corrected, is accepted: the comment exactly at the limit counts.
		const corrected = await host.submitView('alice', {
			...valid,
			comment: 'y'.repeat(2000),
			rating: '5',
		});
		assert.equal(corrected.accepted, true, JSON.stringify(corrected.errors));
		assert.equal(feedbackCount(host), 1);
		assert.equal(host.openView('alice'), undefined);
	});

	it('refuses "anonymous" once it is turned off, even on a form opened before', async () => {
		const { host } = fixture();
		await host.runSlashCommand('bruno', 'general', '/feedback');
		await host.setSetting(SETTING.allowAnonymous, false);
		const refused = await host.submitView('bruno', { comment: 'psst', anonymous: ['anonymous'] });
		assert.equal(refused.accepted, false);
		assert.deepEqual(refused.errors, {
			anonymous: 'O feedback anônimo está desativado neste workspace.',
		});
		assert.ok(host.openView('bruno'), 'the form stays open');
		assert.equal(feedbackCount(host), 0);

		const named = await host.submitView('bruno', { comment: 'psst', anonymous: [] });
		assert.equal(named.accepted, true);
		const [record] = await storedFeedback(host);
		assert.equal(record?.comment, 'psst');
		assert.equal(record?.anonymous, false);
		assert.equal(record?.author?.username, 'bruno');
	});

	it('stores a form submitted twice at once, or submitted again later, only once', async () => {
		const { host } = fixture();
		const opened = await host.runSlashCommand('clara', 'general', '/feedback');
		assert.ok(opened.view);
		const values = { comment: 'Doppelklick', category: 'Idea', rating: '4' };
		const [first, second] = await timed('double submit', () =>
			Promise.all([host.submitView('clara', values), host.submitView('clara', values)]),
		);
		assert.equal(first.accepted, true);
		assert.equal(second.accepted, true);
		assert.equal(feedbackCount(host), 1, 'stored once');
		assert.equal(host.notifications('clara').length, 1, 'confirmed once');

		// A client that retries the same form later (its answer got lost) stores nothing more.
		showAgain(host, 'clara', opened.view);
		const retry = await host.submitView('clara', values);
		assert.equal(retry.accepted, true);
		assert.equal(feedbackCount(host), 1);
		assert.equal(host.notifications('clara').length, 1);
		assert.equal((await storedFeedback(host)).length, 1);
	});

	it('does not accept a form the member closed', async () => {
		const { host } = fixture();
		const opened = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.ok(opened.view);
		await host.closeView('alice');
		assert.equal(pendingViewCount(host), 0);
		showAgain(host, 'alice', opened.view);
		const stale = await host.submitView('alice', { comment: 'too late' });
		assert.equal(stale.accepted, false);
		assert.deepEqual(stale.errors, { comment: EN.expired });
		assert.equal(feedbackCount(host), 0);
	});

	it("does not accept another member's form", async () => {
		const { host } = fixture();
		const opened = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.ok(opened.view);
		showAgain(host, 'bruno', opened.view);
		const forged = await host.submitView('bruno', { comment: 'not my form' });
		assert.equal(forged.accepted, false);
		assert.deepEqual(forged.errors, {
			comment: 'Este formulário não está mais aberto. Feche-o e digite /feedback novamente.',
		});
		assert.equal(feedbackCount(host), 0);
		host.session.closeView('bruno');

		const own = await host.submitView('alice', { comment: 'my form' });
		assert.equal(own.accepted, true, 'the owner can still send it');
		const [record] = await storedFeedback(host);
		assert.equal(record?.comment, 'my form');
		assert.equal(record?.author?.username, 'alice');
	});

	it('stores the forms of members who send at the same time, each once', async () => {
		const { host } = fixture();
		const members = ['alice', 'bruno', 'clara'];
		for (const username of members) {
			await host.runSlashCommand(username, 'general', '/feedback');
		}
		const results = await timed('3 concurrent submits', () =>
			Promise.all(
				members.map((username) => host.submitView(username, { comment: `together ${username}` })),
			),
		);
		assert.deepEqual(
			results.map((result) => result.accepted),
			[true, true, true],
		);
		assert.equal(feedbackCount(host), 3);
		const records = await storedFeedback(host);
		for (const username of members) {
			const mine = records.filter((record) => record.comment === `together ${username}`);
			assert.equal(mine.length, 1);
			assert.equal(mine[0].author?.username, username);
			assert.ok(
				host
					.notifications(username)
					.some((notification) => notification.text.includes(mine[0].id.slice(0, 8))),
				`${username} got the confirmation of their own entry`,
			);
		}
	});

	it('answers "could not be saved" while storing fails, stores nothing, and stores once on retry', async () => {
		const { host } = fixture();
		await host.runSlashCommand('alice', 'general', '/feedback');
		host.setFaultInjection({ rate: 1, methods: ['createWithAssociations'] });
		const failed = await timed('submit while create fails', () =>
			host.submitView('alice', { comment: 'will it stick?', category: 'Bug' }),
		);
		host.setFaultInjection({ rate: 0 });
		assert.equal(failed.accepted, false);
		assert.deepEqual(failed.errors, { comment: EN.storeFailed });
		assert.ok(host.openView('alice'), 'the form stays open');
		assert.deepEqual(failed.notifications, [], 'no confirmation');
		assert.equal(feedbackCount(host), 0, 'nothing stored');

		const retried = await host.submitView('alice', { comment: 'will it stick?', category: 'Bug' });
		assert.equal(retried.accepted, true);
		assert.equal(feedbackCount(host), 1);
		assert.equal(retried.notifications.length, 1);
	});

	it('tells the member when the form cannot be opened or feedback cannot be read', async () => {
		const { host } = fixture();
		host.setFaultInjection({ rate: 1, methods: ['createWithAssociations'] });
		const notOpened = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.equal(onlyReply(notOpened), EN.openFailed);
		assert.equal(notOpened.view, undefined, 'no form opened');
		assert.equal(pendingViewCount(host), 0);

		host.setFaultInjection({ rate: 1, methods: ['readByAssociations'] });
		const notRead = await host.runSlashCommand('alice', 'general', '/feedback list');
		assert.equal(onlyReply(notRead), EN.readFailed);
		const noStats = await host.runSlashCommand('admin', 'general', '/feedback stats');
		assert.equal(onlyReply(noStats), EN.readFailed);
		host.setFaultInjection({ rate: 0 });
	});
});
