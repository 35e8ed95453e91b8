import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ISchedulerModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRecurringSchedule } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { cronForSlot, parseDigestSettings } from '../../src/domain/digest';
import { SettingId } from '../../src/domain/settings';
import { DIGEST_PROCESSOR_ID, DigestJob } from '../../src/handlers/DigestJob';
import { TestWorld } from '../support/TestWorld';

const DAY = 24 * 60 * 60 * 1000;

async function sendFeedback(world: TestWorld, user: IUser, values: Record<string, unknown>) {
	await world.instance.run(user, '');
	const response = await world.instance.submit(user, world.lastView(user), values);
	assert.equal(response.success, true);
}

/** A scheduler that records what the app asks of it. */
function recordingScheduler() {
	const calls: Array<{ recurring?: IRecurringSchedule; cancelled?: string }> = [];
	const scheduler = {
		scheduleRecurring: async (job: IRecurringSchedule) => void calls.push({ recurring: job }),
		cancelJob: async (id: string) => void calls.push({ cancelled: id }),
	} as unknown as ISchedulerModify;
	return { scheduler, calls };
}

describe('the digest slot', () => {
	it("is a cron line in the server's local time for a weekly slot in UTC", () => {
		assert.equal(cronForSlot(1, 9, 0), '0 9 * * 1');
		assert.equal(cronForSlot(1, 9, -120), '0 11 * * 1', 'a server two hours ahead of UTC');
		assert.equal(cronForSlot(1, 9, 300), '0 4 * * 1', 'a server five hours behind');
		assert.equal(cronForSlot(0, 1, 120), '0 23 * * 6', 'back over the week start');
		assert.equal(cronForSlot(6, 23, -330), '30 4 * * 0', 'half an hour zones, forward over it');
	});

	it('reads its settings with defaults for anything out of range', () => {
		assert.deepEqual(
			parseDigestSettings({ enabled: true, weekday: 'friday', hour: 17, room: '#news' }),
			{
				enabled: true,
				weekday: 5,
				hour: 17,
				room: 'news',
			},
		);
		assert.deepEqual(
			parseDigestSettings({ enabled: 'yes', weekday: 'someday', hour: 24, room: 3 }),
			{
				enabled: false,
				weekday: 1,
				hour: 9,
				room: '',
			},
		);
	});
});

describe('the weekly digest', () => {
	it('is scheduled as the settings say, and cancelled when turned off', async () => {
		const world = new TestWorld();
		const job = new DigestJob(
			() => world.now(),
			() => -60,
		);
		const { scheduler, calls } = recordingScheduler();
		const settings = world.read().getEnvironmentReader().getSettings();
		await job.schedule(settings, scheduler, world.instance.log.logger);
		assert.deepEqual(calls, [{ cancelled: DIGEST_PROCESSOR_ID }], 'off by default');
		world.settings.set(SettingId.DigestEnabled, true);
		world.settings.set(SettingId.DigestRoom, 'feedback');
		world.settings.set(SettingId.DigestWeekday, 'tuesday');
		world.settings.set(SettingId.DigestHour, 8);
		await job.schedule(settings, scheduler, world.instance.log.logger);
		assert.deepEqual(calls[1], {
			recurring: { id: DIGEST_PROCESSOR_ID, interval: '0 9 * * 2', skipImmediate: true },
		});
		world.settings.set(SettingId.DigestEnabled, false);
		await job.schedule(settings, scheduler, world.instance.log.logger);
		assert.deepEqual(calls[2], { cancelled: DIGEST_PROCESSOR_ID });
	});

	it('sums up the week, with the week before, in the workspace language', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.DigestEnabled, true);
		world.settings.set(SettingId.DigestRoom, '#feedback');
		await sendFeedback(world, world.alice, { comment: 'old', category: 'Idea', rating: '2' });
		world.advance(8 * DAY);
		await sendFeedback(world, world.alice, { comment: 'new @all', category: 'Bug', rating: '5' });
		await sendFeedback(world, world.bruno, { comment: 'newer', category: 'Bug' });
		world.advance(DAY);
		const job = new DigestJob(() => world.now());
		await job.run(world.read(), world.modify(), world.instance.log.logger);
		assert.equal(world.roomMessages.length, 1);
		const [digest] = world.roomMessages;
		assert.equal(digest.room.id, world.announcements.id);
		assert.equal(digest.sender.id, world.bot.id);
		const text = digest.text ?? '';
		assert.match(text, /^\*Weekly feedback digest, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\*/);
		assert.match(text, /New feedback: 2 \(the week before: 1\)/);
		assert.match(text, /By category: `Bug` 2/);
		assert.match(text, /Their status now: New 2, Acknowledged 0/);
		assert.match(text, /Average rating: 5\.0 \(the week before: 2\.0\)/);
		world.serverSettings.set('Language', 'de');
		await job.run(world.read(), world.modify(), world.instance.log.logger);
		assert.match(world.roomMessages[1].text ?? '', /^\*Wöchentliche Feedback-Übersicht/);
	});

	it('posts nothing when turned off or when its room does not exist', async () => {
		const world = new TestWorld();
		const job = new DigestJob(() => world.now());
		await job.run(world.read(), world.modify(), world.instance.log.logger);
		world.settings.set(SettingId.DigestEnabled, true);
		world.settings.set(SettingId.DigestRoom, 'nowhere');
		await job.run(world.read(), world.modify(), world.instance.log.logger);
		assert.equal(world.roomMessages.length, 0);
	});
});
