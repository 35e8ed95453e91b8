import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { SettingId } from '../../src/domain/settings';
import { ANNOUNCEMENT_RETRY_MS } from '../../src/handlers/AnnouncementJob';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { announcementKeyOf } from '../../src/ui/messages';
import { APP_ID, TestWorld } from '../support/TestWorld';
import { until } from '../support/until';

/** Opens the form as the user and submits it with the values. */
async function sendFeedback(world: TestWorld, user: IUser, values: Record<string, unknown>) {
	await world.instance.run(user, '');
	return world.instance.submit(user, world.lastView(user), values);
}

function feedbackIds(world: TestWorld): Array<string> {
	return world.persistence
		.matching(APP_ID, buildAssociations({ scope: RecordScope.Feedback }))
		.map((record) => (record.data as { id: string }).id);
}

function queued(world: TestWorld) {
	return world.persistence.matching(
		APP_ID,
		buildAssociations({ scope: RecordScope.AnnouncementQueue }),
	);
}

function byFeedbackId(a: unknown, b: unknown): number {
	return String((a as { feedbackId: string }).feedbackId).localeCompare(
		String((b as { feedbackId: string }).feedbackId),
	);
}

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

/** The feedback ids the room's announcements name, in the order they were posted. */
function announcedIds(world: TestWorld): Array<string | undefined> {
	return world.roomMessages.map((message) => announcementKeyOf(message.text)?.feedbackId);
}

function announcingWorld(): TestWorld {
	const world = new TestWorld();
	world.settings.set(SettingId.AnnounceRoom, '#feedback');
	return world;
}

