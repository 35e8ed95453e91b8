// What cluster tests read of the app in the shared database: its id, its jobs, and the note of the
// last job run that the app's purge recovery looks at (src/handlers/RecurringJobs.ts).
import assert from 'node:assert/strict';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import type { ITestCluster } from './cluster-harness';
import { SqlitePersistenceBridge } from '../../host/server/persistence-bridge';
import { JobStore } from '../../host/server/scheduler/job-store';

/** The app's id, as the instances installed it in the shared database. */
export function appIdOf(cluster: ITestCluster): string {
	const rows = cluster.database.prepare<[], { id: string }>('SELECT id FROM apps').all();
	assert.equal(rows.length, 1, 'one app installed');
	return rows[0].id;
}

/** The names of every stored job, sorted (copies of one job appear once each). */
export function jobNames(cluster: ITestCluster): string[] {
	return new JobStore(cluster.database)
		.all()
		.map((job) => job.name)
		.sort();
}

/**
 * Makes the app's note of its last job run `ageMs` old. The app's clock in its Deno process is
 * real time, so a test moves the note back instead of waiting for it to grow old.
 */
export async function ageJobsHeartbeat(
	cluster: ITestCluster,
	appId: string,
	ageMs: number,
): Promise<void> {
	const heartbeat = [
		new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'jobs-heartbeat'),
	];
	const bridge = new SqlitePersistenceBridge(cluster.database);
	assert.equal(bridge.countRecords(appId, heartbeat), 1, 'the announcement job noted its run');
	const at = new Date(Date.now() - ageMs).toISOString();
	await bridge.updateByAssociations(heartbeat, { at }, false, appId);
}
