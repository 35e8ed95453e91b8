// Surveys through the digest check and `/feedback export` in the test world: surveys, invitation
// marks and answers are written through the app's stores, then the digest shows the rounds that
// settled in its week (results from 5 answers, withheld below) and the export writes a file per
// survey (anonymous: no member, by value, withheld rounds left out; named: usernames).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ISurveyAnswer } from '../../src/domain/answers';
import { SettingId } from '../../src/domain/settings';
import type { ISurvey } from '../../src/domain/survey';
import { AnswerStore } from '../../src/persistence/AnswerStore';
import { SurveyMarks } from '../../src/persistence/SurveyMarks';
import { SurveyStore } from '../../src/persistence/SurveyStore';
import { TestWorld } from '../support/TestWorld';
import { assertMemberTextInert } from '../support/messageSafety';

const DAY = 86_400_000;
/** The world starts Thursday 2026-01-01; this slot's week is [2026-01-05 09:00, 2026-01-12 09:00). */
const SLOT = Date.parse('2026-01-12T09:00:00Z');

function surveyOf(fields: Partial<ISurvey>): ISurvey {
	return {
		id: 'survey-nps',
		question: 'Q-MARK Would you recommend us? @all **now**',
		kind: 'nps',
		withComment: true,
		audience: { kind: 'room', roomName: 'general' },
		rhythm: 'weekly',
		anonymous: true,
		openDays: 3,
		createdAt: '2025-12-01T00:00:00.000Z',
		adminId: 'admin',
		...fields,
	};
}

/** Stores a survey, `invited` sent and `skipped` invitation marks, and one answer per value. */
async function seedRound(
	world: TestWorld,
	survey: ISurvey,
	roundKey: string,
	round: {
		invited: number;
		skipped?: number;
		values: ReadonlyArray<number>;
		comments?: ReadonlyArray<string>;
	},
): Promise<void> {
	const persistence = world.writer();
	const reader = world.read().getPersistenceReader();
	const marks = new SurveyMarks(reader);
	for (let index = 0; index < round.invited + (round.skipped ?? 0); index += 1) {
		await marks.noteSent(persistence, 'invited', {
			surveyId: survey.id,
			roundKey,
			memberId: `member-${index}`,
			outcome: index < round.invited ? 'sent' : 'skipped',
		});
	}
	const answers = new AnswerStore(reader);
	// Stored in reverse key order: the export must not follow the order of arrival.
	for (let index = round.values.length - 1; index >= 0; index -= 1) {
		const answer: ISurveyAnswer = {
			surveyId: survey.id,
			roundKey,
			answerKey: survey.anonymous ? `key-${index}` : `member:member-${index}`,
			value: round.values[index],
			comment: round.comments?.[index] ?? '',
			revision: 2,
			memberId: survey.anonymous ? null : `member-${index}`,
		};
		// A first answer, changed since: only the highest revision counts.
		await answers.add(
			persistence,
			{ ...answer, revision: 1, value: 5, comment: 'OLD-MARK' },
			undefined,
		);
		await answers.add(persistence, answer, undefined);
	}
}

async function createSurvey(world: TestWorld, survey: ISurvey): Promise<void> {
	await new SurveyStore(world.read().getPersistenceReader()).create(world.writer(), survey);
}

/** The world with the digest on, seen before the slot. */
async function digestWorld(): Promise<TestWorld> {
	const world = new TestWorld();
	world.settings.set(SettingId.DigestEnabled, true);
	world.settings.set(SettingId.DigestRoom, 'feedback');
	world.settings.set(SettingId.DigestWeekday, 'monday');
	world.settings.set(SettingId.DigestHour, 9);
	assert.equal(await world.instance.handlers.digest.run(world.instance.jobRequest()), 'first-seen');
	return world;
}

function moveTo(world: TestWorld, time: number): void {
	world.advance(time - world.now().getTime());
}

const HOSTILE_COMMENT = 'C-MARK =HYPERLINK("http://evil.example") @all';

