import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { type ICommandRunner, startBeforeApp } from './before-app';
import { BEFORE_MAX_SIZE, type IBenchConfig } from './config';
import { type ILatencyResult, runLatency } from './latency';
import { DELETER, LISTER } from './latency-actions';
import { median, progress, timed } from './measure';
import { BridgePersistenceRead, type ISeedMember, seedFeedback } from './seed';
import { startCluster } from '../host/cluster';
import { openDatabase } from '../host/database';
import { projectRoot } from '../host/paths';
import { SqlitePersistenceBridge } from '../host/persistence-bridge';
import { MEMBER_LIST_VIEW_ID } from '../src/domain/actions';
import { dayOf } from '../src/domain/days';
import { PAGE_SIZE } from '../src/domain/paging';
import { parseTally, tallyOf } from '../src/domain/tally';
import { distinctNewestFirst } from '../src/persistence/FeedbackRecord';
import { buildAssociations, RecordScope } from '../src/persistence/associations';

/** The fixture members with entries of their own (host/directory/fixtures.ts seeds them as user-<name>). */
const MEMBER = { id: `user-${LISTER}`, username: LISTER, name: 'Alice Doe' };
const DELETING_MEMBER = { id: `user-${DELETER}`, username: DELETER, name: 'Dora Diaz' };

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
	/** Status changes seeded (the triaged share). */
	readonly statusChanges: number;
	/** The database file once seeded, in bytes. */
	readonly databaseBytes: number;
	/** The current design (dist/feedback_1.0.0.zip). */
	readonly after: ICommandTimings;
	/** The previous design's app, packaged from its commit; absent when not packaged or too large a size. */
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
	/**
	 * Status changes of days not folded into the status total: each is applied on top of it, its
	 * feedback's changes read again only when the change cannot tell the status before the day.
	 */
	readonly liveStatusChanges: number;
}

interface ICommandSpec {
	readonly username: string;
	readonly text: string;
	/** Undefined when the answer shows the expected numbers, else what is wrong. */
	check(answer: string, instance: ICommandRunner): string | undefined | Promise<string | undefined>;
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
			// The previous design answered text; the current one opens the list as a modal.
			check: async (answer, instance) =>
				answer.includes(`page 1 of ${memberPages}:`) ||
				(await instance.openView(MEMBER.username))?.viewId === MEMBER_LIST_VIEW_ID
					? undefined
					: `expected the list (text or modal), got: ${answer.slice(0, 200)}`,
		},
		listAll: { username: 'admin', text: '/feedback list all', check: expect(`(${size} entries)`) },
	};
}

async function timeCommand(
	instance: ICommandRunner,
	spec: ICommandSpec,
	calls: number,
): Promise<ICommandTiming> {
	const problems: string[] = [];
	let failed = 0;
	const once = async (): Promise<number> => {
		const started = performance.now();
		try {
			const result = await instance.command(spec.username, 'general', spec.text);
			const ms = performance.now() - started;
			const problem = await spec.check(result.join('\n'), instance);
			if (problem) {
				problems.push(problem);
			}
			return ms;
		} catch (error) {
			// E.g. the engine's 30 s timeout: the call is a wrong answer, and the run goes on.
			failed += 1;
			problems.push(`the call failed: ${error instanceof Error ? error.message : String(error)}`);
			return performance.now() - started;
		}
	};
	const firstMs = await once();
	const rest: number[] = [];
	// After a failed call (the engine's timeout) no more: the app may still be working on it, and
	// each call more would pile up beside it.
	for (let call = 0; call < calls && failed === 0; call += 1) {
		rest.push(await once());
	}
	return {
		firstMs,
		medianMs: failed > 0 ? Number.NaN : median(rest),
		calls: rest.length,
		problem: problems[0],
	};
}

/** Starts one instance of an app on a seeded database and times the three commands. */
async function timeApp(
	start: () => Promise<ICommandRunner>,
	specs: Record<keyof ICommandTimings, ICommandSpec>,
	calls: number,
): Promise<ICommandTimings> {
	const instance = await start();
	try {
		// Stats first: its first call is the one that folds the closed days into the total.
		const stats = await timeCommand(instance, specs.stats, calls);
		const list = await timeCommand(instance, specs.list, calls);
		const listAll = await timeCommand(instance, specs.listAll, calls);
		return { stats, list, listAll };
	} finally {
		// An instance that crashed (its IPC already gone) cannot be stopped cleanly: its figures say why.
		await instance
			.stop()
			.catch((error: unknown) => progress(`stopping the instance: ${String(error)}`));
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
		// The status total keeps the last day it folded; changes after it are applied on each call.
		const statusTotals = await reader.readByAssociations(
			buildAssociations({ scope: RecordScope.StatusTotal }),
		);
		const throughDay = statusTotals
			.map((total) => (total as { throughDay?: unknown }).throughDay)
			.filter((day): day is string => typeof day === 'string')
			.sort()
			.pop();
		const changes = await reader.readByAssociations(
			buildAssociations({ scope: RecordScope.StatusChange }),
		);
		const liveStatusChanges = changes.filter((change) => {
			const { at } = change as { at?: unknown };
			return typeof at === 'string' && (throughDay === undefined || dayOf(at) > throughDay);
		}).length;
		return {
			summaries: summaries.length,
			summaryBytes,
			liveRecords: size - summarized,
			liveStatusChanges,
		};
	} finally {
		database.close();
	}
}

