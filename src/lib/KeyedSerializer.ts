/** Runs tasks one after another per key, so two events for the same key never interleave. */
export class KeyedSerializer {
	private readonly tails = new Map<string, Promise<unknown>>();

	/** Runs task after every earlier task with the same key has settled. */
	public run<T>(key: string, task: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		// Tails never reject (see below), so the task always runs after the previous one settled.
		const result = previous.then(task);
		const tail = result.then(
			() => undefined,
			() => undefined,
		);
		this.tails.set(key, tail);
		void tail.then(() => {
			if (this.tails.get(key) === tail) {
				this.tails.delete(key);
			}
		});
		return result;
	}

	/** How many keys have work queued or running (for tests and leak checks). */
	public get activeKeys(): number {
		return this.tails.size;
	}
}
