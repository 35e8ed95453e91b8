// The latency of every action at each latency size, and the memory of the instance's processes.
import type { IBenchConfig } from './config';
import type { IProcessBytes, ILatencyResult } from './latency';
import { ACTIONS, MIN_SAMPLES } from './latency-recorder';
import type { IRunResults } from './report';
import { cell, megabytes, ms, perRun, ratio, runsLabel, size, table } from './report-format';
import {
	GROWTH_GOAL,
	growthOf,
	historyEnds,
	p50,
	p99,
	SUBMIT_GOAL_MS,
	timingOf,
} from './report-goals';

function at(run: IRunResults, wanted: number): ILatencyResult | undefined {
	return run.latency?.find((result) => result.size === wanted);
}

export function latencySection(runs: ReadonlyArray<IRunResults>, config: IBenchConfig): string[] {
	const sizes = (runs[0].latency ?? []).map((result) => result.size);
	if (sizes.length === 0) {
		return [];
	}
	// Within each run, its smallest size against its largest (the 1M step has a section of its own).
	const { small, large } = historyEnds(runs[0], undefined);
	const rows = ACTIONS.map(({ key, label }) => {
		const cells = sizes.flatMap((wanted) => [
			perRun(runs, (run) => p50(timingOf(at(run, wanted), key)), ms),
			perRun(runs, (run) => p99(timingOf(at(run, wanted), key)), ms),
		]);
		const growth =
			small && large
				? [perRun(runs, (run) => growthOf(historyEnds(run, undefined), key), ratio)]
				: [];
		const calls = sizes
			.map((wanted) => String(timingOf(at(runs[0], wanted), key)?.samples.length ?? 0))
			.join(' / ');
		return [label, ...cells, ...growth, calls];
	});
	const notes = runs.flatMap((run, index) =>
		(run.latency ?? []).flatMap((result) =>
			result.actions.flatMap((action) => {
				const where = `run ${index + 1}, ${size(result.size)}, ${action.key}`;
				return [
					...(action.notMeasured ? [`- ${where}: not measured: ${cell(action.notMeasured)}`] : []),
					...(action.problem ? [`- ${where}: a wrong answer: ${cell(action.problem)}`] : []),
				];
			}),
		),
	);
	return [
		'## Latency of every action (history axis)',
		'',
		`One instance (its host process and the app's Deno process) on the seeded database of each size (${config.daily.toLocaleString('en-US')} feedback a day), after the read ` +
			'scale below ran on it (so the closed days are already folded into the running total, as on a workspace in use). ' +
			`Each action is timed ${config.latencyRepeats} times, in groups that repeat together (see "calls": a ` +
			`group stops early, after ${MIN_SAMPLES} rounds at least, once it has taken ${config.latencyBudgetSeconds} s, ` +
			"as the admin view's may at the larger sizes); each export " +
			`${config.exportRepeats} times. ` +
			'Milliseconds, end to end: from the driver sending the command, click or submit to the instance until the ' +
			'app is idle again (so a submit includes what it finishes after its answer). p99 is the nearest rank: with ' +
			"fewer than 100 calls it is the slowest call. Buttons are sent with `ClusterInstance.blockAction` (the host's " +
			"block action API), with the ids and value of the element on the member's screen.",
		'',
		`Who does what: alice (${config.memberEntries} seeded entries) pages her list; ` +
			'dora (seeded entries too) deletes with the ' +
			"command (her oldest entries) and with her list's buttons (the newest, every other delete cancelled); " +
			'clara sends the forms; the admin opens the admin view, goes to page 2 and back, filters the category Bug ' +
			'and the status New (each back to all, untimed), changes the status of the newest entry through its form, ' +
			'and deletes the newest entry (every other delete cancelled). The stats and list all run first, on exactly the seeded feedback.',
		'',
		...table(
			[
				`action${runsLabel(runs.length)}`,
				...sizes.flatMap((wanted) => [`p50 ms at ${size(wanted)}`, `p99 ms at ${size(wanted)}`]),
				...(small && large ? [`p50 ${size(large.size)} / ${size(small.size)}`] : []),
				`calls (run 1: ${sizes.map(size).join(' / ')})`,
			],
			rows,
		),
		'',
		`Goals: submit p50 under ${SUBMIT_GOAL_MS} ms; every command and button's p50 at 1M within ${GROWTH_GOAL}× of its p50 at 1k ` +
			'(with `--million`, the 1M step below; the column here compares the sizes of each run).',
		...(notes.length > 0 ? ['', ...notes] : []),
		'',
		'The button under the stats reply is clicked in that ephemeral message (`ClusterInstance.blockActionInMessage`), ' +
			'after an untimed `/feedback stats`.',
		'',
	];
}

function bytes(pick: (memory: IProcessBytes) => number | undefined) {
	return (result: ILatencyResult | undefined) => (result ? pick(result.memory.started) : undefined);
}

export function memorySection(runs: ReadonlyArray<IRunResults>): string[] {
	const sizes = (runs[0].latency ?? []).map((result) => result.size);
	if (sizes.length === 0) {
		return [];
	}
	const processes: ReadonlyArray<readonly [string, (memory: IProcessBytes) => number | undefined]> =
		[
			['host process (AppManager, bridges, SQLite)', (memory) => memory.host],
			["the app's Deno process", (memory) => memory.deno],
		];
	const rows = sizes.flatMap((wanted) =>
		processes.map(([name, pick]) => [
			`${size(wanted)}: ${name}`,
			perRun(runs, (run) => bytes(pick)(at(run, wanted)), megabytes),
			perRun(
				runs,
				(run) => {
					const memory = at(run, wanted)?.memory.actions;
					return memory ? pick(memory) : undefined;
				},
				megabytes,
			),
			perRun(
				runs,
				(run) => {
					const memory = at(run, wanted)?.memory.exports;
					return memory ? pick(memory) : undefined;
				},
				megabytes,
			),
		]),
	);
	const methods = [
		...new Set(
			runs.flatMap((run) => (run.latency ?? []).map((result) => result.memory.exportMethod)),
		),
	];
	const unfinished = runs.flatMap((run, index) =>
		(run.latency ?? []).flatMap((result) =>
			result.memory.exportFailed
				? [`run ${index + 1}, ${size(result.size)}: ${cell(result.memory.exportFailed)}`]
				: [],
		),
	);
	const missing = runs.flatMap((run) =>
		(run.latency ?? []).flatMap((result) =>
			result.memory.notMeasured ? [`${size(result.size)}: ${result.memory.notMeasured}`] : [],
		),
	);
	return [
		'## Memory',
		'',
		"Resident memory (RSS) of the latency part's instance, read from `/proc/<pid>/status`: after the app started " +
			'(VmRSS), its peak from the start to the end of the actions above (VmHWM), and its peak during the exports ' +
			`(${methods.join(', ')}: VmHWM is reset before them through \`/proc/<pid>/clear_refs\`; where that is refused, ` +
			"the largest VmRSS sampled every 50 ms). The host process is the instance's own process, the bench " +
			'driver is not in it.',
		'',
		...table(
			[
				`process${runsLabel(runs.length)}`,
				'after start',
				'peak during the actions',
				'peak during the exports',
			],
			rows,
		),
		...(unfinished.length > 0
			? [
					'',
					`Exports that did not finish (their peak is that of the export until it failed): ${unfinished.join('; ')}.`,
				]
			: []),
		...(missing.length > 0 ? ['', `Not measured: ${missing.join('; ')}.`] : []),
		'',
	];
}
