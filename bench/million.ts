// `--million`: the 1M history store, seeded once and measured as every size of the runs (read
// scale, a restart's first admin view, the latency of every action), then the busy day on top of
// it: today's feedback added in steps (5,000, then 50,000 in all), each step measured.
import * as fs from 'fs';

import {
	type IAdminFirst,
	adminViewState,
	describeAdminFirst,
	timeAdminFirst,
} from './admin-first';
import type { IBenchConfig } from './config';
import { type ILatencyResult, runLatency } from './latency';
import { DELETER, forms } from './latency-actions';
import { type IActionTiming, Recorder, repeat } from './latency-recorder';
import { progress, timed } from './measure';
import {
	describeStatsReads,
	type IReadScaleRow,
	type IStatsReads,
	measureReads,
	seedHistory,
} from './read-scale';
import { seedFeedback } from './seed';
import type { ISeedBreakdown } from './seed-clock';
import { openDatabase, startCluster } from '../host';
import { HOUR_MS, startOfDay } from '../src/domain/days';
import { buildAssociations, RecordScope } from '../src/persistence/associations';

const ADMIN = 'admin';
const ROOM = 'general';

/** One step of the busy day: today's feedback so far, on top of the history store. */
export interface IBusyStep {
	/** Feedback added today in all, this step's included. */
	readonly today: number;
	/** Feedback this step added. */
	readonly added: number;
	/** Feedback in the store once this step was seeded (history, latency part and today). */
	readonly storeSize: number;
	/** Hours of the UTC day passed when this step was seeded: today's feedback is spread over them. */
	readonly hoursOfToday: number;
	readonly statusChanges: number;
	readonly seedMs: number;
	readonly seedBreakdown: ISeedBreakdown;
	/** The first `/feedback admin` after a restart. */
	readonly adminFirst: IAdminFirst;
	/** stats, admin-open (the first page), list-all, form-open and submit. */
	readonly actions: ReadonlyArray<IActionTiming>;
	readonly statsReads: IStatsReads;
}

/** What `--million` measured. */
export interface IMillionResults {
	readonly row?: IReadScaleRow;
	readonly latency?: ILatencyResult;
	readonly busy: ReadonlyArray<IBusyStep>;
	/** Why the busy day stopped, when it did. */
	readonly busyProblem?: string;
}

/**
 * Feedback in the store, counted in the file: the rows of the app-wide feedback association
 * (host/server/persistence-bridge.ts keys an association as the JSON of [model, id]).
 */
function feedbackInStore(databasePath: string, appId: string): number {
	const [association] = buildAssociations({ scope: RecordScope.Feedback });
	const key = JSON.stringify([association.getModel(), association.getID()]);
	const database = openDatabase(databasePath);
	try {
		const row = database
			.prepare(
				'SELECT COUNT(*) AS count FROM persistence_associations WHERE app_id = ? AND association = ?',
			)
			.get(appId, key) as { count: number };
		return row.count;
	} finally {
		database.close();
	}
}

