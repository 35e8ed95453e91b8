// Issue 23, a survey round on three instances: the round job's document stored three times, as
// the server's scheduler can hold it (test/support/duplicate-jobs.ts), and every copy run on
// every instance at once. Each member of the audience gets one invitation, and once the reminder
// is due one reminder, only if they have not answered. The app reads real time, so the survey is
// moved back in time (created earlier) between the invitations and the reminders.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SqlitePersistenceBridge } from '../../host';
import {
	answerKeyingOf,
	participationMark,
	serializeParticipationMark,
} from '../../src/domain/answers';
import { DAY_MS } from '../../src/domain/days';
import { serializeSurvey } from '../../src/domain/survey';
import type { ISurvey } from '../../src/domain/survey';
import { SURVEY_ROUND_PROCESSOR_ID } from '../../src/handlers/SurveyRoundJob';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { appIdOf } from '../support/cluster-app';
import { withCluster } from '../support/cluster-harness';
import { directTexts, runDueEverywhere } from '../support/cluster-jobs';
import { duplicateRecurringJob } from '../support/duplicate-jobs';
import { SURVEY_SECRET, surveyFor } from '../support/surveys';

const START = Date.parse('2026-03-02T10:00:00Z');
const TEST_TIMEOUT_MS = 180_000;
const PREFIX = `${SURVEY_ROUND_PROCESSOR_ID}_`;
/** Everyone in #general (the host's fixtures), the app's own user aside. */
const MEMBERS = ['admin', 'alice', 'bruno', 'clara', 'dora'];
const SURVEY_ID = 'survey-cluster';

/** An anonymous NPS survey of #general asked once, open two days, created `ago` ms before now. */
function surveyCreated(ago: number): ISurvey {
	return surveyFor(SURVEY_ID, {}, new Date(Date.now() - ago));
}

/** Stores the survey as SurveyStore does, replacing an earlier copy (the test moves it back in time). */
async function storeSurvey(
	bridge: SqlitePersistenceBridge,
	appId: string,
	survey: ISurvey,
): Promise<void> {
	const associations = buildAssociations({ scope: RecordScope.Survey, keys: [survey.id] });
	await bridge.removeByAssociations(associations, appId);
	await bridge.createWithAssociations(serializeSurvey(survey), associations, appId);
}

describe('a survey round on three instances', () => {
	it(
		'its job stored three times and run on three instances at once: one invitation per member, one reminder per member who did not answer',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: START }, async (cluster) => {
				const appId = appIdOf(cluster);
				const bridge = new SqlitePersistenceBridge(cluster.database);
				await storeSurvey(bridge, appId, surveyCreated(60 * 60_000));
				duplicateRecurringJob(cluster.database, PREFIX, 2);

				assert.equal(
					(await runDueEverywhere(cluster, SURVEY_ROUND_PROCESSOR_ID, 5 * 60_000)).length,
					3,
					'every copy ran',
				);
				assert.equal(
					(await runDueEverywhere(cluster, SURVEY_ROUND_PROCESSOR_ID, 5 * 60_000)).length,
					3,
				);
				for (const member of MEMBERS) {
					const texts = await directTexts(cluster, member);
					assert.equal(texts.length, 1, `${member}: ${JSON.stringify(texts)}`);
					assert.match(texts[0], /How likely are you to recommend this team\?/);
				}

				// Alice answers (her participation mark, as the answer form writes it); then the
				// reminder falls due: the survey was created 30 hours ago, its reminder is at 24.
				const keying = answerKeyingOf({ anonymous: true }, SURVEY_SECRET);
				assert.ok(keying);
				const mark = participationMark(keying, {
					surveyId: SURVEY_ID,
					roundKey: 'once',
					memberId: 'user-alice',
				});
				await bridge.createWithAssociations(
					serializeParticipationMark(mark),
					buildAssociations({
						userId: 'user-alice',
						scope: RecordScope.SurveyParticipation,
						keys: [SURVEY_ID, `${SURVEY_ID}:once`],
					}),
					appId,
				);
				await storeSurvey(bridge, appId, surveyCreated(1.25 * DAY_MS));
				assert.equal(
					(await runDueEverywhere(cluster, SURVEY_ROUND_PROCESSOR_ID, 5 * 60_000)).length,
					3,
				);
				assert.equal(
					(await runDueEverywhere(cluster, SURVEY_ROUND_PROCESSOR_ID, 5 * 60_000)).length,
					3,
				);

				assert.equal((await directTexts(cluster, 'alice')).length, 1, 'alice answered');
				for (const member of MEMBERS.filter((name) => name !== 'alice')) {
					const texts = await directTexts(cluster, member);
					assert.equal(texts.length, 2, `${member}: ${JSON.stringify(texts)}`);
					assert.equal(
						texts.filter((text) => /reminder|Erinnerung|Lembrete|Recordatorio/i.test(text)).length,
						1,
						`${member}: one reminder`,
					);
				}
			}),
	);
});
