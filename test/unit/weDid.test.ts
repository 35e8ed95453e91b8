// "You said, we did": the due logic and the text (pure), and the job over a test world: off by
// default, one post per move to Done, copies of a save and of the job collapse, what is skipped
// or dropped, and a failing post retried for an hour, then given up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';

import { FeedbackAction } from '../../src/domain/actions';
import { SettingId } from '../../src/domain/settings';
import { FeedbackStatus } from '../../src/domain/status';
import type { IStatusChange } from '../../src/domain/status';
import {
	distinctPending,
	isMoveToDone,
	isPastRetrying,
	WE_DID_RETRY_MS,
	weDidReference,
} from '../../src/domain/weDid';
import { translatorFor } from '../../src/i18n/translate';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { formatAnnouncement } from '../../src/ui/messages';
import { formatWeDid, isWeDidPostOf } from '../../src/ui/weDidText';
import type { AppInstance } from '../support/TestWorld';
import { APP_ID, TestWorld } from '../support/TestWorld';
import { feedbackRecord } from '../support/feedbackRecord';
import { assertMemberTextInert } from '../support/messageSafety';

const FEEDBACK_ID = '1a2b3c4d-0000-4000-8000-000000000001';

function change(id: string, status: FeedbackStatus, at: string, note = ''): IStatusChange {
	return {
		id,
		feedbackId: FEEDBACK_ID,
		feedbackCreatedAt: '2026-01-01T00:00:00.000Z',
		status,
		note,
		adminId: 'admin',
		at,
	};
}

describe('which changes are a move to Done', () => {
	const at = (minute: number) => `2026-01-02T10:${String(minute).padStart(2, '0')}:00.000Z`;

	it('a first change to Done, and one from another status, are; a Done kept Done is not', () => {
		assert.equal(isMoveToDone('a', [change('a', FeedbackStatus.Done, at(1))]), true);
		const history = [
			change('a', FeedbackStatus.Planned, at(1)),
			change('b', FeedbackStatus.Done, at(2)),
			change('c', FeedbackStatus.Done, at(3), 'a new note'),
			change('d', FeedbackStatus.Acknowledged, at(4)),
			change('e', FeedbackStatus.Done, at(5)),
		];
		assert.deepEqual(
			history.map((item) => isMoveToDone(item.id, history)),
			[false, true, false, false, true],
			'each move to Done, even one the entry moved on from; never another status',
		);
		assert.equal(isMoveToDone('missing', history), false);
	});

	it('orders changes as every instance reads them: by time, then by id, whatever the order given', () => {
		const racing = [
			change('b', FeedbackStatus.Done, at(2)),
			change('a', FeedbackStatus.Done, at(2)),
			change('0', FeedbackStatus.New, at(1)),
		];
		assert.equal(isMoveToDone('a', racing), true, 'the first of two in one instant');
		assert.equal(isMoveToDone('b', racing), false, 'the second one kept it Done');
	});

	it('collapses copies of one pending post into the earliest, oldest first', () => {
		const pending = distinctPending([
			{ changeId: 'y', feedbackId: 'f', notedAt: at(3) },
			{ changeId: 'x', feedbackId: 'f', notedAt: at(2) },
			{ changeId: 'y', feedbackId: 'f', notedAt: at(1) },
		]);
		assert.deepEqual(
			pending.map((item) => [item.changeId, item.notedAt]),
			[
				['y', at(1)],
				['x', at(2)],
			],
		);
	});

	it('gives a post up an hour after it was noted, and one noted at no readable time at once', () => {
		const noted = '2026-01-02T10:00:00.000Z';
		assert.equal(isPastRetrying(noted, new Date(Date.parse(noted) + WE_DID_RETRY_MS - 1)), false);
		assert.equal(isPastRetrying(noted, new Date(Date.parse(noted) + WE_DID_RETRY_MS)), true);
		assert.equal(isPastRetrying('not a time', new Date(noted)), true);
	});
});