/** Times stats, the admin view's first page and list all on one instance, then the forms. */
async function measureBusy(
	databasePath: string,
	total: number,
	config: IBenchConfig,
): Promise<IActionTiming[]> {
	const [instance] = await startCluster(1, databasePath, config.zips.feedback);
	const recorder = new Recorder();
	try {
		// Once each untimed: the app's first call of a path compiles it.
		await instance.command(ADMIN, ROOM, '/feedback stats');
		await instance.command(ADMIN, ROOM, '/feedback list all');
		await instance.command(ADMIN, ROOM, '/feedback admin');
		const expect = (wanted: string) => (answer: string[]) =>
			answer.join('\n').includes(wanted)
				? undefined
				: `expected "${wanted}", got: ${answer.join(' · ').slice(0, 200)}`;
		await repeat(config.latencyRepeats, config.latencyBudgetSeconds * 1000, async () => {
			await recorder.time(
				'stats',
				() => instance.command(ADMIN, ROOM, '/feedback stats'),
				expect(`Feedback received: ${total}`),
			);
			await recorder.time(
				'admin-open',
				() => instance.command(ADMIN, ROOM, '/feedback admin'),
				async () => {
					const open = await instance.openView(ADMIN);
					const state = adminViewState(open?.viewId, open?.view.blocks);
					return state === 'complete' ? undefined : `the admin view showed: ${state}`;
				},
			);
			await recorder.time(
				'list-all',
				() => instance.command(ADMIN, ROOM, '/feedback list all'),
				expect(`(${total} entries)`),
			);
		});
		// Last: each submit adds feedback of today.
		await forms.run({
			instance,
			recorder,
			size: total,
			repeats: config.latencyRepeats,
			budgetMs: config.latencyBudgetSeconds * 1000,
			exportRepeats: 0,
			deleterIds: [],
		});
		const measured = new Set(['stats', 'admin-open', 'list-all', 'form-open', 'submit']);
		return recorder.results().filter((action) => measured.has(action.key));
	} finally {
		await instance
			.stop()
			.catch((error: unknown) => progress(`stopping the instance: ${String(error)}`));
	}
}

/**
 * The busy day on a history store: each step adds today's feedback up to its total, spread
 * evenly from 00:00 UTC to now (at 00:30 UTC, all of it in one half hour), with the history's
 * share of status changes, each made halfway between its feedback and now.
 */
async function runBusyDay(
	databasePath: string,
	config: IBenchConfig,
	appId: string,
	steps: IBusyStep[],
): Promise<void> {
	let today = 0;
	for (const total of config.busy) {
		const now = new Date();
		const midnight = new Date(startOfDay(now.toISOString().slice(0, 10)));
		const count = total - today;
		progress(`busy day: adding ${count} feedback of today (${total} in all)`);
		const { result: seeded, ms: seedMs } = await timed(() =>
			seedFeedback({
				databasePath,
				appId,
				count,
				from: midnight,
				to: now,
				members: [],
				triagedPercent: config.triagedPercent,
				now,
				seed: 1_000_000_007 + total,
			}),
		);
		today = total;
		const storeSize = feedbackInStore(databasePath, appId);
		const adminFirst = await timeAdminFirst(databasePath, config.zips.feedback);
		progress(
			`busy day ${total}: first admin view after a restart: ${describeAdminFirst(adminFirst)}`,
		);
		const actions = await measureBusy(databasePath, storeSize, config);
		steps.push({
			today: total,
			added: count,
			storeSize,
			hoursOfToday: (now.getTime() - midnight.getTime()) / HOUR_MS,
			statusChanges: seeded.statusChanges,
			seedMs,
			seedBreakdown: seeded.breakdown,
			adminFirst,
			actions,
			// Counted again: the submits added feedback of today.
			statsReads: await describeStatsReads(
				databasePath,
				appId,
				feedbackInStore(databasePath, appId),
			),
		});
	}
}

/** Seeds the 1M history store once, measures it as the runs do, then the busy day on top. */
export async function runMillion(config: IBenchConfig, appId: string): Promise<IMillionResults> {
	const size = config.millionSize;
	const store = await seedHistory(size, config, appId);
	try {
		const row = config.parts.has('reads') ? await measureReads(store, config, appId) : undefined;
		// One export of each kind: each writes every entry, a minute's work at 1M whatever the design.
		const latency = config.parts.has('latency')
			? await runLatency(
					size,
					store.databasePath,
					store.seeded.idsOf.get(DELETER) ?? [],
					config,
					Math.min(1, config.exportRepeats),
				)
			: undefined;
		const busy: IBusyStep[] = [];
		try {
			await runBusyDay(store.databasePath, config, appId, busy);
			return { row, latency, busy };
		} catch (error) {
			// The steps measured stay in the report, with why the rest is missing.
			const problem = error instanceof Error ? error.message : String(error);
			progress(`busy day stopped: ${problem}`);
			return { row, latency, busy, busyProblem: problem };
		}
	} finally {
		fs.rmSync(store.folder, { recursive: true, force: true });
	}
}
