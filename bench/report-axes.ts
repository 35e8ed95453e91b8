// The report's sections on the two axes at their far end: the 1M history store against 1k (read
// scale and every action), and the busy day on top of it.
import { describeAdminFirst } from './admin-first';
import type { IBenchConfig } from './config';
import { ACTIONS } from './latency-recorder';
import type { IMillionResults } from './million';
import type { ICommandTiming, IReadScaleRow } from './read-scale';
import type { IRunResults } from './report';
import {
	cell,
	integer,
	megabytes,
	ms,
	perRun,
	ratio,
	shortProblem,
	size,
	table,
} from './report-format';
import {
	BUSY_GOAL_MS,
	EXPORT_KEYS,
	GROWTH_GOAL,
	growthOf,
	historyEnds,
	p50,
	p99,
	SUBMIT_GOAL_MS,
	timingOf,
} from './report-goals';
import { callsOf, COMMAND_NAMES, statsReadsCell } from './report-reads';

const COMMANDS = ['stats', 'list', 'listAll'] as const;

function seconds(value: number): string {
	return (value / 1000).toFixed(value < 10_000 ? 1 : 0);
}

function firstAnswer(timing: ICommandTiming): string {
	return `${ms(timing.firstMs)} ms (${callsOf(timing)})${timing.problem && !Number.isFinite(timing.medianMs) ? ', no complete answer' : ''}`;
}

function median(timing: ICommandTiming): number | undefined {
	return timing.problem ? undefined : timing.medianMs;
}

function readScaleAt1M(million: IReadScaleRow, base: IReadScaleRow): string[] {
	return [
		...table(
			['', size(base.size), size(million.size)],
			[
				['days of history', base.days.toFixed(1), million.days.toFixed(0)],
				['seeding (s)', seconds(base.seedMs), seconds(million.seedMs)],
				['seeding: peak memory', megabytes(base.seedPeakBytes), megabytes(million.seedPeakBytes)],
				['database file', megabytes(base.databaseBytes), megabytes(million.databaseBytes)],
				[
					'`/feedback stats`: first complete answer',
					firstAnswer(base.after.stats),
					firstAnswer(million.after.stats),
				],
				[
					'`/feedback list all`: first complete answer',
					firstAnswer(base.after.listAll),
					firstAnswer(million.after.listAll),
				],
				[
					'first admin view after a restart',
					describeAdminFirst(base.adminFirst),
					describeAdminFirst(million.adminFirst),
				],
				['a stats call reads', statsReadsCell(base.statsReads), statsReadsCell(million.statsReads)],
			],
		),
		'',
		...table(
			[
				'command',
				`median ms at ${size(base.size)}`,
				`median ms at ${size(million.size)}`,
				'growth',
				`within ${GROWTH_GOAL}×`,
			],
			COMMANDS.map((command) => {
				const from = median(base.after[command]);
				const to = median(million.after[command]);
				const growth = from === undefined || to === undefined ? undefined : to / from;
				return [
					COMMAND_NAMES[command],
					ms(from),
					ms(to),
					ratio(growth),
					growth !== undefined && growth <= GROWTH_GOAL ? 'yes' : 'no',
				];
			}),
		),
		'',
		...COMMANDS.flatMap((command) => {
			const timing = million.after[command];
			return timing.problem
				? [
						`- ${COMMAND_NAMES[command]} at ${size(million.size)}: ${shortProblem(timing.problem)}.`,
						'',
					]
				: [];
		}),
		`The host-side full read of every record at ${size(million.size)}: ${ms(million.fullReadMs)} ms.`,
		'',
	];
}

function actionsAt1M(runs: ReadonlyArray<IRunResults>, results: IMillionResults): string[] {
	const large = results.latency;
	if (!large) {
		return [];
	}
	const ends = runs.map((run) => historyEnds(run, results));
	const small = ends[0]?.small;
	const rows = ACTIONS.map(({ key, label }) => {
		const growths = ends.map((pair) => growthOf(pair, key));
		const isWithin = growths.every((growth) => growth !== undefined && growth <= GROWTH_GOAL);
		let within = isWithin ? 'yes' : 'no';
		if (EXPORT_KEYS.includes(key)) {
			within = 'left out';
		}
		return [
			label,
			perRun(ends, (pair) => p50(timingOf(pair.small, key)), ms),
			ms(p50(timingOf(large, key))),
			ms(p99(timingOf(large, key))),
			growths.map(ratio).join(' / '),
			within,
			String(timingOf(large, key)?.samples.length ?? 0),
		];
	});
	const notes = large.actions.flatMap((action) => [
		...(action.notMeasured ? [`- ${action.key}: not measured: ${cell(action.notMeasured)}`] : []),
		...(action.problem ? [`- ${action.key}: a wrong answer: ${cell(action.problem)}`] : []),
	]);
	return [
		`Every action at ${size(large.size)} as the latency part times it at each size of the runs, on the same store ` +
			`once its read scale ran; against the smallest size of each run (${small ? size(small.size) : 'n/a'}). The exports ` +
			`ran ${large.exportRepeats === 1 ? 'once each' : `${large.exportRepeats} times each`} at ${size(large.size)}: ` +
			'each writes every entry, so its time grows with the entries whatever the design, and one export is a minute ' +
			'or so at 1M; they are left out of the growth goal.',
		'',
		...table(
			[
				'action',
				`p50 ms at ${small ? size(small.size) : 'n/a'}${runs.length > 1 ? ` (run 1 / … / run ${runs.length})` : ''}`,
				`p50 ms at ${size(large.size)}`,
				`p99 ms at ${size(large.size)}`,
				`p50 ${size(large.size)} / ${small ? size(small.size) : 'n/a'}`,
				`within ${GROWTH_GOAL}×`,
				`calls at ${size(large.size)}`,
			],
			rows,
		),
		...(notes.length > 0 ? ['', ...notes] : []),
		'',
	];
}

