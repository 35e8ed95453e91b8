// What the cluster tests share: a cluster on its own database, built by the test that needs it and
// always torn down, and waits that end at a deadline instead of hanging.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { withDeadline } from './until';
import { ClusterInstance, type IClusterInstanceOptions } from '../../host/drivers/cluster';
import { defaultZipPath } from '../../host/paths';
import { type Database, openDatabase } from '../../host/server/database';
import { SharedClock } from '../../host/server/host-clock';

export const clusterZipPath = process.env.LOCAL_HOST_ZIP ?? defaultZipPath();

/** How long stopping an instance may take before it is killed. */
const STOP_DEADLINE_MS = 20_000;

/** Waits for every app setting broadcast to reach its instances, with a deadline. */
export function settingBroadcastsSettled(deadlineMs = 30_000): Promise<void> {
	return withDeadline(
		ClusterInstance.settingBroadcastsSettled(),
		'setting broadcasts to settle',
		deadlineMs,
	);
}

export interface ITestClusterOptions {
	/** How many instances (default 3). */
	size?: number;
	/**
	 * The scheduler's polling loop on each instance: false (the default here) runs no loop, so
	 * jobs run only when a test calls runDueJobs; a number of milliseconds runs a real loop.
	 */
	schedulerProcessEveryMs?: number | false;
	/** Freezes the shared host clock at this time before the instances start. */
	frozenAt?: number;
	/** Another app's package (default: the Feedback app's). */
	zipPath?: string;
	/** The engine's call timeout on every instance (APPS_ENGINE_RUNTIME_TIMEOUT; default 30 s). */
	runtimeTimeoutMs?: number;
	/** The server's environment variables apps read, the same on every instance. */
	environment?: Readonly<Record<string, string>>;
}

/** A cluster on a database of its own, with the test's own connection to the file. */
export interface ITestCluster {
	/** The running instances; a test that restarts one puts the new one in its place. */
	readonly instances: ClusterInstance[];
	readonly databasePath: string;
	/** The test's own connection to the shared file (WAL: it reads what the instances wrote). */
	readonly database: Database;
	/** The host clock every instance on the file reads. */
	readonly clock: SharedClock;
	/** Starts an instance on the cluster's database with the cluster's options (and these). */
	startInstance(name: string, extra?: IClusterInstanceOptions): Promise<ClusterInstance>;
}

/**
 * Runs `body` on a new cluster of its own (a fresh database file in a temporary folder) and tears
 * it down afterwards, whatever happened: each test builds the state it needs and can run alone.
 */
export async function withCluster<T>(
	options: ITestClusterOptions,
	body: (cluster: ITestCluster) => Promise<T>,
): Promise<T> {
	const zipPath = options.zipPath ?? clusterZipPath;
	assert.ok(fs.existsSync(zipPath), `no package at ${zipPath}: run npm run package first`);
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-test-'));
	const databasePath = path.join(folder, 'cluster.sqlite');
	const database = openDatabase(databasePath);
	const clock = new SharedClock(database);
	if (options.frozenAt !== undefined) {
		clock.freeze(options.frozenAt);
	}
	const startInstance = (name: string, extra: IClusterInstanceOptions = {}) =>
		withDeadline(
			ClusterInstance.start(name, databasePath, zipPath, {
				schedulerProcessEveryMs: options.schedulerProcessEveryMs ?? false,
				runtimeTimeoutMs: options.runtimeTimeoutMs,
				environment: options.environment,
				...extra,
			}),
			`${name} to start`,
		);
	const instances: ClusterInstance[] = [];
	try {
		// The first installs the app; the others load it from the database, all at once.
		instances.push(await startInstance('instance-1'));
		const size = options.size ?? 3;
		const others = Array.from({ length: size - 1 }, (_, index) =>
			startInstance(`instance-${index + 2}`),
		);
		const started = await Promise.allSettled(others);
		for (const outcome of started) {
			if (outcome.status === 'fulfilled') {
				instances.push(outcome.value);
			}
		}
		const failed = started.find((outcome) => outcome.status === 'rejected');
		if (failed) {
			throw failed.reason;
		}
		return await body({ instances, databasePath, database, clock, startInstance });
	} finally {
		await Promise.all(instances.map((instance) => stopOrKill(instance)));
		database.close();
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

/** Stops an instance, and kills it when it does not stop in time. */
async function stopOrKill(instance: ClusterInstance): Promise<void> {
	try {
		await withDeadline(instance.stop(), `${instance.name} to stop`, STOP_DEADLINE_MS);
	} catch {
		await instance.kill();
	}
}
