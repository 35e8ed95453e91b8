// The app's side effects stay exactly once on a scheduler that behaves as Rocket.Chat's Agenda
// (host/server/scheduler/): recurring jobs registered by two instances at once stored twice and run at
// once, a run that outlasts the engine's call timeout overlapped by the next, an instance killed
// while it holds the announcement job's lock, and every job deleted by one instance whose app
// failed to initialize. Each test counts announcements per feedback.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type ClusterInstance, type IJobRun, JobStore } from '../../host';
import { SettingId } from '../../src/domain/settings';
import { RECURRING_JOBS } from '../../src/handlers/RecurringJobs';
import { ageAnonymousAnnouncements } from '../support/anonymous-announcements';
import { ageJobsHeartbeat, appIdOf, jobNames } from '../support/cluster-app';
import {
	type ITestCluster,
	settingBroadcastsSettled,
	withCluster,
} from '../support/cluster-harness';
import { duplicateRecurringJob } from '../support/duplicate-jobs';
import { until, withDeadline } from '../support/until';

const ANNOUNCE_ROOM = 'feedback';
const ANNOUNCE_JOB = 'announce-feedback';
/** The announcement job's interval ('5 seconds', src/handlers/AnnouncementJob.ts). */
const JOB_PERIOD_MS = 5000;
/** Agenda's lock lifetime (packages/agenda/src/Agenda.ts defaultLockLifetime). */
const LOCK_LIFETIME_MS = 10 * 60 * 1000;
const TEST_TIMEOUT_MS = 180_000;
const START = Date.UTC(2030, 0, 7, 12, 0, 0);

/** Announcements on, anonymous feedback allowed, on every instance. */
async function prepare(cluster: ITestCluster): Promise<void> {
	const [first] = cluster.instances;
	await withDeadline(first.setSetting(SettingId.AnnounceRoom, ANNOUNCE_ROOM), 'the setting');
	await withDeadline(first.setSetting(SettingId.AllowAnonymous, true), 'the setting');
	await settingBroadcastsSettled();
}

/** Opens the form on the instance and sends it; the comment is unique to the test. */
async function send(
	instance: ClusterInstance,
	username: string,
	comment: string,
	anonymous: boolean,
): Promise<void> {
	await withDeadline(instance.command(username, 'general', '/feedback'), '/feedback');
	const view = await withDeadline(instance.openView(username), 'the open view');
	assert.ok(view, `the form opened for ${username} on ${instance.name}`);
	const answer = await withDeadline(
		instance.submit(username, view, {
			comment,
			category: 'Bug',
			...(anonymous ? { anonymous: ['anonymous'] } : {}),
		}),
		'the submit',
	);
	assert.equal(answer.accepted, true, `${comment} accepted: ${JSON.stringify(answer.errors)}`);
}

/** How many announcements quote each comment. */
async function announcementsOf(
	cluster: ITestCluster,
	comments: ReadonlyArray<string>,
	reader: ClusterInstance = cluster.instances[0],
): Promise<Map<string, number>> {
	const posted = await withDeadline(reader.timeline(ANNOUNCE_ROOM), 'the room');
	return new Map(
		comments.map((comment) => [
			comment,
			posted.filter((message) => message.text.includes(`\`${comment}\``)).length,
		]),
	);
}

/** How many messages were ever stored (deleted ones included): SQLite's AUTOINCREMENT. */
function messagesEverStored(cluster: ITestCluster): number {
	const row = cluster.database
		.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'messages'")
		.get();
	return row?.seq ?? 0;
}

/**
 * Lets the hour of the anonymous feedback queued now close: the app's clock is real time, so the
 * queue entries are moved back instead (an anonymous feedback is announced once its hour closed).
 */
function closeAnonymousHour(cluster: ITestCluster, expected: number): void {
	assert.equal(ageAnonymousAnnouncements(cluster.database, appIdOf(cluster)), expected);
}

/** Moves the shared clock one job period and runs due jobs on every instance at the same moment. */
async function runDueEverywhere(
	cluster: ITestCluster,
	instances: ReadonlyArray<ClusterInstance> = cluster.instances,
): Promise<IJobRun[]> {
	cluster.clock.advance(JOB_PERIOD_MS);
	const runs = await withDeadline(
		Promise.all(instances.map((instance) => instance.runDueJobs())),
		'the due jobs',
	);
	return runs.flat();
}

