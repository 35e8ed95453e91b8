// The latency of every action at one size, on one instance started on the seeded database, and
// the memory of its two processes: peak while the actions ran, then peak during the exports.
import * as fs from 'fs';
import * as path from 'path';

import type { IBenchConfig } from './config';
import { ACTION_GROUPS, type ILatencyContext, timeExports } from './latency-actions';
import { type IActionTiming, Recorder } from './latency-recorder';
import { progress } from './measure';
import { denoUnder, instanceHostPids, RssSampler, resetPeak, residentOf } from './memory';
import { projectRoot, startCluster } from '../host';

/** Bytes of the host process and of the app's Deno process; undefined where not measured. */
export interface IProcessBytes {
	readonly host?: number;
	readonly deno?: number;
}

/** The memory of one size's instance. */
export interface ILatencyMemory {
	/** RSS once the app had started, before any action. */
	readonly started: IProcessBytes;
	/** Peak RSS (VmHWM) from the start to the end of the actions (the exports excluded). */
	readonly actions: IProcessBytes;
	/** Peak RSS during the exports. */
	readonly exports: IProcessBytes;
	/** How the export peak was taken: VmHWM reset before them, or the largest RSS sampled every 50 ms. */
	readonly exportMethod: 'VmHWM' | 'sampled VmRSS';
	/** The export did not finish: the peak is that of the export until it failed. */
	readonly exportFailed?: string;
	/** Why there are no figures, when there are none. */
	readonly notMeasured?: string;
}

/** Every action's timing at one size, and the memory. */
export interface ILatencyResult {
	readonly size: number;
	/** Timed exports of each kind (fewer at 1M, where one export writes every entry). */
	readonly exportRepeats: number;
	readonly actions: ReadonlyArray<IActionTiming>;
	readonly memory: ILatencyMemory;
}

/** Why an export cannot finish on this tree's local host, when that is the reason. */
function uploadBridgeMissing(): string | undefined {
	const file = path.join(projectRoot(), 'host', 'bridges', 'local-bridges.ts');
	try {
		return /unsupportedBridge\(\s*'UploadBridge'/.test(fs.readFileSync(file, 'utf8'))
			? 'the local host has no upload bridge yet (host/bridges/local-bridges.ts answers every UploadBridge call with NotSupportedByLocalHostError), so the app cannot upload its CSV'
			: undefined;
	} catch {
		return undefined;
	}
}

function bytesOf(
	pids: { host?: number; deno?: number },
	pick: (pid: number) => number | undefined,
): IProcessBytes {
	return {
		host: pids.host === undefined ? undefined : pick(pids.host),
		deno: pids.deno === undefined ? undefined : pick(pids.deno),
	};
}

/** Times every action at one size on a seeded database (which it changes: deletes, submits). */
export async function runLatency(
	size: number,
	databasePath: string,
	deleterIds: ReadonlyArray<string>,
	config: IBenchConfig,
	exportRepeats = config.exportRepeats,
): Promise<ILatencyResult> {
	const hostsBefore = new Set(instanceHostPids());
	const [instance] = await startCluster(1, databasePath, config.zips.feedback);
	const recorder = new Recorder();
	try {
		const host = instanceHostPids().find((pid) => !hostsBefore.has(pid));
		const pids = { host, deno: host === undefined ? undefined : denoUnder(host) };
		const started = bytesOf(pids, (pid) => residentOf(pid)?.rssBytes);
		const context: ILatencyContext = {
			instance,
			recorder,
			size,
			repeats: config.latencyRepeats,
			budgetMs: config.latencyBudgetSeconds * 1000,
			exportRepeats,
			deleterIds,
		};
		for (const group of ACTION_GROUPS) {
			progress(`latency ${size}: ${group.name}`);
			try {
				await group.run(context);
			} catch (error) {
				// One group's failure leaves the others measured; its actions say why they have no figure.
				const reason = error instanceof Error ? error.message : String(error);
				progress(`latency ${size}: ${group.name} stopped: ${reason}`);
				recorder.notMeasured(group.keys, `stopped: ${reason}`);
			}
		}
		const actions = bytesOf(pids, (pid) => residentOf(pid)?.peakBytes);
		// The export's own peak: VmHWM reset to the current RSS, with samples in case it cannot be.
		const reset = [pids.host, pids.deno].every((pid) => pid === undefined || resetPeak(pid));
		const sampler = new RssSampler(
			[pids.host, pids.deno].filter((pid): pid is number => pid !== undefined),
		);
		progress(`latency ${size}: exports`);
		const failed = await timeExports(context, 'export');
		const sampled = sampler.stop();
		const exports = reset
			? bytesOf(pids, (pid) => residentOf(pid)?.peakBytes)
			: bytesOf(pids, (pid) => sampled.get(pid));
		// The same export in smaller files, outside the memory window: how much of its time the
		// size of one upload takes (at the default limit, 100 MiB, the app's own 2 MiB parts apply).
		progress(`latency ${size}: exports in 1 MiB files`);
		await instance.setServerSetting('FileUpload_MaxFileSize', 1024 * 1024);
		const partsFailed = await timeExports(context, 'export-parts');
		const why = uploadBridgeMissing();
		for (const [key, failure] of [
			['export', failed],
			['export-parts', partsFailed],
		] as const) {
			if (failure !== undefined) {
				recorder.discard(key, `the export failed: ${failure}${why ? `; ${why}` : ''}`);
			}
		}
		return {
			size,
			exportRepeats,
			actions: recorder.results(),
			memory: {
				started,
				actions,
				exports,
				exportMethod: reset ? 'VmHWM' : 'sampled VmRSS',
				exportFailed: failed,
				notMeasured:
					host === undefined ? 'the instance host process was not found in /proc' : undefined,
			},
		};
	} finally {
		// An instance that crashed (its IPC already gone) cannot be stopped cleanly: its figures say why.
		await instance
			.stop()
			.catch((error: unknown) => progress(`stopping the instance: ${String(error)}`));
	}
}
