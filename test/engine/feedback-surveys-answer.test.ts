// Answering a survey through the packaged app: the invitation's Answer button opens the form in
// the member's language, a submit stores the answer once, a keyed answer can change until the
// close and counts once, reminders go only to those who did not answer, an anonymous survey takes
// no answer without the survey secret, and every refusal says why, at the button and at the submit.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import {
	type UIKitIncomingInteraction,
	UIKitIncomingInteractionType,
} from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitIncomingInteractionContainerType } from '@rocket.chat/apps-engine/definition/uikit/UIKitIncomingInteractionContainer';

import {
	appLogLines,
	appUsername,
	buttonClick,
	fixturePerTest,
	viewLines,
	type IEngineFixture,
} from './app-fixture';
import type { IBlockActionResult, IOpenView, LocalHost } from '../../host';
import { FeedbackAction } from '../../src/domain/actions';
import { AnswerField, answerFieldBlockId, answerFormOfView } from '../../src/domain/answerForm';
import { DAY_MS } from '../../src/domain/days';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import {
	ageSurvey,
	answerRecords,
	countedAnswers,
	directMessagesTo,
	participationMarks,
	seedSurvey,
	SURVEY_JOB_INTERVAL_MS,
	surveyFor,
	WITH_SURVEY_SECRET,
} from '../support/surveys';

const MEMBERS = ['admin', 'alice', 'bruno', 'clara', 'dora'];

function databaseOf(fixture: IEngineFixture): string {
	return path.join(fixture.folder, 'host.sqlite');
}

/** Seeds a survey and runs the round job once: every member of #general is invited. */
async function invited(
	fixture: IEngineFixture,
	survey = surveyFor('survey-1'),
): Promise<typeof survey> {
	const { host } = fixture;
	await seedSurvey(host.persistence, host.getAppId(), survey);
	await host.advanceClock(SURVEY_JOB_INTERVAL_MS);
	for (const member of MEMBERS) {
		assert.equal(dms(host, member).length, 1, `${member} invited once`);
	}
	return survey;
}

function dms(host: LocalHost, username: string): IMessage[] {
	return directMessagesTo(host, appUsername(host), username);
}

/** A member clicks Answer in the newest message of the app's direct room with them. */
async function clickAnswer(host: LocalHost, username: string): Promise<IBlockActionResult> {
	const message = dms(host, username).at(-1);
	assert.ok(message, `${username} has a message of the app`);
	const clicked = await host.blockAction(
		username,
		{ messageId: message.id ?? '' },
		buttonClick(message, FeedbackAction.SurveyAnswer),
	);
	assert.equal(clicked.error, undefined);
	return clicked;
}

/** Clicks Answer and returns the answer form that opened (a snapshot, to submit later). */
async function openForm(host: LocalHost, username: string): Promise<IOpenView> {
	const { view } = await clickAnswer(host, username);
	assert.ok(view, 'a modal opened');
	assert.ok(answerFormOfView({ id: view.viewId }), `the answer form, not ${view.viewId}`);
	return structuredClone(view);
}

/** Clicks Answer and returns the text of the notice that opened instead of a form. */
async function noticeAt(host: LocalHost, username: string): Promise<string> {
	const { view } = await clickAnswer(host, username);
	assert.ok(view, 'a modal opened');
	assert.equal(answerFormOfView({ id: view.viewId }), undefined, 'no answer form');
	assert.equal(view.view.submit, undefined, 'nothing to send');
	return viewLines(view).join('\n');
}

function answerValues(value: string, comment?: string): Record<string, unknown> {
	return {
		[AnswerField.Value]: value,
		...(comment === undefined ? {} : { [AnswerField.Comment]: comment }),
	};
}

/** Submits a form that was opened, as the member's client sends it; asserts it was accepted. */
async function answer(
	host: LocalHost,
	username: string,
	form: IOpenView,
	value: string,
	comment?: string,
): Promise<string> {
	const submitted = await host.submitViewAs(username, form, answerValues(value, comment));
	assert.equal(submitted.accepted, true, JSON.stringify(submitted.errors));
	assert.equal(submitted.notifications.length, 1, 'told privately once');
	return submitted.notifications[0].text;
}

