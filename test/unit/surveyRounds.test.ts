// The survey round job and the survey stores, on the TestWorld's clock: invitations once per
// member per round, whatever runs race or answers get lost; reminders once, only to members
// without a participation mark; members with notices off skipped; batches across runs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FeedbackAction, parseSurveyAnswerValue } from '../../src/domain/actions';
import { DAY_MS } from '../../src/domain/days';
import { invitationReference, reminderReference, roundOf } from '../../src/domain/rounds';
import { surveyOf } from '../../src/domain/survey';
import type { ISurvey } from '../../src/domain/survey';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { storesFor } from '../../src/persistence/stores';
import { APP_ID, TestWorld } from '../support/TestWorld';

const QUESTION = 'How likely are you to recommend @all this team?';

function stores(world: TestWorld) {
	return storesFor(world.persistence.reader(APP_ID), world.instance.log.logger);
}

/** A survey of #general, asked once, open two days from now. */
async function createSurvey(world: TestWorld, anonymous = true): Promise<ISurvey> {
	const survey = surveyOf(
		{
			question: QUESTION,
			kind: 'nps',
			withComment: true,
			audience: { kind: 'room', roomName: 'general' },
			rhythm: 'once',
			anonymous,
			openDays: 2,
		},
		'survey-1',
		world.now(),
		world.admin.id,
	);
	await stores(world).surveys.create(world.writer(), survey);
	return survey;
}

/** The app's messages in each member's direct room, by username. */
function directMessages(world: TestWorld): Map<string, Array<string>> {
	const byMember = new Map<string, Array<string>>();
	for (const message of world.roomMessages) {
		const room = world.directRooms.find((direct) => direct.id === message.room.id);
		const member = room?.usernames?.find((name) => name !== world.bot.username);
		if (member) {
			byMember.set(member, [...(byMember.get(member) ?? []), message.text ?? '']);
		}
	}
	return byMember;
}

const PEOPLE = ['admin', 'alice', 'bruno', 'clara', 'dora'];

describe('the survey round job', () => {
	it('invites each member of the room once per round, in their language, with an Answer button', async () => {
		const world = new TestWorld();
		const survey = await createSurvey(world);
		const first = await world.instance.runSurveyRounds();
		assert.equal(first.invited, 5);
		await world.instance.runSurveyRounds();
		const messages = directMessages(world);
		assert.deepEqual([...messages.keys()].sort(), PEOPLE, 'no DM to the app user');
		for (const [member, texts] of messages) {
			assert.equal(texts.length, 1, member);
			const round = roundOf(survey, world.now());
			assert.ok(round);
			assert.ok(
				texts[0].split('\n')[0].includes(invitationReference(survey.id, round.key, member)),
			);
			assert.ok(!texts[0].includes('@all'), 'the question is quoted inert');
		}
		assert.match(messages.get('bruno')?.[0] ?? '', /^Uma pesquisa para você/);
		assert.match(messages.get('clara')?.[0] ?? '', /^Eine Umfrage für dich/);
		const button = (
			world.roomMessages[0].blocks as unknown as Array<{
				elements: Array<{ actionId: string; value: string }>;
			}>
		)[0].elements[0];
		assert.equal(button.actionId, FeedbackAction.SurveyAnswer);
		assert.deepEqual(parseSurveyAnswerValue(button.value), {
			surveyId: 'survey-1',
			roundKey: 'once',
		});
	});

	it('two runs at once on two instances send one invitation per member', async () => {
		const world = new TestWorld();
		await createSurvey(world);
		await Promise.all([world.instance.runSurveyRounds(), world.newInstance().runSurveyRounds()]);
		await world.instance.runSurveyRounds();
		for (const [member, texts] of directMessages(world)) {
			assert.equal(texts.length, 1, member);
		}
		assert.equal(directMessages(world).size, 5);
	});

	it('a lost answer to a post still leaves one invitation', async () => {
		const world = new TestWorld();
		await createSurvey(world);
		world.losingMessageAnswers = 1;
		await world.instance.runSurveyRounds();
		await world.instance.runSurveyRounds();
		assert.deepEqual(
			[...directMessages(world).values()].map((texts) => texts.length),
			[1, 1, 1, 1, 1],
		);
	});

	it('skips members whose notices are off, for invitations and reminders', async () => {
		const world = new TestWorld();
		await world.instance.run(world.dora, 'notices off');
		await createSurvey(world);
		await world.instance.runSurveyRounds();
		world.advance(DAY_MS);
		await world.instance.runSurveyRounds();
		assert.equal(directMessages(world).has('dora'), false);
		const done = await stores(world).surveyMarks.sent('invited', 'survey-1', 'once');
		assert.equal(done.get('dora'), 'skipped');
	});

	it('reminds once, from halfway, only the invited without a participation mark', async () => {
		const world = new TestWorld();
		const survey = await createSurvey(world);
		await world.instance.runSurveyRounds();
		await stores(world).surveyMarks.addParticipation(world.writer(), {
			surveyId: survey.id,
			roundKey: 'once',
			memberId: world.alice.id,
			keying: 'keyed',
			token: 'fingerprint',
		});
		assert.equal((await world.instance.runSurveyRounds()).reminded, 0, 'not halfway yet');
		world.advance(DAY_MS);
		const run = await world.instance.runSurveyRounds();
		assert.equal(run.reminded, 4);
		await Promise.all([world.instance.runSurveyRounds(), world.newInstance().runSurveyRounds()]);
		const messages = directMessages(world);
		assert.deepEqual(messages.get('alice')?.length, 1, 'alice answered: no reminder');
		for (const member of ['admin', 'bruno', 'clara', 'dora']) {
			const texts = messages.get(member) ?? [];
			assert.equal(texts.length, 2, member);
			assert.ok(texts[1].split('\n')[0].includes(reminderReference(survey.id, 'once', member)));
		}
		world.advance(DAY_MS);
		assert.deepEqual(
			await world.instance.runSurveyRounds(),
			{ invited: 0, reminded: 0, stoppedAtBudget: false },
			'closed',
		);
	});

	it('stops at its time budget and goes on in the next run', async () => {
		const world = new TestWorld();
		await createSurvey(world);
		// Slow posts: each takes four seconds of the run's ten.
		world.onPost = () => world.advance(4000);
		const first = await world.instance.runSurveyRounds();
		assert.equal(first.stoppedAtBudget, true);
		assert.ok(first.invited > 0 && first.invited < 5, String(first.invited));
		let runs = 1;
		while (directMessages(world).size < 5 && runs < 5) {
			await world.instance.runSurveyRounds();
			runs += 1;
		}
		assert.deepEqual(
			[...directMessages(world).values()].map((texts) => texts.length),
			[1, 1, 1, 1, 1],
		);
	});

	it('sends nothing for a closed survey, and reopening it goes on', async () => {
		const world = new TestWorld();
		await createSurvey(world);
		const event = { surveyId: 'survey-1', adminId: world.admin.id };
		await stores(world).surveys.addEvent(world.writer(), {
			...event,
			id: 'e1',
			at: world.tick().toISOString(),
			kind: 'closed',
		});
		assert.equal((await world.instance.runSurveyRounds()).invited, 0);
		await stores(world).surveys.addEvent(world.writer(), {
			...event,
			id: 'e2',
			at: world.tick().toISOString(),
			kind: 'reopened',
		});
		assert.equal((await world.instance.runSurveyRounds()).invited, 5);
	});
});

