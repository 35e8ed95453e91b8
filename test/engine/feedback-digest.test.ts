// The weekly digest through the packaged app on the host's scheduler: one fixed recurring check
// ('digest-check', every minute) that no setting reschedules, and one digest per slot, also after
// a restart. Only the scheduler's time moves here (it makes the check due): the app reads real
// time, so a test takes the current UTC hour as the slot and stores, as the check stores it, that
// the configuration was seen before it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fixturePerTest } from './app-fixture';
import { timed } from './timing';
import type { IJobRun, IStoredJob, LocalHost } from '../../host';
import { latestSlot, WEEKDAYS } from '../../src/domain/digest';
import { DIGEST_CHECK_INTERVAL, DIGEST_CHECK_PROCESSOR_ID } from '../../src/handlers/DigestJob';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';

const DIGEST = {
	enabled: 'feedback_digest_enabled',
	weekday: 'feedback_digest_weekday',
	hour: 'feedback_digest_hour',
	room: 'feedback_digest_room',
} as const;
const CHECK_PREFIX = `${DIGEST_CHECK_PROCESSOR_ID}_`;
const DIGEST_ROOM = 'feedback';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WEEK = 7 * 24 * HOUR;

/** The one check job stored for the workspace. */
function checkJob(host: LocalHost): IStoredJob {
	const jobs = host.scheduledJobs().filter((job) => job.name.startsWith(CHECK_PREFIX));
	assert.equal(jobs.length, 1, `one check job: ${JSON.stringify(jobs)}`);
	return jobs[0];
}

/** The digests in the digest room, by their first line. */
function digestHeadings(host: LocalHost): string[] {
	return host
		.timeline(DIGEST_ROOM)
		.map((message) => message.text.split('\n', 1)[0])
		.filter((heading) => heading.startsWith('*Weekly feedback digest, '));
}

function checkRuns(runs: IJobRun[]): IJobRun[] {
	return runs.filter((run) => run.name.startsWith(CHECK_PREFIX));
}

/** This hour's slot in UTC (the app's clock is real), with the settings that name it. */
function currentSlot(): { slot: Date; weekday: string; hour: number } {
	const now = new Date();
	return {
		slot: latestSlot(now, now.getUTCDay(), now.getUTCHours()),
		weekday: WEEKDAYS[now.getUTCDay()],
		hour: now.getUTCHours(),
	};
}

function headingFor(slot: Date): string {
	const text = (time: number) => new Date(time).toISOString().slice(0, 16).replace('T', ' ');
	return `*Weekly feedback digest, ${text(slot.getTime() - WEEK)} to ${text(slot.getTime())} (UTC)*`;
}

/** Turns the digest on for a weekday and hour in #feedback. */
async function turnOn(host: LocalHost, weekday: string, hour: number): Promise<void> {
	await host.setSetting(DIGEST.weekday, weekday);
	await host.setSetting(DIGEST.hour, hour);
	await host.setSetting(DIGEST.room, DIGEST_ROOM);
	await host.setSetting(DIGEST.enabled, true);
}

describe('the weekly digest check', () => {
	const fixture = fixturePerTest('digest check');

	it('is one recurring job from the start, every minute; settings change nothing in it', async () => {
		const { host } = fixture();
		const job = checkJob(host);
		assert.equal(job.type, 'single');
		assert.equal(job.repeatInterval, DIGEST_CHECK_INTERVAL);
		await turnOn(host, 'friday', 17);
		await host.setSetting(DIGEST.hour, 3);
		await host.setSetting(DIGEST.enabled, false);
		const after = checkJob(host);
		assert.equal(after.id, job.id);
		assert.equal(after.nextRunAt, job.nextRunAt);
		assert.equal(after.repeatInterval, DIGEST_CHECK_INTERVAL);
		assert.deepEqual(
			host.scheduledJobs().filter((stored) => stored.name.startsWith('weekly-digest_')),
			[],
		);
	});

	it('posts the slot once, again after a restart; a digest just turned on posts nothing for it', async () => {
		const { host } = fixture();
		const { slot, weekday, hour } = currentSlot();
		await turnOn(host, weekday, hour);
		assert.equal(checkRuns(await host.advanceClock(MINUTE)).length, 1);
		assert.deepEqual(digestHeadings(host), [], 'first seen after the slot: not due');

		// As if the check had seen this configuration an hour before the slot.
		const key = `${WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number])}-${hour}`;
		await host.persistence.createWithAssociations(
			{ key, since: new Date(slot.getTime() - HOUR).toISOString() },
			buildAssociations({ scope: RecordScope.DigestConfiguration, keys: [`key:${key}`] }),
			host.getAppId(),
		);
		const runs = checkRuns(await host.advanceClock(MINUTE));
		assert.equal(runs.length, 1);
		assert.equal(runs[0].ok, true, runs[0].error);
		assert.deepEqual(digestHeadings(host), [headingFor(slot)]);
		const [digest] = host.timeline(DIGEST_ROOM);
		assert.equal(digest.sender, host.directory.appUser(host.getAppId())?.username);

		assert.equal(checkRuns(await host.advanceClock(MINUTE)).length, 1);
		await timed('restart', () => host.restart());
		assert.equal(checkRuns(await host.advanceClock(MINUTE)).length, 1);
		assert.deepEqual(digestHeadings(host), [headingFor(slot)], 'still one');
	});
});
