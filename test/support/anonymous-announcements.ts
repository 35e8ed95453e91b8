// The app's own clock in its Deno process keeps real time (host/server/host-clock.ts), so a test cannot
// move it past the hour an anonymous feedback waits for its announcement. It ages the queue
// instead: the entries of anonymous feedback are moved back in time, as if their hour had closed.
import type { Database } from '../../host/server/database';

/** How long an anonymous announcement waits: until the UTC hour it was sent in has closed. */
export const ANONYMOUS_HOUR_MS = 60 * 60 * 1000;

/**
 * Moves the queue entry of every anonymous feedback whose hour has not closed by the app's clock
 * (real time) back by `milliseconds` (an hour by default), so it is due; entries already due are
 * left as they are (aging twice would eat into their retry window). Returns how many anonymous
 * entries are queued, all of them due now.
 */
export function ageAnonymousAnnouncements(
	database: Database,
	appId: string,
	milliseconds = ANONYMOUS_HOUR_MS,
): number {
	const rowsOf = (scope: string) =>
		database
			.prepare<
				[string, string],
				{ id: string; data: string }
			>('SELECT id, data FROM persistence_records WHERE app_id = ? AND associations LIKE ?')
			.all(appId, `%"${scope}"%`);
	const anonymous = new Set<string>();
	for (const row of rowsOf('feedback')) {
		const data = JSON.parse(row.data) as Record<string, unknown>;
		if (data.anonymous === true && typeof data.id === 'string') {
			anonymous.add(data.id);
		}
	}
	let queued = 0;
	for (const row of rowsOf('announcement-queue')) {
		const data = JSON.parse(row.data) as Record<string, unknown>;
		const { feedbackId, queuedAt } = data;
		if (
			typeof feedbackId !== 'string' ||
			!anonymous.has(feedbackId) ||
			typeof queuedAt !== 'string'
		) {
			continue;
		}
		queued += 1;
		if (Date.parse(queuedAt) + ANONYMOUS_HOUR_MS > Date.now()) {
			data.queuedAt = new Date(Date.parse(queuedAt) - milliseconds).toISOString();
			database
				.prepare('UPDATE persistence_records SET data = ? WHERE id = ?')
				.run(JSON.stringify(data), row.id);
		}
	}
	return queued;
}
