// What the latency part times, and how it keeps the samples: the actions a member or an admin
// takes, each timed end to end (driver → instance → app → bridges → back, until the app is idle).
import { timed } from './measure';

/** Every action the latency part times, in the order the report lists them. */
export const ACTIONS = [
	{ key: 'form-open', label: 'open the form (`/feedback`)' },
	{ key: 'submit', label: 'submit the form' },
	{ key: 'list', label: "the member's list (`/feedback list`, a modal)" },
	{ key: 'list-all', label: '`/feedback list all` (page 1)' },
	{ key: 'stats', label: '`/feedback stats`' },
	{ key: 'delete', label: '`/feedback delete <id>`' },
	{ key: 'list-page', label: "member's list: Next / Previous (`list-page`)" },
	{ key: 'list-delete', label: "member's list: Delete (`list-delete`, asks to confirm)" },
	{
		key: 'list-delete-confirm',
		label: "member's list: confirm the delete (`list-delete-confirm`)",
	},
	{ key: 'list-delete-cancel', label: "member's list: cancel the delete (`list-delete-cancel`)" },
	{ key: 'admin-open', label: 'open the admin view (`/feedback admin`)' },
	{
		key: 'stats-admin-open',
		label: 'the button under the stats reply that opens the admin view (`admin-open`)',
	},
	{ key: 'admin-page', label: 'admin view: Next / Previous (`admin-page`)' },
	{
		key: 'admin-filter-category',
		label: 'admin view: filter a category (`admin-filter-category`)',
	},
	{ key: 'admin-filter-status', label: 'admin view: filter a status (`admin-filter-status`)' },
	{
		key: 'admin-change-status',
		label: 'admin view: Change status (`admin-change-status`, opens the form)',
	},
	{ key: 'status-submit', label: 'admin view: submit the status form' },
	{ key: 'admin-delete', label: 'admin view: Delete (`admin-delete`, asks to confirm)' },
	{ key: 'admin-delete-confirm', label: 'admin view: confirm the delete (`admin-delete-confirm`)' },
	{ key: 'admin-delete-cancel', label: 'admin view: cancel the delete (`admin-delete-cancel`)' },
	{
		key: 'export',
		label:
			'`/feedback export` (everything, the default upload limit: 2 MiB parts, the cap of the app)',
	},
	{
		key: 'export-parts',
		label: '`/feedback export` with `FileUpload_MaxFileSize` at 1 MiB (a file per MiB)',
	},
] as const;

export type ActionKey = (typeof ACTIONS)[number]['key'];

/** The timed calls of one action at one size. */
export interface IActionTiming {
	readonly key: ActionKey;
	/** Milliseconds of each timed call. */
	readonly samples: ReadonlyArray<number>;
	/** The first answer that was not what the action should give, if any. */
	readonly problem?: string;
	/** Why the action has no figure (then `samples` is empty). */
	readonly notMeasured?: string;
}

/** Fewer timed calls than this are never taken, whatever the budget. */
export const MIN_SAMPLES = 5;

/**
 * Runs `body` up to `times` times; once `budgetMs` has passed it stops as soon as it has
 * MIN_SAMPLES, so an action that is slow at a size costs seconds, not minutes.
 */
export async function repeat(
	times: number,
	budgetMs: number,
	body: (index: number) => Promise<void>,
): Promise<void> {
	const started = performance.now();
	for (let index = 0; index < times; index += 1) {
		if (index >= MIN_SAMPLES && performance.now() - started > budgetMs) {
			return;
		}
		await body(index);
	}
}

/** The samples, wrong answers and reasons of the actions of one size. */
export class Recorder {
	private readonly samples = new Map<ActionKey, number[]>();

	private readonly problems = new Map<ActionKey, string>();

	private readonly reasons = new Map<ActionKey, string>();

	/** Times one call; `check` then says what is wrong with its answer (undefined: nothing). */
	public async time<T>(
		key: ActionKey,
		action: () => Promise<T>,
		check: (result: T) => string | undefined | Promise<string | undefined> = () => undefined,
	): Promise<T> {
		const { result, ms } = await timed(action);
		this.samples.set(key, [...(this.samples.get(key) ?? []), ms]);
		const problem = await check(result);
		if (problem !== undefined) {
			this.problem(key, problem);
		}
		return result;
	}

	/** Notes a wrong answer (the first one of an action is kept). */
	public problem(key: ActionKey, text: string): void {
		if (!this.problems.has(key)) {
			this.problems.set(key, text);
		}
	}

	/** Drops an action's samples: what was timed is not the action (e.g. it failed each time). */
	public discard(key: ActionKey, reason: string): void {
		this.samples.delete(key);
		this.problems.delete(key);
		this.reasons.set(key, reason);
	}

	/** Gives every action of `keys` that has no sample yet this reason. */
	public notMeasured(keys: ReadonlyArray<ActionKey>, reason: string): void {
		for (const key of keys) {
			if (!this.samples.has(key) && !this.reasons.has(key)) {
				this.reasons.set(key, reason);
			}
		}
	}

	/** Every action, in the report's order. */
	public results(): IActionTiming[] {
		return ACTIONS.map(({ key }) => ({
			key,
			samples: this.samples.get(key) ?? [],
			problem: this.problems.get(key),
			notMeasured:
				this.reasons.get(key) ?? (this.samples.has(key) ? undefined : 'not reached (see progress)'),
		}));
	}
}
