import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { FeedbackField, formOfView } from '../../src/domain/form';
import { feedbackIdOfForm } from '../../src/domain/ids';
import { SettingId } from '../../src/domain/settings';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { APP_ID, TestWorld } from '../support/TestWorld';
import { assertMemberTextInert } from '../support/messageSafety';
import { until } from '../support/until';

/** Opens the form as the user and submits it with the values. */
async function sendFeedback(world: TestWorld, user: IUser, values: Record<string, unknown>) {
	await world.instance.run(user, '');
	const view = world.lastView(user);
	const response = await world.instance.submit(user, view, values);
	return { view, response };
}

function feedbackRecords(world: TestWorld) {
	return world.persistence.matching(APP_ID, buildAssociations({ scope: RecordScope.Feedback }));
}

function pendingViews(world: TestWorld) {
	return world.persistence.matching(APP_ID, buildAssociations({ scope: RecordScope.PendingView }));
}

function shortIdIn(text: string): string {
	// The confirmation ends with the short id in every language.
	const match = /([0-9a-f]{8})\.?$/.exec(text);
	assert.ok(match, `no id in "${text}"`);
	return match[1];
}

/** The fields' block ids without the form id they carry (`comment:<form id>` is `comment`). */
function blockIds(view: IUIKitSurface): Array<string | undefined> {
	return view.blocks.map((block) =>
		'blockId' in block ? block.blockId?.replace(/:[0-9a-f-]{36}$/, '') : undefined,
	);
}

describe('/feedback opens the form', () => {
	it('opens a modal with comment, category from the setting, rating and anonymous, and remembers the room', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.Categories, 'Bug, Idea');
		await world.instance.run(world.alice, '');
		const view = world.lastView(world.alice);
		assert.equal(view.type, 'modal');
		assert.deepEqual(blockIds(view), [
			FeedbackField.Comment,
			FeedbackField.Category,
			FeedbackField.Rating,
			FeedbackField.Anonymous,
		]);
		assert.equal(formOfView(view)?.kind, 'form');
		assert.match(JSON.stringify(view.blocks), /"value":"Bug".*"value":"Idea"/);
		const [pending] = pendingViews(world);
		assert.equal((pending.data as { roomId: string }).roomId, world.general.id);
	});

	it('opens nothing without a trigger id (REST commands.run) and tells the member where the form opens', async () => {
		const world = new TestWorld();
		await world.instance.run(world.bruno, '', world.general, null);
		await world.instance.run(world.alice, '', world.general, '');
		assert.equal(world.openedViews.length, 0);
		assert.deepEqual(pendingViews(world), []);
		assert.match(world.lastNotice(world.alice), /type \/feedback in the message box/);
		assert.match(world.lastNotice(world.bruno), /digite \/feedback na caixa de mensagem/);
	});

	it('speaks to a member without a chosen language in the workspace language, else English', async () => {
		const world = new TestWorld();
		await world.instance.run(world.dora, 'help');
		assert.match(world.lastNotice(world.dora), /\/feedback list/);
		const english = world.lastNotice(world.dora);
		world.serverSettings.set('Language', 'pt-BR');
		await world.instance.run(world.dora, 'help');
		const portuguese = world.lastNotice(world.dora);
		assert.notEqual(portuguese, english);
		await world.instance.run(world.bruno, 'help');
		assert.equal(portuguese, world.lastNotice(world.bruno));
		// A member's own choice wins over the workspace's.
		await world.instance.run(world.clara, 'help');
		assert.notEqual(world.lastNotice(world.clara), portuguese);
		// An unshipped workspace language, or a failing read, means English.
		world.serverSettings.set('Language', 'ja');
		await world.instance.run(world.dora, 'help');
		assert.equal(world.lastNotice(world.dora), english);
	});

	it('gives form errors in the workspace language to a member without a chosen language', async () => {
		const world = new TestWorld();
		world.serverSettings.set('Language', 'de');
		await world.instance.run(world.dora, '');
		const response = await world.instance.submit(world.dora, world.lastView(world.dora), {
			comment: '',
			category: 'Bug',
		});
		await world.instance.run(world.clara, '');
		const german = await world.instance.submit(world.clara, world.lastView(world.clara), {
			comment: '',
			category: 'Bug',
		});
		const errorsOf = (answer: object) => (answer as { errors?: Record<string, string> }).errors;
		assert.ok(errorsOf(response));
		assert.deepEqual(errorsOf(response), errorsOf(german));
	});

	it('hides the anonymous choice when the setting forbids it', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.AllowAnonymous, false);
		await world.instance.run(world.alice, '');
		assert.deepEqual(blockIds(world.lastView(world.alice)), [
			FeedbackField.Comment,
			FeedbackField.Category,
			FeedbackField.Rating,
		]);
	});

	it("labels the form in the member's language", async () => {
		const world = new TestWorld();
		await world.instance.run(world.clara, '');
		assert.notEqual(world.lastView(world.clara).title, undefined);
		assert.doesNotMatch(JSON.stringify(world.lastView(world.clara).title), /Send feedback/);
	});

	it('a form that cannot open tells the member and leaves no pending record', async () => {
		const world = new TestWorld();
		world.failOpenView = true;
		await world.instance.run(world.alice, '');
		assert.equal(pendingViews(world).length, 0);
		assert.match(world.lastNotice(world.alice), /could not be opened/);
	});

	it('a store failure while opening tells the member and opens nothing', async () => {
		const world = new TestWorld();
		world.persistence.failNext('create');
		await world.instance.run(world.alice, '');
		assert.equal(world.openedViews.length, 0);
		assert.match(world.lastNotice(world.alice), /could not be opened/);
	});
});