describe('jobs registered by two instances at once', () => {
	it(
		'are stored twice and run at once, and every feedback is still announced once',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: START }, async (cluster) => {
				await prepare(cluster);
				const appId = appIdOf(cluster);
				const jobs = new JobStore(cluster.database);
				// As on install or update: the jobs do not exist yet when two instances register the
				// processors at once (AppManager.add broadcasts before runStartUpProcess).
				const names = [...new Set(jobs.all().map((job) => job.name))];
				jobs.removeByNameSuffix(`_${appId}`);
				for (const name of names) {
					jobs.armUpsertBarrier(name, 2);
				}
				await Promise.all([cluster.instances[1].stop(), cluster.instances[2].stop()]);
				const restarted = await Promise.all([
					cluster.startInstance('instance-2'),
					cluster.startInstance('instance-3'),
				]);
				cluster.instances.splice(1, 2, ...restarted);
				for (const name of names) {
					jobs.disarmUpsertBarrier(name);
					const copies = jobs.all().filter((stored) => stored.name === name);
					assert.equal(copies.length, 2, `${name} stored twice`);
				}

				const comments = Array.from({ length: 6 }, (_, index) => `twice stored job ${index}`);
				const users = ['alice', 'bruno', 'clara'];
				// One form at a time per member (a member's client shows one form).
				for (const [index, comment] of comments.entries()) {
					// Every other one anonymous: those wait for the job.
					await send(cluster.instances[index % 3], users[index % 3], comment, index % 2 === 1);
				}
				closeAnonymousHour(cluster, 3);
				const announceCopiesRun = new Set<string>();
				for (let round = 0; round < 3; round += 1) {
					for (const run of await runDueEverywhere(cluster)) {
						if (run.name.startsWith(ANNOUNCE_JOB) && run.ok) {
							announceCopiesRun.add(run.jobId);
						}
					}
				}
				assert.equal(announceCopiesRun.size, 2, 'both copies of the announcement job ran');
				const counts = await announcementsOf(cluster, comments);
				assert.deepEqual([...counts.values()], [1, 1, 1, 1, 1, 1], JSON.stringify([...counts]));
				assert.equal(names.length, RECURRING_JOBS.length, 'every recurring job was stored twice');
			}),
	);
});

describe('two copies of the announcement job', () => {
	it(
		'running at the same moment on two instances post each feedback once',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: START }, async (cluster) => {
				await prepare(cluster);
				const [, first, second] = cluster.instances;
				const [copy] = duplicateRecurringJob(cluster.database, ANNOUNCE_JOB);
				const comments = ['copies 0', 'copies 1', 'copies 2'];
				for (const comment of comments) {
					await send(cluster.instances[0], 'alice', comment, true);
				}
				closeAnonymousHour(cluster, 3);
				// The copy falls due after the first instance's scan window (Agenda locks what is due
				// within processEvery, 5 s), so the second instance takes it while the first runs.
				cluster.database
					.prepare('UPDATE apps_scheduler_jobs SET next_run_at = ? WHERE id = ?')
					.run(cluster.clock.now() + 3 * JOB_PERIOD_MS, copy);
				await first.holdPosts(1);
				cluster.clock.advance(JOB_PERIOD_MS);
				const firstRuns = first.runDueJobs();
				await until(async () => (await first.heldPosts()) === 1, 'the first copy to post');

				cluster.clock.advance(2 * JOB_PERIOD_MS);
				const secondRuns = await withDeadline(second.runDueJobs(), 'the second copy');
				const secondCopy = secondRuns.find((run) => run.name.startsWith(ANNOUNCE_JOB));
				assert.equal(secondCopy?.jobId, copy, 'the second instance ran the copy');
				assert.equal(secondCopy?.ok, true);
				assert.deepEqual([...(await announcementsOf(cluster, comments)).values()], [1, 1, 1]);

				// The first copy's post lands at last; its run reads the room back and removes it.
				assert.equal(await first.releaseHeldPosts(), 1);
				const firstCopy = (await withDeadline(firstRuns, 'the first copy')).find((run) =>
					run.name.startsWith(ANNOUNCE_JOB),
				);
				assert.ok(firstCopy?.ok && firstCopy.jobId !== copy, JSON.stringify(firstCopy));
				assert.deepEqual([...(await announcementsOf(cluster, comments)).values()], [1, 1, 1]);
			}),
	);
});