describe('surveys in the weekly digest', () => {
	it('show settled rounds with 5 answers, withhold those with fewer, count comments only', async () => {
		const world = await digestWorld();
		const nps = surveyOf({});
		const rating = surveyOf({
			id: 'survey-rating',
			question: 'How was the onboarding?',
			kind: 'rating',
			rhythm: 'once',
			anonymous: false,
			openDays: 2,
			createdAt: '2026-01-06T10:00:00.000Z',
		});
		await createSurvey(world, nps);
		await createSurvey(world, rating);
		await seedRound(world, nps, '2026-W01', { invited: 5, values: [10, 10, 9, 9, 9] });
		await seedRound(world, nps, '2026-W02', {
			invited: 8,
			skipped: 2,
			values: [10, 10, 9, 8, 6, 3],
			comments: [HOSTILE_COMMENT, '', 'second'],
		});
		await seedRound(world, rating, 'once', { invited: 6, values: [4, 5, 3, 2] });
		moveTo(world, SLOT + 60_000);
		assert.equal(await world.instance.handlers.digest.run(world.instance.jobRequest()), 'posted');
		const text = world.roomMessages[0].text ?? '';
		assert.match(
			text,
			/\(NPS, anonymous\)\n> Round 2026-W02: 6 of 8 answered \(75%\), 2 opted out\n> NPS \+17 · 3 promoters, 1 passives, 2 detractors\n> 2 comment\(s\)/,
		);
		assert.match(text, /> Last rounds: \+100 → \+17/);
		assert.doesNotMatch(text, /Round 2026-W01/, 'W01 settled the week before: in that digest');
		assert.match(
			text,
			/`How was the onboarding\?` \(rating 1 to 5, named\)\n> Round once: 4 of 6 answered \(66%\), 0 opted out\n> Results withheld: fewer than 5 answers/,
		);
		assert.doesNotMatch(text, /C-MARK|second|HYPERLINK|OLD-MARK/, 'no comment in the room');
		assertMemberTextInert(text, ['Q-MARK', 'Would you']);

		// The next week's digest has no round settled: no survey section.
		moveTo(world, SLOT + 7 * DAY + 60_000);
		assert.equal(await world.instance.handlers.digest.run(world.instance.jobRequest()), 'posted');
		assert.doesNotMatch(world.roomMessages[1].text ?? '', /Surveys/);
	});
});

/** The rows of an uploaded CSV (BOM and header dropped), split naively: the tests' cells hold no comma. */
function rowsOf(content: string): Array<string> {
	return content
		.replace(/^\uFEFF/, '')
		.split('\r\n')
		.slice(1, -1);
}

describe('surveys in /feedback export', () => {
	it('a file per survey: anonymous by value without members and withheld rounds, named with usernames', async () => {
		const world = new TestWorld();
		const anonymous = surveyOf({});
		const named = surveyOf({
			id: 'survey-named',
			question: 'Was the release smooth?',
			kind: 'yes-no',
			anonymous: false,
		});
		await createSurvey(world, anonymous);
		await createSurvey(world, named);
		await seedRound(world, anonymous, '2025-W50', { invited: 5, values: [10, 9, 8, 7, 6] });
		// Fewer than 5: withheld, so not exported for the anonymous survey.
		await seedRound(world, anonymous, '2025-W51', { invited: 5, values: [1, 2] });
		await seedRound(world, named, '2025-W51', {
			invited: 3,
			values: [1, 0],
			comments: ['-1 for the downtime', ''],
		});
		moveTo(world, Date.parse('2026-01-02T00:00:00Z'));
		await world.instance.run(world.admin, 'export');
		const files = world.uploads.filter((upload) => upload.filename.startsWith('survey-'));
		assert.deepEqual(
			files.map((file) => file.filename),
			[
				'survey-survey-named-export-2026-01-02-part-1.csv',
				'survey-survey-nps-export-2026-01-02-part-1.csv',
			],
			'created at the same time: in id order',
		);
		assert.doesNotMatch(files.map((file) => file.content).join(''), /OLD-MARK/);
		const anonymousRows = rowsOf(files[1].content);
		assert.deepEqual(
			anonymousRows.map((row) => row.split(',').slice(2)),
			[0, 1, 2, 3, 4].map((index) => [
				'2025-W50',
				'2025-12-08 00:00:00',
				'2025-12-11 00:00:00',
				String([6, 7, 8, 9, 10][index]),
				'',
				'',
			]),
			'by value (never by key), no member, the withheld round left out',
		);
		const namedRows = rowsOf(files[0].content);
		assert.deepEqual(
			namedRows.map((row) => row.split(',').slice(5)),
			[
				['yes', "'-1 for the downtime", 'member-0'],
				['no', '', 'member-1'],
			],
		);
		assert.match(
			world.lastNotice(world.admin),
			/\nSurveys: 7 answers of 2 survey\(s\), in 2 CSV file\(s\)/,
		);
	});
});
