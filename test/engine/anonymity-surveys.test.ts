// What a reader of the whole database learns about an anonymous survey round: the host's SQLite
// file, its write-ahead log and shared memory (deleted rows linger there), every table (the app's
// records and logs, messages) after several members answered and one changed an answer, in both
// keyings. Nothing links an answer to its member, and no key can be computed without the secret.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import BetterSqlite3 from 'better-sqlite3';

import { appLogLines, appUsername, buttonClick, startFixture, stopFixture } from './app-fixture';
import type { IEngineFixture } from './app-fixture';
import type { LocalHost } from '../../host';
import { FeedbackAction } from '../../src/domain/actions';
import { AnswerField } from '../../src/domain/answerForm';
import { answerKeyingOf, surveyAnswerKey } from '../../src/domain/answers';
import { keyedDigest } from '../../src/domain/ids';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { allRows, insertNeighbours } from '../support/databaseReader';
import {
	answerRecords,
	directMessagesTo,
	participationMarks,
	seedSurvey,
	SURVEY_JOB_INTERVAL_MS,
	SURVEY_SECRET,
	surveyFor,
	WITH_SURVEY_SECRET,
} from '../support/surveys';

/** Who answers what; alice changes her answer once. */
const ANSWERS: ReadonlyArray<{ username: string; value: string; comment: string }> = [
	{ username: 'alice', value: '9', comment: 'alice-comment-7f3a' },
	{ username: 'bruno', value: '4', comment: 'bruno-comment-2c9e' },
	{ username: 'clara', value: '10', comment: 'clara-comment-5b1d' },
	{ username: 'alice', value: '6', comment: 'alice-changed-8e4f' },
];

/** The raw bytes of the database, its write-ahead log and shared memory, before and after a checkpoint. */
function rawBytes(folder: string): Array<{ file: string; bytes: string }> {
	const read = () =>
		['host.sqlite', 'host.sqlite-wal', 'host.sqlite-shm']
			.map((name) => path.join(folder, name))
			.filter((file) => fs.existsSync(file))
			.map((file) => ({ file, bytes: fs.readFileSync(file).toString('latin1') }));
	const before = read();
	const checkpointer = new BetterSqlite3(path.join(folder, 'host.sqlite'), { fileMustExist: true });
	try {
		checkpointer.pragma('wal_checkpoint(FULL)');
	} finally {
		checkpointer.close();
	}
	return [...before, ...read()];
}

/**
 * Invites #general, then each member answers in a form of their own (alice changes hers where the
 * answer can change); returns the form ids used.
 */
async function answerRound(host: LocalHost): Promise<Array<string>> {
	await seedSurvey(host.persistence, host.getAppId(), surveyFor('survey-1'));
	await host.advanceClock(SURVEY_JOB_INTERVAL_MS);
	const formIds: Array<string> = [];
	for (const { username, value, comment } of ANSWERS) {
		const [invitation] = directMessagesTo(host, appUsername(host), username);
		assert.ok(invitation?.id, `${username} was invited`);
		const { view } = await host.blockAction(
			username,
			{ messageId: invitation.id },
			buttonClick(invitation, FeedbackAction.SurveyAnswer),
		);
		assert.ok(view, `${username}'s modal opened`);
		assert.ok(view.viewId.startsWith('survey-answer:'), `${username}'s form opened`);
		formIds.push(String((view.view.submit as { value?: string }).value));
		// A refused submit first: its answer names the view, and the server logs it with the member.
		await host.submitViewAs(username, view, { [AnswerField.Comment]: comment });
		const sent = await host.submitViewAs(username, view, {
			[AnswerField.Value]: value,
			[AnswerField.Comment]: comment,
		});
		assert.equal(sent.accepted, true, JSON.stringify(sent.errors));
	}
	return formIds;
}

/** The data of every answer record of the survey, as the database holds it. */
async function storedAnswerData(
	host: LocalHost,
	appId: string,
): Promise<Array<Record<string, unknown>>> {
	return (await host.persistence.readByAssociations(
		buildAssociations({ scope: RecordScope.SurveyAnswer, keys: ['survey-1'] }),
		appId,
	)) as Array<Record<string, unknown>>;
}