/** Submits a form and returns the error shown on the answer's field. */
async function refusedAnswer(
	host: LocalHost,
	username: string,
	form: IOpenView,
	values: Record<string, unknown> = answerValues('5'),
): Promise<Record<string, string>> {
	const submitted = await host.submitViewAs(username, form, values);
	assert.equal(submitted.accepted, false, 'refused');
	return submitted.errors;
}

/** Sends the app a click of Answer as the server hands one over: any value, any message, any trigger. */
async function forgedClick(
	host: LocalHost,
	username: string,
	value: string,
	triggerId: string,
): Promise<void> {
	const interaction = {
		type: UIKitIncomingInteractionType.BLOCK,
		container: { type: UIKitIncomingInteractionContainerType.MESSAGE, id: 'no-such-message' },
		appId: host.getAppId(),
		actionId: FeedbackAction.SurveyAnswer,
		triggerId,
		user: host.user(username),
		room: host.directory.requireRoom('general'),
		payload: { blockId: FeedbackAction.SurveyAnswer, value },
	} as unknown as UIKitIncomingInteraction;
	await host
		.engineBridges()
		.listener.uiKitInteractionEvent(AppInterface.IUIKitInteractionHandler, interaction);
	await host.waitForIdle();
}

describe('answering a survey with the survey secret set (keyed)', () => {
	const fixture = fixturePerTest('surveys-answer-keyed', WITH_SURVEY_SECRET);

	it('invitation, answer, change, reminders only to those who did not answer, and no answer after the close', async () => {
		const { host } = fixture();
		const appId = host.getAppId();
		await invited(fixture());

		const form = await openForm(host, 'alice');
		assert.match(
			viewLines(form).join('\n'),
			/You can change your answer until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/,
		);
		assert.deepEqual(
			await refusedAnswer(host, 'alice', form, {}),
			{ [AnswerField.Value]: 'Choose one of the answers offered.' },
			'no value chosen',
		);
		assert.match(
			await answer(host, 'alice', form, '9', 'Great team'),
			/^Your answer to the survey is recorded\. You can change it until/,
		);
		// Alice changes her answer: a new form, the same key, one answer counted.
		const again = await openForm(host, 'alice');
		assert.match(viewLines(again).join('\n'), /You have answered already/);
		await answer(host, 'alice', again, '3');
		// Bruno answers in his language.
		const brunos = await openForm(host, 'bruno');
		assert.equal(brunos.view.title && (brunos.view.title as { text: string }).text, 'Pesquisa');
		assert.match(
			await answer(host, 'bruno', brunos, '10'),
			/^Sua resposta à pesquisa foi registrada/,
		);

		const counted = await countedAnswers(host.persistence, appId, 'survey-1');
		assert.deepEqual(counted.map((stored) => [stored.value, stored.comment]).sort(), [
			[10, ''],
			[3, ''],
		]);
		assert.ok(
			counted.every((stored) => stored.memberId === null),
			'anonymous: no member',
		);
		assert.equal((await answerRecords(host.persistence, appId, 'survey-1')).length, 3);
		assert.equal((await participationMarks(host.persistence, appId, 'survey-1')).length, 2);

		// Halfway through: one reminder each to those who did not answer.
		ageSurvey(databaseOf(fixture()), 'survey-1', DAY_MS);
		await host.advanceClock(SURVEY_JOB_INTERVAL_MS);
		await host.advanceClock(SURVEY_JOB_INTERVAL_MS);
		for (const member of MEMBERS) {
			const expected = ['alice', 'bruno'].includes(member) ? 1 : 2;
			assert.equal(dms(host, member).length, expected, `${member}'s messages`);
		}
		// Clara answers from her reminder.
		const claras = await openForm(host, 'clara');
		assert.match(
			await answer(host, 'clara', claras, '7'),
			/^Deine Antwort auf die Umfrage ist gespeichert/,
		);

		// A form opened before the close and sent after it is refused, and so is a new one.
		const late = await openForm(host, 'dora');
		ageSurvey(databaseOf(fixture()), 'survey-1', 2 * DAY_MS);
		assert.deepEqual(await refusedAnswer(host, 'dora', late), {
			[AnswerField.Value]:
				'This round of the survey is closed and takes no more answers. If the survey is asked again, its next invitation brings a new form.',
		});
		assert.match(await noticeAt(host, 'alice'), /This round of the survey is closed/);
		assert.equal((await countedAnswers(host.persistence, appId, 'survey-1')).length, 3);

		// No log line names an answer, its comment or its key.
		const logs = (await appLogLines(host)).join('\n');
		for (const stored of await answerRecords(host.persistence, appId, 'survey-1')) {
			assert.ok(!logs.includes(stored.answerKey), 'an answer key in the logs');
		}
		assert.ok(!logs.includes('Great team'), 'a comment in the logs');
	});

	it('counts a submit sent again after a lost reply once, and refuses field errors inline', async () => {
		const { host } = fixture();
		const appId = host.getAppId();
		await invited(fixture());
		const form = await openForm(host, 'alice');
		assert.deepEqual(await refusedAnswer(host, 'alice', form, answerValues('11')), {
			[AnswerField.Value]: 'Choose one of the answers offered.',
		});
		assert.deepEqual(
			await refusedAnswer(host, 'alice', form, answerValues('8', 'x'.repeat(1001))),
			{
				[AnswerField.Comment]: 'The comment is too long: at most 1000 characters.',
			},
		);
		await answer(host, 'alice', form, '8', 'Fine');
		// The reply was lost: the client sends the same form again.
		await answer(host, 'alice', form, '8', 'Fine');
		assert.equal((await answerRecords(host.persistence, appId, 'survey-1')).length, 1);
		assert.equal((await participationMarks(host.persistence, appId, 'survey-1')).length, 1);
	});

	it('a failed write says so and a retry of the form counts once', async () => {
		const { host } = fixture();
		const appId = host.getAppId();
		await invited(fixture());
		const form = await openForm(host, 'alice');
		host.setFaultInjection({ rate: 1, methods: ['createWithAssociations'] });
		assert.deepEqual(await refusedAnswer(host, 'alice', form, answerValues('6')), {
			[AnswerField.Value]:
				'Your answer could not be stored: the server did not answer. Send it again: it is counted once.',
		});
		host.setFaultInjection({ rate: 0 });
		await answer(host, 'alice', form, '6');
		assert.deepEqual(
			(await countedAnswers(host.persistence, appId, 'survey-1')).map((stored) => stored.value),
			[6],
		);
	});
});

