import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { UIKitInteractionType } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUIKitInteraction } from '@rocket.chat/apps-engine/definition/uikit';

import {
	type FormValues,
	type IEngineFixture,
	blocksOf,
	feedbackCount,
	fieldOf,
	onlyReply,
	optionValues,
	pendingViewCount,
	resetSettings,
	roomMessages,
	sendFeedback,
	SETTING,
	startFixture,
	statsMessageCount,
	stopFixture,
	storedFeedback,
} from './app-fixture';
import { timed } from './timing';
import type { LocalHost } from '../../host/local-host';
import type { IOpenView } from '../../host/session-state';

const USERS = ['admin', 'alice', 'bruno', 'clara'];

const EN = {
	empty: 'Please write a comment.',
	category: 'Choose one of the listed categories.',
	rating: 'The rating must be a whole number from 1 to 5.',
	anonymous: 'Anonymous feedback is turned off in this workspace.',
	expired: 'This form is no longer open. Close it and type /feedback again.',
	storeFailed: 'Your feedback could not be saved, and nothing was stored. Please try again.',
	openFailed: 'The feedback form could not be opened. Please try again.',
	readFailed: 'Feedback could not be read right now. Please try again.',
	tooLong: (length: number, max: number) =>
		`Your comment has ${length} characters; the limit is ${max}.`,
};

/** Closes whatever form a fixture user still has open, so tests do not leak into each other. */
async function closeOpenViews(host: LocalHost): Promise<void> {
	for (const username of USERS) {
		if (host.openView(username)) {
			await host.closeView(username);
		}
	}
}

/** Shows a view to a user again, as a client that kept it (a retried or stale submit). */
function showAgain(host: LocalHost, username: string, open: IOpenView): void {
	host.session.applyInteraction(username, {
		type: UIKitInteractionType.MODAL_OPEN,
		triggerId: open.triggerId,
		appId: open.appId,
		view: open.view,
	} as unknown as IUIKitInteraction);
}