describe('the text of a "You said, we did" post', () => {
	const record = feedbackRecord({
		id: FEEDBACK_ID,
		comment: 'Dark mode please',
		category: 'Idea',
		author: { id: 'alice', username: 'alice', name: 'Alice Doe' },
	});
	const done = change(
		'9f8e7d6c-1111-4000-8000-000000000002',
		FeedbackStatus.Done,
		'2026-01-02T10:00:00.000Z',
		'Shipped in 2.1',
	);
	const reference = weDidReference(record.id, done.id);

	it('names the short id, the reference, the category, the comment and the note, in the language given', () => {
		assert.equal(reference, '1a2b3c4d9f8e7d6c');
		assert.equal(
			formatWeDid(record, done, translatorFor('en')),
			'*You said, we did*: feedback 1a2b3c4d is done · ref `1a2b3c4d9f8e7d6c`\n' +
				'The feedback, in `Idea`: `Dark mode please`\n' +
				'Note from the team: `Shipped in 2.1`',
		);
		assert.equal(
			formatWeDid(record, { ...done, note: '  ' }, translatorFor('de')),
			'*Ihr habt es gesagt, wir haben es umgesetzt*: Feedback 1a2b3c4d ist erledigt · Ref. `1a2b3c4d9f8e7d6c`\n' +
				'Das Feedback, in `Idea`: `Dark mode please`',
			'no note line without a note',
		);
		assert.doesNotMatch(formatWeDid(record, done, translatorFor('en')), /alice|Alice/, 'no author');
	});

	it('keeps what people typed inert, as Rocket.Chat parses it', () => {
		const hostile = feedbackRecord({
			id: FEEDBACK_ID,
			comment: 'Ping @all *now* <https://evil.example|here> :tada: `x` COMMENTMARK',
			category: '@here _cat_ CATMARK',
		});
		const note = { ...done, note: 'see https://example.com @admin ~~gone~~ NOTEMARK\nsecond line' };
		for (const language of ['en', 'de', 'es', 'pt-BR']) {
			const text = formatWeDid(hostile, note, translatorFor(language));
			assertMemberTextInert(text, ['COMMENTMARK', 'CATMARK', 'NOTEMARK', 'evil', 'example']);
			assert.equal(text.split('\n').length, 3, 'the note stays on its line');
			assert.equal(isWeDidPostOf(text, reference), true, `${language}: its copies are found`);
		}
	});

	it('fits Message_MaxAllowedSize, cutting the comment first, then the note, never the heading', () => {
		const long = feedbackRecord({ id: FEEDBACK_ID, comment: 'c'.repeat(2000), category: 'Idea' });
		const withNote = { ...done, note: 'n'.repeat(500) };
		const roomy = formatWeDid(long, withNote, translatorFor('en'), 5000);
		assert.ok(roomy.includes('n'.repeat(500)), 'the whole note when it fits');
		const tight = formatWeDid(long, withNote, translatorFor('en'), 400);
		assert.ok(tight.length <= 400, `${tight.length} units`);
		assert.equal(isWeDidPostOf(tight, reference), true);
		const [, feedbackLine, noteLine] = tight.split('\n');
		assert.match(feedbackLine, /: `…`$/, 'the comment is cut to its least first');
		assert.match(noteLine, /^Note from the team: `n+…`$/);
	});

	it('is not mistaken for another post of the room, an announcement quoting the reference included', () => {
		assert.equal(isWeDidPostOf('*You said, we did*: ref `1a2b3c4d0000000` ', reference), false);
		const forged = feedbackRecord({ id: FEEDBACK_ID, category: reference, comment: reference });
		const announcement = formatAnnouncement(forged, translatorFor('en'));
		assert.ok(announcement.split('\n')[0].includes(`\`${reference}\``), 'the category is quoted');
		assert.equal(isWeDidPostOf(announcement, reference), false);
		assert.equal(isWeDidPostOf(undefined, reference), false);
	});
});

