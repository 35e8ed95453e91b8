import * as path from 'path';

import { projectRoot } from '../host';

/** What one run of the benchmark does; every field can be set by env or `--name=value`. */
export interface IBenchConfig {
	/** Instances of the counter cluster. */
	readonly instances: number;
	/** Messages delivered to each instance (the same stream for every counter). */
	readonly messagesPerInstance: number;
	/** Handlers running at once on each instance. */
	readonly concurrency: number;
	/** Stored feedback records of each read-scale step. */
	readonly sizes: ReadonlyArray<number>;
	/** Stored feedback at which every action's latency (and the processes' memory) is measured. */
	readonly latencySizes: ReadonlyArray<number>;
	/**
	 * After the runs, seeds the 1M history store once and measures it (read scale and latency),
	 * then the busy day on top of it (not in the default run).
	 */
	readonly million: boolean;
	/** The size of that step: 1M unless a quicker try of the step asks for less. */
	readonly millionSize: number;
	/** How many times the measurements run, one after the other, to show how figures move. */
	readonly runs: number;
	/** Timed calls per command after the first one (the median is reported). */
	readonly repeats: number;
	/** Timed calls per action of the latency part (fewer when an action outruns its budget). */
	readonly latencyRepeats: number;
	/** Seconds one action's timed calls may take before the latency part stops at the minimum. */
	readonly latencyBudgetSeconds: number;
	/** Timed exports per size (each reads every feedback record). */
	readonly exportRepeats: number;
	/** Share of the seeded feedback, in percent, whose status an admin changed once. */
	readonly triagedPercent: number;
	/** Timed calls per command of the previous design's app (it reads everything: slow at scale). */
	readonly beforeRepeats: number;
	/**
	 * Feedback a day on the history axis: a store of N entries spans N / daily days ending now, so
	 * a larger store is a longer history, not a busier one.
	 */
	readonly daily: number;
	/**
	 * The busy day, with --million: the feedback of today added on top of the 1M history store,
	 * step by step (each a total of today's added feedback, ascending), measured after each step.
	 */
	readonly busy: ReadonlyArray<number>;
	/** Entries of the member whose own list is timed. */
	readonly memberEntries: number;
	/** Which parts run. */
	readonly parts: ReadonlySet<BenchPart>;
	/** The packaged apps. */
	readonly zips: {
		readonly docsRecipe: string;
		readonly readUpdate: string;
		/** The listener that does nothing: the ceiling of the counters. */
		readonly ceiling: string;
		readonly feedback: string;
		/** The Feedback app before the read-by-day design (optional). */
		readonly feedbackBefore: string;
	};
	/** The commit the "before" app is packaged from. */
	readonly beforeRef: string;
	/** Where the report is written. */
	readonly outputPath: string;
}

/** The parts of a run. */
export type BenchPart = 'counters' | 'reads' | 'latency';

const PARTS: ReadonlyArray<BenchPart> = ['counters', 'reads', 'latency'];

/** The size of the optional million step. */
export const MILLION = 1_000_000;

/**
 * The default daily volume: the smallest size is then one day of feedback, 1M about 2.7 years
 * of it, and the busy day's 5,000 and 50,000 are 5 and 50 ordinary days in one.
 */
export const DEFAULT_DAILY = 1000;

/** Above this size the previous design's app is not run: it reads every record (docs/benchmarks.md). */
export const BEFORE_MAX_SIZE = 100_000;

/** The design before "Stats and the admin list read by day" (commit 1c606a1). */
export const BEFORE_REF = '6a44cfb';

const OPTION_NAMES = {
	'instances': 'BENCH_INSTANCES',
	'messages': 'BENCH_MESSAGES',
	'concurrency': 'BENCH_CONCURRENCY',
	'sizes': 'BENCH_SIZES',
	'latency-sizes': 'BENCH_LATENCY_SIZES',
	'million': 'BENCH_MILLION',
	'million-size': 'BENCH_MILLION_SIZE',
	'runs': 'BENCH_RUNS',
	'repeats': 'BENCH_REPEATS',
	'latency-repeats': 'BENCH_LATENCY_REPEATS',
	'latency-budget': 'BENCH_LATENCY_BUDGET',
	'export-repeats': 'BENCH_EXPORT_REPEATS',
	'triaged': 'BENCH_TRIAGED',
	'before-repeats': 'BENCH_BEFORE_REPEATS',
	'daily': 'BENCH_DAILY',
	'busy': 'BENCH_BUSY',
	'member-entries': 'BENCH_MEMBER_ENTRIES',
	'parts': 'BENCH_PARTS',
	'out': 'BENCH_OUT',
} as const;

type OptionName = keyof typeof OPTION_NAMES;

function isOptionName(name: string): name is OptionName {
	return Object.prototype.hasOwnProperty.call(OPTION_NAMES, name);
}

