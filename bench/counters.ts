import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import BetterSqlite3 from 'better-sqlite3';

import type { IBenchConfig } from './config';
import { percentile, progress, timed } from './measure';
import { type ClusterInstance, type IMessageOrder, projectRoot, startCluster } from '../host';

/** One message counter under test. */
interface ICounterSubject {
	readonly key: CounterKey;
	readonly label: string;
	readonly zipPath: string;
	/** The app.json the package was built from (for the app id). */
	readonly appJson: string;
	/** How the count is read back, for the report. */
	readonly readBack: string;
	/** A read-only command run once per instance before the stream, to warm the app up. */
	readonly countCommand: string;
	/** The count a reader sees, from the command's answer; the ceiling counts nothing. */
	parseCount?(answer: string): number;
}

/** The counters, and the ceiling: the listener that does nothing. */
export type CounterKey = 'a' | 'b' | 'c' | 'ceiling';

/** What one counter did with the stream. */
export interface ICounterResult {
	readonly key: CounterKey;
	readonly label: string;
	readonly readBack: string;
	readonly sent: number;
	/** Undefined for the ceiling, which counts nothing. */
	readonly reported: number | undefined;
	readonly failedHandlers: number;
	readonly recordsLeft: number;
	readonly bridgeCallsPerEvent: number;
	readonly eventsPerSecond: number;
	readonly p50Ms: number;
	readonly p99Ms: number;
	readonly answer: string;
}

const USERS = ['alice', 'bruno', 'clara'];
const ROOMS = ['general', 'feedback'];

function numberAfter(answer: string, label: RegExp): number {
	const match = new RegExp(`${label.source}\\s*(\\d+)`).exec(answer);
	if (!match) {
		throw new Error(`No ${label.source} in the answer:\n${answer}`);
	}
	return Number(match[1]);
}

function subjects(config: IBenchConfig): ICounterSubject[] {
	const root = projectRoot();
	return [
		{
			key: 'a',
			label: "docs' recipe (readByAssociation, then createWithAssociation)",
			zipPath: config.zips.docsRecipe,
			appJson: path.join(root, 'bench', 'apps', 'docs-recipe', 'app.json'),
			readBack:
				"`/count`: the largest count stored (the recipe's own read, `record?.count` on the array, gives undefined)",
			countCommand: '/count',
			parseCount: (answer) => numberAfter(answer, /Largest count:/),
		},
		{
			key: 'b',
			label: 'read, then updateByAssociation with upsert',
			zipPath: config.zips.readUpdate,
			appJson: path.join(root, 'bench', 'apps', 'read-update', 'app.json'),
			readBack: "`/count`: the first record's count, the one the app reads and increments",
			countCommand: '/count',
			parseCount: (answer) => numberAfter(answer, /First record's count:/),
		},
		{
			key: 'ceiling',
			label: 'ceiling: a listener that does nothing',
			zipPath: config.zips.ceiling,
			appJson: path.join(root, 'bench', 'apps', 'ceiling', 'app.json'),
			readBack: '`/ceiling`: it counts nothing, it only answers',
			countCommand: '/ceiling',
		},
		{
			key: 'c',
			label: 'our counter (a shard per instance)',
			zipPath: config.zips.feedback,
			appJson: path.join(root, 'app.json'),
			readBack: '`/feedback stats`: "Messages sent on the server"',
			countCommand: '/feedback stats',
			parseCount: (answer) => numberAfter(answer, /Messages sent on the server:/),
		},
	];
}

/** The same numbered stream for every counter: instance i gets messages i*n+1 … (i+1)*n. */
function streamFor(instance: number, perInstance: number): IMessageOrder[] {
	return Array.from({ length: perInstance }, (_, index) => {
		const seq = instance * perInstance + index + 1;
		return {
			seq,
			username: USERS[seq % USERS.length],
			roomName: ROOMS[seq % ROOMS.length],
			text: `message ${seq}`,
		};
	});
}

/** Records of an app in the store, read from the database file itself (not through an app). */
function recordsInStore(databasePath: string, appId: string): number {
	const database = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
	try {
		const row = database
			.prepare('SELECT COUNT(*) AS count FROM persistence_records WHERE app_id = ?')
			.get(appId) as { count: number };
		return row.count;
	} finally {
		database.close();
	}
}

async function sum(values: Array<Promise<number>>): Promise<number> {
	return (await Promise.all(values)).reduce((total, value) => total + value, 0);
}

async function runSubject(subject: ICounterSubject, config: IBenchConfig): Promise<ICounterResult> {
	if (!fs.existsSync(subject.zipPath)) {
		throw new Error(
			`No package at ${subject.zipPath}: package the bench apps first (see docs/benchmarks.md).`,
		);
	}
	const { id: appId } = JSON.parse(fs.readFileSync(subject.appJson, 'utf8')) as { id: string };
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), `bench-counter-${subject.key}-`));
	const databasePath = path.join(folder, 'cluster.sqlite');
	let cluster: ClusterInstance[] = [];
	try {
		progress(`${subject.key}: starting ${config.instances} instances`);
		cluster = await startCluster(config.instances, databasePath, subject.zipPath);
		// Warm every instance's command path up; the reads change nothing.
		await Promise.all(
			cluster.map((instance) => instance.command('admin', 'general', subject.countCommand)),
		);
		const callsBefore = await sum(cluster.map((instance) => instance.persistenceCalls()));
		const streams = cluster.map((_, index) => streamFor(index, config.messagesPerInstance));
		const sent = streams.reduce((total, stream) => total + stream.length, 0);
		progress(
			`${subject.key}: delivering ${sent} messages, ${config.concurrency} at once per instance`,
		);
		const { result: failures, ms } = await timed(() =>
			Promise.all(
				cluster.map((instance, index) => instance.deliver(streams[index], config.concurrency)),
			),
		);
		const callsAfter = await sum(cluster.map((instance) => instance.persistenceCalls()));
		const durations = cluster.flatMap((instance) =>
			[...instance.delivered.values()]
				.filter((event) => event.error === undefined)
				.map((event) => event.milliseconds),
		);
		const answer = (await cluster[0].command('admin', 'general', subject.countCommand)).join('\n');
		const reported = subject.parseCount?.(answer);
		await Promise.all(cluster.map((instance) => instance.stop()));
		cluster = [];
		const result: ICounterResult = {
			key: subject.key,
			label: subject.label,
			readBack: subject.readBack,
			sent,
			reported,
			failedHandlers: failures.reduce((total, count) => total + count, 0),
			recordsLeft: recordsInStore(databasePath, appId),
			bridgeCallsPerEvent: (callsAfter - callsBefore) / sent,
			eventsPerSecond: sent / (ms / 1000),
			p50Ms: percentile(durations, 0.5),
			p99Ms: percentile(durations, 0.99),
			answer,
		};
		progress(
			`${subject.key}: sent ${sent}, reported ${reported ?? 'nothing'}, ${result.recordsLeft} records, ${result.eventsPerSecond.toFixed(0)} events/s`,
		);
		return result;
	} finally {
		await Promise.all(cluster.map((instance) => instance.stop().catch(() => undefined)));
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

/**
 * Runs a, b, the ceiling and c in turn, each on its own fresh database, with the same stream;
 * the ceiling runs right before ours so that both meet the machine in about the same state.
 */
export async function runCounters(config: IBenchConfig): Promise<ICounterResult[]> {
	const results: ICounterResult[] = [];
	for (const subject of subjects(config)) {
		results.push(await runSubject(subject, config));
	}
	return results;
}
