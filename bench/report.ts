import type { IBenchConfig } from './config';
import type { ICounterResult } from './counters';
import type { IMachine } from './measure';
import type { ICommandTiming, IReadScaleRow } from './read-scale';

/** What one run measured. */
export interface IBenchResults {
	readonly config: IBenchConfig;
	readonly machine: IMachine;
	readonly counters?: ReadonlyArray<ICounterResult>;
	readonly reads?: ReadonlyArray<IReadScaleRow>;
	readonly totalSeconds: number;
}

function integer(value: number): string {
	return Math.round(value).toLocaleString('en-US');
}

function ms(value: number): string {
	if (!Number.isFinite(value)) {
		return 'n/a';
	}
	if (value < 10) {
		return value.toFixed(2);
	}
	return value < 100 ? value.toFixed(1) : integer(value);
}

function size(value: number): string {
	return value >= 1000 && value % 1000 === 0 ? `${value / 1000}k` : String(value);
}

function kilobytes(bytes: number): string {
	return bytes >= 1024 * 1024
		? `${(bytes / 1024 / 1024).toFixed(1)} MB`
		: `${Math.round(bytes / 1024)} kB`;
}

function share(part: number, whole: number): string {
	return `${((part / whole) * 100).toFixed(2)} %`;
}

/** A Markdown table; numeric tables align every column but the first to the right. */
function table(
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

function machineSection(results: IBenchResults): string[] {
	const { machine } = results;
	return [
		'## Machine',
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
				['whole run', `${results.totalSeconds.toFixed(0)} s`],
			],
			false,
		),
		'',
	];
}

function countersSection(results: ReadonlyArray<ICounterResult>, config: IBenchConfig): string[] {
	const rows = results.map((result) => {
		const lost = Math.max(0, result.sent - result.reported);
		const extra = Math.max(0, result.reported - result.sent);
		return [
			`${result.key}. ${result.label}`,
			integer(result.sent),
			integer(result.reported),
			`${integer(lost)} (${share(lost, result.sent)})`,
			`${integer(extra)} (${share(extra, result.sent)})`,
			integer(result.recordsLeft),
			result.bridgeCallsPerEvent.toFixed(2),
			integer(result.eventsPerSecond),
			ms(result.p50Ms),
			ms(result.p99Ms),
		];
	});
	const failed = results.filter((result) => result.failedHandlers > 0);
	return [
		'## Message counters on a cluster',
		'',
		`${config.instances} instances (each its own AppManager and Deno app process, as ${config.instances} Rocket.Chat ` +
			'servers) on one SQLite database, a fresh database per counter. The same stream for each: ' +
			`${config.instances} × ${integer(config.messagesPerInstance)} messages (instance i gets messages ` +
			`i·${integer(config.messagesPerInstance)}+1 … (i+1)·${integer(config.messagesPerInstance)}), ` +
			`${config.concurrency} handlers at once on each instance, all instances at the same time.`,
		'',
		...table(
			[
				'counter',
				'events sent',
				'count reported',
				'lost',
				'extra',
				'records left',
				'bridge calls / event',
				'events/s',
				'p50 handler ms',
				'p99 handler ms',
			],
			rows,
		),
		'',
		'- Count reported: what a reader gets from the app once the stream is done, asked on instance 1.',
		...results.map(
			(result) =>
				`  ${result.key}: ${result.readBack}; it answered: "${result.answer
					.split('\n')
					.filter((line) => line.trim() !== '')
					.join(' · ')
					.replace(/\|/g, '\\|')}".`,
		),
		'- Records left: rows of that app id in `persistence_records`, counted in the database file itself ' +
			'(better-sqlite3, read-only, after the instances stopped), not through an app.',
		'- Bridge calls / event: persistence bridge calls of all instances during the stream, divided by the events.',
		'- Handler latency: from the engine calling `executePostMessageSent` to its return, per message, over all instances.',
		...(failed.length > 0
			? [
					`- Handlers that failed: ${failed.map((result) => `${result.key}: ${result.failedHandlers}`).join(', ')}.`,
				]
			: ['- No handler failed.']),
		'',
	];
}

function timing(value: ICommandTiming | undefined, first = false): string {
	if (!value) {
		return 'not run';
	}
	const text = ms(first ? value.firstMs : value.medianMs);
	return value.problem ? `${text} (wrong answer)` : text;
}

function growth(
	rows: ReadonlyArray<IReadScaleRow>,
	pick: (row: IReadScaleRow) => number | undefined,
): string {
	const first = pick(rows[0]);
	const last = pick(rows[rows.length - 1]);
	return first === undefined || last === undefined || rows.length < 2
		? 'n/a'
		: `× ${(last / first).toFixed(1)}`;
}

/** The growth row, when there is more than one size to compare. */
function growthRow(rows: ReadonlyArray<IReadScaleRow>, cells: string[]): string[][] {
	return rows.length > 1 ? [cells] : [];
}

