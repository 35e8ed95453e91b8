import type { InMemoryPersistence } from './InMemoryPersistence';

/**
 * Runs the operations side by side, letting one persistence call at a time go on, chosen by
 * `next`: every seed is one order of the two instances' reads and writes.
 */
export async function interleave(
	store: InMemoryPersistence,
	next: () => number,
	operations: ReadonlyArray<() => Promise<unknown>>,
): Promise<void> {
	const waiting: Array<() => void> = [];
	store.pause = () => new Promise<void>((resume) => waiting.push(resume));
	let settled = 0;
	const runs = operations.map((operation) =>
		operation().finally(() => {
			settled += 1;
		}),
	);
	try {
		while (settled < operations.length) {
			await new Promise((resolve) => setImmediate(resolve));
			if (waiting.length > 0) {
				waiting.splice(Math.floor(next() * waiting.length), 1)[0]();
			}
		}
		await Promise.all(runs);
	} finally {
		store.pause = () => Promise.resolve();
	}
}
