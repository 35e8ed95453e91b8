import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { browserSuite, choose, field, openAs, screenshots, type } from './browser';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { WITH_SURVEY_SECRET } from '../support/surveys';

// Issue 23 in the page: an admin creates a survey with /feedback survey new (a room that does
// not exist is refused in the form), sees what was created and its first round, then finds it in
// the admin view's Surveys.

describe('creating a survey in the page (Chromium)', () => {
	// Anonymous surveys need the server's survey secret; the form offers them first with it.
	const suite = browserSuite({ environment: WITH_SURVEY_SECRET.environment });

	it('an admin creates a weekly survey of #general and sees it in the admin view', async () => {
		const { host, url } = suite.test.server;
		const admin = await openAs(suite.context, url, 'admin', suite.pageErrors);
		await type(admin, '/feedback survey new');
		const modal = admin.locator('[data-qa=app-modal]', { hasText: 'New survey' });
		await modal.waitFor();
		await field(modal, 'Question')
			.locator('input')
			.fill('How likely are you to recommend this team to a friend?');
		await choose(modal, 'How often', 'weekly');
		await field(modal, 'Room name').locator('input').fill('nowhere');
		await modal.locator('[data-qa=modal-submit]').click();
		await field(modal, 'Room name')
			.locator('.rcx-field__error', { hasText: 'There is no room named' })
			.waitFor();
		await field(modal, 'Room name').locator('input').fill('general');
		await modal.locator('[data-qa=modal-submit]').click();
		await modal.filter({ hasText: 'Survey created: How likely' }).waitFor();
		await modal.filter({ hasText: 'First round: opens' }).waitFor();
		const stored = await host.persistence.readByAssociations(
			buildAssociations({ scope: RecordScope.Survey }),
			host.getAppId(),
		);
		assert.equal(stored.length, 1);
		await modal.locator('[data-qa=modal-submit]').click();
		await modal.waitFor({ state: 'detached' });

		await type(admin, '/feedback admin');
		const adminView = admin.locator('[data-qa=app-modal]', { hasText: 'Feedback admin' });
		await adminView.locator('button', { hasText: /^Surveys$/ }).click();
		await adminView.filter({ hasText: 'Surveys: 1' }).waitFor();
		await adminView
			.filter({ hasText: 'members of #general · Every week · anonymous · open' })
			.waitFor();
		await admin.screenshot({ path: path.join(screenshots, 'surveys.png') });
	});
});