describe('submitting the form', () => {
	it("stores one record under the author and the app-wide set, and confirms in the command's room", async () => {
		const world = new TestWorld();
		const { view, response } = await sendFeedback(world, world.alice, {
			comment: '  Great tool  ',
			category: 'Bug',
			rating: '4',
		});
		assert.equal(response.success, true);
		const records = feedbackRecords(world);
		assert.equal(records.length, 1);
		const [record] = records;
		const data = record.data as Record<string, unknown>;
		const form = formOfView(view);
		assert.ok(form?.kind === 'form');
		assert.equal(data.id, feedbackIdOfForm(form.formId));
		assert.equal(data.comment, 'Great tool');
		assert.equal(data.category, 'Bug');
		assert.equal(data.rating, 4);
		assert.equal(data.roomId, world.general.id);
		assert.deepEqual(data.author, { id: 'alice', username: 'alice', name: 'Alice Example' });
		assert.ok(
			record.associations.some(
				(association) => association.model === 'user' && association.id === 'alice',
			),
		);
		assert.ok(
			record.associations.some(
				(association) =>
					association.model === 'misc' && association.id === `feedback:id:${String(data.id)}`,
			),
		);
		const notice = world.notifications[world.notifications.length - 1];
		assert.equal(notice.message.room.id, world.general.id);
		assert.equal(shortIdIn(notice.message.text ?? ''), String(data.id).slice(0, 8));
		assert.equal(pendingViews(world).length, 0);
	});

	it('an anonymous feedback carries nothing that leads to its author', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, {
			comment: 'secret',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		const [stored] = feedbackRecords(world);
		const data = stored.data as Record<string, unknown>;
		assert.equal(data.anonymous, true);
		assert.equal(data.author, null);
		assert.equal('contributor' in data, false, 'no per-author key');
		assert.equal(data.roomId, null, 'no room it was typed in');
		assert.deepEqual(
			stored.associations.filter((association) => association.model === 'user'),
			[],
			'no USER association',
		);
		// Nothing stored anywhere keeps a trace once the form is forgotten.
		const everything = JSON.stringify(world.persistence.records);
		for (const trace of [world.alice.id, 'Alice Example', world.general.id]) {
			assert.ok(!everything.includes(trace), `"${trace}" is stored`);
		}
		assert.match(world.lastNotice(world.alice), /Thank you/);
		await world.instance.run(world.alice, 'list', world.general, null);
		assert.match(world.lastNotice(world.alice), /not sent any feedback|no feedback/i);
	});

	it('an anonymous feedback keeps the hour it was sent, on its record and its queue entry', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.AnnounceRoom, 'general');
		world.advance(37 * 60 * 1000 + 12_345);
		const hour = new Date(Math.floor(world.now().getTime() / 3_600_000) * 3_600_000).toISOString();
		assert.notEqual(world.now().toISOString(), hour, 'sent inside the hour');
		await sendFeedback(world, world.alice, {
			comment: 'secret',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		const [stored] = feedbackRecords(world);
		const data = stored.data as Record<string, unknown>;
		assert.deepEqual([data.createdAt, data.updatedAt], [hour, hour]);
		const queued = world.persistence.matching(
			APP_ID,
			buildAssociations({ scope: RecordScope.AnnouncementQueue }),
		);
		assert.deepEqual(
			queued.map((entry) => (entry.data as { queuedAt: string }).queuedAt),
			[hour],
		);
		assert.ok(!JSON.stringify(world.persistence.records).includes(world.now().toISOString()));
	});

	it('a form of an earlier version (its view id named the feedback) asks for a new form and stores nothing', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, '');
		const view = world.lastView(world.alice);
		const earlier = { ...view, id: 'feedback-form:0f8fad5b-d9cb-469f-a165-70867728950e' };
		const response = await world.instance.submit(world.alice, earlier, {
			comment: 'from an old form',
			category: 'Bug',
		});
		assert.equal(response.success, false);
		assert.match(JSON.stringify(response), /no longer open/);
		assert.equal(feedbackRecords(world).length, 0);
	});

	it('the form says what anonymous means', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, '');
		const text = JSON.stringify(world.lastView(world.alice).blocks);
		assert.match(text, /not be in your list/);
		assert.match(text, /cannot delete it/);
		assert.match(text, /cannot be traced to you/);
		assert.match(text, /Only the hour it is sent is stored/);
		assert.match(text, /comes with the others of that hour once the hour is over/);
	});

	it('a racing submit whose feedback another instance stored is answered as stored', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, '');
		const view = world.lastView(world.alice);
		const values = { comment: 'raced', category: 'Bug' };
		const other = world.newInstance();
		// The other instance reads "not stored"; its next reads (side by side: the deletion notes
		// of both kinds and the open form) wait until the first instance has stored the feedback and
		// forgotten the form.
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		let calls = 0;
		world.persistence.pause = () => {
			calls += 1;
			return calls >= 2 && calls <= 4 ? gate : Promise.resolve();
		};
		const racing = other.submit(world.alice, view, values);
		await until(() => calls >= 4, 'the racing submit to reach its reads', { everyMs: 0 });
		const first = await world.instance.submit(world.alice, view, values);
		assert.equal(first.success, true);
		assert.deepEqual(pendingViews(world), []);
		release();
		const second = await racing;
		assert.equal(second.success, true, 'answered as stored, not "no longer open"');
		assert.equal(feedbackRecords(world).length, 1);
	});

	it("a deleted feedback's form never stores again, even when forgetting the form had failed", async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, '');
		const view = world.lastView(world.alice);
		world.persistence.failNext('removeByAssociations');
		const sent = await world.instance.submit(world.alice, view, {
			comment: 'first',
			category: 'Bug',
		});
		assert.equal(sent.success, true);
		assert.equal(pendingViews(world).length, 1, 'the form could not be forgotten');
		const id = shortIdIn(world.lastNotice(world.alice));
		await world.instance.run(world.alice, `delete ${id}`);
		assert.equal(feedbackRecords(world).length, 0);
		const again = await world.instance.submit(world.alice, view, {
			comment: 'new text',
			category: 'Bug',
		});
		assert.equal(again.success, false);
		assert.match(JSON.stringify(again), /was deleted/);
		assert.equal(feedbackRecords(world).length, 0);
	});

	it('a write whose answer is lost is confirmed, not reported as failed', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, '');
		const view = world.lastView(world.alice);
		// The author's mark is created first (ContributorMarks), then the feedback.
		world.persistence.loseAnswerOfNext('create', 1, 1);
		const response = await world.instance.submit(world.alice, view, {
			comment: 'landed',
			category: 'Bug',
		});
		assert.equal(response.success, true);
		assert.equal(feedbackRecords(world).length, 1);
		assert.match(world.lastNotice(world.alice), /Thank you/);
	});

	it('an unknown outcome says so and how to check; the retry confirms the stored feedback', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.AnnounceRoom, 'feedback');
		await world.instance.run(world.alice, '');
		const view = world.lastView(world.alice);
		// The author's mark is created first (ContributorMarks), then the feedback.
		world.persistence.loseAnswerOfNext('create', 1, 1);
		// The look that follows the lost answer fails too.
		let creates = 0;
		world.persistence.pause = async () => {
			if (world.persistence.calls[world.persistence.calls.length - 1] === 'create') {
				creates += 1;
				if (creates === 2) {
					world.persistence.failNext('readByAssociations');
				}
			}
		};
		const lost = await world.instance.submit(world.alice, view, {
			comment: 'first try',
			category: 'Bug',
		});
		assert.equal(lost.success, false);
		assert.match(JSON.stringify(lost), /could not tell whether your feedback was saved/);
		assert.match(JSON.stringify(lost), /\/feedback list/);
		assert.equal(feedbackRecords(world).length, 1);
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 0, 'not announced before it is confirmed');
		world.persistence.pause = () => Promise.resolve();
		const notices = world.notificationsOf(world.alice).length;
		const retry = await world.instance.submit(world.alice, view, {
			comment: 'edited',
			category: 'Idea',
		});
		assert.equal(retry.success, true);
		assert.equal(feedbackRecords(world).length, 1, 'never stored twice');
		assert.equal(world.notificationsOf(world.alice).length, notices + 1);
		assert.match(world.lastNotice(world.alice), /Thank you/);
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 1);
		assert.match(world.roomMessages[0].text ?? '', /first try/, "the stored text, not the retry's");
		assert.deepEqual(pendingViews(world), []);
	});

	it('a double submit of the same view stores one record, on one instance or two', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, '');
		const view = world.lastView(world.alice);
		const values = { comment: 'twice', category: 'Bug' };
		const second = world.newInstance();
		const responses = await Promise.all([
			world.instance.submit(world.alice, view, values),
			world.instance.submit(world.alice, view, values),
		]);
		assert.ok(responses.every((response) => response.success));
		await second.submit(world.alice, view, values);
		assert.equal(feedbackRecords(world).length, 1);
		assert.equal(
			world.notificationsOf(world.alice).filter((text) => /saved as/.test(text)).length,
			1,
		);
	});

	const invalidCases: Array<[string, Record<string, unknown>, FeedbackField, RegExp]> = [
		[
			'an empty comment',
			{ comment: '', category: 'Bug' },
			FeedbackField.Comment,
			/write a comment/,
		],
		[
			'a whitespace-only comment',
			{ comment: ' \n\t ', category: 'Bug' },
			FeedbackField.Comment,
			/write a comment/,
		],
		[
			'a comment over the limit',
			{ comment: 'x'.repeat(2001), category: 'Bug' },
			FeedbackField.Comment,
			/2001 characters; the limit is 2000/,
		],
		['no category', { comment: 'ok', category: '' }, FeedbackField.Category, /listed categories/],
		[
			'a category no longer offered',
			{ comment: 'ok', category: 'Hacked' },
			FeedbackField.Category,
			/categories changed since this form opened/,
		],
		[
			'a rating out of range',
			{ comment: 'ok', category: 'Bug', rating: '9' },
			FeedbackField.Rating,
			/1 to 5/,
		],
	];
	for (const [name, values, field, message] of invalidCases) {
		it(`${name} answers an inline error on ${field}, keeps the form open and stores nothing`, async () => {
			const world = new TestWorld();
			const { response } = await sendFeedback(world, world.alice, values);
			assert.equal(response.success, false);
			const { errors } = response as unknown as { errors: Record<string, string> };
			assert.match(errors[field], message);
			assert.equal(feedbackRecords(world).length, 0);
			assert.equal(pendingViews(world).length, 1);
		});
	}

	it('anonymous feedback is refused when the setting forbids it, even from a tampered form', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.AllowAnonymous, false);
		const { response } = await sendFeedback(world, world.alice, {
			comment: 'hi',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		assert.equal(response.success, false);
		assert.equal(feedbackRecords(world).length, 0);
	});

	it("answers errors in the member's language", async () => {
		const world = new TestWorld();
		const { response } = await sendFeedback(world, world.bruno, { comment: '', category: 'Bug' });
		const { errors } = response as unknown as { errors: Record<string, string> };
		assert.ok(errors.comment.length > 0);
		assert.doesNotMatch(errors.comment, /Please write a comment/);
	});

	it('the comment limit follows the setting', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.MaxCommentLength, 10);
		const { response } = await sendFeedback(world, world.alice, {
			comment: 'eleven char',
			category: 'Bug',
		});
		assert.equal(response.success, false);
	});

	it('a failing store answers a clear error, stores nothing, and the same form can be sent again', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, '');
		const view = world.lastView(world.alice);
		world.persistence.failNext('create');
		const failed = await world.instance.submit(world.alice, view, {
			comment: 'hi',
			category: 'Bug',
		});
		assert.equal(failed.success, false);
		assert.match(
			(failed as unknown as { errors: Record<string, string> }).errors.comment,
			/could not be saved/,
		);
		assert.equal(feedbackRecords(world).length, 0);
		assert.equal(world.instance.log.errors.length, 1);
		const retried = await world.instance.submit(world.alice, view, {
			comment: 'hi',
			category: 'Bug',
		});
		assert.equal(retried.success, true);
		assert.equal(feedbackRecords(world).length, 1);
	});

	it('a form another user opened cannot be submitted by someone else', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, '');
		const response = await world.instance.submit(world.bruno, world.lastView(world.alice), {
			comment: 'hi',
			category: 'Bug',
		});
		assert.equal(response.success, false);
		assert.equal(feedbackRecords(world).length, 0);
	});

	it('closing the form forgets it', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, '');
		assert.equal(pendingViews(world).length, 1);
		await world.instance.close(world.alice, world.lastView(world.alice));
		assert.equal(pendingViews(world).length, 0);
		const response = await world.instance.submit(world.alice, world.lastView(world.alice), {
			comment: 'late',
			category: 'Bug',
		});
		assert.equal(response.success, false);
		assert.equal(feedbackRecords(world).length, 0);
	});

	it('a failing announcement does not undo the stored feedback', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.AnnounceRoom, 'no-such-room');
		const { response } = await sendFeedback(world, world.alice, { comment: 'hi', category: 'Bug' });
		assert.equal(response.success, true);
		assert.equal(feedbackRecords(world).length, 1);
	});
});

