import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';

/**
 * When the app's recurring jobs last ran. One record, refreshed by the announcement job; an upsert
 * without a unique index can leave a second one (persistence bridge), so reads take the newest.
 */
export class JobHeartbeat {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Notes that a recurring job runs now. */
	public async beat(persistence: IPersistence, now: Date): Promise<void> {
		await persistence.updateByAssociations(this.association(), { at: now.toISOString() }, true);
	}

	/** The last time a recurring job ran, or undefined when none ever noted it. */
	public async last(): Promise<Date | undefined> {
		const times = (await this.reader.readByAssociations(this.association()))
			.map((record) => Date.parse(String((record as { at?: unknown } | null)?.at)))
			.filter((time) => !Number.isNaN(time));
		return times.length === 0 ? undefined : new Date(Math.max(...times));
	}

	private association() {
		return buildAssociations({ scope: RecordScope.JobsHeartbeat });
	}
}