describe('answering a survey without the survey secret', () => {
	const fixture = fixturePerTest('surveys-answer-no-secret');

	it('an anonymous survey takes no answer: the Answer button says which variable the server lacks', async () => {
		const { host } = fixture();
		const appId = host.getAppId();
		await invited(fixture());
		const notice = await noticeAt(host, 'alice');
		assert.match(notice, /This anonymous survey cannot take answers/);
		assert.match(notice, /RC_APPS_[0-9A-F_]+_SURVEY_SECRET/);
		assert.deepEqual(await answerRecords(host.persistence, appId, 'survey-1'), []);
		assert.deepEqual(await participationMarks(host.persistence, appId, 'survey-1'), []);
	});

	it('a named survey keeps the member with the answer and lets it change', async () => {
		const { host } = fixture();
		const appId = host.getAppId();
		await invited(
			fixture(),
			surveyFor('survey-1', { anonymous: false, kind: 'yes-no', withComment: false }),
		);
		const form = await openForm(host, 'bruno');
		assert.match(await answer(host, 'bruno', form, 'yes'), /Você pode mudá-la até/);
		await answer(host, 'bruno', await openForm(host, 'bruno'), 'no');
		const counted = await countedAnswers(host.persistence, appId, 'survey-1');
		assert.deepEqual(
			counted.map((stored) => [stored.value, stored.memberId]),
			[[0, host.user('bruno').id]],
		);
	});
});

