/** The messages between test/host/scheduler-cluster.test.ts and its worker processes (scheduler-worker.ts). */
import type {
	IOnetimeSchedule,
	IRecurringSchedule,
} from '@rocket.chat/apps-engine/definition/scheduler';

import type { ITestProcessor } from './scheduler-test-bridge';

/** A processor the test can ask for: `record` records and returns; `hold` records, then waits for `release` on the instance named in the job's `holdOn`. */
export interface IWorkerProcessor {
	id: string;
	kind: 'record' | 'hold' | 'fail';
	startupSetting?: ITestProcessor['startupSetting'];
}

export type WorkerRequest =
	| { command: 'register'; appId: string; processors: IWorkerProcessor[] }
	| { command: 'once'; appId: string; job: IOnetimeSchedule }
	| { command: 'recurring'; appId: string; job: IRecurringSchedule }
	| { command: 'cancel'; appId: string; jobId: string }
	| { command: 'runDueJobs' }
	| { command: 'armUpsertBarrier'; name: string; parties: number }
	| { command: 'lockedJobIds' }
	| { command: 'start' }
	| { command: 'stop' }
	| { command: 'release' }
	| { command: 'exit' };

export interface IWorkerReply {
	requestId: number;
	ok: boolean;
	result?: unknown;
	error?: string;
}

export type IWorkerEvent = { event: 'ready' } | { event: 'holding'; jobId: string };

export const RUNS_TABLE = `CREATE TABLE IF NOT EXISTS test_job_runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL,
    name TEXT NOT NULL,
    instance TEXT NOT NULL,
    at INTEGER NOT NULL,
    data TEXT NOT NULL
)`;
