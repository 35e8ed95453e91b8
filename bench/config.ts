import * as path from 'path';

import { projectRoot } from '../host/paths';

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
	/** Timed calls per command after the first one (the median is reported). */
	readonly repeats: number;
	/** Timed calls per command of the previous design's app (it reads everything: slow at scale). */
	readonly beforeRepeats: number;
	/** Days the seeded feedback is spread over, ending now. */
	readonly days: number;
	/** Entries of the member whose own list is timed. */
	readonly memberEntries: number;
	/** Which parts run. */
	readonly parts: ReadonlySet<'counters' | 'reads'>;
	/** The packaged apps. */
	readonly zips: {
		readonly docsRecipe: string;
		readonly readUpdate: string;
		readonly feedback: string;
		/** The Feedback app before the read-by-day design (optional). */
		readonly feedbackBefore: string;
	};
	/** The commit the "before" app is packaged from. */
	readonly beforeRef: string;
	/** Where the report is written. */
	readonly outputPath: string;
}

/** The design before "Stats and the admin list read by day" (commit 1c606a1). */
export const BEFORE_REF = '6a44cfb';

const OPTION_NAMES = {
	'instances': 'BENCH_INSTANCES',
	'messages': 'BENCH_MESSAGES',
	'concurrency': 'BENCH_CONCURRENCY',
	'sizes': 'BENCH_SIZES',
	'repeats': 'BENCH_REPEATS',
	'before-repeats': 'BENCH_BEFORE_REPEATS',
	'days': 'BENCH_DAYS',
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

/** Reads the configuration; the defaults keep a full run at about three minutes. */
export function readConfig(argv: ReadonlyArray<string> = process.argv.slice(2)): IBenchConfig {
	const options = readOptions(argv);
	const root = projectRoot();
	const sizesText = options.get('sizes') ?? '1000,10000,100000';
	const sizes = sizesText.split(',').map((part) => {
		const value = Number(part.trim().replace(/_/g, '').replace(/k$/i, '000'));
		if (!Number.isInteger(value) || value < 1) {
			throw new Error(`--sizes takes positive integers separated by commas, got "${sizesText}"`);
		}
		return value;
	});
	const partsText = options.get('parts') ?? 'counters,reads';
	const parts = new Set<'counters' | 'reads'>();
	for (const part of partsText.split(',').map((name) => name.trim())) {
		if (part !== 'counters' && part !== 'reads') {
			throw new Error(`--parts takes counters and/or reads, got "${partsText}"`);
		}
		parts.add(part);
	}
	const bench = path.join(root, 'dist', 'bench');
	return {
		instances: positiveInteger(options, 'instances', 3),
		messagesPerInstance: positiveInteger(options, 'messages', 1000),
		concurrency: positiveInteger(options, 'concurrency', 32),
		sizes,
		repeats: positiveInteger(options, 'repeats', 7),
		beforeRepeats: positiveInteger(options, 'before-repeats', 3),
		days: positiveInteger(options, 'days', 200),
		memberEntries: positiveInteger(options, 'member-entries', 50),
		parts,
		zips: {
			docsRecipe: path.join(bench, 'counter-docs-recipe_1.0.0.zip'),
			readUpdate: path.join(bench, 'counter-read-update_1.0.0.zip'),
			// As the cluster tests: LOCAL_HOST_ZIP names another build of the Feedback app.
			feedback: process.env.LOCAL_HOST_ZIP ?? path.join(root, 'dist', 'feedback_1.0.0.zip'),
			feedbackBefore: path.join(bench, `feedback-${BEFORE_REF}`, 'feedback_1.0.0.zip'),
		},

		beforeRef: BEFORE_REF,
		outputPath: path.resolve(root, options.get('out') ?? path.join('docs', 'benchmarks.md')),
	};
}