describe('refusals at the Answer button and at the submit', () => {
	const fixture = fixturePerTest('surveys-answer-refusals', WITH_SURVEY_SECRET);

	it('a deleted survey, a closed survey, a member not invited, a forged button, a form without its id', async () => {
		const { host } = fixture();
		const appId = host.getAppId();
		await invited(fixture());

		// Closed by an admin: the form open before is refused too.
		const open = await openForm(host, 'alice');
		await host.persistence.createWithAssociations(
			{
				id: 'e1',
				surveyId: 'survey-1',
				at: new Date().toISOString(),
				adminId: 'user-admin',
				kind: 'closed',
			},
			buildAssociations({ scope: RecordScope.SurveyEvent, keys: ['survey-1'] }),
			appId,
		);
		assert.match(await noticeAt(host, 'bruno'), /Um administrador encerrou esta pesquisa/);
		assert.match(
			(await refusedAnswer(host, 'alice', open))[AnswerField.Value] ?? '',
			/An admin closed this survey/,
		);
		await host.persistence.removeByAssociations(
			buildAssociations({ scope: RecordScope.SurveyEvent, keys: ['survey-1'] }),
			appId,
		);

		// Not invited: dora's invitation mark is gone and she sends a form opened through a forged click.
		const doraForm = await openForm(host, 'dora');
		await host.persistence.removeByAssociations(
			buildAssociations({ userId: host.user('dora').id, scope: RecordScope.SurveyInvited }),
			appId,
		);
		assert.match(
			(await refusedAnswer(host, 'dora', doraForm))[AnswerField.Value] ?? '',
			/You were not asked in this round of the survey/,
		);
		await forgedClick(host, 'dora', 'survey-1|once', host.uikit.issueTriggerId('dora', appId));
		assert.match(viewLines(host.openView('dora')).join('\n'), /You were not asked in this round/);
		// Her own invitation stands for its mark: the click opens the form and notes the mark.
		await openForm(host, 'dora');
		await answer(host, 'dora', await openForm(host, 'dora'), '4');

		// A forged value opens nothing; a click without a trigger id is told where it came from.
		const before = host.openModals('clara').length;
		await forgedClick(host, 'clara', 'not|a round', host.uikit.issueTriggerId('clara', appId));
		assert.equal(host.openModals('clara').length, before);
		assert.ok((await appLogLines(host)).some((line) => line.includes('it names no survey round')));
		await forgedClick(host, 'clara', 'survey-1|once', '');
		assert.match(
			host.notifications('clara').at(-1)?.text ?? '',
			/Das Formular der Umfrage öffnet sich nur über die Schaltfläche Antworten/,
		);

		// On a phone, a submit with no field that names its form cannot be stored once: a new form can.
		host.setClient('bruno', 'mobile');
		const brunos = await openForm(host, 'bruno');
		const noFormId = await host.submitViewStateAs('bruno', brunos, {
			[AnswerField.Value]: { [AnswerField.Value]: '5' },
		});
		assert.match(noFormId.errors[AnswerField.Value] ?? '', /Este formulário não pode ser enviado/);

		// Deleted: its records are gone.
		await host.persistence.removeByAssociations(
			buildAssociations({ scope: RecordScope.Survey, keys: ['survey-1'] }),
			appId,
		);
		assert.match(await noticeAt(host, 'admin'), /This survey no longer exists/);
		assert.match(
			(await refusedAnswer(host, 'alice', open))[AnswerField.Value] ?? '',
			/This survey no longer exists/,
		);
	});

	it('refuses a comment on a survey that asks none', async () => {
		const { host } = fixture();
		await invited(fixture(), surveyFor('survey-1', { kind: 'rating', withComment: false }));
		const form = await openForm(host, 'alice');
		const blockId = (form.view.blocks as Array<{ blockId?: string }>).find((block) =>
			block.blockId?.startsWith(`${AnswerField.Value}:`),
		)?.blockId;
		assert.ok(blockId);
		const formId = blockId.split(':')[1];
		const submitted = await host.submitViewStateAs('alice', form, {
			[blockId]: { [AnswerField.Value]: '4' },
			[answerFieldBlockId(AnswerField.Comment, formId)]: { [AnswerField.Comment]: 'forged' },
		});
		assert.deepEqual(submitted.errors, {
			[AnswerField.Value]: 'This survey asks for no comment: leave the comment empty.',
		});
	});
});
