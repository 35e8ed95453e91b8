import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { browserSuite, field, messagesWith, openAs, openForm, screenshots, type } from './browser';
import { ManualClock, TRIGGER_TIMEOUT_MS, UIKIT_INTERACTION_TIMEOUT } from '../../host';
import { until } from '../support/until';

describe('the page in Chromium follows Rocket.Chat’s client and admin rules', () => {
	const clock = new ManualClock();
	const suite = browserSuite({ clock });

	it('closes the form with the timeout toast when the app answers after 5 s', async () => {
		const { host } = suite.test.server;
		const page = await openAs(suite.context, suite.test.server.url, 'alice', suite.pageErrors);
		const modal = await openForm(page);
		await field(modal, 'Your feedback').locator('textarea').fill('Answered too late');
		const release = host.uikit.holdDelivery();
		try {
			await modal.locator('[data-qa=modal-submit]').click();
			await until(() => host.uikit.heldDeliveries() === 1, 'the app’s answer on its way');
			clock.advance(TRIGGER_TIMEOUT_MS);
			await modal.waitFor({ state: 'detached' });
			const toast = page.locator('[data-qa=toast]', { hasText: UIKIT_INTERACTION_TIMEOUT.text });
			await toast.waitFor();
			await page.screenshot({ path: path.join(screenshots, 'timeout.png') });
		} finally {
			release();
		}
		await until(() => host.uikit.pending() === 0, 'the late answer');
		assert.equal(
			await page.locator('[data-qa=app-modal]').count(),
			0,
			'the answer reopens nothing',
		);
		await page.locator('[data-qa=toast] .rcx-toastbar-close button').click();
		await page.locator('[data-qa=toast]').waitFor({ state: 'detached' });
		await page.close();
	});

	it('does not show a form the app opened after the triggerId expired', async () => {
		const { host } = suite.test.server;
		const page = await openAs(suite.context, suite.test.server.url, 'bruno', suite.pageErrors);
		const release = host.uikit.holdDelivery();
		try {
			await type(page, '/feedback');
			await until(() => host.uikit.heldDeliveries() === 1, 'the form on its way');
			clock.advance(TRIGGER_TIMEOUT_MS);
		} finally {
			release();
		}
		await until(() => host.refusedViews('bruno').length === 1, 'the client to drop the form');
		// Events arrive in order: once this message shows, a form would have shown before it.
		await type(page, 'after the form');
		await messagesWith(page, 'after the form').waitFor();
		assert.equal(await page.locator('[data-qa=app-modal]').count(), 0);
		assert.equal(host.refusedViews('bruno')[0].reason, 'expired-trigger');
		await page.close();
	});

	it('shows the admin what the app uses of a setting, and changes server settings', async () => {
		const { host } = suite.test.server;
		const page = await openAs(suite.context, suite.test.server.url, 'admin', suite.pageErrors);
		await page.locator('[data-qa=admin-toggle]').click();
		const maxLength = page.locator(
			'[data-qa=setting][data-setting-id=feedback_max_comment_length]',
		);
		await maxLength.locator('input').fill('0');
		await page.locator('[data-qa=settings-save]').click();
		const saved = page.locator('[data-qa=settings-saved][data-ignored=true]');
		await saved.waitFor();
		assert.match(
			(await saved.textContent()) ?? '',
			/Saved, but the app does not use every value as typed:Maximum comment length: 0 is not a whole number of at least 1: the form uses the default, 2000\./,
		);
		await maxLength
			.locator('[data-qa=setting-in-effect][data-ignored=true]', { hasText: 'The app uses: 2000' })
			.waitFor();

		// Server settings: allow custom fields, then a schema too long to save.
		const server = page.locator('[data-qa=server-settings-group]');
		await server.locator('[data-qa=setting-Message_CustomFields_Enabled]').check({ force: true });
		await page.locator('[data-qa=server-settings-save]').click();
		await page.locator('[data-qa=server-settings-saved]', { hasText: 'Saved.' }).waitFor();
		const enabled = host
			.serverSettings()
			.find((setting) => setting.id === 'Message_CustomFields_Enabled');
		assert.equal(enabled?.value, true);
		await server.locator('[data-qa=setting-Message_CustomFields]').fill('x'.repeat(5001));
		await page.locator('[data-qa=server-settings-save]').click();
		await page
			.locator('[data-qa=server-settings-error]', { hasText: 'at most 5000 characters' })
			.waitFor();
		await page.screenshot({ path: path.join(screenshots, 'admin-settings.png') });
		await page.close();
	});
});
