// Issue 22, the followers' daily digest on three instances: its job document duplicated as the
// server's scheduler can store it (test/support/duplicate-jobs.ts) and every copy run on every
// instance at once, each follower gets exactly one digest of the day. The app reads real time, so
// the status changes are moved two days back and the digest's first day is noted before them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SqlitePersistenceBridge } from '../../host';
import { FOLLOW_DIGEST_PROCESSOR_ID } from '../../src/handlers/FollowDigestJob';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import type { IStoredFeedback } from '../engine/app-fixture';
import { appIdOf } from '../support/cluster-app';
import { type ITestCluster, withCluster } from '../support/cluster-harness';
import { directTexts, runDueEverywhere } from '../support/cluster-jobs';
import { duplicateRecurringJob } from '../support/duplicate-jobs';
import { daysAgo, followDigestStartedOn, moveStatusChangesBack } from '../support/follow-digest';
import { withDeadline } from '../support/until';

const START = Date.parse('2026-03-02T10:00:00Z');
const TEST_TIMEOUT_MS = 180_000;
const PREFIX = `${FOLLOW_DIGEST_PROCESSOR_ID}_`;

/** A member runs a command through an instance. */
async function command(cluster: ITestCluster, index: number, username: string, text: string) {
	return withDeadline(cluster.instances[index].command(username, 'general', text), text);
}

describe("the followers' daily digest on three instances", () => {
	it(
		'its job stored three times and run on three instances at once: one digest per member and day',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: START }, async (cluster) => {
				const appId = appIdOf(cluster);
				const bridge = new SqlitePersistenceBridge(cluster.database);
				await command(cluster, 0, 'bruno', '/feedback');
				const form = await withDeadline(cluster.instances[0].openView('bruno'), 'the form');
				assert.ok(form);
				const sent = await withDeadline(
					cluster.instances[0].submit('bruno', form, { comment: 'dark mode', category: 'Idea' }),
					'the submit',
				);
				assert.equal(sent.accepted, true);
				const [feedback] = (await bridge.readByAssociations(
					buildAssociations({ scope: RecordScope.Feedback }),
					appId,
				)) as IStoredFeedback[];
				await command(cluster, 1, 'alice', `/feedback follow ${feedback.id.slice(0, 8)}`);
				await command(cluster, 2, 'clara', `/feedback follow ${feedback.id.slice(0, 8)}`);
				// Two changes, as StatusLog files them, moved to two days ago.
				for (const [index, status] of ['planned', 'done'].entries()) {
					const at = new Date(Date.now() + index).toISOString();
					await bridge.createWithAssociations(
						{
							id: `change-${index}`,
							feedbackId: feedback.id,
							feedbackCreatedAt: feedback.createdAt,
							status,
							note: '',
							adminId: 'admin',
							at,
						},
						buildAssociations({ scope: RecordScope.StatusChange }),
						appId,
					);
				}
				assert.equal(await moveStatusChangesBack(bridge, appId, 2), 2);
				await followDigestStartedOn(bridge, appId, daysAgo(3));
				duplicateRecurringJob(cluster.database, PREFIX, 2);

				assert.equal(
					(await runDueEverywhere(cluster, FOLLOW_DIGEST_PROCESSOR_ID, 5 * 60_000)).length,
					3,
					'every copy ran',
				);
				assert.equal(
					(await runDueEverywhere(cluster, FOLLOW_DIGEST_PROCESSOR_ID, 5 * 60_000)).length,
					3,
				);
				for (const member of ['alice', 'clara']) {
					const texts = await directTexts(cluster, member);
					assert.equal(texts.length, 1, `${member}: ${JSON.stringify(texts)}`);
					assert.match(texts[0], new RegExp(`${daysAgo(2)} \\(UTC\\)`));
					assert.equal(texts[0].match(new RegExp(feedback.id.slice(0, 8), 'g'))?.length, 2);
				}
				assert.deepEqual(await directTexts(cluster, 'bruno'), [], 'the author');
			}),
	);
});
