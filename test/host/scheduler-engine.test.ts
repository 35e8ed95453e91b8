// The scheduler through the real engine on a three-instance cluster, with the tests' scheduler app
// (test/apps/scheduler): what the engine itself does to jobs (its call timeout, a failed
// initialize) on top of Agenda's rules (host/server/scheduler/job-runner.ts).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import { projectRoot } from '../../host/paths';
import { SqlitePersistenceBridge } from '../../host/server/persistence-bridge';
import { JobStore } from '../../host/server/scheduler/job-store';
import { withCluster } from '../support/cluster-harness';
import { until, withDeadline } from '../support/until';

const SCHEDULER_APP_ZIP = path.join(projectRoot(), 'dist', 'test-apps', 'scheduler-test_1.0.0.zip');
const APP_ID = '9d2e6f41-3c8a-4b7e-a1f5-6e0c2d9b8a34';
const SLOW = `slow_${APP_ID}`;
const MINUTE = 60_000;
// A Monday, 12:00; the shared clock stands still unless a test moves it.
const MONDAY_NOON = new Date(2030, 0, 7, 12, 0, 0, 0).getTime();
// Short enough to outlast quickly, long enough for the app's startup calls on a busy machine.
const RUNTIME_TIMEOUT_MS = 6000;

function misc(id: string): RocketChatAssociationRecord {
	return new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);
}

describe('scheduler through the engine on a cluster (scheduler test app)', () => {
	// Rule 4: a run that outlasts the engine's call timeout is failed and unlocked while the app's code goes on, so the next run overlaps it.
	it('a run that outlasts the engine timeout is failed and unlocked while its processor still runs; the next run overlaps it', async () => {
		await withCluster(
			{
				size: 2,
				zipPath: SCHEDULER_APP_ZIP,
				frozenAt: MONDAY_NOON,
				runtimeTimeoutMs: RUNTIME_TIMEOUT_MS,
			},
			async ({ instances: [first, second], database, clock }) => {
				const store = new JobStore(database);
				const persistence = new SqlitePersistenceBridge(database);
				const count = async (phase: string) =>
					(await persistence.readByAssociations([misc(phase)], APP_ID)).length;
				const [job] = store.all().filter((stored) => stored.name === SLOW);
				assert.equal(job.nextRunAt, MONDAY_NOON, 'registered due at once');

				const firstRuns = await withDeadline(first.runDueJobs(), 'the first run to time out');
				assert.equal(firstRuns.length, 1);
				assert.equal(firstRuns[0].ok, false);
				assert.match(String(firstRuns[0].error), /timed out after 6000ms/);
				const [failed] = store.all();
				assert.equal(failed.lockedAt, null, 'unlocked by the failure');
				assert.equal(failed.failCount, 1);
				assert.match(String(failed.failReason), /timed out/);
				assert.equal(failed.nextRunAt, MONDAY_NOON + MINUTE);
				assert.equal(await count('started'), 1);
				assert.equal(await count('finished'), 0, 'the app is still running the first run');

				// The next run, on another instance, starts while the first still runs.
				clock.advance(MINUTE);
				const secondRuns = second.runDueJobs();
				await until(async () => (await count('started')) === 2, 'the second run to start');
				assert.equal(await count('finished'), 0, 'two runs of one job at once');

				await persistence.createWithAssociations({ release: true }, [misc('release')], APP_ID);
				await until(async () => (await count('finished')) === 2, 'both runs to finish');
				const [second1] = await withDeadline(secondRuns, 'the second run');
				assert.equal(second1.ok, true);
			},
		);
	});

	// Rule 5: a failed initializeApp on one instance purges every job of the app, for the whole cluster.
	it('an instance whose app fails to initialize deletes the app jobs for every instance', async () => {
		await withCluster(
			{ size: 3, zipPath: SCHEDULER_APP_ZIP, frozenAt: MONDAY_NOON },
			async ({ instances, database, startInstance }) => {
				const store = new JobStore(database);
				const jobsOfApp = () => store.all().filter((job) => job.name.endsWith(`_${APP_ID}`));
				assert.equal(jobsOfApp().length, 1);

				const third = instances[2];
				await third.stop();
				instances.splice(2, 1);
				await assert.rejects(
					startInstance('instance-3', { failAppInitialize: true }),
					/did not start/,
				);
				assert.deepEqual(jobsOfApp(), [], 'cancelAllJobs ran for the whole cluster');
				const runs = await Promise.all(instances.map((instance) => instance.runDueJobs()));
				assert.deepEqual(runs.flat(), [], 'the running instances have nothing left to run');

				// The jobs come back only when an instance registers the processors again.
				instances.push(await startInstance('instance-3'));
				assert.equal(jobsOfApp().length, 1);
			},
		);
	});
});
