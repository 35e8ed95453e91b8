// What the cluster tests of recurring jobs share: every instance runs its due jobs at once (as a
// server's instances do, each polling the one job collection), and what the app told a member in
// its direct rooms.
import assert from 'node:assert/strict';

import type { ITestCluster } from './cluster-harness';
import { withDeadline } from './until';
import { Directory } from '../../host';

/** The app's messages in a member's direct rooms with it, oldest first. */
export async function directTexts(cluster: ITestCluster, username: string): Promise<string[]> {
	const directory = new Directory(cluster.database);
	const rooms = directory.rooms.directRoomsOf(directory.requireUser(username).id);
	const texts: string[] = [];
	for (const room of rooms) {
		const timeline = await withDeadline(cluster.instances[0].timeline(room.id), 'a direct room');
		texts.push(...timeline.map((message) => message.text));
	}
	return texts;
}

/**
 * Moves the shared clock by `advanceMs`, runs what is due on every instance at once, asserts
 * every run of the processor `processorId` succeeded, and resolves with those runs.
 */
export async function runDueEverywhere(
	cluster: ITestCluster,
	processorId: string,
	advanceMs: number,
): Promise<Array<{ name: string; ok: boolean }>> {
	cluster.clock.advance(advanceMs);
	const runs = await withDeadline(
		Promise.all(cluster.instances.map((instance) => instance.runDueJobs())),
		'the due jobs',
	);
	const ours = runs.flat().filter((run) => run.name.startsWith(`${processorId}_`));
	assert.ok(
		ours.every((run) => run.ok),
		JSON.stringify(ours),
	);
	return ours;
}
