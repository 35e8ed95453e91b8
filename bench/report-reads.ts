// The read scale (stats and both lists from 1k to 100k, before and after the read-by-day design)
// and the optional million.
import { BEFORE_MAX_SIZE, type IBenchConfig } from './config';
import type { ICommandTiming, ICommandTimings, IReadScaleRow, IStatsReads } from './read-scale';
import type { IRunResults } from './report';
import {
	integer,
	kilobytes,
	megabytes,
	ms,
	perRun,
	ratio,
	runsLabel,
	size,
	table,
} from './report-format';

type Pick = (row: IReadScaleRow) => number | undefined;

function rowAt(run: IRunResults, wanted: number): IReadScaleRow | undefined {
	return run.reads?.find((row) => row.size === wanted);
}

function median(timing: ICommandTiming | undefined): number | undefined {
	return timing && !timing.problem ? timing.medianMs : undefined;
}

/** "1 total, 17 kB; open days: 5 records, 1 status change". */
export function statsReadsCell(reads: IStatsReads): string {
	const records =
		reads.liveRecords === undefined
			? 'records: n/a (a total of an unknown shape)'
			: `${integer(reads.liveRecords)} record${reads.liveRecords === 1 ? '' : 's'}`;
	return (
		`${integer(reads.summaries)} total, ${kilobytes(reads.summaryBytes)}; open ${reads.openUnit}: ` +
		`${records}, ${integer(reads.liveStatusChanges)} status change${reads.liveStatusChanges === 1 ? '' : 's'}`
	);
}

/** How many calls the first complete answers took, where more than one. */
function firstCallsNote(runs: ReadonlyArray<IRunResults>): string {
	const many = runs.flatMap((run, index) =>
		(run.reads ?? []).flatMap((row) =>
			(['stats', 'list', 'listAll'] as const)
				.filter((command) => row.after[command].firstCalls > 1)
				.map(
					(command) =>
						`run ${index + 1}, ${size(row.size)}, ${command}: ${callsOf(row.after[command])}`,
				),
		),
	);
	return many.length === 0 ? 'each took one call' : `more than one call: ${many.join('; ')}`;
}

/** "3 calls, 2 failed" for the first answer of a command. */
export function callsOf(timing: ICommandTiming): string {
	const calls = `${timing.firstCalls} call${timing.firstCalls === 1 ? '' : 's'}`;
	return timing.firstFailures > 0 ? `${calls}, ${timing.firstFailures} failed` : calls;
}

export const COMMAND_NAMES: Record<keyof ICommandTimings, string> = {
	stats: '`/feedback stats`',
	list: "`/feedback list` (the member's modal)",
	listAll: '`/feedback list all` (page 1)',
};

