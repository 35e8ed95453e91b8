// Issue 23, a survey's whole story through the packaged app, with nothing written behind the app's
// back but the survey's creation time (moved back: the app's Deno clock keeps real time). The admin
// creates the survey with /feedback survey new and its form, the round job invites, members answer
// through the invitation's Answer button and form, and the admin reads the admin view's Surveys and
// /feedback export: opt-outs, reminders only to those who did not answer, results withheld under 5
// answers and while an anonymous round is open, the NPS once it settles, and closing.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
	appUsername,
	buttonClick,
	fixturePerTest,
	openAdminView,
	reply,
	snapshot,
	viewLines,
	type IEngineFixture,
} from './app-fixture';
import type { IOpenView, LocalHost } from '../../host';
import { FeedbackAction } from '../../src/domain/actions';
import { AnswerField, answerFormOfView } from '../../src/domain/answerForm';
import { DAY_CLOSING_GRACE_MS, DAY_MS } from '../../src/domain/days';
import { shortIdOf } from '../../src/domain/record';
import type { ISurvey } from '../../src/domain/survey';
import { SurveyFormField } from '../../src/domain/surveyForm';
import {
	ageSurvey,
	csvRecordsOf,
	directMessagesTo,
	storedSurveys,
	SURVEY_JOB_INTERVAL_MS,
	surveyFiles,
	WITH_SURVEY_SECRET,
} from '../support/surveys';

/** The members of #general in the host's fixture. */
const MEMBERS = ['admin', 'alice', 'bruno', 'clara', 'dora'] as const;
type Member = (typeof MEMBERS)[number];

/** The survey every story asks: anonymous NPS of #general with a comment, asked once, open 2 days. */
const NPS_SURVEY = {
	[SurveyFormField.Question]: 'How likely are you to recommend this team to a friend?',
	[SurveyFormField.Kind]: 'nps',
	[SurveyFormField.WithComment]: 'yes',
	[SurveyFormField.AudienceKind]: 'room',
	[SurveyFormField.AudienceName]: 'general',
	[SurveyFormField.Rhythm]: 'once',
	[SurveyFormField.Anonymous]: 'yes',
	[SurveyFormField.OpenDays]: '2',
};
const OPEN_DAYS = 2;
const EXPORT_HEADER = 'survey,question,round,opens (UTC),closes (UTC),value,comment,member';

/** The admin creates the survey with /feedback survey new and its form; resolves with it as stored. */
async function createSurvey(host: LocalHost): Promise<ISurvey> {
	const opened = await host.runSlashCommand('admin', 'general', '/feedback survey new');
	assert.ok(opened.view, 'the survey form opened');
	const submitted = await host.submitView('admin', NPS_SURVEY);
	assert.equal(submitted.accepted, true, JSON.stringify(submitted.errors));
	const [survey, ...others] = await storedSurveys(host.persistence, host.getAppId());
	assert.equal(others.length, 0, 'one survey');
	assert.equal(survey.anonymous, true);
	return survey;
}

/** Lets the scheduler run the round job once more; it must have run, and without an error. */
async function runRoundJob(host: LocalHost): Promise<void> {
	const runs = await host.advanceClock(SURVEY_JOB_INTERVAL_MS);
	const rounds = runs.filter((run) => run.name.startsWith('survey-rounds_'));
	assert.equal(rounds.length, 1, `the round job ran: ${JSON.stringify(runs)}`);
	assert.equal(rounds[0].ok, true, rounds[0].error);
}

/** How many messages of the app each member has in their direct room with it. */
function inbox(host: LocalHost): Record<Member, number> {
	const counts = MEMBERS.map((member) => [
		member,
		directMessagesTo(host, appUsername(host), member).length,
	]);
	return Object.fromEntries(counts) as Record<Member, number>;
}

/** Moves the survey back, as if `milliseconds` had passed since the admin created it. */
function letTimePass(fixture: IEngineFixture, survey: ISurvey, milliseconds: number): void {
	ageSurvey(path.join(fixture.folder, 'host.sqlite'), survey.id, milliseconds);
}

/** The time from the creation until the round is settled: closed, and the grace after. */
const UNTIL_SETTLED_MS = OPEN_DAYS * DAY_MS + DAY_CLOSING_GRACE_MS + 60_000;

/** A member clicks Answer in the newest message of the app to them; resolves with the modal. */
async function clickAnswer(host: LocalHost, member: Member): Promise<IOpenView> {
	const message = directMessagesTo(host, appUsername(host), member).at(-1);
	assert.ok(message?.id, `${member} has a message of the app`);
	const clicked = await host.blockAction(
		member,
		{ messageId: message.id },
		buttonClick(message, FeedbackAction.SurveyAnswer),
	);
	assert.equal(clicked.error, undefined);
	return snapshot(clicked.view);
}

