import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { parseVoteRefresh } from '../domain/voteRefresh';
import type { IVoteRefresh } from '../domain/voteRefresh';

/**
 * Clicks whose announcement's count is still to verify: one record per click, written before its
 * vote and removed once the count shown is verified, so a click whose process stops anywhere in
 * between leaves a record for the recurring refresh (handlers/VoteCountJob.ts).
 */
export class VoteRefreshes {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Notes a click (a copy of it may be noted already: both go together). */
	public async add(persistence: IPersistence, refresh: IVoteRefresh): Promise<void> {
		await persistence.createWithAssociations(refresh, this.of(refresh));
	}

	/** Every click still to verify. */
	public async pending(): Promise<Array<IVoteRefresh>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.VoteCountRefresh }),
		);
		return stored
			.map(parseVoteRefresh)
			.filter((refresh): refresh is IVoteRefresh => refresh !== undefined);
	}

	/** Removes a click's records (every copy of that click, no other click's). */
	public async remove(persistence: IPersistence, refresh: IVoteRefresh): Promise<void> {
		await persistence.removeByAssociations(this.of(refresh));
	}

	private of(refresh: IVoteRefresh) {
		return buildAssociations({
			scope: RecordScope.VoteCountRefresh,
			keys: [`feedback:${refresh.feedbackId}`, `click:${refresh.clickId}`],
		});
	}
}