describe('/feedback list', () => {
	it("shows only the member's own feedback, newest first, 10 per page", async () => {
		const world = new TestWorld();
		for (let index = 1; index <= 12; index += 1) {
			await sendFeedback(world, world.alice, { comment: `alice ${index}`, category: 'Bug' });
		}
		await sendFeedback(world, world.bruno, { comment: 'bruno private', category: 'Bug' });
		await world.instance.run(world.alice, 'list', world.general, null);
		const first = world.lastNotice(world.alice);
		assert.match(first, /page 1 of 2/);
		assert.doesNotMatch(first, /bruno private/);
		assert.equal((first.match(/alice \d+/g) ?? []).length, 10);
		assert.ok(first.indexOf('alice 12') < first.indexOf('alice 3'));
		assert.match(first, /\/feedback list 2/);
		await world.instance.run(world.alice, 'list 2', world.general, null);
		const second = world.lastNotice(world.alice);
		assert.match(second, /alice 2`/);
		assert.match(second, /alice 1`/);
		assert.doesNotMatch(second, /alice 3`/);
	});

	it('says so when there is nothing, or the page is past the end or not a number', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, 'list', world.general, null);
		assert.match(world.lastNotice(world.alice), /not sent any feedback/);
		await sendFeedback(world, world.alice, { comment: 'one', category: 'Bug' });
		await world.instance.run(world.alice, 'list 3', world.general, null);
		assert.match(world.lastNotice(world.alice), /does not exist; the last page is 1/);
		await world.instance.run(world.alice, 'list two', world.general, null);
		assert.match(world.lastNotice(world.alice), /whole number/);
		await world.instance.run(world.alice, 'list 99999999999999999999', world.general, null);
		assert.match(world.lastNotice(world.alice), /does not exist; the last page is 1/);
		await world.instance.run(world.admin, 'list all 99999999999999999999');
		assert.match(world.lastNotice(world.admin), /does not exist; the last page is 1/);
	});

	it('a failing read tells the member', async () => {
		const world = new TestWorld();
		world.persistence.failNext('readByAssociations');
		await world.instance.run(world.alice, 'list', world.general, null);
		assert.match(world.lastNotice(world.alice), /could not be read/);
	});
});

describe('/feedback delete', () => {
	it('deletes nothing when more than one word follows, and says to delete one at a time', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'keep', category: 'Bug' });
		const id = shortIdIn(world.lastNotice(world.alice));
		await world.instance.run(world.alice, `delete ${id} extra`);
		assert.match(world.lastNotice(world.alice), /one entry at a time/);
		assert.equal(feedbackRecords(world).length, 1);
	});

	it('shows a typed word that is not an id without a mention or link', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, 'delete @all');
		assert.match(world.lastNotice(world.alice), /is not a feedback id/);
		assertMemberTextInert(world.lastNotice(world.alice), ['all']);
	});

	it("deletes one of the member's entries and nothing else", async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'keep', category: 'Bug' });
		await sendFeedback(world, world.alice, { comment: 'drop', category: 'Bug' });
		await sendFeedback(world, world.bruno, { comment: 'other', category: 'Bug' });
		const dropId = shortIdIn(world.notificationsOf(world.alice)[1]);
		await world.instance.run(world.alice, `delete ${dropId}`);
		assert.match(world.lastNotice(world.alice), new RegExp(`${dropId} was deleted`));
		const comments = feedbackRecords(world)
			.map((record) => (record.data as { comment: string }).comment)
			.sort();
		assert.deepEqual(comments, ['keep', 'other']);
	});

	it("a member cannot delete another member's entry; an admin can", async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.bruno, { comment: 'bruno', category: 'Bug' });
		const id = shortIdIn(world.lastNotice(world.bruno));
		await world.instance.run(world.alice, `delete ${id}`);
		assert.match(world.lastNotice(world.alice), /None of your feedback/);
		assert.equal(feedbackRecords(world).length, 1);
		await world.instance.run(world.admin, `delete ${id}`);
		assert.match(world.lastNotice(world.admin), /was deleted/);
		assert.equal(feedbackRecords(world).length, 0);
	});

	it('answers a missing id, a malformed id, an unknown id and a failed removal clearly', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, 'delete');
		assert.match(world.lastNotice(world.alice), /Say which entry/);
		await world.instance.run(world.alice, 'delete @all');
		assert.match(world.lastNotice(world.alice), /is not a feedback id/);
		await world.instance.run(world.alice, 'delete 0123abcd');
		assert.match(world.lastNotice(world.alice), /None of your feedback has the id 0123abcd/);
		await sendFeedback(world, world.alice, { comment: 'stay', category: 'Bug' });
		const id = shortIdIn(world.lastNotice(world.alice));
		world.persistence.failNext('removeByAssociations');
		await world.instance.run(world.alice, `delete ${id}`);
		assert.match(world.lastNotice(world.alice), /could not be deleted/);
		assert.equal(feedbackRecords(world).length, 1);
	});
});

describe('message counting when the app user cannot be looked up', () => {
	async function countOf(world: TestWorld): Promise<number> {
		return world.instance.counter.total(world.persistence.reader(APP_ID));
	}

	it("counts a person's message although the look-up failed twice, and logs it truly", async () => {
		const world = new TestWorld();
		const instance = world.newInstance();
		world.failingAppUserLookups = 2;
		await instance.sendMessage(world.alice);
		assert.equal(await countOf(world), 1);
		assert.deepEqual(instance.log.errors, []);
	});

	it("retries a failed look-up, so the app's own message is still left out", async () => {
		const world = new TestWorld();
		const instance = world.newInstance();
		world.failingAppUserLookups = 1;
		await instance.sendMessage(world.bot);
		await instance.sendMessage(world.alice);
		assert.equal(await countOf(world), 1);
	});

	it('leaves out an app user message it cannot tell apart, and says so in the log', async () => {
		const world = new TestWorld();
		const instance = world.newInstance();
		world.failingAppUserLookups = 2;
		await instance.sendMessage(world.bot);
		assert.equal(await countOf(world), 0);
		assert.equal(instance.log.errors.length, 1);
		assert.match(String(instance.log.errors[0][0]), /is not counted/);
	});
});

describe('admin commands', () => {
	it('stats count feedback, categories, ratings, contributors and messages; members are refused', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'a', category: 'Bug', rating: '5' });
		await sendFeedback(world, world.alice, { comment: 'b', category: 'Idea', rating: '2' });
		await sendFeedback(world, world.bruno, {
			comment: 'c',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		for (let index = 0; index < 30; index += 1) {
			await world.instance.sendMessage(index % 2 === 0 ? world.alice : world.bruno);
		}
		await world.instance.sendMessage(world.bot);
		await world.instance.run(world.alice, 'stats');
		assert.match(world.lastNotice(world.alice), /Only workspace admins/);
		await world.instance.run(world.admin, 'stats');
		const stats = world.lastNotice(world.admin);
		assert.match(stats, /Feedback received: 3/);
		assert.match(stats, /`Bug` 2, `Idea` 1/);
		assert.match(stats, /Average rating: 3\.5 \(2 rated\)/);
		assert.match(stats, /Distinct contributors: 1/, 'bruno sent only anonymously');
		assert.match(stats, /Sent anonymously: 1/);
		assert.match(stats, /Messages sent on the server: 30/);
		assert.match(stats, /Feedback per 1000 messages: 100\.0/);
	});

	it("list all shows everyone's feedback without the author of anonymous entries; members are refused", async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'named', category: 'Bug' });
		await sendFeedback(world, world.bruno, {
			comment: 'hidden',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		await world.instance.run(world.alice, 'list all');
		assert.match(world.lastNotice(world.alice), /Only workspace admins/);
		await world.instance.run(world.admin, 'list all');
		const text = world.lastNotice(world.admin);
		assert.match(text, /2 entries/);
		assert.match(text, /alice/);
		assert.match(text, /anonymous/);
		assert.doesNotMatch(text, /bruno/i);
	});

	it('admin roles come from the setting', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.AdminRoles, 'moderator');
		await world.instance.run(world.admin, 'stats');
		assert.match(world.lastNotice(world.admin), /Only workspace admins/);
		const moderator = { ...world.alice, roles: ['user', 'moderator'] };
		await world.instance.run(moderator, 'stats');
		assert.match(world.lastNotice(moderator), /Feedback received: 0/);
	});
});

describe('/feedback help', () => {
	it("help and unknown subcommands print the usage in the member's language", async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, 'help');
		assert.match(world.lastNotice(world.alice), /\/feedback list/);
		assert.doesNotMatch(world.lastNotice(world.alice), /stats/);
		await world.instance.run(world.admin, 'help');
		assert.match(world.lastNotice(world.admin), /\/feedback stats/);
		await world.instance.run(world.bruno, 'frobnicate');
		const text = world.lastNotice(world.bruno);
		assert.match(text, /frobnicate/);
		assert.match(text, /\/feedback list/);
		assert.doesNotMatch(text, /is not a \/feedback command/);
	});
});

describe('message counter through the handler', () => {
	it("counts messages from two instances exactly and never the app's own", async () => {
		const world = new TestWorld();
		world.persistence.pause = () => new Promise<void>((resolve) => setImmediate(resolve));
		const second = world.newInstance();
		const sends: Array<Promise<void>> = [];
		for (let index = 0; index < 100; index += 1) {
			sends.push((index % 2 === 0 ? world.instance : second).sendMessage(world.alice));
			if (index % 10 === 0) {
				sends.push(world.instance.sendMessage(world.bot));
			}
		}
		await Promise.all(sends);
		assert.equal(await world.instance.counter.total(world.persistence.reader(APP_ID)), 100);
	});

	it('a failing write is logged, not thrown, and counted with the next message', async () => {
		const world = new TestWorld();
		world.persistence.failNext('updateByAssociations');
		await world.instance.sendMessage(world.alice);
		assert.equal(world.instance.log.errors.length, 1);
		await world.instance.sendMessage(world.alice);
		assert.equal(await world.instance.counter.total(world.persistence.reader(APP_ID)), 2);
	});
});
