// The report's top: one line per goal, met or not, with the figures of every measurement and,
// for a goal not met, what the bench saw cause it; then how much figures moved between runs.
import type { IAdminFirst } from './admin-first';
import type { ICounterResult } from './counters';
import type { ILatencyResult } from './latency';
import type { ActionKey, IActionTiming } from './latency-recorder';
import { ACTIONS } from './latency-recorder';
import { percentile } from './measure';
import type { IBusyStep, IMillionResults } from './million';
import type { IStatsReads } from './read-scale';
import type { IRunResults } from './report';
import { integer, ms, percent, ratio, shortProblem, size } from './report-format';

export const CEILING_GOAL_PERCENT = 90;
export const SUBMIT_GOAL_MS = 10;
export const GROWTH_GOAL = 1.5;
export const BUSY_GOAL_MS = 100;

/** The exports write every entry: their time grows with the store whatever the design. */
export const EXPORT_KEYS: ReadonlyArray<ActionKey> = ['export', 'export-parts'];

export function p50(timing: IActionTiming | undefined): number | undefined {
	return timing && timing.samples.length > 0 ? percentile(timing.samples, 0.5) : undefined;
}

export function p99(timing: IActionTiming | undefined): number | undefined {
	return timing && timing.samples.length > 0 ? percentile(timing.samples, 0.99) : undefined;
}

export function timingOf(
	result: { readonly actions: ReadonlyArray<IActionTiming> } | undefined,
	key: ActionKey,
): IActionTiming | undefined {
	return result?.actions.find((action) => action.key === key);
}

/** Our counter's events/s as a share of the ceiling's, in percent. */
export function ofCeiling(
	counters: ReadonlyArray<ICounterResult> | undefined,
	key: string,
): number | undefined {
	const ceiling = counters?.find((result) => result.key === 'ceiling');
	const counter = counters?.find((result) => result.key === key);
	return ceiling && counter ? (counter.eventsPerSecond / ceiling.eventsPerSecond) * 100 : undefined;
}

/** The two ends of the history axis one run compares: its smallest size, and 1M or its largest. */
export interface IHistoryEnds {
	readonly small?: ILatencyResult;
	readonly large?: ILatencyResult;
}

/**
 * The history axis's ends of each run: its smallest latency size against the 1M step when it
 * ran (one 1M store for every run), else against the run's own largest size.
 */
export function historyEnds(run: IRunResults, million: IMillionResults | undefined): IHistoryEnds {
	const sorted = [...(run.latency ?? [])].sort((a, b) => a.size - b.size);
	const large = million?.latency ?? (sorted.length > 1 ? sorted[sorted.length - 1] : undefined);
	return large && sorted.length > 0 ? { small: sorted[0], large } : {};
}

/** An action's p50 at the large end over its p50 at the small end. */
export function growthOf(ends: IHistoryEnds, key: ActionKey): number | undefined {
	const from = p50(timingOf(ends.small, key));
	const to = p50(timingOf(ends.large, key));
	return from === undefined || to === undefined ? undefined : to / from;
}

/** Met, not met, or met in some of the measurements (`unit` names them). */
export function verdict(results: ReadonlyArray<boolean | undefined>, unit = 'runs'): string {
	const known = results.filter((result): result is boolean => result !== undefined);
	if (known.length === 0) {
		return '**not measured**';
	}
	const met = known.filter(Boolean).length;
	if (met === known.length) {
		return known.length === 1 ? '**met**' : `**met** in all ${known.length} ${unit}`;
	}
	return met === 0 ? '**not met**' : `**met in ${met} of ${known.length} ${unit}**`;
}

function ceilingLine(runs: ReadonlyArray<IRunResults>): string {
	const shares = runs.map((run) => ofCeiling(run.counters, 'c'));
	return (
		`- Our counter at ${CEILING_GOAL_PERCENT} % or more of the ceiling's events/s: ` +
		`${verdict(shares.map((value) => (value === undefined ? undefined : value >= CEILING_GOAL_PERCENT)))} ` +
		`(${shares.map(percent).join(' / ')})`
	);
}

/** Every submit p50 the bench took, named by where it was taken. */
export function submitMeasurements(
	runs: ReadonlyArray<IRunResults>,
	million: IMillionResults | undefined,
): Array<{ readonly where: string; readonly p50?: number }> {
	return [
		...runs.flatMap((run, index) =>
			(run.latency ?? []).map((result) => ({
				where: `run ${index + 1} ${size(result.size)}`,
				p50: p50(timingOf(result, 'submit')),
			})),
		),
		...(million?.latency
			? [
					{
						where: `${size(million.latency.size)} history`,
						p50: p50(timingOf(million.latency, 'submit')),
					},
				]
			: []),
		...(million?.busy ?? []).map((step) => ({
			where: `busy day ${size(step.today)}`,
			p50: p50(timingOf(step, 'submit')),
		})),
	];
}

