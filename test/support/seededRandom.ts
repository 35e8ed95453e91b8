/** A small deterministic random source, so a failing sequence can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}
