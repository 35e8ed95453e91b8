// The app's own clock in its Deno process keeps real time (host/server/host-clock.ts), so a test cannot
// move it past the status notices' quiet time. It ages the records instead: what the app wrote
// about pending changes and sent notices is moved back in time, as if that time had passed.
import type { Database } from '../../host/server/database';

const AGED_FIELDS: ReadonlyArray<[scope: string, field: string]> = [
	['status-notice-pending', 'changeAt'],
	['status-notice-sent', 'sentAt'],
];

/** Moves the times of every pending status notice and sent-notice record back by `milliseconds`. */
export function ageStatusNotices(database: Database, appId: string, milliseconds: number): number {
	let aged = 0;
	for (const [scope, field] of AGED_FIELDS) {
		const rows = database
			.prepare<
				[string, string],
				{ id: string; data: string }
			>('SELECT id, data FROM persistence_records WHERE app_id = ? AND associations LIKE ?')
			.all(appId, `%"${scope}"%`);
		for (const row of rows) {
			const data = JSON.parse(row.data) as Record<string, unknown>;
			const value = data[field];
			if (typeof value === 'string') {
				data[field] = new Date(Date.parse(value) - milliseconds).toISOString();
				database
					.prepare('UPDATE persistence_records SET data = ? WHERE id = ?')
					.run(JSON.stringify(data), row.id);
				aged += 1;
			}
		}
	}
	return aged;
}
