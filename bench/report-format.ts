// Number formats and Markdown tables shared by the report's sections, and the one way every
// figure of several runs is shown: side by side in one cell, run 1 first ("12.5 / 13.1").

export function integer(value: number): string {
	return Math.round(value).toLocaleString('en-US');
}

export function ms(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) {
		return 'n/a';
	}
	if (value < 10) {
		return value.toFixed(2);
	}
	return value < 100 ? value.toFixed(1) : integer(value);
}

export function size(value: number): string {
	if (value >= 1_000_000 && value % 1_000_000 === 0) {
		return `${value / 1_000_000}M`;
	}
	return value >= 1000 && value % 1000 === 0 ? `${value / 1000}k` : String(value);
}

export function kilobytes(bytes: number): string {
	return bytes >= 1024 * 1024
		? `${(bytes / 1024 / 1024).toFixed(1)} MB`
		: `${Math.round(bytes / 1024)} kB`;
}

export function megabytes(bytes: number | undefined): string {
	return bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function share(part: number, whole: number): string {
	return `${((part / whole) * 100).toFixed(2)} %`;
}

export function percent(value: number | undefined): string {
	return value === undefined || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(0)} %`;
}

export function ratio(value: number | undefined): string {
	return value === undefined || !Number.isFinite(value) ? 'n/a' : `× ${value.toFixed(2)}`;
}

/** One figure per run in one cell: "a / b"; a run without it shows n/a. */
export function perRun<T>(
	runs: ReadonlyArray<T>,
	pick: (run: T) => number | undefined,
	format: (value: number | undefined) => string,
): string {
	return runs.map((run) => format(pick(run))).join(' / ');
}

/** A Markdown table; numeric tables align every column but the first to the right. */
export function table(
	header: ReadonlyArray<string>,
	rows: ReadonlyArray<ReadonlyArray<string>>,
	numeric = true,
): string[] {
	return [
		`| ${header.join(' | ')} |`,
		`| ${header.map((_, index) => (index === 0 || !numeric ? '---' : '---:')).join(' | ')} |`,
		...rows.map((row) => `| ${row.join(' | ')} |`),
	];
}

/** "run 1 / run 2" for headers, or nothing for a single run. */
export function runsLabel(count: number): string {
	return count > 1
		? ` (${Array.from({ length: count }, (_, index) => `run ${index + 1}`).join(' / ')})`
		: '';
}

/** Text for a Markdown table cell. */
export function cell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A failed call's error in a few words: the engine's timeout and a gone instance are named as such. */
export function shortProblem(problem: string): string {
	const timeout = /timed out after (\d+) ?ms/.exec(problem);
	if (timeout) {
		return `timed out after ${Number(timeout[1]) / 1000} s (the engine's limit for a call to the app)`;
	}
	if (/exited|disconnected/.test(problem)) {
		return 'the instance was gone (its process had exited)';
	}
	return problem.length > 160 ? `${problem.slice(0, 160)}…` : problem;
}