describe('the feedback form in the engine', () => {
	let fixture: IEngineFixture | undefined;
	let host: LocalHost;

	before(async () => {
		fixture = await startFixture('form');
		host = fixture.host;
	});

	after(async () => {
		await stopFixture(fixture);
	});

	afterEach(async () => {
		host.setFaultInjection({ rate: 0 });
		await closeOpenViews(host);
		await resetSettings(host);
	});

	it('opens a modal with the comment, the categories of the setting, a rating and "anonymous"', async () => {
		const opened = await timed('open form', () =>
			host.runSlashCommand('alice', 'general', '/feedback'),
		);
		assert.deepEqual(opened.notifications, [], 'opening the form sends no message');
		assert.deepEqual(opened.messages, []);
		const { view } = opened;
		assert.ok(view);
		assert.equal(view.surface, 'modal');
		assert.match(view.viewId, /^feedback-form:[0-9a-f-]{36}$/);
		assert.deepEqual(view.view.title, { type: 'plain_text', text: 'Send feedback', emoji: false });
		assert.deepEqual(
			blocksOf(view).map((block) => [block.blockId, block.element?.type, block.optional ?? false]),
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
		assert.equal(pendingViewCount(host), 1, 'the app remembers the open form');

		await host.closeView('alice');
		assert.equal(pendingViewCount(host), 0, 'closing the form forgets it');
		assert.equal(feedbackCount(host), 0);
	});

	it("shows the form in the member's language", async () => {
		const bruno = (await host.runSlashCommand('bruno', 'general', '/feedback')).view;
		assert.equal((bruno?.view.title as { text: string }).text, 'Enviar feedback');
		assert.equal(fieldOf(bruno, 'comment').label?.text, 'Seu feedback');
		assert.equal(fieldOf(bruno, 'comment').hint?.text, 'Até 2000 caracteres.');
		const clara = (await host.runSlashCommand('clara', 'feedback', '/feedback')).view;
		assert.equal((clara?.view.title as { text: string }).text, 'Feedback senden');
		assert.equal(fieldOf(clara, 'comment').label?.text, 'Dein Feedback');
	});

	it('stores a valid form once and confirms it in the room where /feedback was typed', async () => {
		const before = {
			general: host.timeline('general').length,
			feedback: host.timeline('feedback').length,
		};
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
		assert.equal(pendingViewCount(host), 0, 'the submitted form is forgotten');
		assert.deepEqual(
			{ general: host.timeline('general').length, feedback: host.timeline('feedback').length },
			before,
			'the confirmation is ephemeral and nothing is announced by default',
		);

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
	});

	it('confirms in the thread the command was typed in', async () => {
		await host.runSlashCommand('alice', 'feedback', '/feedback', 'thread-root-1');
		const submit = await host.submitView('alice', { comment: 'from a thread' });
		assert.equal(submit.accepted, true);
		assert.equal(submit.notifications.length, 1);
		assert.equal(submit.notifications[0].room, 'feedback');
		assert.equal(submit.notifications[0].message.threadId, 'thread-root-1');
	});

	it('refuses each kind of invalid input inline, keeps the form open and stores nothing', async () => {
		const opened = await host.runSlashCommand('alice', 'general', '/feedback');
		const viewId = opened.view?.viewId;
		const stored = feedbackCount(host);
		const cases: Array<[string, FormValues, Record<string, string>]> = [
			['empty comment', { comment: '' }, { comment: EN.empty }],
			['no comment at all', {}, { comment: EN.empty }],
			['whitespace-only comment', { comment: ' \n\t\u00a0\u3000 \r\n' }, { comment: EN.empty }],
			[
				'comment over the limit',
				{ comment: 'x'.repeat(2001) },
				{ comment: EN.tooLong(2001, 2000) },
			],
			['category not offered', { comment: 'ok', category: 'Nonsense' }, { category: EN.category }],
			['no category', { comment: 'ok', category: '' }, { category: EN.category }],
			['category of another case', { comment: 'ok', category: 'bug' }, { category: EN.category }],
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
				{ comment: EN.empty, category: EN.category, rating: EN.rating, anonymous: EN.anonymous },
			],
		];
		await timed(`${cases.length} invalid submits`, async () => {
			for (const [name, values, errors] of cases) {
				const result = await host.submitView('alice', values);
				assert.equal(result.accepted, false, name);
				assert.deepEqual(result.errors, errors, name);
				assert.equal(result.view?.viewId, viewId, `${name}: the form stays open`);
				assert.deepEqual(result.view?.errors, errors, `${name}: the errors show on the form`);
				assert.deepEqual(result.notifications, [], `${name}: no message`);
				assert.equal(feedbackCount(host), stored, `${name}: nothing stored`);
				assert.equal(pendingViewCount(host), 1, `${name}: the form is still remembered`);
			}
		});

		// The same form, corrected, is accepted: the comment exactly at the limit counts.
		const corrected = await host.submitView('alice', { comment: 'y'.repeat(2000), rating: '5' });
		assert.equal(corrected.accepted, true, JSON.stringify(corrected.errors));
		assert.equal(feedbackCount(host), stored + 1);
		assert.equal(host.openView('alice'), undefined);
	});

	it('refuses "anonymous" once it is turned off, even on a form opened before', async () => {
		await host.runSlashCommand('bruno', 'general', '/feedback');
		await host.setSetting(SETTING.allowAnonymous, false);
		const stored = feedbackCount(host);
		const refused = await host.submitView('bruno', { comment: 'psst', anonymous: ['anonymous'] });
		assert.equal(refused.accepted, false);
		assert.deepEqual(refused.errors, {
			anonymous: 'O feedback anônimo está desativado neste workspace.',
		});
		assert.ok(host.openView('bruno'), 'the form stays open');
		assert.equal(feedbackCount(host), stored);

		const named = await host.submitView('bruno', { comment: 'psst', anonymous: [] });
		assert.equal(named.accepted, true);
		const record = (await storedFeedback(host)).find((candidate) => candidate.comment === 'psst');
		assert.equal(record?.anonymous, false);
		assert.equal(record?.author?.username, 'bruno');
	});

	it('stores a form submitted twice at once, or submitted again later, only once', async () => {
		const opened = await host.runSlashCommand('clara', 'general', '/feedback');
		assert.ok(opened.view);
		const stored = feedbackCount(host);
		const notified = host.notifications('clara').length;
		const values = { comment: 'Doppelklick', category: 'Idea', rating: '4' };
		const [first, second] = await timed('double submit', () =>
			Promise.all([host.submitView('clara', values), host.submitView('clara', values)]),
		);
		assert.equal(first.accepted, true);
		assert.equal(second.accepted, true);
		assert.equal(feedbackCount(host), stored + 1, 'stored once');
		assert.equal(host.notifications('clara').length, notified + 1, 'confirmed once');

		// A client that retries the same form later (its answer got lost) stores nothing more.
		showAgain(host, 'clara', opened.view);
		const retry = await host.submitView('clara', values);
		assert.equal(retry.accepted, true);
		assert.equal(feedbackCount(host), stored + 1);
		assert.equal(host.notifications('clara').length, notified + 1);
		const copies = (await storedFeedback(host)).filter(
			(record) => record.comment === 'Doppelklick',
		);
		assert.equal(copies.length, 1);
	});

	it('does not accept a form the member closed', async () => {
		const opened = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.ok(opened.view);
		await host.closeView('alice');
		assert.equal(pendingViewCount(host), 0);
		const stored = feedbackCount(host);
		showAgain(host, 'alice', opened.view);
		const stale = await host.submitView('alice', { comment: 'too late' });
		assert.equal(stale.accepted, false);
		assert.deepEqual(stale.errors, { comment: EN.expired });
		assert.equal(feedbackCount(host), stored);
	});

	it("does not accept another member's form", async () => {
		const opened = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.ok(opened.view);
		const stored = feedbackCount(host);
		showAgain(host, 'bruno', opened.view);
		const forged = await host.submitView('bruno', { comment: 'not my form' });
		assert.equal(forged.accepted, false);
		assert.deepEqual(forged.errors, {
			comment: 'Este formulário não está mais aberto. Feche-o e digite /feedback novamente.',
		});
		assert.equal(feedbackCount(host), stored);
		host.session.closeView('bruno');

		const own = await host.submitView('alice', { comment: 'my form' });
		assert.equal(own.accepted, true, 'the owner can still send it');
		const record = (await storedFeedback(host)).find(
			(candidate) => candidate.comment === 'my form',
		);
		assert.equal(record?.author?.username, 'alice');
	});

	it('stores the forms of members who send at the same time, each once', async () => {
		const members = ['alice', 'bruno', 'clara'];
		for (const username of members) {
			await host.runSlashCommand(username, 'general', '/feedback');
		}
		const stored = feedbackCount(host);
		const results = await timed('3 concurrent submits', () =>
			Promise.all(
				members.map((username) => host.submitView(username, { comment: `together ${username}` })),
			),
		);
		assert.deepEqual(
			results.map((result) => result.accepted),
			[true, true, true],
		);
		assert.equal(feedbackCount(host), stored + 3);
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
		await host.runSlashCommand('alice', 'general', '/feedback');
		const stored = feedbackCount(host);
		host.setFaultInjection({ rate: 1, methods: ['createWithAssociations'] });
		const failed = await timed('submit while create fails', () =>
			host.submitView('alice', { comment: 'will it stick?', category: 'Bug' }),
		);
		assert.equal(failed.accepted, false);
		assert.deepEqual(failed.errors, { comment: EN.storeFailed });
		assert.ok(host.openView('alice'), 'the form stays open');
		assert.deepEqual(failed.notifications, [], 'no confirmation');
		assert.equal(feedbackCount(host), stored, 'nothing stored');

		host.setFaultInjection({ rate: 0 });
		const retried = await host.submitView('alice', { comment: 'will it stick?', category: 'Bug' });
		assert.equal(retried.accepted, true);
		assert.equal(feedbackCount(host), stored + 1);
		assert.equal(retried.notifications.length, 1);
	});

	it('tells the member when the form cannot be opened or feedback cannot be read', async () => {
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
	});
});

