import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { type IAdminFirst, describeAdminFirst, timeAdminFirst } from './admin-first';
import { type ICommandRunner, startBeforeApp } from './before-app';
import { BEFORE_MAX_SIZE, type IBenchConfig } from './config';
import { type ILatencyResult, runLatency } from './latency';
import { DELETER, LISTER } from './latency-actions';
import { median, progress, timed } from './measure';
import { residentOf, resetPeak } from './memory';
import { BridgePersistenceRead, type ISeeded, type ISeedMember, seedFeedback } from './seed';
import type { ISeedBreakdown } from './seed-clock';
import { openDatabase, projectRoot, SqlitePersistenceBridge, startCluster } from '../host';
import { MEMBER_LIST_VIEW_ID } from '../src/domain/actions';
import { DAY_MS } from '../src/domain/days';
import { PAGE_SIZE } from '../src/domain/paging';
import { parseTally, tallyOf } from '../src/domain/tally';
import { distinctNewestFirst } from '../src/persistence/FeedbackRecord';
import { buildAssociations, RecordScope } from '../src/persistence/associations';

/** The fixture members with entries of their own (host/server/directory/fixtures.ts seeds them as user-<name>). */
const MEMBER = { id: `user-${LISTER}`, username: LISTER, name: 'Alice Doe' };
const DELETING_MEMBER = { id: `user-${DELETER}`, username: DELETER, name: 'Dora Diaz' };

/** Timings of one command at one size. */
export interface ICommandTiming {
	/**
	 * From the first call after the app started to its first complete answer (for stats: the
	 * calls that fold the closed days into the running total), waits between calls included.
	 */
	readonly firstMs: number;
	/** Calls until that complete answer: 1, unless the app answered that it was still preparing or a call failed. */
	readonly firstCalls: number;
	/** Of those, the calls that failed (e.g. the engine's 30 s limit). */
	readonly firstFailures: number;
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
	/** Days the seeded history spans (size / daily, ending now). */
	readonly days: number;
	readonly memberEntries: number;
	readonly seedMs: number;
	/** Status changes seeded (the triaged share). */
	readonly statusChanges: number;
	/** The database file once seeded, in bytes. */
	readonly databaseBytes: number;
	/** The bench process's peak resident memory while seeding (VmHWM), when /proc tells. */
	readonly seedPeakBytes?: number;
	/** Where the seeding's time went. */
	readonly seedBreakdown: ISeedBreakdown;
	/** The current design (dist/feedback_1.0.0.zip). */
	readonly after: ICommandTimings;
	/** The previous design's app, packaged from its commit; absent when not packaged or too large a size. */
	readonly before?: ICommandTimings;
	/** Median time to read and parse every feedback record in the host, without an app. */
	readonly fullReadMs: number;
	/** What each steady-state stats call of the current design reads. */
	readonly statsReads: IStatsReads;
	/** The first `/feedback admin` after a restart, once the commands above ran. */
	readonly adminFirst: IAdminFirst;
}

