// "Me too" votes exact on a cluster: members click one announcement's button at once, each
// through another of three instances, then some withdraw at once. The stored votes count each
// member once, and once every clicker and the refresh job are done the message shows that count.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import { type ITimelineMessage, SqlitePersistenceBridge } from '../../host';
import { FeedbackAction } from '../../src/domain/actions';
import { currentVoters, parseVoteEvent } from '../../src/domain/votes';
import type { IVoteEvent } from '../../src/domain/votes';
import { RecordScope } from '../../src/persistence/associations';
import { buttonClick, elementsIn } from '../engine/app-fixture';
import { appIdOf } from '../support/cluster-app';
import {
	settingBroadcastsSettled,
	type ITestCluster,
	withCluster,
} from '../support/cluster-harness';
import { withDeadline } from '../support/until';

const MEMBERS = ['admin', 'alice', 'bruno', 'clara', 'dora'];
const TEST_TIMEOUT_MS = 180_000;
/** The refresh job's interval ('10 seconds', src/handlers/VoteCountJob.ts). */
const JOB_PERIOD_MS = 10_000;

function records(cluster: ITestCluster, appId: string, scope: RecordScope): Promise<unknown[]> {
	return new SqlitePersistenceBridge(cluster.database).readByAssociations(
		[new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, scope)],
		appId,
	);
}

async function theAnnouncement(cluster: ITestCluster): Promise<ITimelineMessage> {
	const posted = await withDeadline(cluster.instances[0].timeline('feedback'), 'the timeline');
	assert.equal(posted.length, 1, 'one announcement');
	return posted[0];
}

function shownLabel(message: ITimelineMessage): string | undefined {
	return elementsIn(message).find((element) => element.actionId === FeedbackAction.Vote)?.label;
}

/** Each member clicks the button at once, member i through instance i mod 3. */
async function clickAtOnce(cluster: ITestCluster, members: ReadonlyArray<string>): Promise<void> {
	const message = await theAnnouncement(cluster);
	const click = buttonClick(message, FeedbackAction.Vote);
	const answers = await withDeadline(
		Promise.all(
			members.map((member, index) =>
				cluster.instances[index % cluster.instances.length].blockActionInMessage(
					member,
					message.id,
					click,
					'feedback',
				),
			),
		),
		'the racing clicks',
	);
	for (const answer of answers) {
		assert.equal(answer.error, undefined);
	}
}

describe('votes on a cluster', () => {
	it(
		'racing clicks through three instances store each member once and the message converges to the count',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({}, async (cluster) => {
				const [first] = cluster.instances;
				const appId = appIdOf(cluster);
				await withDeadline(first.setSetting('feedback_announce_room', 'feedback'), 'the setting');
				await settingBroadcastsSettled();
				await withDeadline(first.command('alice', 'general', '/feedback'), '/feedback');
				const view = await withDeadline(first.openView('alice'), 'the form');
				assert.ok(view);
				const submitted = await withDeadline(
					cluster.instances[1].submit('alice', view, { comment: 'Slow search', category: 'Bug' }),
					'the submit',
				);
				assert.equal(submitted.accepted, true);
				assert.equal(shownLabel(await theAnnouncement(cluster)), 'Me too · 0');

				await clickAtOnce(cluster, MEMBERS);
				// Two of them withdraw at once, each through another instance.
				await clickAtOnce(cluster, ['clara', 'dora']);

				const events = (await records(cluster, appId, RecordScope.FeedbackVote))
					.map(parseVoteEvent)
					.filter((event): event is IVoteEvent => event !== undefined);
				assert.equal(events.length, MEMBERS.length + 2, 'one event per click, none lost');
				for (const member of MEMBERS) {
					const own = events.filter((event) => event.memberId === `user-${member}`);
					const clicks = ['clara', 'dora'].includes(member) ? 2 : 1;
					assert.equal(own.length, clicks, `${member}'s clicks each stored once`);
				}
				assert.deepEqual(
					[...currentVoters(events)].sort(),
					['user-admin', 'user-alice', 'user-bruno'],
					'each voter once, the withdrawn ones not',
				);
				// Every clicker is done: the message already shows the stored count.
				assert.equal(shownLabel(await theAnnouncement(cluster)), 'Me too · 3');
				assert.deepEqual(
					await records(cluster, appId, RecordScope.VoteCountRefresh),
					[],
					'every click verified its count',
				);
				// The job finds nothing left and leaves the count as it is.
				cluster.clock.advance(JOB_PERIOD_MS);
				await withDeadline(first.runDueJobs(), 'the due jobs');
				assert.equal(shownLabel(await theAnnouncement(cluster)), 'Me too · 3');
			}),
	);
});
