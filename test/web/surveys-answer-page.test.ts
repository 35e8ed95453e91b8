import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { browserSuite, choose, field, openAs, optionsOf, screenshots } from './browser';
import type { IBrowserSuite } from './browser';
import {
	countedAnswers,
	seedSurvey,
	SURVEY_JOB_INTERVAL_MS,
	surveyFor,
	WITH_SURVEY_SECRET,
} from '../support/surveys';

// Issue 23 in the page: a survey of #general is stored and its round job runs, so each member
// finds an invitation in their direct messages with the app. The Answer button opens the answer
// form in the member's language; a submit with no answer chosen shows the field's error, a real
// one closes the form and the member is told privately. With the survey secret set the answer
// can change until the close; without it the first answer stands and Answer says so.

const QUESTION = 'How likely are you to recommend this team?';
const NPS_VALUES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

/** Stores a survey of #general and runs the round job: every member is invited once. */
async function inviteEveryone(suite: IBrowserSuite, surveyId: string): Promise<void> {
	const { host } = suite.test.server;
	await seedSurvey(host.persistence, host.getAppId(), surveyFor(surveyId));
	const runs = await host.advanceClock(SURVEY_JOB_INTERVAL_MS);
	assert.ok(
		runs.every((run) => run.ok),
		JSON.stringify(runs),
	);
}

/** Opens the member's direct room with the app and waits for the survey's invitation in it. */
async function openInvitation(page: Page, heading: string): Promise<Locator> {
	await page.locator('[data-qa=direct-item]').click();
	const invitation = page.locator('[data-qa=timeline-message][data-kind=message]', {
		hasText: heading,
	});
	await invitation.waitFor();
	assert.equal(await invitation.count(), 1, 'invited once');
	return invitation;
}

/** The private messages (shown to the member only) that contain a text. */
function privateNotes(page: Page, text: string): Locator {
	return page.locator('[data-qa=timeline-message][data-kind=ephemeral]', { hasText: text });
}

/** Clicks the invitation's Answer button and returns the modal that opens. */
async function clickAnswer(
	page: Page,
	invitation: Locator,
	label: string,
	title: string,
): Promise<Locator> {
	await invitation.locator('button', { hasText: label }).click();
	const modal = page.locator('[data-qa=app-modal]', { hasText: title });
	await modal.waitFor();
	return modal;
}

describe('answering a survey in the page with the survey secret set (Chromium)', () => {
	const suite = browserSuite({ environment: WITH_SURVEY_SECRET.environment });

	it('a member answers from the invitation in their language, sees the field error, then changes the answer', async () => {
		const { host, url } = suite.test.server;
		await inviteEveryone(suite, 'survey-web');

		// bruno reads Portuguese: the invitation, the form, its error and the notice are in it.
		const bruno = await openAs(suite.context, url, 'bruno', suite.pageErrors);
		const invitation = await openInvitation(bruno, 'Uma pesquisa para você');
		assert.match(
			(await invitation.textContent()) ?? '',
			/How likely are you to recommend this team\?/,
		);
		const form = await clickAnswer(bruno, invitation, 'Responder', 'Pesquisa');
		await form.filter({ hasText: QUESTION }).waitFor();
		await form.filter({ hasText: 'Você pode mudar sua resposta até' }).waitFor();
		const valueLabel = 'Sua resposta, de 0 (nada provável) a 10 (extremamente provável)';
		assert.deepEqual(await optionsOf(form, valueLabel), NPS_VALUES);
		await form.locator('[data-qa=modal-submit]', { hasText: 'Enviar resposta' }).click();
		await field(form, valueLabel)
			.locator('.rcx-field__error', { hasText: 'Escolha uma das respostas oferecidas.' })
			.waitFor();
		assert.deepEqual(await countedAnswers(host.persistence, host.getAppId(), 'survey-web'), []);

		await choose(form, valueLabel, '9');
		await field(form, 'Comentário').locator('textarea').fill('Ótimo time');
		await form.locator('[data-qa=modal-submit]').click();
		await form.waitFor({ state: 'detached' });
		await privateNotes(
			bruno,
			'Sua resposta à pesquisa foi registrada. Você pode mudá-la até',
		).waitFor();
		assert.deepEqual(
			(await countedAnswers(host.persistence, host.getAppId(), 'survey-web')).map((answer) => [
				answer.value,
				answer.comment,
			]),
			[[9, 'Ótimo time']],
		);

		// Answer again: the form says an answer is there, and the new one replaces it.
		const again = await clickAnswer(bruno, invitation, 'Responder', 'Pesquisa');
		await again
			.filter({ hasText: 'Você já respondeu: enviar de novo substitui sua resposta.' })
			.waitFor();
		await choose(again, valueLabel, '3');
		await again.locator('[data-qa=modal-submit]').click();
		await again.waitFor({ state: 'detached' });
		await privateNotes(bruno, 'Sua resposta à pesquisa foi registrada').nth(1).waitFor();
		assert.deepEqual(
			(await countedAnswers(host.persistence, host.getAppId(), 'survey-web')).map((answer) => [
				answer.value,
				answer.comment,
			]),
			[[3, '']],
		);
		await bruno.close();

		// alice's form in English, filled in, is the README's picture.
		const alice = await openAs(suite.context, url, 'alice', suite.pageErrors);
		const alicesInvitation = await openInvitation(alice, 'A survey for you');
		const alicesForm = await clickAnswer(alice, alicesInvitation, 'Answer', 'Survey');
		const englishLabel = 'Your answer, from 0 (not at all likely) to 10 (extremely likely)';
		await choose(alicesForm, englishLabel, '9');
		await field(alicesForm, 'Comment').locator('textarea').fill('Quick reviews, kind people.');
		await alice.screenshot({ path: path.join(screenshots, 'survey-answer.png') });
		await alicesForm.locator('[data-qa=modal-submit]', { hasText: 'Send answer' }).click();
		await alicesForm.waitFor({ state: 'detached' });
		await privateNotes(alice, 'Your answer to the survey is recorded.').waitFor();
		await alice.close();
	});
});

describe('answering a survey in the page without the survey secret (Chromium)', () => {
	const suite = browserSuite();

	it('an anonymous survey takes no answer: Answer opens a notice naming the variable to set', async () => {
		const { host, url } = suite.test.server;
		await inviteEveryone(suite, 'survey-no-secret');
		const alice = await openAs(suite.context, url, 'alice', suite.pageErrors);
		const invitation = await openInvitation(alice, 'A survey for you');
		const notice = await clickAnswer(alice, invitation, 'Answer', 'Survey');
		await notice.filter({ hasText: 'This anonymous survey cannot take answers' }).waitFor();
		await notice.filter({ hasText: /RC_APPS_[0-9A-F_]+_SURVEY_SECRET/ }).waitFor();
		assert.equal(await notice.locator('[data-qa=modal-submit]').count(), 0, 'nothing to send');
		await notice.locator('[data-qa=modal-cancel]').click();
		await notice.waitFor({ state: 'detached' });
		assert.deepEqual(
			await countedAnswers(host.persistence, host.getAppId(), 'survey-no-secret'),
			[],
		);
		await alice.close();
	});
});