describe('the survey stores', () => {
	it('keep an anonymous answer with no member association, and count each key once at its highest revision', async () => {
		const world = new TestWorld();
		const answers = stores(world).surveyAnswers;
		const base = { surveyId: 's', roundKey: 'once', comment: '', memberId: null };
		await answers.add(
			world.writer(),
			{ ...base, answerKey: 'k1', value: 3, revision: 1 },
			undefined,
		);
		await answers.add(
			world.writer(),
			{ ...base, answerKey: 'k1', value: 3, revision: 1 },
			undefined,
		);
		await answers.add(
			world.writer(),
			{ ...base, answerKey: 'k1', value: 9, revision: 2 },
			undefined,
		);
		await answers.add(
			world.writer(),
			{ ...base, answerKey: 'k2', value: 7, revision: 1 },
			undefined,
		);
		const current = await answers.ofRound('s', 'once', undefined);
		assert.deepEqual(
			current.map((answer) => [answer.answerKey, answer.value]),
			[
				['k1', 9],
				['k2', 7],
			],
		);
		assert.equal((await answers.underKey('s', 'once', 'k1', undefined)).length, 3);
		const stored = world.persistence.matching(
			APP_ID,
			buildAssociations({ scope: RecordScope.SurveyAnswer }),
		);
		assert.ok(
			stored.every((record) =>
				record.associations.every((association) => association.model !== 'user'),
			),
		);
		await answers.removeOf(world.writer(), 's');
		assert.deepEqual(await answers.ofRound('s', 'once', undefined), []);
	});

	it('apply the newest change of a survey', async () => {
		const world = new TestWorld();
		const survey = await createSurvey(world);
		const { id, createdAt, adminId, ...draft } = survey;
		void createdAt;
		await stores(world).surveys.addEvent(world.writer(), {
			id: 'e2',
			surveyId: id,
			adminId,
			at: '2026-01-02T00:00:00.000Z',
			kind: 'changed',
			draft: { ...draft, question: 'Newer' },
		});
		await stores(world).surveys.addEvent(world.writer(), {
			id: 'e1',
			surveyId: id,
			adminId,
			at: '2026-01-01T12:00:00.000Z',
			kind: 'changed',
			draft: { ...draft, question: 'Older' },
		});
		const state = await stores(world).surveys.find(id);
		assert.equal(state?.survey.question, 'Newer');
		assert.equal(state?.survey.createdAt, survey.createdAt);
		assert.equal(state?.active, true);
		assert.equal(await stores(world).surveys.find('nothing'), undefined);
	});
});
