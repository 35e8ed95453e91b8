// The report as Markdown, the same text for docs/benchmarks.md and stdout: the goals first, then
// the machine and its load during each run, then every section with the runs side by side.
import type { IBenchConfig } from './config';
import type { ICounterResult } from './counters';
import type { ILatencyResult } from './latency';
import type { IMachine } from './measure';
import type { IMillionResults } from './million';
import type { IReadScaleRow } from './read-scale';
import { busySection, millionSection } from './report-axes';
import { countersSection } from './report-counters';
import { figuresSection } from './report-figures';
import { size, table } from './report-format';
import { goalsSection } from './report-goals';
import { latencySection, memorySection } from './report-latency';
import { readsSection } from './report-reads';
import { seedingSection } from './report-seeding';

/** What one run measured. */
export interface IRunResults {
	readonly counters?: ReadonlyArray<ICounterResult>;
	readonly reads?: ReadonlyArray<IReadScaleRow>;
	readonly latency?: ReadonlyArray<ILatencyResult>;
	readonly seconds: number;
	/** Load averages (1 / 5 / 15 min) when the run started and ended. */
	readonly loadAtStart: string;
	readonly loadAtEnd: string;
	/** The 1-minute load average sampled every 5 s during the run. */
	readonly loadDuring: { readonly mean: number; readonly max: number };
}

/** What the whole command measured. */
export interface IBenchResults {
	readonly config: IBenchConfig;
	readonly machine: IMachine;
	readonly runs: ReadonlyArray<IRunResults>;
	/** The 1M history store and the busy day on top of it (`--million`). */
	readonly million?: IMillionResults;
	readonly loadAtEnd: string;
	readonly totalSeconds: number;
}

function machineSection(results: IBenchResults): string[] {
	const { machine, runs } = results;
	return [
		'## Machine and load',
		'',
		...table(
			['', ''],
			[
				['CPU', machine.cpu],
				['cores', String(machine.cores)],
				['memory', `${machine.memoryGiB} GiB`],
				['OS', machine.os],
				['Node.js', machine.node],
				['Deno', machine.deno],
				['date', machine.date],
				['load average at start (1 / 5 / 15 min)', machine.loadAverage],
				...runs.map((run, index) => [
					`run ${index + 1}`,
					`${run.seconds.toFixed(0)} s; 1-minute load during it ${run.loadDuring.mean.toFixed(1)} on average, ` +
						`${run.loadDuring.max.toFixed(1)} at most (1 / 5 / 15 min: ${run.loadAtStart} at its start, ${run.loadAtEnd} at its end)`,
				]),
				['load average at the end', results.loadAtEnd],
				['whole command', `${results.totalSeconds.toFixed(0)} s`],
			],
			false,
		),
		'',
		'The load average counts the runnable processes: on 2 cores, a load near 2 is the bench alone (it keeps ' +
			'an instance and a Deno process busy); above that, other work shared the cores.',
		'',
	];
}

/** "0.5", "5", "50": a ratio to an ordinary day. */
function timesOf(value: number): string {
	return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** The two axes a store grows along, in a few sentences. */
function axesText(config: IBenchConfig): string[] {
	const daily = config.daily.toLocaleString('en-US');
	return [
		'## Two axes',
		'',
		`A store grows in two ways, and the bench measures both. **History**: the same ${daily} feedback a day, for ` +
			`longer; a store of N entries spans N / ${daily} days ending now, so 1k is one day and 1M about ` +
			`${(1_000_000 / config.daily / 365).toFixed(1)} years, and every size has about the same feedback in its ` +
			'open periods. What grows there is what the app keeps of the past: closed days folded into running totals, day ' +
			`markers, records it never reads again. **A busy day**: on top of the ${size(config.millionSize)} history, ` +
			`${config.busy.map((total) => total.toLocaleString('en-US')).join(' and then ')} feedback today (` +
			`${config.busy.map((total) => `${timesOf(total / config.daily)}×`).join(' and ')} an ordinary day). What grows ` +
			'there is what the app reads of the time not yet folded. The runs below measure the history axis up to ' +
			`${size(Math.max(...config.sizes, ...config.latencySizes))}; \`--million\` adds its 1M end and the busy day.`,
		'',
	];
}

export function renderReport(results: IBenchResults): string {
	const { config, runs } = results;
	const lines = [
		'# Benchmarks',
		'',
		'Written by `npm run bench` (bench/run.ts, which packages the bench apps under bench/apps/ and the ' +
			'previous design when their zips are missing or older than their sources); run it again to replace this file. ' +
			`Every measurement ran ${runs.length === 1 ? 'once' : `${runs.length} times, one run after the other; each cell shows the runs side by side, run 1 first`}. ` +
			'Options (or their BENCH_* variables): `--runs`, `--parts counters,reads,latency`, `--messages`, ' +
			'`--concurrency`, `--instances`, `--sizes`, `--latency-sizes`, `--repeats`, `--latency-repeats`, ' +
			'`--latency-budget` (s), `--export-repeats`, `--triaged` (%), `--daily` (feedback a day), `--million` (adds the ' +
			"1M history store and the busy day on it), `--million-size`, `--busy` (today's feedback in steps). " +
			'The defaults keep the whole command near ten minutes on the 2-core machine below: the repeats were ' +
			`cut (${config.latencyRepeats} calls per action, ${config.exportRepeats} per export, ${config.repeats} per ` +
			`read-scale command, ${config.beforeRepeats} for the previous design), never the sizes.`,
		'',
		...goalsSection(runs, results.million, config.millionSize),
		...axesText(config),
		'How to read it: this machine is shared and small, and every instance and app process competes for ' +
			'its cores, so absolute times move from run to run (the two runs show by how much). Compare within one run: ' +
			'the ratios between counters, and how an action grows from the smallest to the largest store, are what ' +
			'carry over. Counts, losses, records and bridge calls do not depend on speed the same way: they are what the ' +
			'designs do (the losses of a and b do grow with concurrency).',
		'',
		...machineSection(results),
		...(runs[0]?.counters ? countersSection(runs, config) : []),
		...(runs[0]?.latency ? latencySection(runs, config) : []),
		...(runs[0]?.latency ? memorySection(runs) : []),
		...(runs[0]?.reads ? readsSection(runs, config) : []),
		...millionSection(results.million, runs, config),
		...busySection(results.million, config),
		...seedingSection(runs, results.million),
		...figuresSection(),
	];
	return `${lines.join('\n').trimEnd()}\n`;
}