/** What a stats call of the current design reads besides the day markers. */
export interface IStatsReads {
	/** Stored running totals of the closed days (one, or two after a racing upsert), and their size as JSON. */
	readonly summaries: number;
	readonly summaryBytes: number;
	/** Feedback not folded into the total (still open), read record by record; undefined when the total's shape is not known. */
	readonly liveRecords?: number;
	/**
	 * Status changes not folded into the status total: each is applied on top of it, its
	 * feedback's changes read again only when the change cannot tell the status before the day.
	 */
	readonly liveStatusChanges: number;
	/** What the totals fold: whole days, or hours (a total that says through which hour). */
	readonly openUnit: 'days' | 'hours';
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

/**
 * How a stats call (and `list all`, which needs the same total) answers when it could not fold
 * every closed day within one call: it stored what it folded, and a later call goes on.
 */
const PREPARING = /Statistics are still being prepared/i;

/** How long an app the engine gave up on must go without a bridge call to count as done. */
const QUIET_MS = 3000;

/** At most this many calls, and this long, until the first complete answer. */
const MAX_FIRST_CALLS = 100;
const FIRST_ANSWER_BUDGET_MS = 30 * 60_000;

async function sleep(milliseconds: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Waits until the app has made no bridge call for QUIET_MS. After the engine's 30 s limit the
 * engine answers the caller with an error, but the app goes on with the call (and stores the
 * total it folded at the end): asking again meanwhile would only fold the same days beside it.
 */
async function untilQuiet(instance: ICommandRunner, deadline: number): Promise<void> {
	if (!instance.persistenceCalls) {
		return;
	}
	let last = await instance.persistenceCalls();
	let quietSince = performance.now();
	while (performance.now() - quietSince < QUIET_MS) {
		if (performance.now() > deadline) {
			throw new Error('the app was still making bridge calls at the end of the time allowed');
		}
		await sleep(250);
		const calls = await instance.persistenceCalls();
		if (calls !== last) {
			last = calls;
			quietSince = performance.now();
		}
	}
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Calls until the answer is complete: not "still being prepared" (an app that folds a bounded
 * number of days per call), and not a failed call (the engine's limit, hit by an app that folds
 * everything at once). Both kinds of app get here with the same code.
 */
async function firstAnswer(
	instance: ICommandRunner,
	spec: ICommandSpec,
): Promise<
	Pick<ICommandTiming, 'firstMs' | 'firstCalls' | 'firstFailures' | 'problem'> & {
		readonly complete: boolean;
	}
> {
	const started = performance.now();
	const deadline = started + FIRST_ANSWER_BUDGET_MS;
	let failures = 0;
	let lastProblem: string;
	for (let calls = 1; ; calls += 1) {
		try {
			const answer = (await instance.command(spec.username, 'general', spec.text)).join('\n');
			if (!PREPARING.test(answer)) {
				const firstMs = performance.now() - started;
				const problem = await spec.check(answer, instance);
				return { firstMs, firstCalls: calls, firstFailures: failures, problem, complete: true };
			}
			lastProblem = `still being prepared: ${answer.slice(0, 120)}`;
		} catch (error) {
			failures += 1;
			lastProblem = `the call failed: ${messageOf(error)}`;
			try {
				await untilQuiet(instance, deadline);
			} catch (waitError) {
				// The instance is gone or never went quiet: no complete answer will come.
				return {
					firstMs: performance.now() - started,
					firstCalls: calls,
					firstFailures: failures,
					problem: `${lastProblem}; then ${messageOf(waitError)}`,
					complete: false,
				};
			}
		}
		progress(
			`${spec.text}: call ${calls} after ${((performance.now() - started) / 1000).toFixed(0)} s: ${lastProblem.slice(0, 160)}`,
		);
		if (calls >= MAX_FIRST_CALLS || performance.now() > deadline) {
			return {
				firstMs: performance.now() - started,
				firstCalls: calls,
				firstFailures: failures,
				problem: `no complete answer after ${calls} calls (last: ${lastProblem})`,
				complete: false,
			};
		}
	}
}

async function timeCommand(
	instance: ICommandRunner,
	spec: ICommandSpec,
	calls: number,
): Promise<ICommandTiming> {
	const first = await firstAnswer(instance, spec);
	const problems: string[] = first.problem ? [first.problem] : [];
	const rest: number[] = [];
	// Timed calls only once an answer was complete, and none after a failed one: the app may
	// still be working on it, and each call more would pile up beside it.
	let failed = first.complete ? 0 : 1;
	for (let call = 0; call < calls && failed === 0; call += 1) {
		const started = performance.now();
		try {
			const result = await instance.command(spec.username, 'general', spec.text);
			rest.push(performance.now() - started);
			const problem = await spec.check(result.join('\n'), instance);
			if (problem) {
				problems.push(problem);
			}
		} catch (error) {
			failed += 1;
			problems.push(`the call failed: ${messageOf(error)}`);
		}
	}
	return {
		firstMs: first.firstMs,
		firstCalls: first.firstCalls,
		firstFailures: first.firstFailures,
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

/**
 * How far a stored total goes: its `reach` (an hour, "YYYY-MM-DDTHH"), or the `through…` field
 * of a total of an earlier shape (a day, "YYYY-MM-DD"), so the count works on totals that fold by
 * the hour and on totals that fold by the day.
 */
function throughOf(total: unknown): string | undefined {
	if (typeof total !== 'object' || total === null) {
		return undefined;
	}
	const entry = Object.entries(total).find(
		([name, value]) =>
			(name === 'reach' || name.startsWith('through')) && typeof value === 'string',
	);
	return entry?.[1] as string | undefined;
}

/** The furthest of the stored totals' reach, or undefined when none says. */
function furthest(totals: ReadonlyArray<unknown>): string | undefined {
	return totals
		.map(throughOf)
		.filter((through): through is string => through !== undefined)
		.sort()
		.pop();
}

/** Counts, once the current design has run, what its stats calls read. */
export async function describeStatsReads(
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
		let summaryBytes = 0;
		const totals: Array<number | undefined> = summaries.map((summary) => {
			summaryBytes += JSON.stringify(summary).length;
			return parseTally((summary as { tally?: unknown }).tally)?.total;
		});
		// Of two copies (a racing upsert) the app reads the furthest: the largest count.
		const summarized = totals.every((total): total is number => total !== undefined)
			? Math.max(0, ...totals)
			: undefined;
		// The status total keeps the last day (or hour) it folded; changes after it are applied on each call.
		const statusThrough = furthest(
			await reader.readByAssociations(buildAssociations({ scope: RecordScope.StatusTotal })),
		);
		const changes = await reader.readByAssociations(
			buildAssociations({ scope: RecordScope.StatusChange }),
		);
		const liveStatusChanges = changes.filter((change) => {
			const { at } = change as { at?: unknown };
			return (
				typeof at === 'string' &&
				(statusThrough === undefined || at.slice(0, statusThrough.length) > statusThrough)
			);
		}).length;
		const reach = furthest(summaries) ?? statusThrough ?? '';
		return {
			summaries: summaries.length,
			summaryBytes,
			liveRecords: summarized === undefined ? undefined : size - summarized,
			liveStatusChanges,
			openUnit: reach.length > 'YYYY-MM-DD'.length ? 'hours' : 'days',
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

/** A history store seeded in a folder of its own. */
export interface IHistoryStore {
	readonly folder: string;
	readonly databasePath: string;
	readonly size: number;
	readonly days: number;
	readonly memberEntries: number;
	readonly seeded: ISeeded;
	readonly seedMs: number;
	readonly seedPeakBytes?: number;
	readonly databaseBytes: number;
}

/** Seeds `size` feedback on the history axis: `config.daily` a day, ending now. */
export async function seedHistory(
	size: number,
	config: IBenchConfig,
	appId: string,
): Promise<IHistoryStore> {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), `bench-reads-${size}-`));
	const databasePath = path.join(folder, 'after.sqlite');
	const members: ISeedMember[] = [
		{ ...MEMBER, entries: Math.min(config.memberEntries, size) },
		{ ...DELETING_MEMBER, entries: Math.min(deleterEntries(config), Math.floor(size / 4)) },
	];
	const days = size / config.daily;
	progress(`size ${size}: seeding ${size} feedback over ${days.toFixed(1)} days`);
	const now = new Date();
	// The seeding runs in this process: its peak is this process's peak from here.
	const peakKnown = resetPeak(process.pid);
	const { result: seeded, ms: seedMs } = await timed(() =>
		seedFeedback({
			databasePath,
			appId,
			count: size,
			from: new Date(now.getTime() - days * DAY_MS),
			to: now,
			members,
			triagedPercent: config.triagedPercent,
			now,
			seed: size,
		}),
	);
	const seedPeakBytes = peakKnown ? residentOf(process.pid)?.peakBytes : undefined;
	const databaseBytes = fs.statSync(databasePath).size;
	progress(
		`size ${size}: seeded in ${(seedMs / 1000).toFixed(1)} s (${Math.round(size / (seedMs / 1000))} feedback/s), ${seeded.statusChanges} status changes, ${(databaseBytes / 1024 / 1024).toFixed(0)} MB, peak memory ${seedPeakBytes === undefined ? 'n/a' : `${(seedPeakBytes / 1024 / 1024).toFixed(0)} MB`}`,
	);
	return {
		folder,
		databasePath,
		size,
		days,
		memberEntries: members[0].entries,
		seeded,
		seedMs,
		seedPeakBytes,
		databaseBytes,
	};
}

/** Times the three commands on a seeded store (and the previous design's, up to its size), then a restart's first admin view. */
export async function measureReads(
	store: IHistoryStore,
	config: IBenchConfig,
	appId: string,
): Promise<IReadScaleRow> {
	const { size, databasePath, folder } = store;
	const specs = commandSpecs(size, store.memberEntries);
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
	const adminFirst = await timeAdminFirst(databasePath, config.zips.feedback);
	progress(`size ${size}: first admin view after a restart: ${describeAdminFirst(adminFirst)}`);
	return {
		size,
		days: store.days,
		memberEntries: store.memberEntries,
		seedMs: store.seedMs,
		statusChanges: store.seeded.statusChanges,
		databaseBytes: store.databaseBytes,
		seedPeakBytes: store.seedPeakBytes,
		seedBreakdown: store.seeded.breakdown,
		after,
		before,
		fullReadMs,
		statsReads,
		adminFirst,
	};
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
	exportRepeats = config.exportRepeats,
): Promise<ISizeResult> {
	const store = await seedHistory(size, config, appId);
	try {
		const row = parts.reads ? await measureReads(store, config, appId) : undefined;
		const latency = parts.latency
			? await runLatency(
					size,
					store.databasePath,
					store.seeded.idsOf.get(DELETER) ?? [],
					config,
					exportRepeats,
				)
			: undefined;
		return { row, latency };
	} finally {
		fs.rmSync(store.folder, { recursive: true, force: true });
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
