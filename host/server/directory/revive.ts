/** Date fields the engine and apps expect as Date objects after a JSON round trip. */
export function reviveDates<T extends object>(value: T, fields: readonly string[]): T {
	const revived: Record<string, unknown> = { ...(value as Record<string, unknown>) };
	for (const field of fields) {
		const raw = revived[field];
		if (typeof raw === 'string') {
			revived[field] = new Date(raw);
		}
	}
	return revived as unknown as T;
}