describe('feedback settings changed at run time', () => {
	let fixture: IEngineFixture | undefined;
	let host: LocalHost;

	before(async () => {
		fixture = await startFixture('settings');
		host = fixture.host;
	});

	after(async () => {
		await stopFixture(fixture);
	});

	afterEach(async () => {
		await closeOpenViews(host);
		await resetSettings(host);
	});

	it('offers the categories of the setting in the next form and accepts only those', async () => {
		await host.runSlashCommand('alice', 'general', '/feedback');
		await timed('set categories', () =>
			host.setSetting(SETTING.categories, ' Alpha ,Beta,, Alpha '),
		);
		const stale = await host.submitView('alice', { comment: 'old form', category: 'Bug' });
		assert.equal(stale.accepted, false, 'a category no longer offered is refused');
		assert.deepEqual(stale.errors, { category: EN.category });

		const fresh = await host.runSlashCommand('bruno', 'general', '/feedback');
		assert.deepEqual(optionValues(fresh.view, 'category'), ['Alpha', 'Beta']);
		assert.equal(fieldOf(fresh.view, 'category').element?.initialValue, 'Alpha');
		const beta = await host.submitView('bruno', { comment: 'nova categoria', category: 'Beta' });
		assert.equal(beta.accepted, true);
		const record = (await storedFeedback(host)).find(
			(candidate) => candidate.comment === 'nova categoria',
		);
		assert.equal(record?.category, 'Beta');

		// A setting with no category left falls back to the shipped ones.
		await host.setSetting(SETTING.categories, ' , ');
		const fallback = await host.runSlashCommand('clara', 'general', '/feedback');
		assert.deepEqual(optionValues(fallback.view, 'category'), ['General', 'Bug', 'Idea', 'Praise']);
	});

	it('applies the maximum comment length, counting an emoji as one character', async () => {
		await host.setSetting(SETTING.maxLength, 10);
		const opened = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.equal(fieldOf(opened.view, 'comment').element?.maxLength, 10);
		assert.equal(fieldOf(opened.view, 'comment').hint?.text, 'Up to 10 characters.');
		const stored = feedbackCount(host);
		const tooLong = await host.submitView('alice', { comment: 'x'.repeat(11) });
		assert.deepEqual(tooLong.errors, { comment: EN.tooLong(11, 10) });
		const emoji = await host.submitView('alice', { comment: '😀'.repeat(11) });
		assert.deepEqual(emoji.errors, { comment: EN.tooLong(11, 10) });
		assert.equal(feedbackCount(host), stored);
		const fits = await host.submitView('alice', { comment: '😀'.repeat(10) });
		assert.equal(fits.accepted, true, JSON.stringify(fits.errors));
		assert.equal(feedbackCount(host), stored + 1);

		// A typo like 2000000 is held at the ceiling of 10000.
		await host.setSetting(SETTING.maxLength, 2_000_000);
		const capped = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.equal(fieldOf(capped.view, 'comment').element?.maxLength, 10000);
		const overCeiling = await host.submitView('alice', { comment: 'z'.repeat(10001) });
		assert.deepEqual(overCeiling.errors, { comment: EN.tooLong(10001, 10000) });
	});

	it('hides "anonymous" from the next form when it is turned off', async () => {
		await host.setSetting(SETTING.allowAnonymous, false);
		const opened = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.deepEqual(
			blocksOf(opened.view).map((block) => block.blockId),
			['comment', 'category', 'rating'],
		);
		await assert.rejects(
			host.submitView('alice', { comment: 'x', anonymous: ['anonymous'] }),
			/no field anonymous/,
		);
		await host.closeView('alice');

		await host.setSetting(SETTING.allowAnonymous, true);
		const again = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.deepEqual(optionValues(again.view, 'anonymous'), ['anonymous']);
	});

	it('gives the admin commands to the roles of the setting, and only to them', async () => {
		const statsTitle = '*Feedback statistics*';
		await host.setSetting(SETTING.adminRoles, 'moderator, feedback-admin');
		assert.equal(
			onlyReply(await host.runSlashCommand('admin', 'general', '/feedback stats')),
			'Only workspace admins can see feedback statistics.',
		);
		assert.equal(
			onlyReply(await host.runSlashCommand('admin', 'general', '/feedback list all')),
			"Only workspace admins can list everyone's feedback.",
		);

		await host.setSetting(SETTING.adminRoles, 'user');
		const aliceStats = onlyReply(await host.runSlashCommand('alice', 'general', '/feedback stats'));
		assert.ok(aliceStats.startsWith(statsTitle), aliceStats);
		const aliceList = onlyReply(
			await host.runSlashCommand('alice', 'general', '/feedback list all'),
		);
		assert.doesNotMatch(aliceList, /Only workspace admins/);
		assert.match(
			onlyReply(await host.runSlashCommand('alice', 'general', '/feedback help')),
			/^Admins: \/feedback stats/m,
		);

		await host.setSetting(SETTING.adminRoles, 'admin');
		assert.equal(
			onlyReply(await host.runSlashCommand('alice', 'general', '/feedback stats')),
			'Only workspace admins can see feedback statistics.',
		);
		assert.ok(
			onlyReply(await host.runSlashCommand('admin', 'general', '/feedback stats')).startsWith(
				statsTitle,
			),
		);
	});

	it('announces new feedback in the room of the setting, with only its id in customFields and never an anonymous author', async () => {
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const general = host.timeline('general').length;
		const announced = roomMessages(host, 'feedback').length;

		const named = await timed('submit with announcement', () =>
			sendFeedback(host, 'alice', 'general', {
				comment: 'Ping @all about `code`',
				category: 'Idea',
				rating: '5',
			}),
		);
		const anonymous = await sendFeedback(host, 'bruno', 'general', {
			comment: 'Ninguém sabe que fui eu',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		const messages = roomMessages(host, 'feedback').slice(announced);
		assert.equal(messages.length, 2, 'one announcement per feedback');
		assert.equal(host.timeline('general').length, general, 'nothing in the room of the command');
		const [first, second] = messages;
		assert.equal(first.sender.username, 'feedback.bot');
		assert.equal(first.sender.id, host.directory.appUser(host.getAppId())?.id);
		assert.equal(
			first.text,
			`New feedback ${named.shortId} in Idea (5/5) from Alice Doe:\n> \`Ping @\u2060all about ˋcodeˋ\``,
			'the comment cannot mention anyone or break out of its quote',
		);
		assert.deepEqual(first.customFields, { feedbackId: named.id });

		// The announcement is in the server's language (English), whoever sent the feedback.
		assert.equal(
			second.text,
			`New anonymous feedback ${anonymous.shortId} in Bug (no rating):\n> \`Ninguém sabe que fui eu\``,
		);
		assert.deepEqual(second.customFields, { feedbackId: anonymous.id });
		assert.equal(second.sender.username, 'feedback.bot');
		const { room: _room, ...withoutRoom } = second;
		assert.doesNotMatch(
			JSON.stringify(withoutRoom),
			/bruno|Bruno|Silva/,
			'nothing in the announcement names the anonymous author',
		);
		const record = (await storedFeedback(host)).find((candidate) => candidate.id === anonymous.id);
		assert.equal(record?.author, null, 'the author is not stored with anonymous feedback');
		assert.doesNotMatch(JSON.stringify(record), /bruno/i);

		assert.equal(await statsMessageCount(host), 0, 'announcements are not counted as messages');
	});

	it('accepts the announcement room with a #, and skips a room that does not exist', async () => {
		await host.setSetting(SETTING.announceRoom, '#feedback');
		const announced = host.timeline('feedback').length;
		await sendFeedback(host, 'clara', 'general', { comment: 'mit Raute' });
		assert.equal(host.timeline('feedback').length, announced + 1);

		await host.setSetting(SETTING.announceRoom, 'nowhere');
		const timelines = [host.timeline('general').length, host.timeline('feedback').length];
		const sent = await sendFeedback(host, 'clara', 'general', { comment: 'ohne Raum' });
		assert.match(sent.confirmation, /^Danke!/, 'stored and confirmed all the same');
		assert.deepEqual(
			[host.timeline('general').length, host.timeline('feedback').length],
			timelines,
		);

		await host.setSetting(SETTING.announceRoom, '');
		await sendFeedback(host, 'clara', 'general', { comment: 'kein Raum' });
		assert.deepEqual(
			[host.timeline('general').length, host.timeline('feedback').length],
			timelines,
		);
	});
});
