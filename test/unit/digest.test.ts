// The weekly digest: its slot in UTC whatever the process's time zone, and exactly one digest per
// slot however the scheduler runs the check (twice at once, after a lost answer, late, after a
// clock jump), posted late once, never for a slot from before the digest was set.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

import type {
	ILogger,
	IMessageBuilder,
	IModify,
	ISchedulerModify,
} from '@rocket.chat/apps-engine/definition/accessors';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { headingOf } from '../../src/domain/convergence';
import { dueSlot, latestSlot, parseDigestSettings } from '../../src/domain/digest';
import { SettingId } from '../../src/domain/settings';
import {
	DIGEST_CHECK_INTERVAL,
	DIGEST_CHECK_PROCESSOR_ID,
	DigestJob,
	LEGACY_DIGEST_PROCESSOR_ID,
} from '../../src/handlers/DigestJob';
import type { DigestCheckOutcome } from '../../src/handlers/DigestJob';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { TestWorld } from '../support/TestWorld';
import type { AppInstance } from '../support/TestWorld';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** The first Monday 09:00 UTC after the world's start (Thursday 2026-01-01 00:00 UTC). */
const FIRST_SLOT = Date.parse('2026-01-05T09:00:00Z');

async function sendFeedback(world: TestWorld, user: IUser, values: Record<string, unknown>) {
	await world.instance.run(user, '');
	const response = await world.instance.submit(user, world.lastView(user), values);
	assert.equal(response.success, true);
}

/** Turns the digest on in #feedback, Mondays 09:00 UTC unless told otherwise. */
function turnOn(world: TestWorld, weekday = 'monday', hour = 9): void {
	world.settings.set(SettingId.DigestEnabled, true);
	world.settings.set(SettingId.DigestRoom, 'feedback');
	world.settings.set(SettingId.DigestWeekday, weekday);
	world.settings.set(SettingId.DigestHour, hour);
}

/** Runs the check once on an instance, with the world's accessors. */
function check(
	world: TestWorld,
	instance: AppInstance = world.instance,
	modify: IModify = world.modify(),
): Promise<DigestCheckOutcome> {
	return instance.handlers.digest.run(instance.jobRequest(modify));
}

/** The world's clock set to a time (it only moves forward). */
function moveTo(world: TestWorld, time: number): void {
	assert.ok(time >= world.now().getTime(), 'the test moves the clock forward only');
	world.advance(time - world.now().getTime());
}

/** The digests in the room, counted per heading (one heading per slot). */
function digestsPerSlot(world: TestWorld): Map<string, number> {
	const counts = new Map<string, number>();
	for (const message of world.roomMessages) {
		const heading = headingOf(message.text);
		if (heading.startsWith('*Weekly feedback digest, ')) {
			counts.set(heading, (counts.get(heading) ?? 0) + 1);
		}
	}
	return counts;
}

function headingFor(slot: number): string {
	const text = (time: number) => new Date(time).toISOString().slice(0, 16).replace('T', ' ');
	return `*Weekly feedback digest, ${text(slot - WEEK)} to ${text(slot)} (UTC)*`;
}

/** A modify whose next message post is stored but whose answer is lost (the call throws). */
function losingNextPostAnswer(world: TestWorld): IModify {
	const modify = world.modify();
	let lost = false;
	return new Proxy(modify, {
		get(target, property) {
			if (property !== 'getCreator') {
				return Reflect.get(target, property);
			}
			return () => {
				const creator = target.getCreator();
				return new Proxy(creator, {
					get(creatorTarget, creatorProperty) {
						if (creatorProperty !== 'finish') {
							return Reflect.get(creatorTarget, creatorProperty);
						}
						return async (builder: IMessageBuilder) => {
							const id = await creatorTarget.finish(builder);
							if (!lost) {
								lost = true;
								throw new Error('injected lost answer of finish');
							}
							return id;
						};
					},
				});
			};
		},
	});
}

/** The world with the digest on, its configuration seen by a check before the first slot. */
async function worldSetBeforeTheSlot(): Promise<TestWorld> {
	const world = new TestWorld();
	turnOn(world);
	assert.equal(await check(world), 'first-seen');
	assert.equal(await check(world), 'not-due', 'the last slot was before it was seen');
	return world;
}