function submitLine(
	runs: ReadonlyArray<IRunResults>,
	million: IMillionResults | undefined,
): string {
	const all = submitMeasurements(runs, million);
	const figures = all.map(({ where, p50: value }) => `${where}: ${ms(value)}`).join(', ');
	return (
		`- Submit p50 under ${SUBMIT_GOAL_MS} ms in every measurement: ` +
		`${verdict(
			all.map(({ p50: value }) => (value === undefined ? undefined : value < SUBMIT_GOAL_MS)),
			'measurements',
		)} (ms: ${figures || 'no latency part'})`
	);
}

function historyLine(
	runs: ReadonlyArray<IRunResults>,
	million: IMillionResults | undefined,
): string {
	const ends = runs.map((run) => historyEnds(run, million));
	const { small, large } = ends[0] ?? {};
	if (!small || !large) {
		return `- History axis, every command and button at 1M within ${GROWTH_GOAL}× of its p50 at 1k: **not measured** (the latency part needs two sizes, or \`--million\`)`;
	}
	const goal = `- History axis, every command and button at ${size(large.size)} within ${GROWTH_GOAL}× of its p50 at ${size(small.size)}`;
	const actions = ACTIONS.filter(({ key }) => !EXPORT_KEYS.includes(key));
	const failed = (key: ActionKey) =>
		ends.some(
			(pair) =>
				p50(timingOf(pair.small, key)) !== undefined &&
				p50(timingOf(pair.large, key)) === undefined,
		);
	const over = actions.filter(
		({ key }) => failed(key) || ends.some((pair) => (growthOf(pair, key) ?? 0) > GROWTH_GOAL),
	);
	const measured = actions.filter(
		({ key }) => failed(key) || ends.some((pair) => growthOf(pair, key) !== undefined),
	);
	const perRun = ends.map((pair) =>
		measured.every(({ key }) => {
			const growth = growthOf(pair, key);
			return growth !== undefined && growth <= GROWTH_GOAL;
		}),
	);
	const beyond = over.map(({ key }) =>
		failed(key)
			? `${key} failed at ${size(large.size)}: ${shortProblem(timingOf(large, key)?.notMeasured ?? timingOf(large, key)?.problem ?? 'no sample')}`
			: `${key} ${ends.map((pair) => ratio(growthOf(pair, key))).join(' / ')}`,
	);
	const exportGrowth = EXPORT_KEYS.map(
		(key) => `${key} ${ends.map((pair) => ratio(growthOf(pair, key))).join(' / ')}`,
	).join(', ');
	const missing = actions.length - measured.length;
	return (
		`${goal}: ${verdict(perRun, 'comparisons (each run’s 1k)')} (${beyond.length === 0 ? `all ${measured.length} measured within` : `${measured.length - beyond.length} of ${measured.length} within; beyond: ${beyond.join(', ')}`}${missing > 0 ? `; ${missing} not measured, see below` : ''}` +
		`; the exports write every entry and are left out of this goal: ${exportGrowth})`
	);
}

/** "a stats call read 48,213 records of open days and 9,702 status changes". */
export function readsCause(reads: IStatsReads | undefined): string {
	if (!reads) {
		return '';
	}
	const records =
		reads.liveRecords === undefined
			? 'an unknown number of records'
			: `${integer(reads.liveRecords)} record${reads.liveRecords === 1 ? '' : 's'}`;
	return `a stats call read ${records} of open ${reads.openUnit} and ${integer(reads.liveStatusChanges)} status changes`;
}

function busyLine(million: IMillionResults | undefined, historySize: number): string {
	const steps = million?.busy ?? [];
	const largest = steps[steps.length - 1];
	const goal = `- Busy day (${largest ? size(largest.today) : '50k'} feedback today on top of ${size(historySize)}): \`/feedback stats\` and the admin view's first page p50 under ${BUSY_GOAL_MS} ms`;
	if (!largest) {
		return `${goal}: **not measured** (${million?.busyProblem ? shortProblem(million.busyProblem) : 'it runs with `--million`'})`;
	}
	const stats = p50(timingOf(largest, 'stats'));
	const admin = p50(timingOf(largest, 'admin-open'));
	const causes = [
		...(stats === undefined || stats >= BUSY_GOAL_MS ? [readsCause(largest.statsReads)] : []),
		...(admin !== undefined && admin >= BUSY_GOAL_MS
			? [
					timingOf(largest, 'admin-open')?.problem ??
						"the admin view's statistics read the same open records",
				]
			: []),
	];
	const figures = steps
		.map(
			(step) =>
				`${size(step.today)} today: stats ${ms(p50(timingOf(step, 'stats')))} ms, admin view ${ms(p50(timingOf(step, 'admin-open')))} ms`,
		)
		.join('; ');
	const met = [stats, admin].map((value) =>
		value === undefined ? undefined : value < BUSY_GOAL_MS,
	);
	const allMet = met.every((value) => value === true);
	return `${goal}: ${allMet ? '**met**' : '**not met**'} (${figures}${causes.length > 0 ? `; ${causes.join('; ')}` : ''})${allMet ? '' : `. ${BUSY_NEXT_STEP}`}`;
}

