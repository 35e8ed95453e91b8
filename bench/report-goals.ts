// The report's top: one line per goal of issue 13, met or not, with the figures of every run,
// and how much the figures moved from one run to the next.
import { MILLION } from './config';
import type { ICounterResult } from './counters';
import type { ILatencyResult } from './latency';
import type { ActionKey, IActionTiming } from './latency-recorder';
import { ACTIONS } from './latency-recorder';
import { percentile } from './measure';
import type { IReadScaleRow } from './read-scale';
import type { IRunResults } from './report';
import { ms, percent, ratio, shortProblem, size } from './report-format';

export const CEILING_GOAL_PERCENT = 90;
export const SUBMIT_GOAL_MS = 10;
export const GROWTH_GOAL = 1.5;

export function p50(timing: IActionTiming | undefined): number | undefined {
	return timing && timing.samples.length > 0 ? percentile(timing.samples, 0.5) : undefined;
}

export function p99(timing: IActionTiming | undefined): number | undefined {
	return timing && timing.samples.length > 0 ? percentile(timing.samples, 0.99) : undefined;
}

export function timingOf(
	result: ILatencyResult | undefined,
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

/** The smallest and largest latency sizes of a run (the growth compares them). */
export function latencyEnds(run: IRunResults): { small?: ILatencyResult; large?: ILatencyResult } {
	const sorted = [...(run.latency ?? [])].sort((a, b) => a.size - b.size);
	return sorted.length < 2 ? {} : { small: sorted[0], large: sorted[sorted.length - 1] };
}

/** An action's p50 at the largest latency size over its p50 at the smallest. */
export function growthOf(run: IRunResults, key: ActionKey): number | undefined {
	const { small, large } = latencyEnds(run);
	const from = p50(timingOf(small, key));
	const to = p50(timingOf(large, key));
	return from === undefined || to === undefined ? undefined : to / from;
}

/**
 * Met, not met, or met in some of the measurements: `results` holds one per run, or one per run
 * and size (`unit` names them).
 */
function verdict(results: ReadonlyArray<boolean | undefined>, unit = 'runs'): string {
	const known = results.filter((result): result is boolean => result !== undefined);
	if (known.length === 0) {
		return '**not measured**';
	}
	const met = known.filter(Boolean).length;
	if (met === known.length) {
		if (known.length === 1) {
			return '**met**';
		}
		return known.length === 2
			? `**met** in both ${unit}`
			: `**met** in all ${known.length} ${unit}`;
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

function submitLine(runs: ReadonlyArray<IRunResults>): string {
	const sizes = [
		...new Set(runs.flatMap((run) => (run.latency ?? []).map((result) => result.size))),
	];
	const values = runs.flatMap((run) =>
		sizes.map((at) =>
			p50(
				timingOf(
					run.latency?.find((result) => result.size === at),
					'submit',
				),
			),
		),
	);
	const figures = sizes
		.map(
			(at) =>
				`${size(at)}: ${runs
					.map((run) =>
						ms(
							p50(
								timingOf(
									run.latency?.find((result) => result.size === at),
									'submit',
								),
							),
						),
					)
					.join(' / ')} ms`,
		)
		.join('; ');
	return (
		`- Submit p50 under ${SUBMIT_GOAL_MS} ms: ` +
		`${verdict(
			values.map((value) => (value === undefined ? undefined : value < SUBMIT_GOAL_MS)),
			'measurements (each run at each size)',
		)} (${figures || 'no latency part'})`
	);
}

/** Whether an action ran at the smallest size but has no figure at the largest (it failed there). */
function failedAtLarge(run: IRunResults, key: ActionKey): string | undefined {
	const { small, large } = latencyEnds(run);
	const at = timingOf(large, key);
	return p50(timingOf(small, key)) !== undefined && at?.notMeasured ? at.notMeasured : undefined;
}

function growthLine(runs: ReadonlyArray<IRunResults>): string {
	const { small, large } = latencyEnds(runs[0]);
	if (!small || !large) {
		return `- Every action at the largest size within ${GROWTH_GOAL}× of its p50 at the smallest: **not measured** (the latency part needs two sizes)`;
	}
	// An action that failed at the largest size (e.g. the engine's timeout) is beyond, not unmeasured.
	const failed = ACTIONS.filter(({ key }) => runs.some((run) => failedAtLarge(run, key)));
	const measured = ACTIONS.filter(
		({ key }) =>
			runs.some((run) => growthOf(run, key) !== undefined) &&
			!failed.some((action) => action.key === key),
	);
	const over = measured.filter(({ key }) =>
		runs.some((run) => (growthOf(run, key) ?? 0) > GROWTH_GOAL),
	);
	const missing = ACTIONS.length - measured.length - failed.length;
	const perRun = runs.map(
		(run) =>
			ACTIONS.every(({ key }) => failedAtLarge(run, key) === undefined) &&
			measured.every(({ key }) => (growthOf(run, key) ?? 0) <= GROWTH_GOAL),
	);
	const beyond = [
		...over.map(({ key }) => `${key} ${runs.map((run) => ratio(growthOf(run, key))).join(' / ')}`),
		...failed.map(
			({ key }) =>
				`${key} ${runs
					.map((run) =>
						failedAtLarge(run, key) ? `failed at ${size(large.size)}` : ratio(growthOf(run, key)),
					)
					.join(' / ')}`,
		),
	];
	const counted = measured.length + failed.length;
	const detail =
		beyond.length === 0
			? `all ${counted} measured actions within`
			: `${counted - beyond.length} of ${counted} within; beyond: ${beyond.join(', ')}`;
	return (
		`- Every action at ${size(large.size)} within ${GROWTH_GOAL}× of its p50 at ${size(small.size)}: ` +
		`${verdict(perRun)} (${detail}${missing > 0 ? `; ${missing} not measured, see below` : ''}; ` +
		'an export writes every entry, so its time grows with them whatever the design)'
	);
}

/** The three commands timed at 1M against the smallest size of run 1. */
export const MILLION_COMMANDS = ['stats', 'list', 'listAll'] as const;

export function millionGrowth(
	million: IReadScaleRow,
	base: IReadScaleRow,
	command: (typeof MILLION_COMMANDS)[number],
): number {
	return million.after[command].medianMs / base.after[command].medianMs;
}

function millionLine(million: IReadScaleRow | undefined, base: IReadScaleRow | undefined): string {
	const goal = `- Stats, the member's list and list all at ${size(million?.size ?? MILLION)} within ${GROWTH_GOAL}× of their time at ${base ? size(base.size) : '1k'}`;
	if (!million || !base) {
		return `${goal}: not run in this report (it is not part of the default run: \`npm run bench -- --million\`)`;
	}
	const growths = MILLION_COMMANDS.map((command) => millionGrowth(million, base, command));
	return (
		`${goal}: ${verdict([growths.every((growth) => growth <= GROWTH_GOAL)])} ` +
		`(${MILLION_COMMANDS.map((command, index) =>
			million.after[command].problem
				? `${command} failed: ${shortProblem(million.after[command].problem ?? '')}`
				: `${command} ${ratio(growths[index])}`,
		).join(', ')}; one run)`
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
	const latency = runs[0].latency ?? [];
	const latencyMoves = latency.flatMap((result) =>
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
			`${describe(latencyMoves, 'latency p50s')}; ${describe(counterMoves, "the counters' events/s")}. ` +
			'A difference is taken relative to the smaller of the two figures. The 1-minute load average during ' +
			`the runs: ${runs.map((run) => run.loadDuring.mean.toFixed(1)).join(' / ')} on average, ` +
			`${runs.map((run) => run.loadDuring.max.toFixed(1)).join(' / ')} at most (the machine and its cores are below).`,
	];
}

/** The goals section, first in the report. */
export function goalsSection(
	runs: ReadonlyArray<IRunResults>,
	million: IReadScaleRow | undefined,
): string[] {
	const base = runs[0]?.reads?.[0];
	return [
		'## Goals (issue 13)',
		'',
		ceilingLine(runs),
		submitLine(runs),
		growthLine(runs),
		millionLine(million, base),
		'',
		...movement(runs),
		'',
	];
}