/** A member answers through the Answer button and the form; resolves with the form's text. */
async function answer(
	host: LocalHost,
	member: Member,
	value: number,
	comment = '',
): Promise<string> {
	const form = await clickAnswer(host, member);
	assert.ok(answerFormOfView({ id: form.viewId }), `${member}'s answer form, not ${form.viewId}`);
	const submitted = await host.submitViewAs(member, form, {
		[AnswerField.Value]: String(value),
		[AnswerField.Comment]: comment,
	});
	assert.equal(submitted.accepted, true, JSON.stringify(submitted.errors));
	return viewLines(form).join('\n');
}

/** The admin view's Surveys, as the admin opens it now. */
async function surveysView(host: LocalHost): Promise<IOpenView> {
	const admin = await openAdminView(host);
	const opened = await host.blockAction(
		'admin',
		'modal',
		buttonClick(admin, FeedbackAction.AdminSurveys),
	);
	return snapshot(opened.view);
}

/** The lines the admin view's Surveys shows now. */
async function surveysText(host: LocalHost): Promise<string> {
	return viewLines(await surveysView(host)).join('\n');
}

/** `/feedback export` by the admin: its reply, and the records of the survey's file (header first). */
async function exportSurvey(
	host: LocalHost,
	survey: ISurvey,
): Promise<{ reply: string; records: Array<Array<string>> }> {
	const text = await reply(host, 'admin', '/feedback export');
	const files = surveyFiles(host).filter((file) =>
		file.name.startsWith(`survey-${survey.id}-export-`),
	);
	assert.equal(files.length, 1, 'one file for the survey');
	const records = csvRecordsOf(files[0]);
	assert.equal(records[0]?.join(','), EXPORT_HEADER);
	return { reply: text, records };
}

