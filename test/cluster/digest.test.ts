// Issue 12 on a cluster: the weekly digest turned on through one instance (the setting change is
// broadcast, each instance's onSettingUpdated schedules the same recurring job), the shared host
// clock moved a week at a time, every instance running its due jobs at once each period: one
// digest per period in the room, not one per instance (the job's lock is cluster-wide).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type IStoredJob, JobStore } from '../../host/scheduler/job-store';
import { cronForSlot } from '../../src/domain/digest';
import {
	type ITestCluster,
	settingBroadcastsSettled,
	withCluster,
	withDeadline,
} from '../support/cluster-harness';

const JOB_PREFIX = 'weekly-digest_';
const DIGEST_ROOM = 'feedback';
const DAY = 24 * 3_600_000;
const WEEK = 7 * DAY;
/** Monday 2030-01-07 12:00 UTC: the shared clock stands there until the test moves it. */
const MONDAY_NOON_UTC = Date.UTC(2030, 0, 7, 12, 0, 0);
const PERIODS = 3;
const TEST_TIMEOUT_MS = 180_000;

/** The digest jobs in the shared database (the test's own connection). */
function digestJobs(cluster: ITestCluster): IStoredJob[] {
	return new JobStore(cluster.database).all().filter((job) => job.name.startsWith(JOB_PREFIX));
}

/** The digests posted in the room, as the shared database holds them. */
async function digests(cluster: ITestCluster): Promise<Array<{ sender: string; text: string }>> {
	const timeline = await withDeadline(
		cluster.instances[0].timeline(DIGEST_ROOM),
		'the digest room timeline',
	);
	return timeline.filter((message) => message.text.startsWith('*Weekly feedback digest, '));
}

/** Sends one feedback through an instance (the form opened and submitted there). */
async function sendFeedback(cluster: ITestCluster, index: number): Promise<void> {
	const instance = cluster.instances[index % cluster.instances.length];
	const username = index % 2 ? 'alice' : 'clara';
	await withDeadline(instance.command(username, 'general', '/feedback'), '/feedback');
	const view = await withDeadline(instance.openView(username), 'the open form');
	assert.ok(view, `${username} got the form on ${instance.name}`);
	const answer = await withDeadline(
		instance.submit(username, view, { comment: `feedback ${index}`, category: 'Bug', rating: '4' }),
		'the submit',
	);
	assert.equal(answer.accepted, true, JSON.stringify(answer.errors));
}

describe('the weekly digest on three instances', () => {
	it(
		'turned on through one instance, the shared clock moved week by week, every instance running its due jobs at once: one digest per week',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: MONDAY_NOON_UTC }, async (cluster) => {
				const { instances } = cluster;
				for (let index = 0; index < 3; index += 1) {
					await sendFeedback(cluster, index);
				}

				// The admin changes the settings on the second instance; the server broadcasts them.
				const through = instances[1];
				await withDeadline(through.setSetting('feedback_digest_room', DIGEST_ROOM), 'the room');
				await withDeadline(through.setSetting('feedback_digest_enabled', true), 'turning it on');
				await settingBroadcastsSettled();
				for (const instance of instances) {
					const settings = await withDeadline(instance.appSettings(), 'the app settings');
					assert.equal(settings.feedback_digest_enabled?.value, true, `${instance.name} has it on`);
					assert.equal(settings.feedback_digest_room?.value, DIGEST_ROOM);
					assert.deepEqual(
						instance.broadcastErrors,
						[],
						`${instance.name} applied every broadcast`,
					);
				}
				for (const instance of instances.filter((candidate) => candidate !== through)) {
					assert.ok(
						instance.appliedSettings.some(
							(change) => change.id === 'feedback_digest_enabled' && change.value === true,
						),
						`${instance.name} received the change (its onSettingUpdated ran)`,
					);
				}

				// Each instance scheduled it on hearing the change: still one job for the cluster.
				const jobs = digestJobs(cluster);
				assert.equal(jobs.length, 1, `one digest job: ${JSON.stringify(jobs)}`);
				const [job] = jobs;
				assert.equal(job.type, 'single');
				assert.equal(job.repeatInterval, cronForSlot(1, 9, new Date().getTimezoneOffset()));
				assert.equal(job.nextRunAt, Date.UTC(2030, 0, 14, 9), 'next Monday 09:00 UTC');

				for (let period = 1; period <= PERIODS; period += 1) {
					cluster.clock.advance(WEEK);
					const runs = (
						await withDeadline(
							Promise.all(instances.map((instance) => instance.runDueJobs())),
							`the due jobs of period ${period}`,
						)
					)
						.flat()
						.filter((run) => run.name.startsWith(JOB_PREFIX));
					assert.equal(runs.length, 1, `one instance ran the digest: ${JSON.stringify(runs)}`);
					assert.equal(runs[0].ok, true, runs[0].error);
					const posted = await digests(cluster);
					assert.equal(
						posted.length,
						period,
						`one digest per period:\n${posted.map((message) => message.text).join('\n---\n')}`,
					);
					assert.match(posted[period - 1].text, /^New feedback: 3 \(the week before: 0\)$/m);
					assert.equal(
						digestJobs(cluster)[0].nextRunAt,
						Date.UTC(2030, 0, 14 + 7 * period, 9),
						`the next slot after period ${period}`,
					);

					// Running again in the same period, all at once, posts nothing more.
					const again = (
						await withDeadline(
							Promise.all(instances.map((instance) => instance.runDueJobs())),
							'the due jobs again',
						)
					)
						.flat()
						.filter((run) => run.name.startsWith(JOB_PREFIX));
					assert.deepEqual(again, [], 'nothing due until the next week');
				}
				const posted = await digests(cluster);
				assert.equal(posted.length, PERIODS);
				assert.equal(new Set(posted.map((message) => message.sender)).size, 1, 'all by the app');
				assert.equal(digestJobs(cluster).length, 1, 'still one job');
			}),
	);
});
