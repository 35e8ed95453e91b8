// The counters section: each counter beside the ceiling, every figure of every run in one cell.
import type { IBenchConfig } from './config';
import type { ICounterResult } from './counters';
import type { IRunResults } from './report';
import { cell, integer, ms, percent, perRun, runsLabel, share, table } from './report-format';
import { CEILING_GOAL_PERCENT, ofCeiling } from './report-goals';

function lostText(result: ICounterResult | undefined): string {
	if (result?.reported === undefined) {
		return 'n/a';
	}
	const lost = Math.max(0, result.sent - result.reported);
	const extra = Math.max(0, result.reported - result.sent);
	return extra > 0
		? `${integer(extra)} extra (${share(extra, result.sent)})`
		: `${integer(lost)} (${share(lost, result.sent)})`;
}

export function countersSection(runs: ReadonlyArray<IRunResults>, config: IBenchConfig): string[] {
	const first = runs[0].counters ?? [];
	const byKey = (key: string) =>
		runs.map((run) => run.counters?.find((result) => result.key === key));
	const rows = first.map((counter) => {
		const results = byKey(counter.key);
		const numbers = (
			pick: (result: ICounterResult) => number | undefined,
			format: (value: number | undefined) => string,
		) => perRun(results, (result) => (result ? pick(result) : undefined), format);
		return [
			counter.key === 'ceiling' ? counter.label : `${counter.key}. ${counter.label}`,
			integer(counter.sent),
			counter.reported === undefined
				? '(counts nothing)'
				: numbers(
						(result) => result.reported,
						(value) => (value === undefined ? 'n/a' : integer(value)),
					),
			counter.reported === undefined ? '' : results.map(lostText).join(' / '),
			numbers(
				(result) => result.recordsLeft,
				(value) => (value === undefined ? 'n/a' : integer(value)),
			),
			numbers(
				(result) => result.bridgeCallsPerEvent,
				(value) => (value === undefined ? 'n/a' : value.toFixed(2)),
			),
			numbers(
				(result) => result.eventsPerSecond,
				(value) => (value === undefined ? 'n/a' : integer(value)),
			),
			counter.key === 'ceiling'
				? '100 %'
				: perRun(runs, (run) => ofCeiling(run.counters, counter.key), percent),
			numbers((result) => result.p50Ms, ms),
			numbers((result) => result.p99Ms, ms),
		];
	});
	const failed = runs.flatMap((run, index) =>
		(run.counters ?? [])
			.filter((result) => result.failedHandlers > 0)
			.map((result) => `run ${index + 1}, ${result.key}: ${result.failedHandlers}`),
	);
	return [
		'## Message counters on a cluster, beside the ceiling',
		'',
		`${config.instances} instances (each its own AppManager and Deno app process, as ${config.instances} Rocket.Chat ` +
			'servers) on one SQLite database, a fresh database per counter. The same stream for each: ' +
			`${config.instances} × ${integer(config.messagesPerInstance)} messages (instance i gets messages ` +
			`i·${integer(config.messagesPerInstance)}+1 … (i+1)·${integer(config.messagesPerInstance)}), ` +
			`${config.concurrency} handlers at once on each instance, all instances at the same time. ` +
			'The ceiling is a bench app (bench/apps/ceiling) whose message listener does nothing, run the same way ' +
			'right before ours: what the platform allows, the engine handing each message to the Deno process ' +
			`and waiting for its answer. Goal: ours at ${CEILING_GOAL_PERCENT} % of it or more.`,
		'',
		...table(
			[
				`counter${runsLabel(runs.length)}`,
				'events sent',
				'count reported',
				'lost',
				'records left',
				'bridge calls / event',
				'events/s',
				'% of the ceiling',
				'p50 handler ms',
				'p99 handler ms',
			],
			rows,
		),
		'',
		'- Count reported: what a reader gets from the app once the stream is done, asked on instance 1 (run 1 shown).',
		...first.map(
			(result) =>
				`  ${result.key}: ${result.readBack}; it answered: "${cell(
					result.answer
						.split('\n')
						.filter((line) => line.trim() !== '')
						.join(' · '),
				)}".`,
		),
		'- Records left: rows of that app id in `persistence_records`, counted in the database file itself ' +
			'(better-sqlite3, read-only, after the instances stopped), not through an app.',
		'- Bridge calls / event: persistence bridge calls of all instances during the stream, divided by the events.',
		'- Handler latency: from the engine calling `executePostMessageSent` to its return, per message, over all instances.',
		failed.length > 0 ? `- Handlers that failed: ${failed.join(', ')}.` : '- No handler failed.',
		'',
	];
}
