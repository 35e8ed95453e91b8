/** Runs one phase of an engine test and prints how long it took (`# phase <name>: <ms> ms`). */
export async function timed<T>(phase: string, action: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await action();
	} finally {
		console.log(`# phase ${phase}: ${Date.now() - started} ms`);
	}
}
