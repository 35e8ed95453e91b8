// `npm run bench`: the message counters side by side on a cluster, and the read scale of our
// app's commands; writes docs/benchmarks.md and prints the same. Progress goes to stderr.
import * as fs from 'fs';
import * as path from 'path';

import { readConfig } from './config';
import { type ICounterResult, runCounters } from './counters';
import { describeMachine, progress } from './measure';
import { ensurePackages } from './packages';
import { type IReadScaleRow, runReadScale } from './read-scale';
import { renderReport } from './report';

async function main(): Promise<void> {
	const started = performance.now();
	const config = readConfig();
	const machine = describeMachine();
	progress(`${machine.cpu}, ${machine.cores} cores, load ${machine.loadAverage}`);
	ensurePackages(config);
	let counters: ICounterResult[] | undefined;
	let reads: IReadScaleRow[] | undefined;
	if (config.parts.has('counters')) {
		counters = await runCounters(config);
	}
	if (config.parts.has('reads')) {
		reads = await runReadScale(config);
	}
	const report = renderReport({
		config,
		machine,
		counters,
		reads,
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