function readsSection(rows: ReadonlyArray<IReadScaleRow>, config: IBenchConfig): string[] {
	if (rows.length === 0) {
		return [];
	}
	const smallest = size(rows[0].size);
	const largest = size(rows[rows.length - 1].size);
	const problems = rows.flatMap((row) =>
		(['before', 'after'] as const).flatMap((design) =>
			(['stats', 'list', 'listAll'] as const).flatMap((command) => {
				const problem = row[design]?.[command].problem;
				return problem ? [`- ${size(row.size)}, ${design}, ${command}: ${problem}`] : [];
			}),
		),
	);
	const hasBefore = rows.some((row) => row.before);
	return [
		'## Read scale',
		'',
		`Feedback seeded through the app's own write path (\`FeedbackRepository.create\` with \`buildFeedbackRecord\`: ` +
			'day marker, then the record with its user, id, short-id and day associations) on the host persistence ' +
			`bridge, spread evenly over the last ${config.days} days; the member (alice) has ${rows[0].memberEntries} ` +
			'of the entries. One instance; each command is called once after the app starts ("first call"), then ' +
			`${config.repeats} more times (median reported). Milliseconds, end to end (driver → instance → app → bridge → answer).`,
		'',
		'### Current design (stats from one running total of the closed days, admin list by day)',
		'',
		...table(
			[
				'stored feedback',
				'seeding s',
				'`/feedback stats` first call',
				'`/feedback stats`',
				`\`/feedback list\` (member, ${rows[0].memberEntries} entries)`,
				'`/feedback list all` (page 1)',
				'a stats call reads',
			],
			[
				...rows.map((row) => [
					size(row.size),
					(row.seedMs / 1000).toFixed(1),
					timing(row.after.stats, true),
					timing(row.after.stats),
					timing(row.after.list),
					timing(row.after.listAll),
					`${integer(row.statsReads.summaries)} total, ${kilobytes(row.statsReads.summaryBytes)}; ` +
						`open days: ${integer(row.statsReads.liveRecords)} record${row.statsReads.liveRecords === 1 ? '' : 's'}`,
				]),
				...growthRow(rows, [
					`growth ${smallest} → ${largest}`,
					'',
					growth(rows, (row) => row.after.stats.firstMs),
					growth(rows, (row) => row.after.stats.medianMs),
					growth(rows, (row) => row.after.list.medianMs),
					growth(rows, (row) => row.after.listAll.medianMs),
					growth(rows, (row) => row.statsReads.summaryBytes),
				]),
			],
		),
		'',
		'"A stats call reads": besides the day markers and deletion notes, the running total of the closed days ' +
			'(its size as JSON, contributor keys included: it grows with the number of distinct contributors, not ' +
			'with feedback) and, record by record, the feedback of days not yet closed (today, and yesterday until ' +
			"02:00 UTC). Counted in the store after the run; the growth row is that of the total's size.",
		'',
		'### Before and after (median ms)',
		'',
		hasBefore
			? `Before: the app as of commit ${config.beforeRef} (stats and \`list all\` read every feedback record), ` +
				'packaged with `node scripts/rc-apps.mjs package --ref ' +
				`${config.beforeRef}\` and run on a copy of the same seeded database (${config.beforeRepeats} calls after the first).`
			: `Before: the previous design's app was not packaged (\`node scripts/rc-apps.mjs package --ref ${config.beforeRef}\`), ` +
				'so only its host-side cost is shown.',
		'"Full read in the host": `readByAssociations([MISC feedback])` on the bridge plus parsing and tallying every ' +
			"record in the bench process, no app process: the server's share of what the previous design paid for " +
			'each stats and `list all` (the app process then receives and parses the same records again).',
		'',
		...table(
			[
				'stored feedback',
				'stats before',
				'stats after',
				'list before',
				'list after',
				'list all before',
				'list all after',
				'full read in the host',
			],
			[
				...rows.map((row) => [
					size(row.size),
					timing(row.before?.stats),
					timing(row.after.stats),
					timing(row.before?.list),
					timing(row.after.list),
					timing(row.before?.listAll),
					timing(row.after.listAll),
					ms(row.fullReadMs),
				]),
				...growthRow(rows, [
					`growth ${smallest} → ${largest}`,
					growth(rows, (row) => row.before?.stats.medianMs),
					growth(rows, (row) => row.after.stats.medianMs),
					growth(rows, (row) => row.before?.list.medianMs),
					growth(rows, (row) => row.after.list.medianMs),
					growth(rows, (row) => row.before?.listAll.medianMs),
					growth(rows, (row) => row.after.listAll.medianMs),
					growth(rows, (row) => row.fullReadMs),
				]),
			],
		),
		'',
		problems.length > 0
			? ['Answers that did not show the seeded numbers:', ...problems].join('\n')
			: "Every answer showed the seeded numbers (stats: the total; list: the member's pages; list all: the total).",
		'',
	];
}

/** The report as Markdown: the same text goes to docs/benchmarks.md and stdout. */
export function renderReport(results: IBenchResults): string {
	const { config } = results;
	const lines = [
		'# Benchmarks',
		'',
		'Written by `npm run bench` (bench/run.ts, which packages the bench apps under bench/apps/ and the ' +
			'previous design when their zips are missing or older than their sources); run it again to replace this file. ' +
			'Sizes: `--messages`, `--concurrency`, `--instances`, `--sizes`, `--repeats`, `--days` ' +
			'(or BENCH_MESSAGES, BENCH_CONCURRENCY, …), `--parts counters|reads`.',
		'',
		'How to read it: this machine is shared and small, and every instance and app process competes for ' +
			'its cores, so absolute times move from run to run. Compare within one run: the ratios between ' +
			'counters, and how a command grows from the smallest to the largest store, are what carry over. ' +
			'Counts, losses, records and bridge calls do not depend on speed the same way: they are what the ' +
			'designs do (the losses of a and b do grow with concurrency).',
		'',
		...machineSection(results),
		...(results.counters ? countersSection(results.counters, config) : []),
		...(results.reads ? readsSection(results.reads, config) : []),
	];
	return `${lines.join('\n').trimEnd()}\n`;
}
