// Duplicate job documents, as Rocket.Chat's scheduler can hold them: Agenda saves a recurring job
// with findOneAndUpdate({ name, type: 'single' }, …, { upsert: true }) and the collection has no
// unique index (packages/agenda/src/Agenda.ts), so instances registering at once can each insert
// one. Each copy is locked and run on its own, on any instance, possibly at the same moment.
import type { Database } from '../../host/server/database';
import { newJobId } from '../../host/server/scheduler/job-store';

/**
 * Stores `copies` more documents of the recurring job whose name starts with `namePrefix`, each
 * due when the original is, and returns their ids. Drops the host's old one-per-name index first
 * (the server has none).
 */
export function duplicateRecurringJob(
	database: Database,
	namePrefix: string,
	copies = 1,
): string[] {
	database.exec('DROP INDEX IF EXISTS apps_scheduler_jobs_one_recurring_per_name');
	const original = database
		.prepare<
			[{ prefix: string }],
			{ id: string }
		>("SELECT id FROM apps_scheduler_jobs WHERE type = 'single' AND substr(name, 1, length(@prefix)) = @prefix ORDER BY rowid LIMIT 1")
		.get({ prefix: namePrefix });
	if (!original) {
		throw new Error(`no recurring job named ${namePrefix}… is stored`);
	}
	const ids: string[] = [];
	for (let copy = 0; copy < copies; copy += 1) {
		const id = newJobId(Date.now());
		database
			.prepare(
				`INSERT INTO apps_scheduler_jobs (id, name, type, data, priority, next_run_at, repeat_interval,
					last_run_at, last_finished_at, locked_at, locked_by, fail_count, fail_reason, failed_at, last_modified_by)
				SELECT @id, name, type, data, priority, next_run_at, repeat_interval, last_run_at, last_finished_at,
					NULL, NULL, 0, NULL, NULL, last_modified_by
				FROM apps_scheduler_jobs WHERE id = @original`,
			)
			.run({ id, original: original.id });
		ids.push(id);
	}
	return ids;
}