/** alice sends a feedback (anonymously when asked); resolves with its id. */
async function sendFeedback(world: TestWorld, comment: string, anonymous = false): Promise<string> {
	await world.instance.run(world.alice, '');
	const response = await world.instance.submit(world.alice, world.lastView(world.alice), {
		comment,
		category: 'Idea',
		...(anonymous ? { anonymous: ['anonymous'] } : {}),
	});
	assert.equal(response.success, true, JSON.stringify(response));
	const ids = stored(world, RecordScope.Feedback).map((data) => (data as { id: string }).id);
	return ids[ids.length - 1];
}

function stored(world: TestWorld, scope: RecordScope): Array<unknown> {
	return world.persistence
		.matching(APP_ID, buildAssociations({ scope }))
		.map((record) => record.data);
}

/** The status form of a feedback, as the admin view's button opens it. */
async function openForm(world: TestWorld, feedbackId: string): Promise<IUIKitSurface> {
	const answer = await world.instance.click(
		world.admin,
		{ id: 'feedback-admin', type: 'modal', blocks: [] } as never,
		FeedbackAction.AdminChangeStatus,
		feedbackId,
	);
	const { view } = answer as { view?: IUIKitSurface };
	assert.ok(view, JSON.stringify(answer));
	return { ...view, appId: APP_ID } as IUIKitSurface;
}

/** Saves a status (and note) in a form; resolves with the admin view's text after the save. */
async function save(
	world: TestWorld,
	form: IUIKitSurface,
	status: string,
	note = '',
	instance: AppInstance = world.instance,
): Promise<string> {
	const answer = await instance.submitStatus(world.admin, form, { status, note });
	assert.equal(answer.success, true, JSON.stringify(answer));
	return JSON.stringify((answer as { view?: IUIKitSurface }).view?.blocks);
}

/** Runs the job once on an instance. */
function runWeDid(world: TestWorld, instance: AppInstance = world.instance) {
	return instance.handlers.weDid.run(instance.jobRequest());
}

/** The texts of the announcement room (#feedback). */
function posts(world: TestWorld): Array<string> {
	return world.roomMessages
		.filter((message) => message.room.id === world.announcements.id)
		.map((message) => message.text ?? '');
}

/** The "You said, we did" posts of the announcement room (announcements of new feedback aside). */
function weDidPosts(world: TestWorld): Array<string> {
	return posts(world).filter((text) => text.startsWith('*You said, we did*'));
}

/** A world with an announcement room and the posts turned on. */
function worldWithPosts(): TestWorld {
	const world = new TestWorld();
	world.settings.set(SettingId.AnnounceRoom, '#feedback');
	world.settings.set(SettingId.WeDidPosts, true);
	return world;
}

