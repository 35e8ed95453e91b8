import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { IBenchConfig } from './config';
import { median, progress, timed } from './measure';
import { BridgePersistenceRead, seedFeedback } from './seed';
import { type ClusterInstance, startCluster } from '../host/cluster';
import { openDatabase } from '../host/database';
import { projectRoot } from '../host/paths';
import { SqlitePersistenceBridge } from '../host/persistence-bridge';
import { PAGE_SIZE } from '../src/domain/paging';
import { parseTally, tallyOf } from '../src/domain/tally';
import { distinctNewestFirst } from '../src/persistence/FeedbackRecord';
import { buildAssociations, RecordScope } from '../src/persistence/associations';

/** The fixture member whose own list is timed (host/directory/fixtures.ts seeds her as user-alice). */
const MEMBER = { id: 'user-alice', username: 'alice', name: 'Alice Doe' };

/** Timings of one command at one size. */
export interface ICommandTiming {
	/** The first call after the app started (for stats: the one that folds the closed days into the running total). */
	readonly firstMs: number;
	/** Median of the calls after the first. */
	readonly medianMs: number;
	readonly calls: number;
	/** Undefined when every answer showed the expected numbers, else what was wrong. */
	readonly problem?: string;
}

/** The three commands of one app at one size. */
export interface ICommandTimings {
	readonly stats: ICommandTiming;
	readonly list: ICommandTiming;
	readonly listAll: ICommandTiming;
}

/** One size of the read-scale run. */
export interface IReadScaleRow {
	readonly size: number;
	readonly days: number;
	readonly memberEntries: number;
	readonly seedMs: number;
	/** The current design (dist/feedback_1.0.0.zip). */
	readonly after: ICommandTimings;
	/** The previous design's app, packaged from its commit; absent when not packaged. */
	readonly before?: ICommandTimings;
	/** Median time to read and parse every feedback record in the host, without an app. */
	readonly fullReadMs: number;
	/** What each steady-state stats call of the current design reads. */
	readonly statsReads: IStatsReads;
}

/** What a stats call of the current design reads besides the day markers. */
export interface IStatsReads {
	/** Stored running totals of the closed days (one, or two after a racing upsert), and their size as JSON. */
	readonly summaries: number;
	readonly summaryBytes: number;
	/** Feedback of days not folded into the total (still open), read record by record. */
	readonly liveRecords: number;
}

interface ICommandSpec {
	readonly username: string;
	readonly text: string;
	/** Undefined when the answer shows the expected numbers, else what is wrong. */
	check(answer: string): string | undefined;
}

function commandSpecs(
	size: number,
	memberEntries: number,
): Record<keyof ICommandTimings, ICommandSpec> {
	const memberPages = Math.max(1, Math.ceil(memberEntries / PAGE_SIZE));
	const expect = (wanted: string) => (answer: string) =>
		answer.includes(wanted) ? undefined : `expected "${wanted}" in: ${answer.slice(0, 200)}`;
	return {
		stats: {
			username: 'admin',
			text: '/feedback stats',
			check: expect(`Feedback received: ${size}`),
		},
		list: {
			username: MEMBER.username,
			text: '/feedback list',
			check: expect(`page 1 of ${memberPages}:`),
		},
		listAll: { username: 'admin', text: '/feedback list all', check: expect(`(${size} entries)`) },
	};
}

async function timeCommand(
	instance: ClusterInstance,
	spec: ICommandSpec,
	calls: number,
): Promise<ICommandTiming> {
	const problems: string[] = [];
	const once = async (): Promise<number> => {
		const { result, ms } = await timed(() => instance.command(spec.username, 'general', spec.text));
		const problem = spec.check(result.join('\n'));
		if (problem) {
			problems.push(problem);
		}
		return ms;
	};
	const firstMs = await once();
	const rest: number[] = [];
	for (let call = 0; call < calls; call += 1) {
		rest.push(await once());
	}
	return { firstMs, medianMs: median(rest), calls, problem: problems[0] };
}

/** Starts one instance with an app on a seeded database and times the three commands. */
async function timeApp(
	zipPath: string,
	databasePath: string,
	specs: Record<keyof ICommandTimings, ICommandSpec>,
	calls: number,
): Promise<ICommandTimings> {
	const [instance] = await startCluster(1, databasePath, zipPath);
	try {
		// Stats first: its first call is the one that folds the closed days into the total.
		const stats = await timeCommand(instance, specs.stats, calls);
		const list = await timeCommand(instance, specs.list, calls);
		const listAll = await timeCommand(instance, specs.listAll, calls);
		return { stats, list, listAll };
	} finally {
		await instance.stop();
	}
}