describe('a survey from creation to export (engine)', () => {
	const fixture = fixturePerTest('surveys-story', WITH_SURVEY_SECRET);

	it('an opted-out member is not asked; reminders go to non-answerers only; 4 answers stay withheld', async () => {
		const { host } = fixture();
		const survey = await createSurvey(host);
		// The invitation's footer sends members to this command: its reply says it covers surveys.
		assert.match(
			await reply(host, 'dora', '/feedback notices off'),
			/^Notices are off: .* and no survey invitations or reminders\./,
		);

		await runRoundJob(host);
		assert.deepEqual(inbox(host), { admin: 1, alice: 1, bruno: 1, clara: 1, dora: 0 });
		await runRoundJob(host);
		assert.deepEqual(inbox(host), { admin: 1, alice: 1, bruno: 1, clara: 1, dora: 0 }, 'once');

		await answer(host, 'admin', 10);
		await answer(host, 'alice', 9, 'Good pairing');
		await answer(host, 'bruno', 4);
		const rateLine = /Current round once \(closes [^)]+\): 3\/4 answered \(75 %\) · 1 opted out/;
		const open = await surveysText(host);
		assert.match(open, rateLine);
		assert.match(open, /once: results withheld: an anonymous survey's results are shown after/);
		assert.doesNotMatch(open, /promoters|Good pairing/);

		// Alice changes her answer: a new form, which says she answered already.
		assert.match(await answer(host, 'alice', 6, 'Too many meetings'), /You have answered already/);
		assert.match(await surveysText(host), rateLine, 'a change is no new answer');

		// Halfway through, the reminder: only clara has not answered; dora is not asked at all.
		letTimePass(fixture(), survey, DAY_MS);
		await runRoundJob(host);
		await runRoundJob(host);
		assert.deepEqual(inbox(host), { admin: 1, alice: 1, bruno: 1, clara: 2, dora: 0 });
		assert.match(
			directMessagesTo(host, appUsername(host), 'clara').at(-1)?.text ?? '',
			/^Erinnerung: Eine Umfrage wartet noch auf deine Antwort/,
		);
		await answer(host, 'clara', 8);
		assert.match(await surveysText(host), /4\/4 answered \(100 %\) · 1 opted out/);

		// Settled with 4 answers: still withheld, in the admin view and in the export.
		letTimePass(fixture(), survey, UNTIL_SETTLED_MS - DAY_MS);
		await runRoundJob(host);
		assert.deepEqual(inbox(host), { admin: 1, alice: 1, bruno: 1, clara: 2, dora: 0 });
		const settled = await surveysText(host);
		assert.match(settled, /once: results withheld: fewer than 5 answers · 4\/4 answered \(100 %\)/);
		assert.doesNotMatch(settled, /promoters|Too many meetings/);
		const exported = await exportSurvey(host, survey);
		assert.match(exported.reply, /\nSurveys: 0 answers of 1 survey\(s\), in 1 CSV file\(s\)/);
		assert.deepEqual(exported.records.slice(1), [], 'withheld: header only');
	});

	it('5 answers, one changed: once settled, the NPS, its distribution, comments and the export', async () => {
		const { host } = fixture();
		const survey = await createSurvey(host);
		await runRoundJob(host);
		assert.deepEqual(inbox(host), { admin: 1, alice: 1, bruno: 1, clara: 1, dora: 1 });

		await answer(host, 'admin', 10);
		await answer(host, 'alice', 9, 'Great onboarding');
		await answer(host, 'bruno', 9, 'Fine so far');
		await answer(host, 'clara', 7);
		await answer(host, 'dora', 10, 'Clear goals');
		await answer(host, 'bruno', 6, 'Slow reviews');
		const open = await surveysText(host);
		assert.match(open, /5\/5 answered \(100 %\) · 0 opted out/);
		assert.match(open, /once: results withheld: an anonymous survey's results are shown after/);

		letTimePass(fixture(), survey, UNTIL_SETTLED_MS);
		// 10, 9, 10 promote, 7 is passive, 6 detracts: 3/5 - 1/5 = 60 % - 20 % = 40.
		const settled = (await surveysText(host)).split('\n');
		assert.ok(
			settled.includes(
				'once: NPS +40 · 3 promoters, 1 passives, 1 detractors · 5/5 answered (100 %)',
			),
			settled.join('\n'),
		);
		// Comments in text order, without author; the one replaced is gone.
		assert.deepEqual(
			settled.filter((line) => line.startsWith('once comment')),
			['once comment: Clear goals', 'once comment: Great onboarding', 'once comment: Slow reviews'],
		);
		assert.ok(!settled.join('\n').includes('Fine so far'));

		const exported = await exportSurvey(host, survey);
		assert.match(exported.reply, /\nSurveys: 5 answers of 1 survey\(s\), in 1 CSV file\(s\)/);
		const rows = exported.records.slice(1);
		for (const row of rows) {
			assert.deepEqual(row.slice(0, 3), [survey.id, survey.question, 'once']);
			assert.equal(row[7], '', 'no member in an anonymous survey');
		}
		// Rows come in key order, which follows no member: compared as a set.
		assert.deepEqual(rows.map((row) => `${row[5]} ${row[6]}`).sort(), [
			'10 ',
			'10 Clear goals',
			'6 Slow reviews',
			'7 ',
			'9 Great onboarding',
		]);
		const usernames = new Set<string>(MEMBERS);
		assert.ok(!rows.flat().some((cell) => usernames.has(cell)));
	});

	it('closing stops invitations and reminders, and the Answer button says so; reopening resumes them', async () => {
		const { host } = fixture();
		const survey = await createSurvey(host);
		const id = shortIdOf(survey.id);
		assert.match(
			await reply(host, 'admin', `/feedback survey close ${id}`),
			/is closed: no more invitations/,
		);
		await runRoundJob(host);
		assert.deepEqual(inbox(host), { admin: 0, alice: 0, bruno: 0, clara: 0, dora: 0 });

		const closedView = await surveysView(host);
		const reopened = await host.blockActionOn(
			'admin',
			closedView,
			buttonClick(closedView, FeedbackAction.AdminSurveyReopen),
		);
		assert.match(viewLines(reopened.view).join('\n'), /is open again/);
		await runRoundJob(host);
		assert.deepEqual(inbox(host), { admin: 1, alice: 1, bruno: 1, clara: 1, dora: 1 });
		await answer(host, 'alice', 9);

		// Closed from the admin view before the reminder is due: no reminder goes out.
		const openView = snapshot(reopened.view);
		const closed = await host.blockActionOn(
			'admin',
			openView,
			buttonClick(openView, FeedbackAction.AdminSurveyClose),
		);
		assert.match(viewLines(closed.view).join('\n'), /is closed: no more invitations/);
		letTimePass(fixture(), survey, DAY_MS);
		await runRoundJob(host);
		assert.deepEqual(inbox(host), { admin: 1, alice: 1, bruno: 1, clara: 1, dora: 1 });
		const notice = await clickAnswer(host, 'bruno');
		assert.equal(answerFormOfView({ id: notice.viewId }), undefined, 'no answer form');
		assert.match(viewLines(notice).join('\n'), /Um administrador encerrou esta pesquisa/);

		// Reopened: the reminder goes to those who did not answer.
		const again = await surveysView(host);
		await host.blockActionOn('admin', again, buttonClick(again, FeedbackAction.AdminSurveyReopen));
		await runRoundJob(host);
		assert.deepEqual(inbox(host), { admin: 2, alice: 1, bruno: 2, clara: 2, dora: 2 });
	});
});
