/**
 * Waits until `condition` holds, checking every few milliseconds, and fails with `what` once
 * `deadlineMs` has passed: every wait in a test has a deadline.
 */
export async function until(
	condition: () => boolean,
	what: string,
	deadlineMs = 15_000,
): Promise<void> {
	const deadline = Date.now() + deadlineMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${deadlineMs} ms waiting for ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