/** What the busy day needs when its goal is not met: the cause is the open hours read whole. */
const BUSY_NEXT_STEP =
	'Next step: an hour stays open until two hours after its end (the clock-skew grace), so the ' +
	'busiest hours of a day are read record by record on every call; a tally of each open hour kept ' +
	'per instance beside its submits (one writer per record, as the message counter) and checked ' +
	'against the records as the hour closes would make a call read a few records per instance instead';

/** Every restart's first admin view, named by where it was taken. */
export function adminFirstMeasurements(
	runs: ReadonlyArray<IRunResults>,
	million: IMillionResults | undefined,
): Array<{ readonly where: string; readonly first: IAdminFirst }> {
	return [
		...runs.flatMap((run, index) =>
			(run.reads ?? []).map((row) => ({
				where: `run ${index + 1} ${size(row.size)}`,
				first: row.adminFirst,
			})),
		),
		...(million?.row
			? [{ where: `${size(million.row.size)} history`, first: million.row.adminFirst }]
			: []),
		...(million?.busy ?? []).map((step: IBusyStep) => ({
			where: `busy day ${size(step.today)}`,
			first: step.adminFirst,
		})),
	];
}

function adminFirstLine(
	runs: ReadonlyArray<IRunResults>,
	million: IMillionResults | undefined,
): string {
	const all = adminFirstMeasurements(runs, million);
	const goal = `- The admin view's first answer after a restart independent of the store's size (each within ${GROWTH_GOAL}× of run 1's smallest store, statistics shown)`;
	const base = all[0]?.first;
	if (!base || !Number.isFinite(base.ms)) {
		return `${goal}: **not measured**`;
	}
	const results = all.map(
		({ first }) => first.state === 'complete' && first.ms <= base.ms * GROWTH_GOAL,
	);
	const figures = all
		.map(
			({ where, first }) =>
				`${where}: ${ms(first.ms)}${first.state === 'complete' ? '' : ` (${first.state})`}`,
		)
		.join(', ');
	const counting = all.filter(({ first }) => first.state !== 'complete').map(({ where }) => where);
	return (
		`${goal}: ${verdict(results, 'measurements')} (ms: ${figures}` +
		`${counting.length > 0 ? `; not the statistics at ${counting.join(', ')}: the app answered before it had read them` : ''})`
	);
}

/** The relative difference of each figure between consecutive runs. */
function movement(runs: ReadonlyArray<IRunResults>): string[] {
	if (runs.length < 2) {
		return ['One run only: how figures move between runs is not shown (`--runs 2`).'];
	}
	const pairs = (values: ReadonlyArray<number | undefined>): number[] =>
		values.slice(1).flatMap((value, index) => {
			const previous = values[index];
			return value === undefined || previous === undefined || previous === 0
				? []
				: [Math.abs(value - previous) / Math.min(value, previous)];
		});
	const latencyMoves = (runs[0].latency ?? []).flatMap((result) =>
		ACTIONS.flatMap(({ key }) =>
			pairs(
				runs.map((run) =>
					p50(
						timingOf(
							run.latency?.find((other) => other.size === result.size),
							key,
						),
					),
				),
			),
		),
	);
	const counterMoves = (runs[0].counters ?? []).flatMap((counter) =>
		pairs(
			runs.map((run) => run.counters?.find((other) => other.key === counter.key)?.eventsPerSecond),
		),
	);
	const describe = (moves: number[], what: string): string =>
		moves.length === 0
			? `${what}: not measured`
			: `${what} differ by ${percent(percentile(moves, 0.5) * 100)} at the median, ${percent(Math.max(...moves) * 100)} at most`;
	return [
		`How figures move from one run to the next (the same command, the same machine, minutes apart): ` +
			`${describe(latencyMoves, 'latency p50s')}; ${describe(
				counterMoves,
				"the counters' events/s",
			)}. ` +
			'A difference is taken relative to the smaller of the two figures. The 1-minute load average during ' +
			`the runs: ${runs.map((run) => run.loadDuring.mean.toFixed(1)).join(' / ')} on average, ` +
			`${runs.map((run) => run.loadDuring.max.toFixed(1)).join(' / ')} at most (the machine and its cores are below).`,
	];
}

/** The goals section, first in the report. */
export function goalsSection(
	runs: ReadonlyArray<IRunResults>,
	million: IMillionResults | undefined,
	historySize: number,
): string[] {
	return [
		'## Goals',
		'',
		ceilingLine(runs),
		historyLine(runs, million),
		busyLine(million, historySize),
		submitLine(runs, million),
		adminFirstLine(runs, million),
		'',
		...movement(runs),
		'',
	];
}
