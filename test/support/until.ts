// Every wait in a test ends at a deadline, and fails naming what it waited for: a test never
// sleeps and then asserts, and never hangs.

/** How long one wait may take before a test calls it hung (a cluster call included). */
const CALL_DEADLINE_MS = 60_000;

/** How `until` checks its condition. */
export interface IUntilOptions {
	/** How long before the wait fails (default 30 s). */
	deadlineMs?: number;
	/** Milliseconds between two checks (default 10; 0 checks again at the next turn). */
	everyMs?: number;
	/** The last value seen, for the failure's message. */
	describe?: () => Promise<string> | string;
}

/** Resolves with the promise's value, or rejects once `deadlineMs` passed, naming `what`. */
export async function withDeadline<T>(
	promise: Promise<T>,
	what: string,
	deadlineMs = CALL_DEADLINE_MS,
): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() => reject(new Error(`Timed out after ${deadlineMs} ms waiting for ${what}`)),
			deadlineMs,
		);
	});
	try {
		return await Promise.race([promise, deadline]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Waits until `condition` holds, checking it every few milliseconds; fails with `what` (and the
 * last value `describe` gives, if any) once the deadline has passed. A condition that is itself
 * a promise gets the same deadline.
 */
export async function until(
	condition: () => Promise<boolean> | boolean,
	what: string,
	options: IUntilOptions = {},
): Promise<void> {
	const { deadlineMs = 30_000, everyMs = 10 } = options;
	const deadline = Date.now() + deadlineMs;
	for (;;) {
		if (await withDeadline(Promise.resolve(condition()), what, deadlineMs)) {
			return;
		}
		if (Date.now() > deadline) {
			const last = options.describe ? ` (last: ${await options.describe()})` : '';
			throw new Error(`Timed out after ${deadlineMs} ms waiting for ${what}${last}`);
		}
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}
