/**
 * One host process of the scheduler cluster test (test/host/scheduler-cluster.test.ts): a scheduler
 * bridge on the shared SQLite file and the shared clock, driven by IPC messages from the test.
 * Processors record each run in the table `test_job_runs` of the same database.
 *
 * Usage (forked with serialization 'advanced'):
 *   node scheduler-worker.js <database> <instanceId> <processEveryMs>
 */
import type { IJobContext } from '@rocket.chat/apps-engine/definition/scheduler';

import { type ITestProcessor, TestScheduler } from './scheduler-test-bridge';
import {
	type IWorkerEvent,
	type IWorkerProcessor,
	type IWorkerReply,
	RUNS_TABLE,
	type WorkerRequest,
} from './scheduler-worker-protocol';
import { openDatabase } from '../../host/server/database';
import { SharedClock } from '../../host/server/host-clock';

function main(): void {
	const [databasePath, instanceId, every] = process.argv.slice(2);
	const ipc = process.send?.bind(process);
	if (!databasePath || !instanceId || !ipc) {
		// Not forked by the test (e.g. picked up by a test runner): nothing to do.
		return;
	}
	const send = (message: IWorkerReply | IWorkerEvent): void => {
		ipc(message);
	};
	const database = openDatabase(databasePath);
	database.exec(RUNS_TABLE);
	const clock = new SharedClock(database);
	const bridge = new TestScheduler(database, {
		clock,
		instanceId,
		processEveryMs: Number(every) || undefined,
		logger: {
			debug: () => undefined,
			error: (message, details) =>
				process.stderr.write(`[${instanceId}] ${message} ${JSON.stringify(details ?? {})}\n`),
		},
	});
	const holds: Array<() => void> = [];

	const insertRun = database.prepare(
		'INSERT INTO test_job_runs (job_id, name, instance, at, data) VALUES (?, ?, ?, ?, ?)',
	);

	function processorFor(spec: IWorkerProcessor): ITestProcessor {
		return {
			id: spec.id,
			startupSetting: spec.startupSetting,
			processor: async (context: IJobContext) => {
				insertRun.run(
					String(context.jobId),
					spec.id,
					instanceId,
					clock.now(),
					JSON.stringify(context),
				);
				if (spec.kind === 'fail') {
					throw new Error(`${spec.id} failed on ${instanceId}`);
				}
				if (spec.kind === 'hold' && context.holdOn === instanceId) {
					await new Promise<void>((resolve) => {
						holds.push(resolve);
						send({ event: 'holding', jobId: String(context.jobId) });
					});
				}
			},
		};
	}

	async function handle(request: WorkerRequest): Promise<unknown> {
		switch (request.command) {
			case 'register':
				return bridge.register(request.processors.map(processorFor), request.appId);
			case 'once':
				return bridge.once(request.job, request.appId);
			case 'recurring':
				return bridge.recurring(request.job, request.appId);
			case 'cancel':
				return bridge.cancel(request.jobId, request.appId);
			case 'runDueJobs':
				return bridge.runDueJobs();
			case 'armUpsertBarrier':
				bridge.armUpsertBarrier(request.name, request.parties);
				return undefined;
			case 'lockedJobIds':
				return bridge.lockedJobIds();
			case 'start':
				bridge.start();
				return bridge.started;
			case 'stop':
				bridge.stop();
				return bridge.started;
			case 'release':
				holds.splice(0).forEach((resolve) => resolve());
				return undefined;
			case 'exit':
				// As a server process ends: its job locks stay.
				bridge.shutdown();
				database.close();
				setImmediate(() => process.exit(0));
				return undefined;
		}
	}

	process.on('message', (message: WorkerRequest & { requestId: number }) => {
		handle(message).then(
			(result) => send({ requestId: message.requestId, ok: true, result }),
			(error: unknown) =>
				send({
					requestId: message.requestId,
					ok: false,
					error: error instanceof Error ? (error.stack ?? error.message) : String(error),
				}),
		);
	});
	send({ event: 'ready' });
}

main();