/** What one seeded size gave: the read scale's row, the latency part's result, or both. */
export interface ISizeResult {
	readonly row?: IReadScaleRow;
	readonly latency?: ILatencyResult;
}

/** Entries of the deleting member: what the latency part deletes, and some left over. */
function deleterEntries(config: IBenchConfig): number {
	return config.latencyRepeats + Math.ceil(config.latencyRepeats / 2) + 10;
}

/**
 * Seeds one size, then times the three commands (read scale) and every action (latency) as
 * asked: the latency part runs last, since it deletes and adds feedback.
 */
export async function runSize(
	size: number,
	config: IBenchConfig,
	appId: string,
	parts: { readonly reads: boolean; readonly latency: boolean },
): Promise<ISizeResult> {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), `bench-reads-${size}-`));
	try {
		const databasePath = path.join(folder, 'after.sqlite');
		const members: ISeedMember[] = [
			{ ...MEMBER, entries: Math.min(config.memberEntries, size) },
			{ ...DELETING_MEMBER, entries: Math.min(deleterEntries(config), Math.floor(size / 4)) },
		];
		const memberEntries = members[0].entries;
		progress(`size ${size}: seeding ${size} feedback over ${config.days} days`);
		const { result: seeded, ms: seedMs } = await timed(() =>
			seedFeedback({
				databasePath,
				appId,
				count: size,
				days: config.days,
				members,
				triagedPercent: config.triagedPercent,
				now: new Date(),
			}),
		);
		const databaseBytes = fs.statSync(databasePath).size;
		progress(
			`size ${size}: seeded in ${(seedMs / 1000).toFixed(1)} s, ${seeded.statusChanges} status changes, ${(databaseBytes / 1024 / 1024).toFixed(0)} MB`,
		);
		let row: IReadScaleRow | undefined;
		if (parts.reads) {
			const specs = commandSpecs(size, memberEntries);
			const fullReadMs = await timeFullRead(
				databasePath,
				appId,
				size,
				size > BEFORE_MAX_SIZE ? config.beforeRepeats : config.repeats,
			);
			let before: ICommandTimings | undefined;
			if (fs.existsSync(config.zips.feedbackBefore) && size <= BEFORE_MAX_SIZE) {
				// Its own copy: the app must see exactly the seeded records, no running total.
				const beforePath = path.join(folder, 'before.sqlite');
				fs.copyFileSync(databasePath, beforePath);
				progress(`size ${size}: timing the previous design (${config.beforeRef})`);
				try {
					before = await timeApp(
						() => startBeforeApp(config.zips.feedbackBefore, beforePath),
						specs,
						config.beforeRepeats,
					);
				} catch (error) {
					// Its figures are then n/a; the current design's are still worth having.
					progress(`size ${size}: the previous design did not run: ${String(error).slice(0, 300)}`);
				}
				fs.rmSync(beforePath, { force: true });
			}
			progress(`size ${size}: timing stats and lists`);
			const after = await timeApp(
				async () => (await startCluster(1, databasePath, config.zips.feedback))[0],
				specs,
				config.repeats,
			);
			const statsReads = await describeStatsReads(databasePath, appId, size);
			row = {
				size,
				days: config.days,
				memberEntries,
				seedMs,
				statusChanges: seeded.statusChanges,
				databaseBytes,
				after,
				before,
				fullReadMs,
				statsReads,
			};
		}
		const latency = parts.latency
			? await runLatency(size, databasePath, seeded.idsOf.get(DELETER) ?? [], config)
			: undefined;
		return { row, latency };
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

/** The Feedback app's id (the seeded records are filed under it). */
export function feedbackAppId(): string {
	const { id } = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'app.json'), 'utf8')) as {
		id: string;
	};
	return id;
}

/** Notes, once, that the previous design's app is missing. */
export function noteMissingBefore(config: IBenchConfig): void {
	if (!fs.existsSync(config.zips.feedbackBefore)) {
		progress(
			`no previous-design package at ${config.zips.feedbackBefore}: only the host-side full read stands for "before" (node scripts/rc-apps.mjs package --ref ${config.beforeRef})`,
		);
	}
}
