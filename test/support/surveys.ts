// Surveys in engine, cluster and anonymity tests: seeded through the store's own records (the
// creation form is built elsewhere), aged in the database (the app's Deno clock keeps real time,
// so a test moves the survey back instead), and their answers and marks read back as stored.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import BetterSqlite3 from 'better-sqlite3';

import type { IStoredUpload, LocalHost, SqlitePersistenceBridge } from '../../host';
import {
	currentAnswers,
	parseParticipationMark,
	parseSurveyAnswer,
} from '../../src/domain/answers';
import type { IParticipationMark, ISurveyAnswer } from '../../src/domain/answers';
import { parseSurvey, serializeSurvey, surveyOf } from '../../src/domain/survey';
import type { ISurvey, ISurveyDraft } from '../../src/domain/survey';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { surveySecretName } from '../../src/settings/surveySecret';

/** The Feedback app's id, from its app.json (the survey secret's variable is named by it). */
export const FEEDBACK_APP_ID = (
	JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../app.json'), 'utf8')) as {
		id: string;
	}
).id;

/** A survey secret long enough to key anonymous answers. */
export const SURVEY_SECRET = 'a survey secret of more than thirty-two characters';

/** The host option that sets the survey secret in the server's environment. */
export const WITH_SURVEY_SECRET = {
	environment: { [surveySecretName(FEEDBACK_APP_ID)]: SURVEY_SECRET },
} as const;

/** How often the round job runs ('1 minute', src/handlers/SurveyRoundJob.ts). */
export const SURVEY_JOB_INTERVAL_MS = 60_000;

/** An anonymous NPS survey of #general with a comment, asked once, open two days from a minute ago. */
export function surveyFor(
	id: string,
	draft: Partial<ISurveyDraft> = {},
	createdAt = new Date(Date.now() - 60_000),
): ISurvey {
	return surveyOf(
		{
			question: 'How likely are you to recommend this team?',
			kind: 'nps',
			withComment: true,
			audience: { kind: 'room', roomName: 'general' },
			rhythm: 'once',
			anonymous: true,
			openDays: 2,
			...draft,
		},
		id,
		createdAt,
		'user-admin',
	);
}

/** Stores a survey as SurveyStore.create does. */
export async function seedSurvey(
	persistence: SqlitePersistenceBridge,
	appId: string,
	survey: ISurvey,
): Promise<void> {
	await persistence.createWithAssociations(
		serializeSurvey(survey),
		buildAssociations({ scope: RecordScope.Survey, keys: [survey.id] }),
		appId,
	);
}

/** Moves a stored survey's creation back, so its round is further on by the app's real clock. */
export function ageSurvey(databasePath: string, surveyId: string, milliseconds: number): void {
	const database = new BetterSqlite3(databasePath, { fileMustExist: true });
	try {
		const rows = database
			.prepare<
				[string, string],
				{ id: string; data: string }
			>('SELECT id, data FROM persistence_records WHERE app_id = ? AND associations LIKE ?')
			.all(FEEDBACK_APP_ID, `%"survey:${surveyId}"%`);
		let aged = 0;
		for (const row of rows) {
			const data = JSON.parse(row.data) as Record<string, unknown>;
			if (data.id === surveyId && typeof data.createdAt === 'string') {
				data.createdAt = new Date(Date.parse(data.createdAt) - milliseconds).toISOString();
				database
					.prepare('UPDATE persistence_records SET data = ? WHERE id = ?')
					.run(JSON.stringify(data), row.id);
				aged += 1;
			}
		}
		assert.equal(aged, 1, `survey ${surveyId} aged`);
	} finally {
		database.close();
	}
}

/** Every answer record of a survey (each revision and racing copy), as stored, sealed ones opened. */
export async function answerRecords(
	persistence: SqlitePersistenceBridge,
	appId: string,
	surveyId: string,
): Promise<Array<ISurveyAnswer>> {
	const stored = await persistence.readByAssociations(
		buildAssociations({ scope: RecordScope.SurveyAnswer, keys: [surveyId] }),
		appId,
	);
	// Sealed answers (a keyed survey) open with the tests' secret; the others are read as stored.
	return stored
		.map((value) => parseSurveyAnswer(value, SURVEY_SECRET))
		.filter((answer): answer is ISurveyAnswer => answer !== undefined);
}

/** The answers of a round that count: one per key, its newest revision. */
export async function countedAnswers(
	persistence: SqlitePersistenceBridge,
	appId: string,
	surveyId: string,
	roundKey = 'once',
): Promise<Array<ISurveyAnswer>> {
	return currentAnswers(
		(await answerRecords(persistence, appId, surveyId)).filter(
			(answer) => answer.roundKey === roundKey,
		),
	);
}

/** Every participation mark of a survey, racing copies included. */
export async function participationMarks(
	persistence: SqlitePersistenceBridge,
	appId: string,
	surveyId: string,
): Promise<Array<IParticipationMark>> {
	const stored = await persistence.readByAssociations(
		buildAssociations({ scope: RecordScope.SurveyParticipation, keys: [surveyId] }),
		appId,
	);
	return stored
		.map(parseParticipationMark)
		.filter((mark): mark is IParticipationMark => mark !== undefined);
}

/** The app's messages in its direct room with a member, oldest first. */
export function directMessagesTo(
	host: LocalHost,
	appUsername: string,
	username: string,
): IMessage[] {
	const room = host.directRoom([appUsername, username]);
	return room ? host.directory.messagesOf(room.id) : [];
}

/** The surveys stored, one per id (racing copies resolved alike). */
export async function storedSurveys(
	persistence: SqlitePersistenceBridge,
	appId: string,
): Promise<Array<ISurvey>> {
	const stored = await persistence.readByAssociations(
		buildAssociations({ scope: RecordScope.Survey }),
		appId,
	);
	const byId = new Map<string, ISurvey>();
	for (const survey of stored.map(parseSurvey)) {
		if (survey) {
			byId.set(survey.id, survey);
		}
	}
	return [...byId.values()];
}

/** The survey files `/feedback export` uploaded so far, oldest first. */
export function surveyFiles(host: LocalHost): Array<IStoredUpload> {
	return host.uploads().filter((file) => file.name.startsWith('survey-'));
}

/** A file's records, read as RFC 4180 by a minimal reader: quoted fields, doubled quotes, CRLF. */
export function csvRecordsOf(file: IStoredUpload): Array<Array<string>> {
	const text = file.content.toString('utf8');
	assert.ok(text.startsWith('\uFEFF'), 'the UTF-8 byte order mark');
	const records: Array<Array<string>> = [];
	let fields: Array<string> = [];
	let field = '';
	let quoted = false;
	for (let index = 1; index < text.length; index += 1) {
		const char = text[index];
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				field += '"';
				index += 1;
			} else if (char === '"') {
				quoted = false;
			} else {
				field += char;
			}
		} else if (char === '"') {
			quoted = true;
		} else if (char === ',') {
			fields.push(field);
			field = '';
		} else if (char === '\r' && text[index + 1] === '\n') {
			fields.push(field);
			records.push(fields);
			fields = [];
			field = '';
			index += 1;
		} else {
			field += char;
		}
	}
	assert.equal(field, '', 'the last record ends with CRLF');
	return records;
}