/** Options from `--name=value` / `--name value` arguments, then BENCH_* variables. */
function readOptions(argv: ReadonlyArray<string>): Map<OptionName, string> {
	const options = new Map<OptionName, string>();
	for (const [name, variable] of Object.entries(OPTION_NAMES) as Array<[OptionName, string]>) {
		const value = process.env[variable];
		if (value !== undefined && value !== '') {
			options.set(name, value);
		}
	}
	for (let index = 0; index < argv.length; index += 1) {
		const arg = argv[index];
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!match || !isOptionName(match[1])) {
			throw new Error(
				`Unknown argument ${arg}; options: ${Object.keys(OPTION_NAMES)
					.map((name) => `--${name}`)
					.join(', ')} (or their BENCH_* variables)`,
			);
		}
		let value = match[2];
		// A flag: `--million` alone turns it on.
		if (value === undefined && match[1] === 'million') {
			value = 'true';
		}
		if (value === undefined) {
			index += 1;
			value = argv[index];
		}
		if (value === undefined) {
			throw new Error(`${arg} needs a value`);
		}
		options.set(match[1], value);
	}
	return options;
}

function positiveInteger(
	options: Map<OptionName, string>,
	name: OptionName,
	fallback: number,
): number {
	const text = options.get(name);
	if (text === undefined) {
		return fallback;
	}
	const value = Number(text.replace(/_/g, ''));
	if (!Number.isInteger(value) || value < 1) {
		throw new Error(`--${name} must be a positive integer, got "${text}"`);
	}
	return value;
}

/** Sizes like `1000,100k,1_000_000` (k for thousands). */
function sizeList(options: Map<OptionName, string>, name: OptionName, fallback: string): number[] {
	const text = options.get(name) ?? fallback;
	return text.split(',').map((part) => {
		const value = Number(
			part.trim().replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'),
		);
		if (!Number.isInteger(value) || value < 1) {
			throw new Error(`--${name} takes positive integers separated by commas, got "${text}"`);
		}
		return value;
	});
}

/** The steps of a list that must grow (each a cumulative total). */
function ascending(values: number[], name: OptionName): number[] {
	if (values.some((value, index) => index > 0 && value <= values[index - 1])) {
		throw new Error(`--${name} takes growing totals (e.g. 5000,50000), got "${values.join(',')}"`);
	}
	return values;
}

/** A number of `--name` between min and max, or the fallback. */
function numberIn(
	options: Map<OptionName, string>,
	name: OptionName,
	fallback: number,
	min: number,
	max: number,
): number {
	const text = options.get(name);
	const value = text === undefined ? fallback : Number(text);
	if (!Number.isFinite(value) || value < min || value > max) {
		throw new Error(`--${name} must be a number from ${min} to ${max}, got "${text}"`);
	}
	return value;
}

function isPart(name: string): name is BenchPart {
	return (PARTS as ReadonlyArray<string>).includes(name);
}

/**
 * Reads the configuration. The defaults keep the whole default run (every part, twice) at about
 * a quarter of an hour on the 2-core machine the report was written on: the repeats were cut,
 * never the sizes.
 */
export function readConfig(argv: ReadonlyArray<string> = process.argv.slice(2)): IBenchConfig {
	const options = readOptions(argv);
	const root = projectRoot();
	const partsText = options.get('parts') ?? PARTS.join(',');
	const parts = new Set<BenchPart>();
	for (const part of partsText.split(',').map((name) => name.trim())) {
		if (!isPart(part)) {
			throw new Error(`--parts takes ${PARTS.join(', ')}, got "${partsText}"`);
		}
		parts.add(part);
	}
	const millionText = options.get('million') ?? 'false';
	if (!['true', 'false', '1', '0'].includes(millionText)) {
		throw new Error(`--million takes no value (or BENCH_MILLION=1), got "${millionText}"`);
	}
	const bench = path.join(root, 'dist', 'bench');
	return {
		instances: positiveInteger(options, 'instances', 3),
		messagesPerInstance: positiveInteger(options, 'messages', 1000),
		concurrency: positiveInteger(options, 'concurrency', 32),
		sizes: sizeList(options, 'sizes', '1000,10000,100000'),
		latencySizes: sizeList(options, 'latency-sizes', '1000,100000'),
		million: millionText === 'true' || millionText === '1',
		millionSize: sizeList(options, 'million-size', String(MILLION))[0],
		runs: positiveInteger(options, 'runs', 2),
		repeats: positiveInteger(options, 'repeats', 7),
		latencyRepeats: positiveInteger(options, 'latency-repeats', 30),
		latencyBudgetSeconds: positiveInteger(options, 'latency-budget', 20),
		exportRepeats: positiveInteger(options, 'export-repeats', 3),
		triagedPercent: numberIn(options, 'triaged', 20, 0, 100),
		beforeRepeats: positiveInteger(options, 'before-repeats', 3),
		daily: positiveInteger(options, 'daily', DEFAULT_DAILY),
		busy: ascending(sizeList(options, 'busy', '5000,50000'), 'busy'),
		memberEntries: positiveInteger(options, 'member-entries', 50),
		parts,
		zips: {
			docsRecipe: path.join(bench, 'counter-docs-recipe_1.0.0.zip'),
			readUpdate: path.join(bench, 'counter-read-update_1.0.0.zip'),
			ceiling: path.join(bench, 'counter-ceiling_1.0.0.zip'),
			// As the cluster tests: LOCAL_HOST_ZIP names another build of the Feedback app.
			feedback: process.env.LOCAL_HOST_ZIP ?? path.join(root, 'dist', 'feedback_1.0.0.zip'),
			feedbackBefore: path.join(bench, `feedback-${BEFORE_REF}`, 'feedback_1.0.0.zip'),
		},
		beforeRef: BEFORE_REF,
		outputPath: path.resolve(root, options.get('out') ?? path.join('docs', 'benchmarks.md')),
	};
}
