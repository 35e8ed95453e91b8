// Issue 12, the weekly digest, through the packaged app on the host's scheduler: its settings
// schedule one recurring job ('weekly-digest', a cron line), change it or cancel it; with the
// host clock moved a week at a time the digest is posted once per week, also after a restart.
// Only the scheduler's time moves: the app sums up the seven days before its own (real) clock,
// so the feedback sent in a test is in every digest's week.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fixturePerTest, sendFeedback } from './app-fixture';
import { timed } from './timing';
import type { ITimelineMessage } from '../../host/directory';
import type { LocalHost } from '../../host/local-host';
import type { IJobRun } from '../../host/scheduler/job-runner';
import type { IStoredJob } from '../../host/scheduler/job-store';
import { cronForSlot, WEEKDAYS } from '../../src/domain/digest';

const DIGEST = {
	enabled: 'feedback_digest_enabled',
	weekday: 'feedback_digest_weekday',
	hour: 'feedback_digest_hour',
	room: 'feedback_digest_room',
} as const;
const JOB_PREFIX = 'weekly-digest_';
const DIGEST_ROOM = 'feedback';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Monday 2030-01-07 12:00 UTC: the scheduler's frozen "now" in the tests that move it. */
const MONDAY_NOON_UTC = Date.UTC(2030, 0, 7, 12, 0, 0);

/** The digest jobs stored for the whole workspace. */
function digestJobs(host: LocalHost): IStoredJob[] {
	return host.scheduledJobs().filter((job) => job.name.startsWith(JOB_PREFIX));
}

/** The one digest job. */
function digestJob(host: LocalHost): IStoredJob {
	const jobs = digestJobs(host);
	assert.equal(jobs.length, 1, `one digest job: ${JSON.stringify(jobs)}`);
	return jobs[0];
}

/** The cron line the app schedules for a weekly slot in UTC (in this process's time zone). */
function cronFor(weekday: (typeof WEEKDAYS)[number], hourUtc: number): string {
	return cronForSlot(WEEKDAYS.indexOf(weekday), hourUtc, new Date().getTimezoneOffset());
}

/** The first time after `from` that falls on the weekday and hour, in UTC. */
function nextSlotUtc(from: number, weekday: (typeof WEEKDAYS)[number], hourUtc: number): number {
	const start = new Date(from);
	let candidate = Date.UTC(
		start.getUTCFullYear(),
		start.getUTCMonth(),
		start.getUTCDate(),
		hourUtc,
	);
	while (candidate <= from || new Date(candidate).getUTCDay() !== WEEKDAYS.indexOf(weekday)) {
		candidate += DAY;
	}
	return candidate;
}

/** The digests posted in the digest room. */
function digests(host: LocalHost): ITimelineMessage[] {
	return host
		.timeline(DIGEST_ROOM)
		.filter((message) => message.text.startsWith('*Weekly feedback digest, '));
}

/** The digest job's runs among the runs a clock move made. */
function digestRuns(runs: IJobRun[]): IJobRun[] {
	return runs.filter((run) => run.name.startsWith(JOB_PREFIX));
}

/** Turns the digest on in #feedback (room first: the app schedules only with a room). */
async function turnOn(host: LocalHost): Promise<void> {
	await host.setSetting(DIGEST.room, DIGEST_ROOM);
	assert.deepEqual(digestJobs(host), [], 'a room alone schedules nothing while it is off');
	await host.setSetting(DIGEST.enabled, true);
}

describe('the weekly digest schedule', () => {
	const fixture = fixturePerTest('digest schedule');

	it('is off by default: the processor is registered, no job is stored', () => {
		const { host } = fixture();
		assert.ok(
			host
				.engineBridges()
				.scheduler.registeredProcessors()
				.some((name) => name.startsWith(JOB_PREFIX)),
			'the app registered its digest processor',
		);
		assert.deepEqual(digestJobs(host), []);
	});

	it('turning it on schedules one recurring job with a cron line, at the next slot', async () => {
		const { host } = fixture();
		host.hostClock.freeze(MONDAY_NOON_UTC);
		await turnOn(host);
		const job = digestJob(host);
		assert.equal(job.type, 'single', 'scheduleRecurring: one job per processor (Agenda.every)');
		assert.equal(job.name, `${JOB_PREFIX}${host.getAppId()}`);
		assert.equal(job.repeatInterval, cronFor('monday', 9), 'Mondays 09:00 UTC by default');
		assert.equal(job.nextRunAt, nextSlotUtc(MONDAY_NOON_UTC, 'monday', 9), 'skipImmediate');
		assert.equal(job.nextRunAt, Date.UTC(2030, 0, 14, 9));
		assert.equal(job.data.appId, host.getAppId());
	});

	it('changing the weekday or the hour reschedules it: still one job, the new interval', async () => {
		const { host } = fixture();
		host.hostClock.freeze(MONDAY_NOON_UTC);
		await turnOn(host);
		const { id } = digestJob(host);
		await host.setSetting(DIGEST.weekday, 'friday');
		let job = digestJob(host);
		assert.equal(job.id, id, 'the same job, updated');
		assert.equal(job.repeatInterval, cronFor('friday', 9));
		assert.equal(job.nextRunAt, Date.UTC(2030, 0, 11, 9));
		await host.setSetting(DIGEST.hour, 17);
		job = digestJob(host);
		assert.equal(job.id, id);
		assert.equal(job.repeatInterval, cronFor('friday', 17));
		assert.equal(job.nextRunAt, Date.UTC(2030, 0, 11, 17));
		// The same slot on Monday, later that day: due the same day.
		await host.setSetting(DIGEST.weekday, 'monday');
		job = digestJob(host);
		assert.equal(job.repeatInterval, cronFor('monday', 17));
		assert.equal(job.nextRunAt, Date.UTC(2030, 0, 7, 17));
	});

	it('turning it off cancels the job, and so does clearing the room; on again schedules it anew', async () => {
		const { host } = fixture();
		await turnOn(host);
		digestJob(host);
		await host.setSetting(DIGEST.enabled, false);
		assert.deepEqual(digestJobs(host), [], 'off: no job');
		await host.setSetting(DIGEST.enabled, true);
		digestJob(host);
		await host.setSetting(DIGEST.room, '');
		assert.deepEqual(digestJobs(host), [], 'no room: no job');
		await host.setSetting(DIGEST.room, DIGEST_ROOM);
		digestJob(host);
	});
});