describe('announcements', () => {
	it('of named feedback are posted by the submit, without customFields by default; the job adds none', async () => {
		const world = announcingWorld();
		await sendFeedback(world, world.alice, { comment: 'hello @all', category: 'Bug' });
		assert.equal(world.roomMessages.length, 1, 'announced within the submit');
		const [named] = world.roomMessages;
		assert.equal(named.room.id, world.announcements.id);
		assert.match(named.text ?? '', /Alice Example/);
		assert.equal(named.customFields, undefined);
		assert.deepEqual(queued(world), [], 'the submit took its entry out');
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 1, 'the next run posts nothing again');
		assert.deepEqual(world.instance.log.errors, []);
	});

	it('of anonymous feedback are left to the job, which posts them once their hour has closed', async () => {
		const world = announcingWorld();
		// Sent at 00:20; the hour closes at 01:00.
		world.advance(20 * MINUTE_MS);
		await sendFeedback(world, world.alice, {
			comment: 'quiet',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		assert.equal(world.roomMessages.length, 0);
		assert.equal(queued(world).length, 1);
		const early = await world.instance.runAnnouncements();
		assert.deepEqual(early, { done: 0, left: 0, waiting: 1 });
		world.advance(39 * MINUTE_MS);
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 0, 'not posted while its hour is open (00:59)');
		assert.equal(queued(world).length, 1);
		world.advance(MINUTE_MS);
		assert.deepEqual(await world.instance.runAnnouncements(), { done: 1, left: 0, waiting: 0 });
		assert.equal(world.roomMessages.length, 1, 'posted once the hour has closed');
		assert.match(world.roomMessages[0].text ?? '', /^New anonymous feedback/);
		assert.deepEqual(queued(world), []);
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 1, 'and only once');
		assert.deepEqual(world.instance.log.errors, []);
	});

	it('of one hour are posted together by id, not in the order they were sent', async () => {
		const world = announcingWorld();
		for (const user of [world.alice, world.bruno, world.clara, world.admin]) {
			await sendFeedback(world, user, {
				comment: 'one hour',
				category: 'Bug',
				anonymous: ['anonymous'],
			});
			world.advance(10 * MINUTE_MS);
		}
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 0, 'the hour is still open (00:40)');
		world.advance(HOUR_MS);
		// The world's clock moves a second on every reading: a run's budget may leave some to the next.
		for (let run = 0; run < 5 && queued(world).length > 0; run += 1) {
			await world.instance.runAnnouncements();
		}
		const ids = feedbackIds(world);
		assert.equal(ids.length, 4);
		assert.deepEqual(announcedIds(world), [...ids].sort(), 'ordered by id');
		assert.deepEqual(queued(world), []);
	});

	it('of named feedback are not held back by anonymous feedback waiting for its hour', async () => {
		const world = announcingWorld();
		await sendFeedback(world, world.alice, {
			comment: 'quiet',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		await sendFeedback(world, world.bruno, { comment: 'named', category: 'Bug' });
		assert.equal(world.roomMessages.length, 1, 'the named one is announced by its submit');
		assert.match(world.roomMessages[0].text ?? '', /Bruno/);
		// A named one whose submit's post failed is posted by the next run, within the hour.
		world.refusingMessages = 1;
		await sendFeedback(world, world.clara, { comment: 'named, refused', category: 'Bug' });
		assert.equal(world.roomMessages.length, 1);
		assert.deepEqual(await world.instance.runAnnouncements(), { done: 1, left: 0, waiting: 1 });
		assert.equal(world.roomMessages.length, 2);
		assert.match(world.roomMessages[1].text ?? '', /Clara/);
		world.advance(HOUR_MS);
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 3);
		assert.match(world.roomMessages[2].text ?? '', /^New anonymous feedback/);
	});

	it('carry only the public id in customFields where the server accepts it', async () => {
		const world = announcingWorld();
		world.serverSettings.set('Message_CustomFields_Enabled', true);
		world.serverSettings.set(
			'Message_CustomFields',
			JSON.stringify({ type: 'object', properties: { feedbackId: { type: 'string' } } }),
		);
		await sendFeedback(world, world.alice, { comment: 'hello', category: 'Bug' });
		await sendFeedback(world, world.bruno, {
			comment: 'quiet one',
			category: 'Idea',
			anonymous: ['anonymous'],
		});
		world.advance(HOUR_MS);
		await world.instance.runAnnouncements();
		const ids = feedbackIds(world);
		assert.deepEqual(
			world.roomMessages.map((message) => message.customFields).sort(byFeedbackId),
			ids.map((feedbackId) => ({ feedbackId })).sort(byFeedbackId),
		);
		assert.doesNotMatch(JSON.stringify(world.roomMessages), /bruno|Bruno/);
	});

	it("carry no customFields when the server's schema does not declare feedbackId", async () => {
		const world = announcingWorld();
		world.serverSettings.set('Message_CustomFields_Enabled', true);
		// The server's own default schema requires `priority`.
		world.serverSettings.set(
			'Message_CustomFields',
			JSON.stringify({
				type: 'object',
				properties: { priority: { type: 'string', enum: ['low', 'medium', 'high'] } },
				required: ['priority'],
			}),
		);
		await sendFeedback(world, world.alice, { comment: 'hello', category: 'Bug' });
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 1);
		assert.equal(world.roomMessages[0].customFields, undefined);
	});

	it('are in the workspace language, English when the server has none', async () => {
		const world = announcingWorld();
		await sendFeedback(world, world.clara, { comment: 'eins', category: 'Bug' });
		await world.instance.runAnnouncements();
		world.serverSettings.set('Language', 'de');
		await sendFeedback(world, world.alice, { comment: 'zwei', category: 'Bug' });
		await world.instance.runAnnouncements();
		const [english, german] = world.roomMessages.map((message) => message.text ?? '');
		assert.match(english, /^New feedback/);
		assert.match(german, /^Neues Feedback/);
	});

	it('one form sent to three instances at once gives one announcement, with the stored text', async () => {
		const world = announcingWorld();
		await world.instance.run(world.alice, '');
		const view = world.lastView(world.alice);
		const instances = [world.instance, world.newInstance(), world.newInstance()];
		// Every call yields first, so the three submits interleave and all find "not stored".
		world.persistence.pause = () => new Promise((resolve) => setImmediate(resolve));
		const responses = await Promise.all(
			instances.map((instance, index) =>
				instance.submit(world.alice, view, { comment: `copy ${index}`, category: 'Bug' }),
			),
		);
		world.persistence.pause = () => Promise.resolve();
		assert.ok(responses.every((response) => response.success));
		assert.ok(feedbackIds(world).length > 1, 'the race stored the record more than once');
		for (const instance of instances) {
			await instance.runAnnouncements();
		}
		assert.equal(world.roomMessages.length, 1);
		await world.instance.run(world.alice, 'list', world.general, null);
		const listed = /`(copy \d)`/.exec(world.lastNotice(world.alice))?.[1];
		assert.ok(listed);
		assert.match(world.roomMessages[0].text ?? '', new RegExp(listed), 'the text every read shows');
	});

	it('a feedback queued again after its announcement is not posted twice', async () => {
		const world = announcingWorld();
		await sendFeedback(world, world.alice, { comment: 'once', category: 'Bug' });
		await world.instance.runAnnouncements();
		const [id] = feedbackIds(world);
		await world.persistence
			.writer(APP_ID)
			.createWithAssociations(
				{ feedbackId: id, queuedAt: world.now().toISOString() },
				buildAssociations({ scope: RecordScope.AnnouncementQueue, keys: [`id:${id}`] }),
			);
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 1);
		assert.deepEqual(queued(world), []);
	});

	it('a feedback deleted before its turn, or announcements turned off, posts nothing', async () => {
		const world = announcingWorld();
		const anonymous = ['anonymous'];
		await sendFeedback(world, world.alice, { comment: 'gone', category: 'Bug', anonymous });
		await world.instance.run(world.alice, `delete ${feedbackIds(world)[0].slice(0, 8)}`);
		await sendFeedback(world, world.alice, { comment: 'quiet', category: 'Bug', anonymous });
		world.settings.set(SettingId.AnnounceRoom, '');
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 0);
		assert.deepEqual(queued(world), []);
	});

	it('a refused post is retried on the next run, and given up (logged) after an hour', async () => {
		const world = announcingWorld();
		world.refusingMessages = 1;
		await sendFeedback(world, world.alice, { comment: 'retry me', category: 'Bug' });
		assert.equal(world.roomMessages.length, 0, "the submit's post was refused");
		assert.equal(queued(world).length, 1, 'and left to the job');
		assert.equal(world.instance.log.errors.length, 1);
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 1, 'posted on the next run');

		world.refusingMessages = 1000;
		await sendFeedback(world, world.alice, { comment: 'never', category: 'Bug' });
		await world.instance.runAnnouncements();
		assert.equal(queued(world).length, 1, 'kept for another try');
		world.advance(ANNOUNCEMENT_RETRY_MS);
		await world.instance.runAnnouncements();
		assert.deepEqual(queued(world), []);
		assert.match(String(world.instance.log.errors.at(-1)?.[0]), /given up/);
		assert.equal(world.roomMessages.length, 1);
	});

	it('an anonymous post refused is retried for an hour from when it became due (its hour closed)', async () => {
		const world = announcingWorld();
		// Its queue entry keeps only the hour (00:00), though it was sent at 00:59; due at 01:00.
		world.advance(59 * MINUTE_MS);
		world.refusingMessages = 1000;
		await sendFeedback(world, world.alice, {
			comment: 'late in the hour',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		await world.instance.runAnnouncements();
		assert.deepEqual(world.instance.log.errors, [], 'not tried while its hour is open');
		world.advance(30 * MINUTE_MS);
		await world.instance.runAnnouncements();
		assert.equal(world.instance.log.errors.length, 1, 'tried and refused at 01:29');
		world.advance(29 * MINUTE_MS);
		await world.instance.runAnnouncements();
		assert.equal(queued(world).length, 1, 'still retried at 01:58, within the hour since due');
		world.refusingMessages = 0;
		await world.instance.runAnnouncements();
		assert.equal(world.roomMessages.length, 1);
		assert.deepEqual(queued(world), []);
	});

	it('an anonymous post refused for an hour after its hour closed is given up (logged)', async () => {
		const world = announcingWorld();
		world.refusingMessages = 1000;
		await sendFeedback(world, world.alice, {
			comment: 'never',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		world.advance(HOUR_MS);
		await world.instance.runAnnouncements();
		assert.equal(queued(world).length, 1, 'due at 01:00, refused, kept');
		world.advance(ANNOUNCEMENT_RETRY_MS - 2 * MINUTE_MS);
		await world.instance.runAnnouncements();
		assert.equal(queued(world).length, 1, 'kept until an hour after it became due');
		world.advance(2 * MINUTE_MS);
		await world.instance.runAnnouncements();
		assert.deepEqual(queued(world), []);
		assert.match(String(world.instance.log.errors.at(-1)?.[0]), /given up/);
		assert.equal(world.roomMessages.length, 0);
	});

	it('a room that does not exist does not undo the feedback and posts nothing', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.AnnounceRoom, 'no-such-room');
		const response = await sendFeedback(world, world.alice, { comment: 'hi', category: 'Bug' });
		assert.equal(response.success, true);
		await world.instance.runAnnouncements();
		assert.equal(feedbackIds(world).length, 1);
		assert.equal(world.roomMessages.length, 0);
		assert.deepEqual(queued(world), []);
	});
});

describe('a slow server', () => {
	it('gets the submit answered within the budget; the confirmation arrives after', async () => {
		const world = new TestWorld();
		world.followUpBudgetMs = 10;
		const instance = world.newInstance();
		let release: () => void = () => undefined;
		world.notifying = new Promise<void>((resolve) => {
			release = resolve;
		});
		await instance.run(world.alice, '');
		const response = await instance.submit(world.alice, world.lastView(world.alice), {
			comment: 'slow server',
			category: 'Bug',
		});
		assert.equal(response.success, true);
		assert.equal(feedbackIds(world).length, 1);
		assert.equal(world.notifications.length, 0, 'the confirmation is still on its way');
		release();
		await until(() => /Thank you/.test(world.lastNotice(world.alice)), 'the confirmation', {
			describe: () => world.lastNotice(world.alice),
		});
	});
});
