// Creating surveys (the survey form from /feedback survey new and the admin view's New survey,
// its field errors, the role, a repeated submit) and the admin view's surveys (response rate,
// opt-outs, results withheld under 5 answers and for an anonymous round until it settles, Close
// and Reopen once), on the TestWorld's clock with the app's real handlers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';

import { FeedbackAction, parseSurveyEventValue } from '../../src/domain/actions';
import { ANSWER_SECRET_MIN_LENGTH } from '../../src/domain/answers';
import { DAY_CLOSING_GRACE_MS, DAY_MS } from '../../src/domain/days';
import { roundOf } from '../../src/domain/rounds';
import { SurveyFormField, surveyFormIdOfView } from '../../src/domain/surveyForm';
import { storesFor } from '../../src/persistence/stores';
import { surveySecretName } from '../../src/settings/surveySecret';
import { APP_ID, TestWorld } from '../support/TestWorld';

const FILLED = {
	[SurveyFormField.Question]: 'How likely are you to recommend this team?',
	[SurveyFormField.Kind]: 'nps',
	[SurveyFormField.WithComment]: 'yes',
	[SurveyFormField.AudienceKind]: 'room',
	[SurveyFormField.AudienceName]: 'general',
	[SurveyFormField.Rhythm]: 'once',
	[SurveyFormField.Anonymous]: 'no',
	[SurveyFormField.OpenDays]: '2',
};

function stores(world: TestWorld) {
	return storesFor(world.persistence.reader(APP_ID), world.instance.log.logger);
}

interface IAnswer {
	readonly type?: string;
	readonly view?: IUIKitSurface;
	readonly errors?: Record<string, string>;
}

/** The text of a view's sections and contexts, one line each. */
function lines(view: IUIKitSurface | undefined): Array<string> {
	const blocks = (view?.blocks ?? []) as unknown as Array<{
		type: string;
		text?: { text: string };
		elements?: Array<{ text?: unknown }>;
	}>;
	return blocks.flatMap((block) => {
		if (block.type === 'section' && block.text) {
			return [block.text.text];
		}
		return block.type === 'context'
			? (block.elements ?? []).flatMap((element) =>
					typeof element.text === 'string' ? [element.text] : [],
				)
			: [];
	});
}

/** The buttons of a view's action blocks. */
function buttons(view: IUIKitSurface | undefined): Array<{ actionId: string; value: string }> {
	const blocks = (view?.blocks ?? []) as unknown as Array<{
		type: string;
		elements?: Array<{ type: string; actionId: string; value: string }>;
	}>;
	return blocks
		.filter((block) => block.type === 'actions')
		.flatMap((block) => block.elements ?? [])
		.filter((element) => element.type === 'button');
}

async function openForm(world: TestWorld): Promise<IUIKitSurface> {
	await world.instance.run(world.admin, 'survey new');
	const form = world.lastView(world.admin);
	assert.ok(surveyFormIdOfView(form.id), `the survey form opened: ${form.id}`);
	return form;
}

async function submit(
	world: TestWorld,
	form: IUIKitSurface,
	values: Record<string, unknown>,
): Promise<IAnswer> {
	return (await world.instance.submit(world.admin, form, values)) as IAnswer;
}

async function surveysView(world: TestWorld): Promise<IUIKitSurface> {
	const admin = { id: 'feedback-admin', type: 'modal' } as unknown as IUIKitSurface;
	const answer = (await world.instance.click(
		world.admin,
		admin,
		FeedbackAction.AdminSurveys,
		'',
	)) as IAnswer;
	assert.equal(answer.type, 'modal.update', JSON.stringify(answer));
	assert.ok(answer.view);
	return answer.view;
}

