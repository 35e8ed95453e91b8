// `npm run bench`: the message counters beside the ceiling on a cluster, the read scale of our
// app's commands, the latency of every action and the memory of the processes, all of it run
// `--runs` times (2 by default) to show how figures move on this machine, on the history axis
// (a fixed daily volume); then, with --million, the 1M history store and the busy day on top of it. Writes docs/benchmarks.md and prints the same; progress goes to stderr.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { type IBenchConfig, readConfig } from './config';
import { runCounters } from './counters';
import type { ILatencyResult } from './latency';
import { describeMachine, progress } from './measure';
import { type IMillionResults, runMillion } from './million';
import { ensurePackages } from './packages';
import { feedbackAppId, type IReadScaleRow, noteMissingBefore, runSize } from './read-scale';
import { type IRunResults, renderReport } from './report';

function loadNow(): string {
	return os
		.loadavg()
		.map((load) => load.toFixed(2))
		.join(' / ');
}

/** One run: every part asked for, each size seeded once for both the read scale and the latency. */
async function runOnce(config: IBenchConfig, run: number, appId: string): Promise<IRunResults> {
	const started = performance.now();
	const loadAtStart = loadNow();
	// The 1-minute load every 5 s: what else shared the cores while this run measured.
	const loads: number[] = [os.loadavg()[0]];
	const sampler = setInterval(() => loads.push(os.loadavg()[0]), 5000);
	progress(`run ${run} of ${config.runs}, load ${loadAtStart}`);
	const counters = config.parts.has('counters') ? await runCounters(config) : undefined;
	const readSizes = config.parts.has('reads') ? config.sizes : [];
	const latencySizes = config.parts.has('latency') ? config.latencySizes : [];
	const sizes = [...new Set([...readSizes, ...latencySizes])].sort((a, b) => a - b);
	const reads: IReadScaleRow[] = [];
	const latency: ILatencyResult[] = [];
	for (const size of sizes) {
		const result = await runSize(size, config, appId, {
			reads: readSizes.includes(size),
			latency: latencySizes.includes(size),
		});
		if (result.row) {
			reads.push(result.row);
		}
		if (result.latency) {
			latency.push(result.latency);
		}
	}
	clearInterval(sampler);
	return {
		loadDuring: {
			mean: loads.reduce((total, load) => total + load, 0) / loads.length,
			max: Math.max(...loads),
		},
		counters,
		reads: config.parts.has('reads') ? reads : undefined,
		latency: config.parts.has('latency') ? latency : undefined,
		seconds: (performance.now() - started) / 1000,
		loadAtStart,
		loadAtEnd: loadNow(),
	};
}

async function main(): Promise<void> {
	const started = performance.now();
	const config = readConfig();
	const machine = describeMachine();
	progress(`${machine.cpu}, ${machine.cores} cores, load ${machine.loadAverage}`);
	ensurePackages(config);
	if (config.parts.has('reads')) {
		noteMissingBefore(config);
	}
	const appId = feedbackAppId();
	const runs: IRunResults[] = [];
	for (let run = 1; run <= config.runs; run += 1) {
		runs.push(await runOnce(config, run, appId));
	}
	let million: IMillionResults | undefined;
	if (config.million) {
		progress(`the million: load ${loadNow()}`);
		million = await runMillion(config, appId);
	}
	const report = renderReport({
		config,
		machine,
		runs,
		million,
		loadAtEnd: loadNow(),
		totalSeconds: (performance.now() - started) / 1000,
	});
	fs.mkdirSync(path.dirname(config.outputPath), { recursive: true });
	fs.writeFileSync(config.outputPath, report);
	process.stdout.write(report);
	progress(`wrote ${config.outputPath}`);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(1);
});