/** The history axis at 1M (`--million`). */
export function millionSection(
	results: IMillionResults | undefined,
	runs: ReadonlyArray<IRunResults>,
	config: IBenchConfig,
): string[] {
	const base = runs[0]?.reads?.[0];
	if (!results || (!results.row && !results.latency)) {
		return [];
	}
	const size1M = results.row?.size ?? results.latency?.size ?? config.millionSize;
	return [
		`## History axis at ${size(size1M)}`,
		'',
		`One store of ${size(size1M)} feedback (\`--million\`, not in the default run), ${config.daily.toLocaleString('en-US')} a day over ` +
			`${(size1M / config.daily).toFixed(0)} days ending now, seeded once after the runs above and measured as each of their sizes: ` +
			"the read scale, a restart's first admin view, then the latency of every action. The busy day below is added to " +
			'this same store afterwards.',
		'',
		...(results.row && base ? readScaleAt1M(results.row, base) : []),
		...actionsAt1M(runs, results),
	];
}

/** The busy day: today's feedback added in steps on top of the 1M history store. */
export function busySection(results: IMillionResults | undefined, config: IBenchConfig): string[] {
	const steps = results?.busy ?? [];
	if (!results || (steps.length === 0 && !results.busyProblem)) {
		return [];
	}
	const hours = steps[0]?.hoursOfToday;
	const at =
		hours === undefined
			? 'n/a'
			: `${String(Math.floor(hours)).padStart(2, '0')}:${String(Math.floor((hours % 1) * 60)).padStart(2, '0')} UTC`;
	const rows = steps.map((step) => [
		size(step.today),
		integer(step.storeSize),
		step.hoursOfToday.toFixed(1),
		`${seconds(step.seedMs)} (${integer(step.added / (step.seedMs / 1000))}/s)`,
		describeAdminFirst(step.adminFirst),
		ms(p50(timingOf(step, 'stats'))),
		ms(p50(timingOf(step, 'admin-open'))),
		ms(p50(timingOf(step, 'list-all'))),
		ms(p50(timingOf(step, 'submit'))),
		statsReadsCell(step.statsReads),
	]);
	const notes = steps.flatMap((step) =>
		step.actions.flatMap((action) => [
			...(action.notMeasured
				? [`- ${size(step.today)} today, ${action.key}: not measured: ${cell(action.notMeasured)}`]
				: []),
			...(action.problem
				? [`- ${size(step.today)} today, ${action.key}: a wrong answer: ${cell(action.problem)}`]
				: []),
		]),
	);
	return [
		'## Busy day',
		'',
		`On top of the ${size(config.millionSize)} history store, once its latency part ran: feedback of today added in steps ` +
			`(${config.busy.map(size).join(', then ')} in all), each spread evenly from 00:00 UTC to the moment it was seeded, ` +
			`through the same write path; ${config.triagedPercent} % of it had its status changed, halfway between its coming ` +
			`and now. The first step was seeded at ${at}: today's feedback lies in the hours of today that had passed. A ` +
			'period (an hour where the store files by the hour, else a day) stays open, its feedback read record by record ' +
			'by every stats call, until 2 h after its end: a bench at 00:30 UTC puts all of today in one open hour (and ' +
			"yesterday's last hours are still open), while later in the day most of today lies in closed hours, folded " +
			"into the running total. After each step: a restart's first `/feedback admin`, then on another instance " +
			`\`/feedback stats\`, \`/feedback admin\` (the admin view's first page) and \`/feedback list all\`, each once untimed, then ` +
			`up to ${config.latencyRepeats} times (p50), then the form and its submit as in the latency part (each submit adds feedback of today).`,
		'',
		...table(
			[
				'feedback today',
				'in the store',
				'hours of today',
				'seeding s (feedback/s)',
				'first admin view after a restart',
				'`/feedback stats` p50',
				'admin view first page p50',
				'`/feedback list all` p50',
				'submit p50',
				'a stats call reads',
			],
			rows,
		),
		'',
		`Goals: stats and the admin view's first page p50 under ${BUSY_GOAL_MS} ms at the largest step; submit p50 under ${SUBMIT_GOAL_MS} ms.`,
		...(notes.length > 0 ? ['', ...notes] : []),
		...(results.busyProblem
			? ['', `The busy day stopped: ${cell(shortProblem(results.busyProblem))}.`]
			: []),
		'',
	];
}