describe('the weekly digest on a moved clock', () => {
	const fixture = fixturePerTest('digest runs');

	/** Feedback for the digest's week (the app's own clock: now). */
	async function sendWeek(host: LocalHost): Promise<void> {
		await sendFeedback(host, 'alice', 'general', {
			comment: 'Search is slow',
			category: 'Bug',
			rating: '2',
		});
		await sendFeedback(host, 'bruno', 'general', {
			comment: 'Love the new sidebar',
			category: 'Praise',
			rating: '5',
			anonymous: ['anonymous'],
		});
	}

	it('posts exactly one digest per week as the clock moves a week, then another', async () => {
		const { host } = fixture();
		host.hostClock.freeze(MONDAY_NOON_UTC);
		await sendWeek(host);
		await turnOn(host);
		assert.deepEqual(
			digestRuns(await host.runDueJobs()),
			[],
			'nothing due at once (skipImmediate)',
		);

		// Six days on (Sunday noon): the slot has not come.
		assert.deepEqual(digestRuns(await host.advanceClock(6 * DAY)), []);
		assert.deepEqual(digests(host), []);
		// One more day (Monday noon, past 09:00): one run, one digest.
		const runs = digestRuns(await host.advanceClock(DAY));
		assert.equal(runs.length, 1, JSON.stringify(runs));
		assert.equal(runs[0].ok, true, runs[0].error);
		const [first, ...others] = digests(host);
		assert.deepEqual(others, []);
		assert.equal(first.sender, host.directory.appUser(host.getAppId())?.username);
		const lines = first.text.split('\n');
		assert.match(lines[0], /^\*Weekly feedback digest, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\*$/);
		assert.equal(lines[1], 'New feedback: 2 (the week before: 0)');
		assert.match(lines[2], /`Bug` 1/);
		assert.match(lines[2], /`Praise` 1/);
		assert.equal(lines[4], 'Average rating: 3.5 (the week before: none)');
		assert.doesNotMatch(first.text, /bruno/i, 'anonymous feedback names nobody');
		assert.equal(digestJob(host).nextRunAt, Date.UTC(2030, 0, 21, 9), 'next Monday 09:00');

		// Running due jobs again in the same period posts nothing more.
		assert.deepEqual(digestRuns(await host.runDueJobs()), []);
		assert.equal(digests(host).length, 1);

		// Another week: exactly one more.
		assert.equal(digestRuns(await host.advanceClock(WEEK)).length, 1);
		assert.equal(digests(host).length, 2);
		assert.equal(digestJob(host).nextRunAt, Date.UTC(2030, 0, 28, 9));
	});

	it('survives a restart: the same job, and the digest comes on schedule after it', async () => {
		const { host } = fixture();
		host.hostClock.freeze(MONDAY_NOON_UTC);
		await sendWeek(host);
		await turnOn(host);
		const before = digestJob(host);
		await timed('restart', () => host.restart());
		const after = digestJob(host);
		assert.equal(after.id, before.id, 'the stored job is kept');
		assert.equal(after.repeatInterval, before.repeatInterval);
		assert.equal(after.nextRunAt, before.nextRunAt, 'the same slot');
		assert.equal(host.settings()[DIGEST.enabled].value, true, 'still on');

		assert.equal(digestRuns(await host.advanceClock(WEEK)).length, 1);
		assert.equal(digests(host).length, 1, 'one digest after the restart');
		await timed('restart', () => host.restart());
		assert.equal(digestRuns(await host.advanceClock(WEEK)).length, 1);
		assert.equal(digests(host).length, 2);
		digestJob(host);
	});
});
