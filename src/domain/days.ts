/** A day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long after its end a day is taken as closed: no instance will still store feedback
 * in it, so what it counts never changes but for deletes. It covers clock skew between instances.
 */
export const DAY_CLOSING_GRACE_MS = 2 * 60 * 60 * 1000;

/** An hour in milliseconds. */
export const HOUR_MS = 60 * 60 * 1000;

/**
 * The start of the UTC hour of a time: what is written for an anonymous feedback keeps no finer
 * time, so the server's own records of who acted when (a command's log entry, a member's last
 * activity) do not single out its author.
 */
export function startOfHour(time: Date): Date {
	return new Date(Math.floor(time.getTime() / HOUR_MS) * HOUR_MS);
}

/** The UTC day ("YYYY-MM-DD") of an ISO time. */
export function dayOf(iso: string): string {
	return iso.slice(0, 10);
}

/** When a UTC day ("YYYY-MM-DD") starts, in ms (NaN for a malformed day). */
export function startOfDay(day: string): number {
	return Date.parse(`${day}T00:00:00Z`);
}

/** Whether no feedback can be added to the day any more at this time. */
export function isDayClosed(day: string, now: Date): boolean {
	const start = startOfDay(day);
	return Number.isFinite(start) && now.getTime() >= start + DAY_MS + DAY_CLOSING_GRACE_MS;
}

/** How far folding closed days into a running total got when it ran out of budget. */
export interface IFoldProgress {
	readonly daysFolded: number;
	readonly daysLeft: number;
}

/**
 * The progress to show of several folds: the first still folding (the feedback's before the
 * status changes'), so the days counted are of one kind; undefined when none is.
 */
export function foldProgressOf(
	...folds: ReadonlyArray<IFoldProgress | undefined>
): IFoldProgress | undefined {
	return folds.find((fold): fold is IFoldProgress => fold !== undefined);
}
