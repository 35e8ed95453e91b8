// Where the seeding's time goes, for the largest stores seeded: each phase's seconds and share.
import type { IMillionResults } from './million';
import type { IRunResults } from './report';
import { integer, size, table } from './report-format';
import type { ISeedBreakdown } from './seed-clock';

function phaseCell(breakdown: ISeedBreakdown, name: string): string {
	const phase = breakdown.phases.find((entry) => entry.name === name);
	if (!phase) {
		return '';
	}
	const count = phase.count !== undefined && phase.count > 1 ? `, ${integer(phase.count)}×` : '';
	return `${(phase.ms / 1000).toFixed(1)} s (${((phase.ms / breakdown.totalMs) * 100).toFixed(0)} %${count})`;
}

/** The seeding section: the largest store of run 1, the 1M store and the busy day's steps. */
export function seedingSection(
	runs: ReadonlyArray<IRunResults>,
	million: IMillionResults | undefined,
): string[] {
	const reads = runs[0]?.reads ?? [];
	const largest = reads[reads.length - 1];
	const stores: Array<readonly [string, ISeedBreakdown]> = [
		...(largest ? [[`${size(largest.size)} (run 1)`, largest.seedBreakdown] as const] : []),
		...(million?.row
			? [[`${size(million.row.size)} history`, million.row.seedBreakdown] as const]
			: []),
		...(million?.busy ?? []).map(
			(step) => [`busy day: ${size(step.today)} today`, step.seedBreakdown] as const,
		),
	];
	if (stores.length === 0) {
		return [];
	}
	// Phases in the order of the largest store's breakdown (largest first), then any other.
	const names = [
		...new Set(stores.flatMap(([, breakdown]) => breakdown.phases.map((phase) => phase.name))),
	];
	const order = stores[stores.length - 1][1].phases.map((phase) => phase.name);
	names.sort((a, b) => (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999));
	return [
		'## Seeding',
		'',
		"Where the seeding's time goes. Each feedback goes through the app's `FeedbackRepository.create` (a day " +
			"marker upsert, a read of the author's contributor mark and a mark when there is none, the record, the mark " +
			'read again) and each status change through `StatusLog.append` (a day marker upsert, the change), on the ' +
			"host's persistence bridge in this process; a bridge call's time is filed under the kind of record the app " +
			"was writing, and the rest of the app's call is its own code. A day marker upsert that repeats one already " +
			'stored is skipped (the record it would write is the one there), and a read whose answer the seeding knows ' +
			"(a member's contributor mark, read twice per named feedback, changes once per member) is answered from what " +
			'it wrote (bench/seed-reads.ts): the store ends the same, record for record. Commits come every 20,000 feedback, with no ' +
			'rollback journal; a store seeded from nothing keeps its association rows in a temporary table and copies them ' +
			'(in memory, under the same key) and copies them into theirs in its key order at the end, while the busy day, added to a store in use, writes them in place ' +
			'(the app reads its marks and markers there). A store seeded from nothing is noted as filed by the hour from ' +
			"the day before its first feedback (the app's `HourlyFiling.markSince`): every record carries its hour, as in a " +
			'store this version wrote from the start. Seconds, the share of the seeding, and how many calls.',
		'',
		...table(
			['phase', ...stores.map(([name]) => name)],
			[
				...names.map((name) => [
					name,
					...stores.map(([, breakdown]) => phaseCell(breakdown, name)),
				]),
				[
					'**total**',
					...stores.map(([, breakdown]) => `${(breakdown.totalMs / 1000).toFixed(1)} s`),
				],
				[
					'feedback / s (status changes seeded)',
					...stores.map(
						([, breakdown]) =>
							`${integer(breakdown.feedback / (breakdown.totalMs / 1000))} (${integer(breakdown.statusChanges)})`,
					),
				],
			],
		),
		'',
	];
}
