// The weekly digest on three instances: exactly one digest per slot whatever the scheduler does.
// The check is one fixed recurring job ('digest-check', every minute); here its document is
// duplicated as the server's scheduler can store it (test/support/duplicate-jobs.ts), the cluster
// is stopped across the slot, and a setting is saved after it. The shared host clock moves only
// the scheduler (it makes the check due); the app in its Deno process reads real time, so each
// test takes the current UTC hour as the slot and stores, as the check itself stores it, that
// this configuration was seen an hour before the slot.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { type IStoredJob, JobStore, newJobId, SqlitePersistenceBridge } from '../../host';
import { latestSlot, WEEKDAYS } from '../../src/domain/digest';
import { DIGEST_CHECK_PROCESSOR_ID } from '../../src/handlers/DigestJob';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import {
	type ITestCluster,
	settingBroadcastsSettled,
	withCluster,
} from '../support/cluster-harness';
import { duplicateRecurringJob } from '../support/duplicate-jobs';
import { withDeadline } from '../support/until';

const CHECK_PREFIX = `${DIGEST_CHECK_PROCESSOR_ID}_`;
const LEGACY_PREFIX = 'weekly-digest_';
const DIGEST_ROOM = 'feedback';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WEEK = 7 * 24 * HOUR;
const TEST_TIMEOUT_MS = 90_000;
const APP_ID = (
	JSON.parse(readFileSync(path.join(__dirname, '../../../app.json'), 'utf8')) as { id: string }
).id;

/** This hour's slot in UTC (the app's clock is real), with the settings that name it. */
function currentSlot(): { slot: Date; weekday: string; hour: number } {
	const now = new Date();
	const slot = latestSlot(now, now.getUTCDay(), now.getUTCHours());
	return { slot, weekday: WEEKDAYS[now.getUTCDay()], hour: now.getUTCHours() };
}

function headingFor(slot: Date): string {
	const text = (time: number) => new Date(time).toISOString().slice(0, 16).replace('T', ' ');
	return `*Weekly feedback digest, ${text(slot.getTime() - WEEK)} to ${text(slot.getTime())} (UTC)*`;
}

/**
 * The job documents in the shared database whose name starts with the prefix. One store per
 * cluster, opened before any duplicate: opening one creates the host's one-per-name index again.
 */
const stores = new WeakMap<ITestCluster, JobStore>();
function jobsNamed(cluster: ITestCluster, prefix: string): IStoredJob[] {
	const store = stores.get(cluster) ?? new JobStore(cluster.database);
	stores.set(cluster, store);
	return store.all().filter((job) => job.name.startsWith(prefix));
}

/** The digests in the room, counted per heading (one heading per slot). */
async function digestsPerSlot(cluster: ITestCluster): Promise<Map<string, number>> {
	const timeline = await withDeadline(
		cluster.instances[0].timeline(DIGEST_ROOM),
		'the digest room timeline',
	);
	const counts = new Map<string, number>();
	for (const message of timeline) {
		const heading = message.text.split('\n', 1)[0];
		if (heading.startsWith('*Weekly feedback digest, ')) {
			counts.set(heading, (counts.get(heading) ?? 0) + 1);
		}
	}
	return counts;
}

/** Turns the digest on for this hour's weekday and hour, through one instance (broadcast). */
async function turnOn(cluster: ITestCluster, weekday: string, hour: number): Promise<void> {
	const through = cluster.instances[1];
	await withDeadline(through.setSetting('feedback_digest_weekday', weekday), 'the weekday');
	await withDeadline(through.setSetting('feedback_digest_hour', hour), 'the hour');
	await withDeadline(through.setSetting('feedback_digest_room', DIGEST_ROOM), 'the room');
	await withDeadline(through.setSetting('feedback_digest_enabled', true), 'turning it on');
	await settingBroadcastsSettled();
}

/** Stores what the check stores on first seeing a configuration, as if it saw it at `since`. */
async function seenAt(cluster: ITestCluster, weekday: string, hour: number, since: Date) {
	const key = `${WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number])}-${hour}`;
	await new SqlitePersistenceBridge(cluster.database).createWithAssociations(
		{ key, since: since.toISOString() },
		buildAssociations({ scope: RecordScope.DigestConfiguration, keys: [`key:${key}`] }),
		APP_ID,
	);
}

/** Moves the shared clock a check period on and runs the due jobs on every instance at once. */
async function checkEverywhere(cluster: ITestCluster, what: string) {
	cluster.clock.advance(MINUTE);
	const runs = (
		await withDeadline(
			Promise.all(cluster.instances.map((instance) => instance.runDueJobs())),
			what,
		)
	).flat();
	const checks = runs.filter((run) => run.name.startsWith(CHECK_PREFIX));
	for (const run of checks) {
		assert.equal(run.ok, true, run.error);
	}
	return checks;
}

