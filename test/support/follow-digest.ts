// The app's own clock in its Deno process keeps real time, so a test cannot let a day close by
// waiting. It moves the status changes back in time instead, as if they had been made days ago,
// and notes the day the followers' digest first saw as the job itself notes it.
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

import { DAY_MS, dayOf } from '../../src/domain/days';
import { hourOf } from '../../src/domain/periods';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';

/** The part of a persistence bridge (the host's, or one over a cluster's database) used here. */
export interface IRecordBridge {
	readByAssociations(associations: RocketChatAssociationRecord[], appId: string): Promise<object[]>;
	removeByAssociations(
		associations: RocketChatAssociationRecord[],
		appId: string,
	): Promise<unknown>;
	createWithAssociations(
		data: object,
		associations: RocketChatAssociationRecord[],
		appId: string,
	): Promise<string>;
}

/** The UTC day `days` days before now. */
export function daysAgo(days: number): string {
	return dayOf(new Date(Date.now() - days * DAY_MS).toISOString());
}

/** Moves every stored status change `days` days back, filed as StatusLog files a change made then. */
export async function moveStatusChangesBack(
	bridge: IRecordBridge,
	appId: string,
	days: number,
): Promise<number> {
	const all = buildAssociations({ scope: RecordScope.StatusChange });
	const changes = (await bridge.readByAssociations(all, appId)) as Array<{
		feedbackId: string;
		feedbackCreatedAt: string;
		at: string;
	}>;
	await bridge.removeByAssociations(all, appId);
	for (const change of changes) {
		const at = new Date(Date.parse(change.at) - days * DAY_MS).toISOString();
		await bridge.createWithAssociations(
			{ ...change, at },
			buildAssociations({
				scope: RecordScope.StatusChange,
				keys: [
					`feedback:${change.feedbackId}`,
					`day:${dayOf(at)}`,
					`created:${dayOf(change.feedbackCreatedAt)}`,
					`hour:${hourOf(at)}`,
				],
			}),
			appId,
		);
	}
	return changes.length;
}

/** Notes, as the digest job's first run does, that it first saw `day`. */
export async function followDigestStartedOn(
	bridge: IRecordBridge,
	appId: string,
	day: string,
): Promise<void> {
	await bridge.createWithAssociations(
		{ day },
		buildAssociations({ scope: RecordScope.FollowDigestStart }),
		appId,
	);
}