describe('creating a survey', () => {
	it('/feedback survey new opens the form; its submit stores the survey and tells its first round', async () => {
		const world = new TestWorld();
		const form = await openForm(world);
		const answer = await submit(world, form, FILLED);
		assert.equal(answer.type, 'modal.update', JSON.stringify(answer));
		const [state] = await stores(world).surveys.all();
		assert.ok(state?.active);
		assert.equal(state.survey.question, FILLED[SurveyFormField.Question]);
		assert.deepEqual(state.survey.audience, { kind: 'room', roomName: 'general' });
		assert.equal(state.survey.adminId, world.admin.id);
		const text = lines(answer.view).join('\n');
		assert.match(text, /Survey created: How likely/);
		const round = roundOf(state.survey, world.now());
		assert.ok(round);
		const closes = `${round.closesAt.slice(0, 16).replace('T', ' ')} UTC`;
		assert.ok(text.includes(`closes ${closes}`), text);
	});

	it('a submit delivered twice, or on two instances, creates one survey; Done then closes', async () => {
		const world = new TestWorld();
		const form = await openForm(world);
		const other = world.newInstance();
		await Promise.all([submit(world, form, FILLED), other.submit(world.admin, form, FILLED)]);
		const again = await submit(world, form, FILLED);
		assert.equal(again.type, 'modal.close', 'the survey exists: the form closes');
		assert.equal((await stores(world).surveys.all()).length, 1);
	});

	it('every bad field gets its error, in the admin language, and nothing is stored', async () => {
		const world = new TestWorld();
		const form = await openForm(world);
		const answer = await submit(world, form, {
			[SurveyFormField.Question]: '   ',
			[SurveyFormField.Kind]: 'stars',
			[SurveyFormField.WithComment]: 'maybe',
			[SurveyFormField.AudienceKind]: 'team',
			[SurveyFormField.AudienceName]: 'general',
			[SurveyFormField.Rhythm]: 'daily',
			[SurveyFormField.Anonymous]: 'perhaps',
			[SurveyFormField.OpenDays]: '0',
		});
		assert.equal(answer.type, 'errors');
		const withErrors = Object.values(SurveyFormField).filter(
			(field) => field !== SurveyFormField.AudienceName,
		);
		assert.deepEqual(Object.keys(answer.errors ?? {}).sort(), withErrors.sort());
		assert.match(answer.errors?.[SurveyFormField.Question] ?? '', /Write the question/);
		assert.match(answer.errors?.[SurveyFormField.OpenDays] ?? '', /at least 1/);
		const tooLong = await submit(world, form, {
			...FILLED,
			[SurveyFormField.Rhythm]: 'weekly',
			[SurveyFormField.OpenDays]: '7',
		});
		assert.match(tooLong.errors?.[SurveyFormField.OpenDays] ?? '', /at most 6 days/);
		const badName = await submit(world, form, {
			...FILLED,
			[SurveyFormField.AudienceName]: 'two words',
		});
		assert.deepEqual(Object.keys(badName.errors ?? {}), [SurveyFormField.AudienceName]);
		assert.match(badName.errors?.[SurveyFormField.AudienceName] ?? '', /without spaces/);
		assert.equal((await stores(world).surveys.all()).length, 0);
	});

	it('a role audience is refused on the audience choice, saying why', async () => {
		const world = new TestWorld();
		const form = await openForm(world);
		const answer = await submit(world, form, {
			...FILLED,
			[SurveyFormField.AudienceKind]: 'role',
			[SurveyFormField.AudienceName]: 'support',
		});
		assert.match(
			answer.errors?.[SurveyFormField.AudienceKind] ?? '',
			/role support: Rocket.Chat does not let apps list the members of a role/,
		);
	});

	it('a room that does not exist is a field error', async () => {
		const world = new TestWorld();
		const form = await openForm(world);
		const answer = await submit(world, form, {
			...FILLED,
			[SurveyFormField.AudienceName]: 'nowhere',
		});
		assert.match(answer.errors?.[SurveyFormField.AudienceName] ?? '', /no room named `nowhere`/);
		assert.equal((await stores(world).surveys.all()).length, 0);
	});

	it('errors come in the admin language', async () => {
		const world = new TestWorld();
		world.admin.settings = { preferences: { language: 'de' } } as typeof world.admin.settings;
		const form = await openForm(world);
		const answer = await submit(world, form, { ...FILLED, [SurveyFormField.Question]: '' });
		assert.match(answer.errors?.[SurveyFormField.Question] ?? '', /Schreibe die Frage/);
	});

	it('a member who is no admin is refused the command and the submit, naming the role', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, 'survey new');
		assert.match(world.lastNotice(world.alice), /Only workspace admins \(the admin role\)/);
		const form = await openForm(world);
		const answer = (await world.instance.submit(world.alice, form, FILLED)) as IAnswer;
		assert.match(answer.errors?.[SurveyFormField.Question] ?? '', /the admin role/);
		assert.equal((await stores(world).surveys.all()).length, 0);
	});

	it("the admin view's New survey opens the form in a modal of its own", async () => {
		const world = new TestWorld();
		const admin = { id: 'feedback-admin', type: 'modal' } as unknown as IUIKitSurface;
		const answer = (await world.instance.click(
			world.admin,
			admin,
			FeedbackAction.AdminSurveyNew,
			'',
		)) as IAnswer;
		assert.equal(answer.type, 'modal.open');
		assert.ok(answer.view && surveyFormIdOfView(answer.view.id));
		await submit(world, answer.view, FILLED);
		assert.equal((await stores(world).surveys.all()).length, 1);
		const refused = (await world.instance.click(
			world.alice,
			admin,
			FeedbackAction.AdminSurveyNew,
			'',
		)) as IAnswer;
		assert.equal(refused.view, undefined, 'a member gets nothing');
	});
});