describe('the weekly digest on three instances', () => {
	it(
		'the check duplicated three times, run at the slot on three instances at once: one digest',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: Date.now() }, async (cluster) => {
				const { slot, weekday, hour } = currentSlot();
				await turnOn(cluster, weekday, hour);
				await seenAt(cluster, weekday, hour, new Date(slot.getTime() - HOUR));
				assert.equal(jobsNamed(cluster, CHECK_PREFIX).length, 1, 'the settings scheduled nothing');
				duplicateRecurringJob(cluster.database, CHECK_PREFIX, 2);
				assert.equal(jobsNamed(cluster, CHECK_PREFIX).length, 3);

				const checks = await checkEverywhere(cluster, 'the checks at the slot');
				assert.equal(checks.length, 3, `every copy ran: ${JSON.stringify(checks)}`);
				assert.deepEqual([...(await digestsPerSlot(cluster))], [[headingFor(slot), 1]]);

				assert.equal((await checkEverywhere(cluster, 'the checks a minute on')).length, 3);
				assert.deepEqual([...(await digestsPerSlot(cluster))], [[headingFor(slot), 1]]);
			}),
	);

	it(
		'the cluster stopped across the slot and started after it: one late digest, the old cron job gone',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: Date.now(), size: 2 }, async (cluster) => {
				const { slot, weekday, hour } = currentSlot();
				await turnOn(cluster, weekday, hour);
				const { instances } = cluster;
				await Promise.all(instances.map((instance) => withDeadline(instance.stop(), 'a stop')));
				// Seen a week before and posted last week; down across this week's slot.
				await seenAt(cluster, weekday, hour, new Date(slot.getTime() - WEEK - HOUR));
				const previous = new Date(slot.getTime() - WEEK).toISOString();
				await new SqlitePersistenceBridge(cluster.database).createWithAssociations(
					{ slot: previous },
					buildAssociations({ scope: RecordScope.DigestPosted, keys: [`slot:${previous}`] }),
					APP_ID,
				);
				// The cron job an earlier version scheduled from the settings.
				const [check] = jobsNamed(cluster, CHECK_PREFIX);
				cluster.database
					.prepare(
						`INSERT INTO apps_scheduler_jobs (id, name, type, data, priority, next_run_at, repeat_interval,
							last_run_at, last_finished_at, locked_at, locked_by, fail_count, fail_reason, failed_at, last_modified_by)
						SELECT @id, @name, type, data, priority, next_run_at, @interval, NULL, NULL,
							NULL, NULL, 0, NULL, NULL, last_modified_by
						FROM apps_scheduler_jobs WHERE id = @original`,
					)
					.run({
						id: newJobId(Date.now()),
						name: `${LEGACY_PREFIX}${APP_ID}`,
						interval: JSON.stringify('0 9 * * 1'),
						original: check.id,
					});
				assert.equal(jobsNamed(cluster, LEGACY_PREFIX).length, 1);

				cluster.clock.advance(HOUR);
				for (let index = 0; index < instances.length; index += 1) {
					instances[index] = await cluster.startInstance(instances[index].name);
				}
				assert.deepEqual(jobsNamed(cluster, LEGACY_PREFIX), [], 'cancelled on enable');
				assert.ok((await checkEverywhere(cluster, 'the checks after the start')).length >= 1);
				assert.deepEqual([...(await digestsPerSlot(cluster))], [[headingFor(slot), 1]]);
				await checkEverywhere(cluster, 'the checks a minute on');
				assert.deepEqual([...(await digestsPerSlot(cluster))], [[headingFor(slot), 1]]);
			}),
	);

	it(
		'a digest setting saved after the slot, before any check: one digest, nothing rescheduled',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: Date.now() }, async (cluster) => {
				const { slot, weekday, hour } = currentSlot();
				await turnOn(cluster, weekday, hour);
				await seenAt(cluster, weekday, hour, new Date(slot.getTime() - HOUR));
				const [before] = jobsNamed(cluster, CHECK_PREFIX);
				// Saved again on every instance at once (the server broadcasts the change).
				await withDeadline(
					cluster.instances[0].setSetting('feedback_digest_room', `#${DIGEST_ROOM}`),
					'a save',
				);
				await withDeadline(cluster.instances[2].setSetting('feedback_digest_hour', hour), 'a save');
				await settingBroadcastsSettled();
				const after = jobsNamed(cluster, CHECK_PREFIX);
				assert.equal(after.length, 1);
				assert.equal(after[0].id, before.id);
				assert.equal(after[0].nextRunAt, before.nextRunAt, 'the check keeps its time');
				assert.deepEqual(jobsNamed(cluster, LEGACY_PREFIX), []);

				await checkEverywhere(cluster, 'the checks after the save');
				await checkEverywhere(cluster, 'the checks a minute on');
				assert.deepEqual([...(await digestsPerSlot(cluster))], [[headingFor(slot), 1]]);
			}),
	);
});
