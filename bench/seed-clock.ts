// Where the seeding's time goes: each bridge call of the app's write path is timed under the kind
// of record being written, and the seeding's own steps (building records, commits, the sorted
// copy of the association rows) beside them; what is left is the app's own code.

/** The kinds of record the seeding writes through the app. */
export type SeedKind = 'feedback' | 'status change';

/** One line of the breakdown. */
export interface ISeedPhase {
	readonly name: string;
	readonly ms: number;
	/** Calls or steps behind the time, where counting them says something. */
	readonly count?: number;
}

/** The seeding of one store, taken apart. */
export interface ISeedBreakdown {
	readonly totalMs: number;
	readonly feedback: number;
	readonly statusChanges: number;
	/** The phases, largest first; they add up to the total. */
	readonly phases: ReadonlyArray<ISeedPhase>;
}

/** Adds up time per phase; bridge calls are filed under the kind of record being written. */
export class SeedClock {
	private readonly totals = new Map<string, { ms: number; count: number }>();

	/** The kind of record the app is writing now (bridge calls are filed under it). */
	public kind: SeedKind = 'feedback';

	/** Adds a stretch of time to a phase. */
	public add(name: string, ms: number, count = 1): void {
		const known = this.totals.get(name) ?? { ms: 0, count: 0 };
		this.totals.set(name, { ms: known.ms + ms, count: known.count + count });
	}

	/** Times a step of the seeding under a phase. */
	public time<T>(name: string, step: () => T): T {
		const started = performance.now();
		try {
			return step();
		} finally {
			this.add(name, performance.now() - started);
		}
	}

	/** Times a bridge call, filed under the current kind of record. */
	public async bridge<T>(method: string, call: () => Promise<T>): Promise<T> {
		const name = `${this.kind}: bridge ${method}`;
		const started = performance.now();
		try {
			return await call();
		} finally {
			this.add(name, performance.now() - started);
		}
	}

	/** Times one write of the app (FeedbackRepository.create, StatusLog.append), its bridge calls apart. */
	public async write(kind: SeedKind, method: string, write: () => Promise<void>): Promise<void> {
		this.kind = kind;
		const bridgeBefore = this.bridgeMs(kind);
		const started = performance.now();
		await write();
		const own = performance.now() - started - (this.bridgeMs(kind) - bridgeBefore);
		this.add(`${kind}: ${method}, the app's own code`, own);
	}

	/** The breakdown: every phase, the rest of `totalMs` as "other". */
	public breakdown(totalMs: number, feedback: number, statusChanges: number): ISeedBreakdown {
		const phases: ISeedPhase[] = [...this.totals].map(([name, { ms, count }]) => ({
			name,
			ms,
			count,
		}));
		const measured = phases.reduce((sum, phase) => sum + phase.ms, 0);
		phases.push({ name: 'other (the seeding loop, ids, random numbers)', ms: totalMs - measured });
		phases.sort((a, b) => b.ms - a.ms);
		return { totalMs, feedback, statusChanges, phases };
	}

	private bridgeMs(kind: SeedKind): number {
		let sum = 0;
		for (const [name, { ms }] of this.totals) {
			if (name.startsWith(`${kind}: bridge `)) {
				sum += ms;
			}
		}
		return sum;
	}
}
