// A survey answer exact on a cluster: the member's client sends one answer form to two of three
// instances at once (a double submit, or a retry after a lost reply landing elsewhere), for an
// anonymous survey (keyed by the survey secret) and a named one. The answer counts once and the
// member has one participation (no reminder).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Directory, SqlitePersistenceBridge } from '../../host';
import { FeedbackAction } from '../../src/domain/actions';
import { AnswerField } from '../../src/domain/answerForm';
import { participants } from '../../src/domain/answers';
import { buttonClick } from '../engine/app-fixture';
import { appIdOf } from '../support/cluster-app';
import { type ITestCluster, withCluster } from '../support/cluster-harness';
import {
	countedAnswers,
	participationMarks,
	seedSurvey,
	SURVEY_JOB_INTERVAL_MS,
	surveyFor,
	WITH_SURVEY_SECRET,
} from '../support/surveys';
import { withDeadline } from '../support/until';

const TEST_TIMEOUT_MS = 180_000;

/** Seeds a survey, lets one instance invite, and opens alice's answer form on the first instance. */
async function aliceForm(cluster: ITestCluster, anonymous: boolean) {
	const [first] = cluster.instances;
	const appId = appIdOf(cluster);
	const persistence = new SqlitePersistenceBridge(cluster.database);
	await seedSurvey(persistence, appId, surveyFor('survey-1', { anonymous }));
	cluster.clock.advance(SURVEY_JOB_INTERVAL_MS);
	await withDeadline(first.runDueJobs(), 'the round job');
	const directory = new Directory(cluster.database);
	const room = directory.rooms.directByUsernames([
		directory.appUser(appId)?.username ?? '',
		'alice',
	]);
	assert.ok(room, 'alice was invited');
	const [invitation] = directory.messagesOf(room.id);
	assert.ok(invitation?.id);
	const clicked = await withDeadline(
		first.blockActionInMessage(
			'alice',
			invitation.id,
			buttonClick(invitation, FeedbackAction.SurveyAnswer),
			room.id,
		),
		'the Answer click',
	);
	assert.equal(clicked.error, undefined);
	const form = await withDeadline(first.openView('alice'), 'the form');
	assert.ok(form, 'a modal opened');
	assert.ok(form.viewId.startsWith('survey-answer:'), 'the answer form opened');
	return { form, persistence, appId };
}

/** Submits alice's one form on the second and third instance at once; both are accepted. */
async function submitTwiceAtOnce(cluster: ITestCluster, anonymous: boolean): Promise<void> {
	const { form, persistence, appId } = await aliceForm(cluster, anonymous);
	const answers = await withDeadline(
		Promise.all(
			[cluster.instances[1], cluster.instances[2]].map((instance) =>
				instance.submit('alice', form, {
					[AnswerField.Value]: '9',
					[AnswerField.Comment]: 'Both at once',
				}),
			),
		),
		'the racing submits',
	);
	for (const answer of answers) {
		assert.equal(answer.accepted, true, JSON.stringify(answer.errors));
	}
	const counted = await countedAnswers(persistence, appId, 'survey-1');
	assert.deepEqual(
		counted.map((stored) => [stored.value, stored.comment]),
		[[9, 'Both at once']],
		'counted once',
	);
	const marks = await participationMarks(persistence, appId, 'survey-1');
	assert.deepEqual([...participants(marks)], ['user-alice'], 'one participant');
}

describe('a survey answer on a cluster', () => {
	it(
		'one form submitted on two instances at once counts once (keyed by the survey secret)',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ environment: WITH_SURVEY_SECRET.environment }, (cluster) =>
				submitTwiceAtOnce(cluster, true),
			),
	);

	it(
		'one form submitted on two instances at once counts once (named)',
		{ timeout: TEST_TIMEOUT_MS },
		() => withCluster({}, (cluster) => submitTwiceAtOnce(cluster, false)),
	);
});
