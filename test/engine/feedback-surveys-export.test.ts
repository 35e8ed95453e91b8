// Issue 23, surveys in `/feedback export`, through the packaged app: surveys, invitation marks and
// answers are written through the app's stores, and the export uploads one CSV per survey through
// the host's upload bridge: an anonymous survey's settled rounds of at least 5 answers only, in
// value order and without members, a named survey's answers with usernames, hostile comments
// neutralised as in the feedback file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fixturePerTest, reply } from './app-fixture';
import { BridgePersistence, BridgePersistenceRead } from '../../bench/seed';
import type { LocalHost } from '../../host';
import type { ISurvey } from '../../src/domain/survey';
import { AnswerStore } from '../../src/persistence/AnswerStore';
import { SurveyMarks } from '../../src/persistence/SurveyMarks';
import { SurveyStore } from '../../src/persistence/SurveyStore';
import { csvRecordsOf, surveyFiles } from '../support/surveys';

const DAY = 86_400_000;
const HEADER = 'survey,question,round,opens (UTC),closes (UTC),value,comment,member';
/** What a spreadsheet runs as a formula when a cell starts with it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A survey asked once, `daysAgo` days ago, open one day: settled by now. */
function onceSurvey(id: string, anonymous: boolean, daysAgo: number): ISurvey {
	return {
		id,
		question: anonymous ? '=cmd|"/c calc"!A1 How likely…?' : 'Was the release smooth?',
		kind: anonymous ? 'nps' : 'yes-no',
		withComment: true,
		audience: { kind: 'room', roomName: 'general' },
		rhythm: 'once',
		anonymous,
		openDays: 1,
		createdAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
		adminId: 'admin',
	};
}

/** Writes a survey, its invitations and its answers (members' ids given for a named survey). */
async function seed(
	host: LocalHost,
	survey: ISurvey,
	answers: ReadonlyArray<{ value: number; comment: string; memberId?: string }>,
): Promise<void> {
	const appId = host.getAppId();
	const persistence = new BridgePersistence(host.persistence, appId);
	const reader = new BridgePersistenceRead(host.persistence, appId);
	await new SurveyStore(reader).create(persistence, survey);
	const marks = new SurveyMarks(reader);
	const store = new AnswerStore(reader);
	for (const [index, answer] of [...answers.entries()].reverse()) {
		const memberId = answer.memberId ?? `member-${index}`;
		await marks.noteSent(persistence, 'invited', {
			surveyId: survey.id,
			roundKey: 'once',
			memberId,
			outcome: 'sent',
		});
		await store.add(
			persistence,
			{
				surveyId: survey.id,
				roundKey: 'once',
				answerKey: survey.anonymous
					? `key-${String(index).padStart(2, '0')}`
					: `member:${memberId}`,
				value: answer.value,
				comment: answer.comment,
				revision: 1,
				memberId: survey.anonymous ? null : memberId,
			},
			undefined,
		);
	}
}

const HOSTILE = ['=HYPERLINK("http://evil.example")', '+1', '-2, "quoted"', '@SUM(A1)', 'plain'];

describe('/feedback export with surveys', () => {
	const fixture = fixturePerTest('surveys export');

	it('a file per survey: anonymous without members in value order, named with usernames, formulas neutralised', async () => {
		const { host } = fixture();
		const anonymous = onceSurvey('survey-a', true, 5);
		const named = onceSurvey('survey-b', false, 4);
		await seed(
			host,
			anonymous,
			HOSTILE.map((comment, index) => ({ value: 10 - index, comment })),
		);
		await seed(host, named, [
			{ value: 1, comment: '', memberId: host.user('alice').id },
			{ value: 0, comment: '@all not really', memberId: host.user('bruno').id },
		]);
		const answer = await reply(host, 'admin', '/feedback export');
		assert.match(
			answer,
			/\nSurveys: 7 answers of 2 survey\(s\), in 2 CSV file\(s\) of at most 2 MB each/,
		);
		const [first, second] = surveyFiles(host);
		assert.match(first.name, /^survey-survey-a-export-\d{4}-\d{2}-\d{2}-part-1\.csv$/);
		assert.match(second.name, /^survey-survey-b-export-\d{4}-\d{2}-\d{2}-part-1\.csv$/);
		const [header, ...rows] = csvRecordsOf(first);
		assert.equal(header.join(','), HEADER);
		assert.deepEqual(
			rows.map((row) => [row[0], row[1], row[2], row[5], row[6], row[7]]),
			// Value 10 - index was stored with HOSTILE[index]: the rows come by value, lowest first.
			[...HOSTILE]
				.reverse()
				.map((comment, index) => [
					'survey-a',
					`'${anonymous.question}`,
					'once',
					String(6 + index),
					/^[=+\-@]/.test(comment) ? `'${comment}` : comment,
					'',
				]),
			'by value, no member',
		);
		for (const cell of [...rows.flat(), ...csvRecordsOf(second).flat()]) {
			assert.doesNotMatch(cell, FORMULA_START, `no cell a spreadsheet would run: ${cell}`);
		}
		assert.deepEqual(
			csvRecordsOf(second)
				.slice(1)
				.map((row) => [row[5], row[6], row[7]]),
			[
				['yes', '', host.user('alice').username],
				['no', "'@all not really", host.user('bruno').username],
			].sort((a, b) => (`member:${a[2]}` < `member:${b[2]}` ? -1 : 1)),
		);
	});

	it('leaves out an anonymous round with fewer than 5 answers, and exports the same files again on a second command', async () => {
		const { host } = fixture();
		const few = onceSurvey('survey-few', true, 3);
		await seed(
			host,
			few,
			[1, 2, 3, 4].map((value) => ({ value, comment: 'SECRET-MARK' })),
		);
		await seed(
			host,
			onceSurvey('survey-ok', true, 3),
			[6, 7, 8, 9, 10].map((value) => ({ value, comment: '' })),
		);
		const answers = [
			await reply(host, 'admin', '/feedback export'),
			await reply(host, 'admin', '/feedback export'),
		];
		for (const text of answers) {
			assert.match(text, /\nSurveys: 5 answers of 2 survey\(s\), in 2 CSV file\(s\)/);
		}
		const files = surveyFiles(host);
		assert.equal(files.length, 4, 'each command: one file per survey');
		const byName = new Map<string, Array<string>>();
		for (const file of files) {
			byName.set(file.name, [...(byName.get(file.name) ?? []), file.content.toString('utf8')]);
		}
		for (const [name, contents] of byName) {
			assert.equal(contents.length, 2, `${name}: once per command`);
			assert.equal(contents[0], contents[1], `${name}: the same file both times`);
		}
		const fewFile = files.find((file) => file.name.startsWith('survey-survey-few-'));
		assert.ok(fewFile);
		assert.deepEqual(csvRecordsOf(fewFile).slice(1), [], 'withheld: header only');
		assert.doesNotMatch(files.map((file) => file.content.toString('utf8')).join(''), /SECRET-MARK/);
	});
});
