// "You said, we did" on a cluster: feedback moved to Done through three instances, one of them by a
// save submitted on all three at once, and the job stored three times, its copies run on the
// three instances, all at their first post at once: at rest #feedback holds one post per move,
// with its note, and nothing is pending.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import type { ClusterInstance, IJobRun, IOpenView } from '../../host';
import { SqlitePersistenceBridge } from '../../host';
import { WE_DID_PROCESSOR_ID } from '../../src/handlers/WeDidJob';
import { buttonClick, type IStoredFeedback, statusFormActions } from '../engine/app-fixture';
import { appIdOf } from '../support/cluster-app';
import {
	type ITestCluster,
	settingBroadcastsSettled,
	withCluster,
} from '../support/cluster-harness';
import { runDueEverywhere } from '../support/cluster-jobs';
import { duplicateRecurringJob } from '../support/duplicate-jobs';
import { until, withDeadline } from '../support/until';

const START = Date.parse('2026-03-02T10:00:00Z');
const TEST_TIMEOUT_MS = 180_000;
/** The job's interval ('10 seconds', src/handlers/WeDidJob.ts WE_DID_INTERVAL). */
const JOB_PERIOD_MS = 10_000;
const FEEDBACK = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'feedback');
const PENDING = { model: 'misc', id: 'we-did-pending' };

/** Sets app settings through the first instance and waits until every instance has them. */
async function setEverywhere(cluster: ITestCluster, values: Record<string, unknown>) {
	for (const [id, value] of Object.entries(values)) {
		await withDeadline(cluster.instances[0].setSetting(id, value), `setting ${id}`);
	}
	await settingBroadcastsSettled();
	for (const instance of cluster.instances) {
		const settings = await withDeadline(instance.appSettings(), 'the app settings');
		for (const [id, value] of Object.entries(values)) {
			assert.equal(settings[id]?.value, value, `${instance.name} has ${id}`);
		}
	}
}

/** A member sends a feedback through an instance; resolves with it as stored. */
async function send(
	cluster: ITestCluster,
	instance: ClusterInstance,
	comment: string,
): Promise<IStoredFeedback> {
	await withDeadline(instance.command('alice', 'general', '/feedback'), '/feedback');
	const form = await withDeadline(instance.openView('alice'), 'the feedback form');
	assert.ok(form, 'alice got the form');
	const sent = await withDeadline(
		instance.submit('alice', form, { comment, category: 'Idea' }),
		'the submit',
	);
	assert.equal(sent.accepted, true);
	const stored = (await new SqlitePersistenceBridge(cluster.database).readByAssociations(
		[FEEDBACK],
		appIdOf(cluster),
	)) as IStoredFeedback[];
	const found = stored.find((record) => record.comment === comment);
	assert.ok(found, 'stored');
	return found;
}

/** The status form of a feedback, opened in the admin view through an instance. */
async function openStatusForm(instance: ClusterInstance, feedbackId: string): Promise<IOpenView> {
	await withDeadline(instance.command('admin', 'general', '/feedback admin'), '/feedback admin');
	const view = await withDeadline(instance.openView('admin'), 'the admin view');
	assert.equal(view?.viewId, 'feedback-admin');
	const opened = await withDeadline(
		instance.blockAction(
			'admin',
			view,
			buttonClick(view, 'admin-change-status', { valueHolds: feedbackId }),
		),
		'Change status',
	);
	assert.ok(opened.view, 'the status form is open');
	return opened.view;
}

/** A Done status with a note, as values of the form's own fields. */
function doneWith(form: IOpenView, note: string) {
	const fields = statusFormActions(form);
	return { [fields.status]: 'done', [fields.note]: note };
}

describe('"You said, we did" on a cluster', () => {
	it(
		'the job stored three times and run on three instances at once posts each move to Done once',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ size: 3, frozenAt: START }, async (cluster) => {
				const { instances } = cluster;
				await setEverywhere(cluster, {
					feedback_announce_room: 'feedback',
					feedback_we_did_posts: true,
				});
				const moved: IStoredFeedback[] = [];
				for (const [index, instance] of instances.entries()) {
					const feedback = await send(cluster, instance, `wish ${index}`);
					const form = await openStatusForm(instance, feedback.id);
					// The first save is delivered to every instance at once; the others to one.
					const deliveries = index === 0 ? instances : [instance];
					const answers = await withDeadline(
						Promise.all(
							deliveries.map((to) => to.submit('admin', form, doneWith(form, `note ${index}`))),
						),
						'the saves',
					);
					assert.ok(answers.every((answer) => answer.accepted));
					moved.push(feedback);
				}
				// Three job documents, each run on its own instance, all three at their first post at
				// once: each copy is due after the scan window (5 s) of the one before, so the next
				// instance locks it while the others hold theirs (the post of each is held).
				const copies = duplicateRecurringJob(cluster.database, WE_DID_PROCESSOR_ID, 2);
				copies.forEach((copy, index) =>
					cluster.database
						.prepare('UPDATE apps_scheduler_jobs SET next_run_at = ? WHERE id = ?')
						.run(cluster.clock.now() + (3 + 2 * index) * JOB_PERIOD_MS, copy),
				);
				const running: Array<Promise<IJobRun[]>> = [];
				for (const [index, instance] of instances.entries()) {
					await instance.holdPosts(1);
					cluster.clock.advance(index === 0 ? JOB_PERIOD_MS : 2 * JOB_PERIOD_MS);
					running.push(instance.runDueJobs());
					await until(async () => (await instance.heldPosts()) === 1, `${instance.name} to post`);
				}
				for (const instance of instances) {
					assert.equal(await instance.releaseHeldPosts(), 1);
				}
				const ran = (await withDeadline(Promise.all(running), 'the three runs'))
					.flat()
					.filter((run) => run.name.startsWith(`${WE_DID_PROCESSOR_ID}_`));
				assert.deepEqual(
					ran.map((run) => [run.instanceId, run.ok]),
					instances.map((instance) => [instance.name, true]),
					'one copy on each instance, each fine',
				);
				assert.equal(new Set(ran.map((run) => run.jobId)).size, 3, 'three job documents');
				await runDueEverywhere(cluster, WE_DID_PROCESSOR_ID, JOB_PERIOD_MS);

				const timeline = await withDeadline(instances[1].timeline('feedback'), 'the room');
				const posts = timeline
					.map((message) => message.text)
					.filter((text) => text.startsWith('*You said, we did*'));
				assert.equal(posts.length, moved.length, JSON.stringify(posts));
				for (const [index, feedback] of moved.entries()) {
					const own = posts.filter((text) =>
						text.startsWith(`*You said, we did*: feedback ${feedback.id.slice(0, 8)} `),
					);
					assert.equal(own.length, 1, `one post of ${feedback.id}`);
					assert.match(own[0], new RegExp(`\nNote from the team: \`note ${index}\`$`));
				}
				const pending = new SqlitePersistenceBridge(cluster.database).countRecords(
					appIdOf(cluster),
					[PENDING],
				);
				assert.equal(pending, 0, 'nothing left pending');
			}),
	);
});