describe('a run that outlasts the engine call timeout', () => {
	it(
		'is overlapped by the next run on another instance, and the feedback is announced once',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: START, runtimeTimeoutMs: 6000 }, async (cluster) => {
				await prepare(cluster);
				const [, slow, next] = cluster.instances;
				const comment = 'overlapped run';
				await send(cluster.instances[0], 'alice', comment, true);
				closeAnonymousHour(cluster, 1);

				// The slow instance's post waits (a loaded database) until the engine gives up on the
				// job's call; Agenda then fails the run and unlocks the job while the app's code waits on.
				await slow.holdPosts(1);
				cluster.clock.advance(JOB_PERIOD_MS);
				const slowRuns = slow.runDueJobs();
				await until(async () => (await slow.heldPosts()) === 1, 'the slow post to be held');
				const failed = (await withDeadline(slowRuns, 'the slow run')).find((run) =>
					run.name.startsWith(ANNOUNCE_JOB),
				);
				assert.ok(failed && !failed.ok, `the slow run failed: ${JSON.stringify(failed)}`);
				assert.deepEqual([...(await announcementsOf(cluster, [comment])).values()], [0]);

				// The next run, on another instance, overlaps it and posts.
				const runs = await runDueEverywhere(cluster, [next]);
				assert.ok(runs.some((run) => run.name.startsWith(ANNOUNCE_JOB) && run.ok));
				assert.deepEqual([...(await announcementsOf(cluster, [comment])).values()], [1]);

				// The held post lands at last; the slow run's code reads the room back and removes it.
				const storedBefore = messagesEverStored(cluster);
				assert.equal(await slow.releaseHeldPosts(), 1);
				await until(() => messagesEverStored(cluster) > storedBefore, 'the held post to be stored');
				await until(
					async () => (await announcementsOf(cluster, [comment])).get(comment) === 1,
					'one announcement once the slow run is done',
					{
						describe: async () => JSON.stringify([...(await announcementsOf(cluster, [comment]))]),
					},
				);
				await runDueEverywhere(cluster);
				assert.deepEqual([...(await announcementsOf(cluster, [comment])).values()], [1]);
			}),
	);
});

describe('an instance killed while it holds the announcement lock', () => {
	it(
		'delays the job by the lock lifetime, never the named announcements, and nothing is posted twice',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: START }, async (cluster) => {
				await prepare(cluster);
				const [doomed, second, third] = cluster.instances;
				const before = 'anonymous before the crash';
				await send(second, 'alice', before, true);
				closeAnonymousHour(cluster, 1);

				await doomed.holdPosts(1);
				cluster.clock.advance(JOB_PERIOD_MS);
				const doomedRuns = doomed.runDueJobs().catch(() => []);
				await until(async () => (await doomed.heldPosts()) === 1, 'the lock holder to post');
				await doomed.kill();
				await doomedRuns;
				cluster.instances.splice(0, 1);

				const named = 'named while the lock is stale';
				const after = 'anonymous while the lock is stale';
				await send(second, 'bruno', named, false);
				await send(third, 'clara', after, true);
				const comments = [before, named, after];
				// The submit announces named feedback itself (within its follow-up budget).
				await until(
					async () => (await announcementsOf(cluster, [named], second)).get(named) === 1,
					'the named feedback announced by its submit',
				);
				assert.deepEqual(
					[...(await announcementsOf(cluster, comments, second)).values()],
					[0, 1, 0],
				);
				await runDueEverywhere(cluster);
				assert.deepEqual(
					[...(await announcementsOf(cluster, comments, second)).values()],
					[0, 1, 0],
					'the job stays locked by the dead instance',
				);

				cluster.clock.advance(LOCK_LIFETIME_MS);
				closeAnonymousHour(cluster, 2);
				await runDueEverywhere(cluster);
				await runDueEverywhere(cluster);
				assert.deepEqual(
					[...(await announcementsOf(cluster, comments, second)).values()],
					[1, 1, 1],
				);
			}),
	);
});

describe('an instance whose app fails to initialize purges every job of the app', () => {
	it(
		'and the jobs come back at the next command elsewhere, without a restart',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: START }, async (cluster) => {
				await prepare(cluster);
				const appId = appIdOf(cluster);
				const names = () => jobNames(cluster);
				const registered = RECURRING_JOBS.map((job) => `${job.id}_${appId}`).sort();
				assert.deepEqual(names(), registered);
				await runDueEverywhere(cluster);

				const failing = cluster.instances[2];
				await failing.stop();
				cluster.instances.splice(2, 1);
				await assert.rejects(cluster.startInstance('instance-3', { failAppInitialize: true }));
				assert.deepEqual(names(), [], 'the failed start deleted every job of the app');

				// No job runs any more; the app's clock is real time, so its note of the last run is
				// moved back instead of waiting for it to grow old.
				await ageJobsHeartbeat(cluster, appId, LOCK_LIFETIME_MS);

				const comment = 'anonymous after the purge';
				await send(cluster.instances[1], 'bruno', comment, true);
				closeAnonymousHour(cluster, 1);
				assert.deepEqual(names(), registered, 'every recurring job is scheduled again');
				await runDueEverywhere(cluster);
				assert.deepEqual([...(await announcementsOf(cluster, [comment])).values()], [1]);
			}),
	);
});