describe('the digest slot', () => {
	it('is the latest weekday and hour in UTC at or before now, across week, month and year ends', () => {
		const slot = (now: string, weekday: number, hour: number) =>
			latestSlot(new Date(now), weekday, hour).toISOString();
		assert.equal(slot('2026-01-05T09:00:00.000Z', 1, 9), '2026-01-05T09:00:00.000Z', 'at the slot');
		assert.equal(slot('2026-01-05T08:59:59.999Z', 1, 9), '2025-12-29T09:00:00.000Z', 'a year back');
		assert.equal(slot('2026-01-05T10:00:00.000Z', 1, 9), '2026-01-05T09:00:00.000Z');
		assert.equal(slot('2026-01-01T00:00:00.000Z', 3, 23), '2025-12-31T23:00:00.000Z');
		assert.equal(slot('2026-03-01T00:00:00.000Z', 0, 0), '2026-03-01T00:00:00.000Z', 'Sunday 0:00');
		assert.equal(slot('2026-02-28T23:59:59.999Z', 0, 0), '2026-02-22T00:00:00.000Z', 'month end');
		assert.equal(
			slot('2026-01-03T23:30:00.000Z', 6, 23),
			'2026-01-03T23:00:00.000Z',
			'Saturday 23',
		);
		assert.equal(slot('2026-01-03T22:59:00.000Z', 6, 23), '2025-12-27T23:00:00.000Z');
		assert.equal(slot('2028-03-01T05:00:00.000Z', 2, 12), '2028-02-29T12:00:00.000Z', 'leap day');
		assert.equal(slot('2026-01-06T00:00:00.000Z', 1, 23), '2026-01-05T23:00:00.000Z', 'day end');
	});

	it('is on its weekday and hour, at most a week back, for every weekday and hour', () => {
		for (
			let time = Date.parse('2025-12-20T00:00:00Z');
			time < Date.parse('2026-01-12T00:00:00Z');
			time += 37 * MINUTE
		) {
			for (let weekday = 0; weekday < 7; weekday += 1) {
				for (const hour of [0, 1, 9, 12, 23]) {
					const slot = latestSlot(new Date(time), weekday, hour);
					assert.equal(slot.getUTCDay(), weekday);
					assert.equal(slot.getUTCHours(), hour);
					assert.equal(slot.getTime() % HOUR, 0);
					assert.ok(
						slot.getTime() <= time && time - slot.getTime() < WEEK,
						`${time} ${weekday} ${hour}`,
					);
				}
			}
		}
	});

	it('is due only for a configuration seen at or before it', () => {
		const settings = parseDigestSettings({ enabled: true, weekday: 'monday', hour: 9, room: 'x' });
		const now = new Date('2026-01-05T09:30:00Z');
		assert.equal(
			dueSlot(now, settings, new Date('2026-01-05T09:00:00Z'))?.toISOString(),
			'2026-01-05T09:00:00.000Z',
		);
		assert.equal(dueSlot(now, settings, new Date('2026-01-05T09:00:01Z')), undefined);
		assert.equal(dueSlot(now, settings, undefined), undefined);
		assert.equal(dueSlot(now, { ...settings, enabled: false }, new Date(0)), undefined);
		assert.equal(dueSlot(now, { ...settings, room: '' }, new Date(0)), undefined);
	});

	it('is the same in processes that run in other time zones, across daylight-saving changes', () => {
		// Sundays around the US (2026-03-08, 2026-11-01) and EU (2026-03-29, 2026-10-25) changes.
		const instants = [
			'2026-03-08T06:30:00Z',
			'2026-03-08T07:30:00Z',
			'2026-03-29T00:30:00Z',
			'2026-03-29T01:30:00Z',
			'2026-10-25T00:30:00Z',
			'2026-10-25T01:30:00Z',
			'2026-11-01T05:30:00Z',
			'2026-11-01T06:30:00Z',
			'2026-11-02T09:00:00Z',
		];
		const script = `
			const { dueSlot, latestSlot, weeksOfSlot, parseDigestSettings } = require(${JSON.stringify(path.join(__dirname, '../../src/domain/digest.js'))});
			const { digestHeading } = require(${JSON.stringify(path.join(__dirname, '../../src/ui/digestText.js'))});
			const { translatorFor } = require(${JSON.stringify(path.join(__dirname, '../../src/i18n/translate.js'))});
			const out = [];
			for (const instant of ${JSON.stringify(instants)}) {
				for (const [weekday, hour] of [['sunday', 1], ['sunday', 2], ['sunday', 6], ['monday', 9]]) {
					const settings = parseDigestSettings({ enabled: true, weekday, hour, room: 'x' });
					const slot = latestSlot(new Date(instant), settings.weekday, settings.hour);
					const due = dueSlot(new Date(instant), settings, new Date('2026-01-01T00:00:00Z'));
					out.push([instant, weekday, hour, slot.toISOString(), due && due.toISOString(), digestHeading(weeksOfSlot(slot), translatorFor('en'))]);
				}
			}
			process.stdout.write(JSON.stringify({ offset: new Date('2026-07-01T00:00:00Z').getTimezoneOffset(), out }));
		`;
		const runIn = (zone: string) =>
			JSON.parse(
				execFileSync(process.execPath, ['-e', script], {
					env: { ...process.env, TZ: zone },
				}).toString(),
			) as { offset: number; out: unknown[] };
		const utc = runIn('UTC');
		assert.equal(utc.offset, 0);
		for (const zone of ['America/New_York', 'Asia/Kolkata', 'Europe/Berlin', 'Pacific/Chatham']) {
			const other = runIn(zone);
			assert.notEqual(other.offset, 0, `${zone} is another zone in that process`);
			assert.deepEqual(other.out, utc.out, zone);
		}
		assert.deepEqual(utc.out[0], [
			'2026-03-08T06:30:00Z',
			'sunday',
			1,
			'2026-03-08T01:00:00.000Z',
			'2026-03-08T01:00:00.000Z',
			'*Weekly feedback digest, 2026-03-01 01:00 to 2026-03-08 01:00 (UTC)*',
		]);
	});
});