export function readsSection(runs: ReadonlyArray<IRunResults>, config: IBenchConfig): string[] {
	const sizes = (runs[0].reads ?? []).map((row) => row.size);
	if (sizes.length === 0) {
		return [];
	}
	const smallest = sizes[0];
	const largest = sizes[sizes.length - 1];
	const cells = (pick: Pick, format: (value: number | undefined) => string) => (wanted: number) =>
		perRun(
			runs,
			(run) => {
				const row = rowAt(run, wanted);
				return row ? pick(row) : undefined;
			},
			format,
		);
	const growth = (pick: Pick) =>
		perRun(
			runs,
			(run) => {
				const from = rowAt(run, smallest);
				const to = rowAt(run, largest);
				const a = from && pick(from);
				const b = to && pick(to);
				return a === undefined || b === undefined ? undefined : b / a;
			},
			ratio,
		);
	const columns: ReadonlyArray<readonly [string, Pick]> = [
		['`/feedback stats` first answer', (row) => row.after.stats.firstMs],
		['`/feedback stats`', (row) => median(row.after.stats)],
		[
			`\`/feedback list\` (member, ${runs[0].reads?.[0]?.memberEntries ?? 0} entries, a modal)`,
			(row) => median(row.after.list),
		],
		['`/feedback list all` (page 1)', (row) => median(row.after.listAll)],
	];
	const before: ReadonlyArray<readonly [string, Pick]> = [
		['stats before', (row) => median(row.before?.stats)],
		['stats after', (row) => median(row.after.stats)],
		['list before', (row) => median(row.before?.list)],
		['list after', (row) => median(row.after.list)],
		['list all before', (row) => median(row.before?.listAll)],
		['list all after', (row) => median(row.after.listAll)],
		['full read in the host', (row) => row.fullReadMs],
	];
	const problems = runs.flatMap((run, index) =>
		(run.reads ?? []).flatMap((row) =>
			(['before', 'after'] as const).flatMap((design) =>
				(['stats', 'list', 'listAll'] as const).flatMap((command) => {
					const problem = row[design]?.[command].problem;
					return problem
						? [`- run ${index + 1}, ${size(row.size)}, ${design}, ${command}: ${problem}`]
						: [];
				}),
			),
		),
	);
	const first = runs[0].reads ?? [];
	return [
		'## Read scale',
		'',
		"Feedback seeded through the app's own write path (`FeedbackRepository.create` with `buildFeedbackRecord`: " +
			'day marker, then the record with its user, id, short-id, day and hour associations; `StatusLog.append` for the ' +
			`status changes) on the host persistence bridge, ${config.daily.toLocaleString('en-US')} a day, spread evenly ` +
			'up to now (the history axis: a store of N entries spans N / daily days); ' +
			`${config.triagedPercent} % of it had its status changed once, a day after it came (halfway to now for ` +
			'feedback of the last day); alice has ' +
			`${first[0]?.memberEntries ?? 0} of the entries. One instance; each command is called after the app ` +
			'starts until its answer is complete ("first answer": stats then folds the closed days into the running ' +
			'total; a call that answers that the statistics are still being prepared, or fails, is followed by another, ' +
			'after the app has made no bridge call for 3 s when it failed; the time is from the first call to the ' +
			`complete answer; ${firstCallsNote(runs)}), then ${config.repeats} more ` +
			'times (median reported). Milliseconds, end to end (driver → instance → app → bridge → answer).',
		'',
		'### Current design (stats from one running total of the closed days, admin list by day)',
		'',
		...table(
			[
				`stored feedback${runsLabel(runs.length)}`,
				'seeding s',
				'database',
				...columns.map(([name]) => name),
				'a stats call reads (run 1)',
				'first admin view after a restart',
			],
			[
				...sizes.map((wanted) => {
					const row = first.find((candidate) => candidate.size === wanted);
					return [
						size(wanted),
						cells(
							(entry) => entry.seedMs / 1000,
							(value) => (value === undefined ? 'n/a' : value.toFixed(1)),
						)(wanted),
						cells((entry) => entry.databaseBytes, megabytes)(wanted),
						...columns.map(([, pick]) => cells(pick, ms)(wanted)),
						row ? statsReadsCell(row.statsReads) : 'n/a',
						runs
							.map((run) => {
								const first = rowAt(run, wanted)?.adminFirst;
								return first
									? `${ms(first.ms)}${first.state === 'complete' ? '' : ` (${first.state})`}`
									: 'n/a';
							})
							.join(' / '),
					];
				}),
				...(sizes.length > 1
					? [
							[
								`growth ${size(smallest)} → ${size(largest)}`,
								'',
								'',
								...columns.map(([, pick]) => growth(pick)),
								'',
								'',
							],
						]
					: []),
			],
		),
		'',
		'"A stats call reads": besides the day markers and deletion notes, the running total of the closed days ' +
			'(its size as JSON, contributor keys included: it grows with the number of distinct contributors, not ' +
			'with feedback) and, record by record, the feedback of periods not yet folded (an hour, or a day where the ' +
			'store does not file by the hour, closes 2 h after its end; "open hours" or "open days" say which the totals ' +
			'reach), and the status changes the status total has not folded, each applied on top of it ' +
			"(`StatusTotal.apply`: one more read of its feedback's changes only when the change was read in the first two hours of its day). " +
			`On the history axis a day holds ${config.daily.toLocaleString('en-US')} feedback at every size, so the open ` +
			'periods hold about as much at 100k as at 1k. Counted in the store after the run. "First admin view after a ' +
			'restart": an instance started anew on the store once the commands ran, and its first `/feedback admin` timed ' +
			'until the app is idle; "(counting)" when it answered past its 2.5 s budget that the statistics are still being ' +
			'counted, "(preparing)" when closed days were left to fold.',
		'',
		'### Before and after (median ms)',
		'',
		`Before: the app as of commit ${config.beforeRef} (stats and \`list all\` read every feedback record), packaged ` +
			`with \`node scripts/rc-apps.mjs package --ref ${config.beforeRef}\` and run on a copy of the same seeded ` +
			`database (${config.beforeRepeats} calls after the first; not run above ${size(BEFORE_MAX_SIZE)}, where a call ` +
			'takes seconds; n/a where it was not packaged or did not start). Its `/feedback list` answers text. It imports ' +
			'`uuid`, which a server hands apps but the Deno runtime as npm ships it cannot load, so it runs in the bench ' +
			"process on the host's `with-uuid` runtime (bench/before-app.ts): no IPC hop, under a millisecond. " +
			'"Full read in the host": ' +
			'`readByAssociations([MISC feedback])` on the bridge plus parsing and tallying every record in the bench ' +
			"process, no app process: the server's share of what the previous design paid for each stats and `list all`.",
		'',
		...table(
			[`stored feedback${runsLabel(runs.length)}`, ...before.map(([name]) => name)],
			[
				...sizes.map((wanted) => [
					size(wanted),
					...before.map(([, pick]) => cells(pick, ms)(wanted)),
				]),
				...(sizes.length > 1
					? [
							[
								`growth ${size(smallest)} → ${size(largest)}`,
								...before.map(([, pick]) => growth(pick)),
							],
						]
					: []),
			],
		),
		'',
		problems.length > 0
			? [
					'Answers that did not show the seeded numbers (their times are left out):',
					...problems,
				].join('\n')
			: "Every answer showed the seeded numbers (stats: the total; list: the member's list; list all: the total).",
		'',
	];
}