describe('the "You said, we did" job', () => {
	it('is off by default: a move to Done notes nothing and posts nothing', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.AnnounceRoom, '#feedback');
		const id = await sendFeedback(world, 'off by default');
		const view = await save(world, await openForm(world, id), 'done', 'fixed');
		assert.doesNotMatch(view, /announcement room/);
		assert.deepEqual(stored(world, RecordScope.WeDidPending), []);
		assert.deepEqual(await runWeDid(world), { done: 0, left: 0 });
		assert.deepEqual(weDidPosts(world), []);
	});

	it('posts a move to Done once, with the note and without the author; tells the admin it is queued', async () => {
		const world = worldWithPosts();
		const id = await sendFeedback(world, 'Dark mode please');
		const view = await save(world, await openForm(world, id), 'done', 'Shipped @all');
		assert.match(view, /It is also posted in the announcement room as done, once\./);
		assert.deepEqual(await runWeDid(world), { done: 1, left: 0 });
		assert.deepEqual(await runWeDid(world), { done: 0, left: 0 });
		const made = weDidPosts(world);
		assert.equal(made.length, 1, JSON.stringify(made));
		assert.match(
			made[0],
			/^\*You said, we did\*: feedback [0-9a-f]{8} is done · ref `[0-9a-f]{16}`\n/,
		);
		assert.match(made[0], /\nNote from the team: `Shipped @\u2060all`$/);
		assert.doesNotMatch(made[0], /alice|Alice/);
		assert.deepEqual(stored(world, RecordScope.WeDidPending), [], 'nothing left pending');
		assert.equal(stored(world, RecordScope.WeDidPosted).length, 1, 'marked as posted');
	});

	it('posts nothing for a note edited on a done entry, nor for another status; again for a move back to Done', async () => {
		const world = worldWithPosts();
		const id = await sendFeedback(world, 'moves around');
		await save(world, await openForm(world, id), 'planned');
		await runWeDid(world);
		await save(world, await openForm(world, id), 'done');
		await runWeDid(world);
		const noteOnly = await save(world, await openForm(world, id), 'done', 'a note later');
		assert.doesNotMatch(noteOnly, /announcement room/, 'no move: nothing promised');
		await runWeDid(world);
		assert.equal(weDidPosts(world).length, 1, 'the note edit posts nothing');
		await save(world, await openForm(world, id), 'acknowledged');
		await save(world, await openForm(world, id), 'done', 'done again');
		await runWeDid(world);
		assert.equal(weDidPosts(world).length, 2, 'a new move to Done is posted');
		assert.deepEqual(stored(world, RecordScope.WeDidPending), []);
	});

	it('posts once for a save submitted twice on two instances, and for two copies of the job at once', async () => {
		const world = worldWithPosts();
		const id = await sendFeedback(world, 'twice');
		const form = await openForm(world, id);
		const other = world.newInstance();
		await Promise.all([save(world, form, 'done', 'ok'), save(world, form, 'done', 'ok', other)]);
		assert.ok(stored(world, RecordScope.WeDidPending).length >= 1);
		await Promise.all([runWeDid(world), runWeDid(world, other)]);
		await runWeDid(world);
		assert.equal(weDidPosts(world).length, 1);
		// The save submitted again later: the marker stands for a post the room search no longer finds.
		world.roomMessages.length = 0;
		await save(world, form, 'done', 'ok');
		assert.equal(stored(world, RecordScope.WeDidPending).length, 1, 'noted again');
		assert.deepEqual(await runWeDid(world), { done: 1, left: 0 });
		assert.deepEqual(posts(world), [], 'not posted again');
		assert.deepEqual(stored(world, RecordScope.WeDidPending), []);
	});

	it('posts for anonymous feedback without any hint of its author', async () => {
		const world = worldWithPosts();
		const id = await sendFeedback(world, 'secret wish', true);
		await save(world, await openForm(world, id), 'done', 'granted');
		await runWeDid(world);
		const made = weDidPosts(world);
		assert.equal(made.length, 1);
		assert.doesNotMatch(made[0], /alice|Alice|anonym/i);
	});

	it('drops a pending post when the feedback was deleted, the setting is off or no room exists, with a warning naming the setting', async () => {
		const world = worldWithPosts();
		const deleted = await sendFeedback(world, 'deleted');
		await save(world, await openForm(world, deleted), 'done');
		await world.instance.run(world.alice, `delete ${deleted.slice(0, 8)}`);
		assert.deepEqual(await runWeDid(world), { done: 1, left: 0 });
		assert.deepEqual(weDidPosts(world), [], 'nothing posted for a deleted feedback');

		const turnedOff = await sendFeedback(world, 'turned off');
		await save(world, await openForm(world, turnedOff), 'done');
		world.settings.set(SettingId.WeDidPosts, false);
		assert.deepEqual(await runWeDid(world), { done: 1, left: 0 });
		assert.ok(
			world.instance.log.warnings.some((line) => line.includes(SettingId.WeDidPosts)),
			world.instance.log.warnings.join('\n'),
		);

		world.settings.set(SettingId.WeDidPosts, true);
		world.settings.set(SettingId.AnnounceRoom, 'no-such-room');
		const noRoom = await sendFeedback(world, 'no room');
		const view = await save(world, await openForm(world, noRoom), 'done');
		assert.match(view, /also posted in the announcement room/, 'a room is named');
		assert.deepEqual(await runWeDid(world), { done: 1, left: 0 });
		assert.ok(
			world.instance.log.warnings.some(
				(line) => line.includes(SettingId.AnnounceRoom) && line.includes('no-such-room'),
			),
			world.instance.log.warnings.join('\n'),
		);
		assert.deepEqual(weDidPosts(world), [], 'nothing posted anywhere');
		assert.deepEqual(stored(world, RecordScope.WeDidPending), [], 'nothing left pending');
	});

	it('a save whose post could not be noted says it failed; saved again, it is posted once', async () => {
		const world = worldWithPosts();
		const id = await sendFeedback(world, 'noted on the second try');
		const writer = world.writer.bind(world);
		let failing = true;
		world.writer = () =>
			new Proxy(writer(), {
				get(target, property, receiver) {
					const value: unknown = Reflect.get(target, property, receiver);
					if (property !== 'createWithAssociations' || typeof value !== 'function') {
						return value;
					}
					return async (data: object, associations: Array<{ getID(): string }>) => {
						if (failing && associations.some((item) => item.getID() === 'we-did-pending')) {
							failing = false;
							throw new Error('injected createWithAssociations failure');
						}
						return (value as (...args: Array<unknown>) => Promise<string>).call(
							target,
							data,
							associations,
						);
					};
				},
			});
		const form = await openForm(world, id);
		assert.match(await save(world, form, 'done', 'ok'), /That did not work/);
		assert.deepEqual(stored(world, RecordScope.WeDidPending), []);
		assert.ok(world.instance.log.errors.length > 0, 'the failure is logged');
		assert.match(await save(world, form, 'done', 'ok'), /also posted in the announcement room/);
		await runWeDid(world);
		await runWeDid(world);
		assert.equal(weDidPosts(world).length, 1);
	});

	it('retries a refused post, and a failed write, on the next runs, then posts once', async () => {
		const world = worldWithPosts();
		const id = await sendFeedback(world, 'retry me');
		await save(world, await openForm(world, id), 'done');
		world.refusingMessages = 1;
		assert.deepEqual(await runWeDid(world), { done: 0, left: 1 });
		assert.ok(world.instance.log.errors.length > 0, 'the failure is logged');
		world.persistence.failNext('updateByAssociations');
		assert.deepEqual(await runWeDid(world), { done: 0, left: 1 }, 'posted, then the marker failed');
		assert.deepEqual(await runWeDid(world), { done: 1, left: 0 });
		assert.equal(weDidPosts(world).length, 1);
	});

	it('gives a post up an hour after the save, with a line in the log', async () => {
		const world = worldWithPosts();
		const id = await sendFeedback(world, 'never posted');
		await save(world, await openForm(world, id), 'done');
		world.refusingMessages = 1000;
		assert.deepEqual(await runWeDid(world), { done: 0, left: 1 });
		world.advance(WE_DID_RETRY_MS);
		assert.deepEqual(await runWeDid(world), { done: 1, left: 0 });
		assert.ok(
			world.instance.log.errors.some((items) => String(items[0]).includes('given up')),
			JSON.stringify(world.instance.log.errors),
		);
		assert.deepEqual(stored(world, RecordScope.WeDidPending), []);
		world.refusingMessages = 0;
		await runWeDid(world);
		assert.deepEqual(weDidPosts(world), [], 'nothing posted later');
	});
});