describe("the admin view's surveys", () => {
	async function created(world: TestWorld, values: Record<string, unknown> = FILLED) {
		await submit(world, await openForm(world), values);
		const [state] = await stores(world).surveys.all();
		assert.ok(state);
		return state.survey;
	}

	async function answer(world: TestWorld, surveyId: string, member: string, value: number) {
		const state = await stores(world).surveys.find(surveyId);
		assert.ok(state);
		const round = roundOf(state.survey, world.now());
		assert.ok(round);
		const { anonymous } = state.survey;
		await stores(world).surveyAnswers.add(
			world.writer(),
			{
				surveyId,
				roundKey: round.key,
				answerKey: `key-${member}`,
				value,
				comment: `comment of ${member}`,
				revision: 1,
				memberId: anonymous ? null : member,
			},
			undefined,
		);
	}

	it('shows the response rate and opt-outs, withholds results under 5 answers, then shows them with named comments', async () => {
		const world = new TestWorld();
		await world.instance.run(world.dora, 'notices off');
		const survey = await created(world);
		const run = await world.instance.runSurveyRounds();
		assert.equal(run.invited, 4);
		for (const [member, value] of [
			['admin', 10],
			['alice', 9],
			['bruno', 7],
			['clara', 3],
		] as const) {
			await answer(world, survey.id, member, value);
		}
		let text = lines(await surveysView(world)).join('\n');
		assert.match(text, /4\/4 answered \(100 %\) · 1 opted out \(notices off\)/);
		assert.match(text, /once: results withheld: fewer than 5 answers/);
		assert.ok(!text.includes('comment of'), text);
		// Dora answers after all (her notices were off when invited, not when she answered): the
		// rate counts answers over invitations, at most 100 %.
		await answer(world, survey.id, 'dora', 10);
		text = lines(await surveysView(world)).join('\n');
		assert.match(
			text,
			/NPS \+40 · 3 promoters, 1 passives, 1 detractors · 5\/4 answered \(100 %\)/,
		);
		assert.match(text, /comment by alice: comment of alice/);
		assert.match(
			text,
			/NPS: how likely to recommend, 0 to 10 · members of #general · Once · named · open · id/,
		);
	});

	it('withholds an anonymous round until it settles, then shows it without authors', async () => {
		const world = new TestWorld();
		// An anonymous survey needs the server's survey secret (its answers are sealed with it).
		world.environmentVariables.set(surveySecretName(APP_ID), 's'.repeat(ANSWER_SECRET_MIN_LENGTH));
		const survey = await created(world, {
			...FILLED,
			[SurveyFormField.Kind]: 'yes-no',
			[SurveyFormField.Anonymous]: 'yes',
		});
		await world.instance.runSurveyRounds();
		for (const [member, value] of [
			['admin', 1],
			['alice', 1],
			['bruno', 0],
			['clara', 1],
			['dora', 1],
		] as const) {
			await answer(world, survey.id, member, value);
		}
		let text = lines(await surveysView(world)).join('\n');
		assert.match(text, /shown after the round closes · 5\/5 answered \(100 %\)/);
		assert.ok(!text.includes('80 % yes'), text);
		world.advance(2 * DAY_MS + DAY_CLOSING_GRACE_MS);
		text = lines(await surveysView(world)).join('\n');
		assert.match(text, /once: 80 % yes · 4 yes, 1 no/);
		assert.match(text, /once comment: comment of alice/);
		assert.ok(!/comment by/.test(text), 'no author in an anonymous survey');
	});

	it('Close stores one event however often its click arrives; Reopen opens it again; the command too', async () => {
		const world = new TestWorld();
		const survey = await created(world);
		const view = await surveysView(world);
		const close = buttons(view).find((button) => button.actionId === 'admin-survey-close');
		assert.ok(close && parseSurveyEventValue(close.value)?.surveyId === survey.id);
		const admin = { id: 'feedback-admin', type: 'modal' } as unknown as IUIKitSurface;
		await Promise.all([
			world.instance.click(world.admin, admin, close.actionId, close.value),
			world.newInstance().click(world.admin, admin, close.actionId, close.value),
		]);
		const answerAgain = (await world.instance.click(
			world.admin,
			admin,
			close.actionId,
			close.value,
		)) as IAnswer;
		assert.match(lines(answerAgain.view).join('\n'), /Survey \w{8} is closed/);
		const events = await stores(world).surveys.events(survey.id);
		assert.equal(new Set(events.map((event) => event.id)).size, 1, 'one close');
		assert.equal((await stores(world).surveys.find(survey.id))?.active, false);
		assert.equal(
			(await world.instance.runSurveyRounds()).invited,
			0,
			'no round of a closed survey',
		);
		const reopen = buttons(answerAgain.view).find(
			(button) => button.actionId === 'admin-survey-reopen',
		);
		assert.ok(reopen);
		await world.instance.click(world.admin, admin, reopen.actionId, reopen.value);
		assert.equal((await stores(world).surveys.find(survey.id))?.active, true);
		const shortId = survey.id.slice(0, 8);
		await world.instance.run(world.admin, `survey close ${shortId}`);
		assert.match(world.lastNotice(world.admin), new RegExp(`Survey ${shortId} is closed`));
		await world.instance.run(world.admin, `survey close ${shortId}`);
		assert.match(world.lastNotice(world.admin), /was closed already/);
		await world.instance.run(world.admin, 'survey close nothing');
		assert.match(world.lastNotice(world.admin), /No survey has the id/);
		await world.instance.run(world.alice, `survey reopen ${shortId}`);
		assert.match(world.lastNotice(world.alice), /the admin role/);
		assert.equal((await stores(world).surveys.find(survey.id))?.active, false);
		const forged = (await world.instance.click(
			world.alice,
			admin,
			'admin-survey-reopen',
			reopen.value,
		)) as IAnswer;
		assert.equal(forged.view, undefined);
		assert.equal((await stores(world).surveys.find(survey.id))?.active, false);
	});
});