describe('the weekly digest check', () => {
	it('is one fixed recurring processor, whatever the settings', () => {
		const processor = new DigestJob('feedback-app-test').processor();
		assert.equal(processor.id, DIGEST_CHECK_PROCESSOR_ID);
		assert.deepEqual(processor.startupSetting, {
			type: StartupType.RECURRING,
			interval: DIGEST_CHECK_INTERVAL,
		});
		assert.equal(DIGEST_CHECK_INTERVAL, '1 minute');
	});

	it('sums up the slot’s week beside the week before, in the workspace language', async () => {
		const world = await worldSetBeforeTheSlot();
		const slot = FIRST_SLOT + WEEK;
		await sendFeedback(world, world.alice, { comment: 'old', category: 'Idea', rating: '2' });
		moveTo(world, slot - DAY);
		await sendFeedback(world, world.alice, { comment: 'new @all', category: 'Bug', rating: '5' });
		await sendFeedback(world, world.bruno, { comment: 'newer', category: 'Bug' });
		moveTo(world, slot + 30 * MINUTE);
		await sendFeedback(world, world.bruno, { comment: 'after the slot', category: 'Bug' });
		assert.equal(await check(world), 'posted');
		assert.equal(world.roomMessages.length, 1);
		const [digest] = world.roomMessages;
		assert.equal(digest.room.id, world.announcements.id);
		assert.equal(digest.sender.id, world.bot.id);
		const text = digest.text ?? '';
		assert.equal(headingOf(text), headingFor(slot));
		assert.equal(
			headingFor(slot),
			'*Weekly feedback digest, 2026-01-05 09:00 to 2026-01-12 09:00 (UTC)*',
		);
		assert.match(text, /New feedback: 2 \(the week before: 1\)/, 'the slot’s week, not up to now');
		assert.match(text, /By category: `Bug` 2/);
		assert.match(text, /Their status now: New 2, Acknowledged 0/);
		assert.match(text, /Average rating: 5\.0 \(the week before: 2\.0\)/);

		world.serverSettings.set('Language', 'de');
		moveTo(world, slot + WEEK);
		assert.equal(await check(world), 'posted');
		assert.match(
			world.roomMessages[1].text ?? '',
			/^\*Wöchentliche Feedback-Übersicht, 2026-01-12 09:00 bis 2026-01-19 09:00 \(UTC\)\*/,
		);
	});

	it('two instances checking at the slot at once post one digest', async () => {
		const world = await worldSetBeforeTheSlot();
		moveTo(world, FIRST_SLOT);
		const outcomes = await Promise.all([check(world), check(world, world.newInstance())]);
		assert.deepEqual(outcomes, ['posted', 'posted'], 'both looked before either posted');
		assert.deepEqual([...digestsPerSlot(world)], [[headingFor(FIRST_SLOT), 1]]);
		assert.equal(await check(world), 'already-posted');
		assert.equal(world.roomMessages.length, 1);
	});

	it('a post whose answer is lost is found by the next check: one digest', async () => {
		const world = await worldSetBeforeTheSlot();
		moveTo(world, FIRST_SLOT + MINUTE);
		await assert.rejects(check(world, world.instance, losingNextPostAnswer(world)), /lost answer/);
		assert.equal(world.roomMessages.length, 1, 'the post was stored');
		// The workspace language changed meanwhile: the post is still found by its heading.
		world.serverSettings.set('Language', 'de');
		assert.equal(await check(world), 'found', 'no marker yet: the room is read, the post found');
		assert.equal(await check(world), 'already-posted');
		assert.deepEqual([...digestsPerSlot(world)], [[headingFor(FIRST_SLOT), 1]]);
	});

	it('a marker whose write failed or whose answer was lost leaves one digest', async () => {
		const world = await worldSetBeforeTheSlot();
		moveTo(world, FIRST_SLOT + MINUTE);
		world.persistence.failNext('create');
		await assert.rejects(check(world), /injected create failure/);
		assert.equal(await check(world), 'found');
		const other = await worldSetBeforeTheSlot();
		moveTo(other, FIRST_SLOT + MINUTE);
		other.persistence.loseAnswerOfNext('create');
		await assert.rejects(check(other), /lost answer/);
		assert.equal(await check(other), 'already-posted');
		for (const each of [world, other]) {
			assert.deepEqual([...digestsPerSlot(each)], [[headingFor(FIRST_SLOT), 1]]);
		}
	});

	it('a refused post stores no marker, and the next check posts once', async () => {
		const world = await worldSetBeforeTheSlot();
		moveTo(world, FIRST_SLOT + MINUTE);
		world.refusingMessages = 1;
		await assert.rejects(check(world), /injected message refusal/);
		assert.equal(world.roomMessages.length, 0);
		assert.equal(await check(world), 'posted');
		assert.equal(await check(world), 'already-posted');
		assert.deepEqual([...digestsPerSlot(world)], [[headingFor(FIRST_SLOT), 1]]);
	});

	it('a failing read posts nothing and throws, so the next check tries again', async () => {
		const world = await worldSetBeforeTheSlot();
		moveTo(world, FIRST_SLOT + MINUTE);
		world.persistence.failNext('readByAssociations');
		await assert.rejects(check(world), /injected readByAssociations failure/);
		assert.equal(world.roomMessages.length, 0);
		assert.equal(await check(world), 'posted');
	});

	it('no check at the slot (a restart, a setting saved a second after it): posted late, once', async () => {
		const world = await worldSetBeforeTheSlot();
		moveTo(world, FIRST_SLOT + 1000);
		// The admin saves the digest settings again, a second after the slot: nothing is rescheduled.
		turnOn(world);
		moveTo(world, FIRST_SLOT + 10 * MINUTE);
		const restarted = world.newInstance();
		assert.equal(await check(world, restarted), 'posted');
		assert.equal(await check(world, restarted), 'already-posted');
		moveTo(world, FIRST_SLOT + 6 * DAY);
		assert.equal(await check(world), 'already-posted', 'late by days: still the same slot');
		assert.deepEqual([...digestsPerSlot(world)], [[headingFor(FIRST_SLOT), 1]]);
	});

	it('a cluster down across the slot posts it late, once, when it comes back within the week', async () => {
		const world = await worldSetBeforeTheSlot();
		moveTo(world, FIRST_SLOT + 3 * DAY);
		assert.equal(await check(world, world.newInstance()), 'posted');
		assert.equal(await check(world, world.newInstance()), 'already-posted');
		assert.deepEqual([...digestsPerSlot(world)], [[headingFor(FIRST_SLOT), 1]]);
	});

	it('a clock that jumps over three slots posts one digest, for the latest', async () => {
		const world = await worldSetBeforeTheSlot();
		const latest = FIRST_SLOT + 2 * WEEK;
		moveTo(world, latest + HOUR);
		assert.equal(await check(world), 'posted');
		assert.equal(await check(world), 'already-posted');
		assert.deepEqual([...digestsPerSlot(world)], [[headingFor(latest), 1]]);
	});

	it('just turned on after the slot: nothing until the next slot, then one', async () => {
		const world = new TestWorld();
		moveTo(world, FIRST_SLOT + 1000);
		turnOn(world);
		assert.equal(await check(world), 'first-seen');
		moveTo(world, FIRST_SLOT + DAY);
		assert.equal(await check(world), 'not-due');
		assert.equal(world.roomMessages.length, 0);
		moveTo(world, FIRST_SLOT + WEEK);
		assert.equal(await check(world), 'posted');
		assert.deepEqual([...digestsPerSlot(world)], [[headingFor(FIRST_SLOT + WEEK), 1]]);
	});

	it('two instances seeing a new configuration at once store it twice; the earliest counts', async () => {
		const world = new TestWorld();
		turnOn(world);
		const outcomes = await Promise.all([check(world), check(world, world.newInstance())]);
		assert.deepEqual(outcomes, ['first-seen', 'first-seen']);
		const seen = await world
			.read()
			.getPersistenceReader()
			.readByAssociations(buildAssociations({ scope: RecordScope.DigestConfiguration }));
		assert.equal(seen.length, 2, 'no conditional write: both stored it');
		moveTo(world, FIRST_SLOT);
		assert.equal(await check(world), 'posted');
	});

	it('moved to another weekday or hour after its slot: the old slot is not posted, the new one is', async () => {
		const world = await worldSetBeforeTheSlot();
		moveTo(world, FIRST_SLOT + 1000);
		turnOn(world, 'monday', 10);
		assert.equal(await check(world), 'first-seen');
		moveTo(world, FIRST_SLOT + HOUR + MINUTE);
		assert.equal(await check(world), 'posted', 'Monday 10:00 came after it was seen');
		assert.deepEqual([...digestsPerSlot(world)], [[headingFor(FIRST_SLOT + HOUR), 1]]);
	});

	it('turned off: nothing; turned on again after a slot: not that slot', async () => {
		const world = await worldSetBeforeTheSlot();
		world.settings.set(SettingId.DigestEnabled, false);
		assert.equal(await check(world), 'off');
		moveTo(world, FIRST_SLOT + MINUTE);
		assert.equal(await check(world), 'off');
		world.settings.set(SettingId.DigestEnabled, true);
		world.settings.set(SettingId.DigestRoom, '');
		assert.equal(await check(world), 'off', 'no room is off too');
		world.settings.set(SettingId.DigestRoom, 'feedback');
		assert.equal(await check(world), 'first-seen', 'its earlier history was forgotten');
		assert.equal(await check(world), 'not-due');
		assert.equal(world.roomMessages.length, 0);
	});

	it('turned off with its room still set: nothing at a due slot, and that slot is not posted once on again', async () => {
		const world = await worldSetBeforeTheSlot();
		world.settings.set(SettingId.DigestEnabled, false);
		moveTo(world, FIRST_SLOT + MINUTE);
		assert.equal(await check(world), 'off', 'the room alone does not turn it on');
		assert.equal(await check(world, world.newInstance()), 'off', 'on any instance');
		assert.equal(world.roomMessages.length, 0);
		world.settings.set(SettingId.DigestEnabled, true);
		assert.equal(await check(world), 'first-seen', 'turning it off forgot the configuration');
		assert.equal(await check(world), 'not-due', 'the slot it was off for is not posted');
		assert.equal(world.roomMessages.length, 0);
	});

	it('a room that does not exist posts nothing and says so', async () => {
		const world = await worldSetBeforeTheSlot();
		world.settings.set(SettingId.DigestRoom, 'nowhere');
		moveTo(world, FIRST_SLOT);
		assert.equal(await check(world), 'no-room');
		assert.equal(world.roomMessages.length, 0);
		world.settings.set(SettingId.DigestRoom, 'feedback');
		assert.equal(await check(world), 'posted', 'the same configuration: the slot is still due');
	});

	it('overlapping checks on one instance (a run outlasting the engine’s 30 s) post once', async () => {
		const world = await worldSetBeforeTheSlot();
		moveTo(world, FIRST_SLOT);
		const outcomes = await Promise.all([check(world), check(world), check(world)]);
		assert.equal(outcomes.filter((outcome) => outcome === 'posted').length >= 1, true);
		assert.deepEqual([...digestsPerSlot(world)], [[headingFor(FIRST_SLOT), 1]]);
	});
});

describe('the earlier cron job', () => {
	it('is cancelled by name; a failure to cancel is logged and enabling goes on', async () => {
		const warnings: string[] = [];
		const logger = {
			warn: (...items: unknown[]) => void warnings.push(items.map(String).join(' ')),
		} as unknown as ILogger;
		const cancelled: string[] = [];
		const job = new DigestJob('feedback-app-test');
		const scheduler = {
			cancelJob: async (id: string) => void cancelled.push(id),
		} as unknown as ISchedulerModify;
		await job.retireLegacyJob(scheduler, logger);
		assert.deepEqual(cancelled, [LEGACY_DIGEST_PROCESSOR_ID]);
		const failing = {
			cancelJob: () => Promise.reject(new Error('scheduler down')),
		} as unknown as ISchedulerModify;
		await job.retireLegacyJob(failing, logger);
		assert.equal(warnings.length, 1);
		assert.match(warnings[0], /scheduler down/);
	});
});
