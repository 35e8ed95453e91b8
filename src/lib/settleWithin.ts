// Timers exist in every app runtime (Deno and node); typed here because the app compiles without
// node's or the DOM's types.
declare function setTimeout(handler: () => void, milliseconds: number): unknown;
declare function clearTimeout(timer: unknown): void;

/**
 * Waits for a promise at most `milliseconds`: true when it settled in time, false when it is
 * still running (it goes on; its outcome is its own to handle). Never rejects.
 */
export async function settleWithin(work: Promise<unknown>, milliseconds: number): Promise<boolean> {
	let timer: unknown;
	const deadline = new Promise<false>((resolve) => {
		timer = setTimeout(() => resolve(false), milliseconds);
	});
	try {
		return await Promise.race([
			work.then(
				() => true,
				() => true,
			),
			deadline,
		]);
	} finally {
		clearTimeout(timer);
	}
}
