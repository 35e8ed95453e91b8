/**
 * Stored values parsed, one per key: racing writes and retries can store a record twice, and
 * every read keeps the first copy it meets. Values that do not parse are left out.
 */
export function distinctBy<T>(
	values: ReadonlyArray<unknown>,
	parse: (value: unknown) => T | undefined,
	keyOf: (item: T) => string,
): Array<T> {
	const byKey = new Map<string, T>();
	for (const item of values.map(parse)) {
		if (item !== undefined && !byKey.has(keyOf(item))) {
			byKey.set(keyOf(item), item);
		}
	}
	return [...byKey.values()];
}