/** Reads every feedback record through the bridge and tallies it: the server side of the previous design. */
async function timeFullRead(
	databasePath: string,
	appId: string,
	size: number,
	calls: number,
): Promise<number> {
	const database = openDatabase(databasePath);
	try {
		const reader = new BridgePersistenceRead(new SqlitePersistenceBridge(database), appId);
		const times: number[] = [];
		for (let call = 0; call < calls; call += 1) {
			const { result, ms } = await timed(async () =>
				distinctNewestFirst(
					await reader.readByAssociations(buildAssociations({ scope: RecordScope.Feedback })),
				),
			);
			if (tallyOf(result).total !== size) {
				throw new Error(`The full read found ${result.length} records, ${size} were seeded`);
			}
			times.push(ms);
		}
		return median(times);
	} finally {
		database.close();
	}
}

/** Counts, once the current design has run, what its stats calls read. */
async function describeStatsReads(
	databasePath: string,
	appId: string,
	size: number,
): Promise<IStatsReads> {
	const database = openDatabase(databasePath);
	try {
		const reader = new BridgePersistenceRead(new SqlitePersistenceBridge(database), appId);
		const summaries = await reader.readByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackTotal }),
		);
		let summarized = 0;
		let summaryBytes = 0;
		for (const summary of summaries) {
			summaryBytes += JSON.stringify(summary).length;
			const tally = parseTally((summary as { tally?: unknown }).tally);
			summarized += tally?.total ?? 0;
		}
		return { summaries: summaries.length, summaryBytes, liveRecords: size - summarized };
	} finally {
		database.close();
	}
}

async function runSize(size: number, config: IBenchConfig, appId: string): Promise<IReadScaleRow> {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), `bench-reads-${size}-`));
	try {
		const databasePath = path.join(folder, 'after.sqlite');
		const memberEntries = Math.min(config.memberEntries, size);
		progress(`reads ${size}: seeding ${size} feedback over ${config.days} days`);
		const { ms: seedMs } = await timed(() =>
			seedFeedback({
				databasePath,
				appId,
				count: size,
				days: config.days,
				member: MEMBER,
				memberEntries,
				now: new Date(),
			}),
		);
		progress(`reads ${size}: seeded in ${(seedMs / 1000).toFixed(1)} s`);
		const specs = commandSpecs(size, memberEntries);
		const fullReadMs = await timeFullRead(databasePath, appId, size, config.repeats);
		let before: ICommandTimings | undefined;
		if (fs.existsSync(config.zips.feedbackBefore)) {
			// Its own copy: the app must see exactly the seeded records, no running total.
			const beforePath = path.join(folder, 'before.sqlite');
			fs.copyFileSync(databasePath, beforePath);
			progress(`reads ${size}: timing the previous design (${config.beforeRef})`);
			before = await timeApp(config.zips.feedbackBefore, beforePath, specs, config.beforeRepeats);
		}
		progress(`reads ${size}: timing the current design`);
		const after = await timeApp(config.zips.feedback, databasePath, specs, config.repeats);
		const statsReads = await describeStatsReads(databasePath, appId, size);
		return {
			size,
			days: config.days,
			memberEntries,
			seedMs,
			after,
			before,
			fullReadMs,
			statsReads,
		};
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

/** Times stats and both lists with our app at each size, and the previous design when packaged. */
export async function runReadScale(config: IBenchConfig): Promise<IReadScaleRow[]> {
	const { id: appId } = JSON.parse(
		fs.readFileSync(path.join(projectRoot(), 'app.json'), 'utf8'),
	) as {
		id: string;
	};
	if (!fs.existsSync(config.zips.feedbackBefore)) {
		progress(
			`no previous-design package at ${config.zips.feedbackBefore}: only the host-side full read stands for "before" (node scripts/rc-apps.mjs package --ref ${config.beforeRef})`,
		);
	}
	const rows: IReadScaleRow[] = [];
	for (const size of config.sizes) {
		rows.push(await runSize(size, config, appId));
	}
	return rows;
}