/** Asserts that nothing stored or logged links an answer of the round to the member who gave it. */
async function assertUnlinkable(fixture: IEngineFixture): Promise<void> {
	const { host, folder } = fixture;
	const appId = host.getAppId();
	const formIds = await answerRound(host);
	const answers = await answerRecords(host.persistence, appId, 'survey-1');
	assert.equal(answers.length, 4, 'every answer and the change stored');
	const marks = await participationMarks(host.persistence, appId, 'survey-1');
	assert.equal(marks.length, 3);
	const members = ['alice', 'bruno', 'clara'].map((username) => host.user(username));
	const traces = members.flatMap((member) => [member.id, `"${member.username}"`]);
	const comments = ANSWERS.map((sent) => sent.comment);
	const keys = answers.map((answer) => answer.answerKey);
	const raw = rawBytes(folder);
	assert.ok(
		raw.some((entry) => entry.file.endsWith('-wal')),
		'the write-ahead log was read',
	);

	// No row that holds an answer (its comment or its key) names a member.
	const rows = allRows(path.join(folder, 'host.sqlite'));
	assert.ok(
		rows.some((row) => row.table === 'persistence_records' && 'updated_at' in row.columns),
		'the records’ `_updatedAt` was read',
	);
	let pairedByInsert = 0;
	for (const row of rows) {
		if (![...comments, ...keys].some((part) => row.text.includes(part))) {
			continue;
		}
		for (const trace of traces) {
			assert.ok(
				!row.text.includes(trace),
				`${trace} beside an answer in ${row.table}: ${row.text}`,
			);
		}
		if (row.table !== 'persistence_records') {
			continue;
		}
		// The record inserted right before it may be its member's mark (a reader orders inserts by
		// id, and the server stamps both with the submit's moment): so the answer says nothing.
		const data = JSON.parse(row.columns.data) as Record<string, unknown>;
		assert.deepEqual(Object.keys(data).sort(), [
			'answerKey',
			'memberId',
			'revision',
			'roundKey',
			'sealed',
			'surveyId',
		]);
		assert.equal(data.memberId, null);
		const paired = insertNeighbours(rows, row.columns.id ?? '').some((neighbour) =>
			traces.some((trace) => neighbour.text.includes(trace)),
		);
		pairedByInsert += paired ? 1 : 0;
		// No time in the app's own fields: the only one is the server's stamp.
		assert.doesNotMatch(row.columns.data, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, `a time in ${row.text}`);
	}
	// The pairing by insert order is real (the reason answers are sealed): the reader sees it.
	assert.ok(pairedByInsert > 0, 'an answer is inserted next to its member’s mark');
	// The form ids and the secret are in no byte of the files, deleted rows included.
	for (const { file, bytes } of raw) {
		for (const formId of formIds) {
			assert.ok(!bytes.includes(formId), `form id ${formId} in ${file}`);
		}
		assert.ok(!bytes.includes(SURVEY_SECRET), `the secret in ${file}`);
	}
	// The marks carry nothing that leads to a key: one token for all.
	for (const mark of marks) {
		assert.ok(!keys.includes(mark.token), 'a mark holds an answer key');
	}
	// Sealed: the server stamps each record's time, so an answer written beside its member's
	// mark must not say what it holds; no comment is in any byte, and every seal is as long.
	for (const { file, bytes } of raw) {
		for (const comment of comments) {
			assert.ok(!bytes.includes(comment), `comment ${comment} in ${file}`);
		}
	}
	const seals = (await storedAnswerData(host, appId)).map((data) => String(data.sealed));
	assert.equal(seals.length, answers.length);
	assert.equal(new Set(seals.map((sealed) => sealed.length)).size, 1, 'seals of one length');
	assert.equal(new Set(marks.map((mark) => mark.token)).size, 1, 'keyed: one token for all');
	// The keys are the secret's digests of (survey, round, member): only the secret computes them.
	const withSecret = answerKeyingOf({ anonymous: true }, SURVEY_SECRET);
	assert.ok(withSecret);
	for (const member of members) {
		const ref = { surveyId: 'survey-1', roundKey: 'once', memberId: member.id };
		assert.ok(keys.includes(surveyAnswerKey(withSecret, ref)), `${member.username}'s key`);
		for (const guess of ['', marks[0].token, appId]) {
			assert.ok(
				!keys.includes(keyedDigest(guess, `survey-1\nonce\n${member.id}`)),
				'a key guessed',
			);
		}
	}
	// The logs, which the server keeps with the member who acted, name no answer, key or form.
	const logs = (await appLogLines(host)).join('\n');
	assert.ok(logs.length > 0, 'the logs were read');
	for (const part of [...comments, ...keys, ...formIds]) {
		assert.ok(!logs.includes(part), `${part} in the logs`);
	}
}

describe('a reader of the database after an anonymous survey round', () => {
	it('finds nothing that links an answer to its member (keyed by the survey secret)', async () => {
		const fixture = await startFixture('anonymity-surveys-keyed', WITH_SURVEY_SECRET);
		try {
			await assertUnlinkable(fixture);
		} finally {
			await stopFixture(fixture);
		}
	});
});
