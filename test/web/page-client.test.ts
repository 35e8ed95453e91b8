import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, BrowserContext } from 'playwright-core';

import {
	buildPage,
	field,
	launchChromium,
	messagesWith,
	openAs,
	openForm,
	screenshots,
	type,
} from './browser';
import { startTestServer } from './web-fixture';
import type { ITestServer } from './web-fixture';
import {
	ManualClock,
	TRIGGER_TIMEOUT_MS,
	UIKIT_INTERACTION_TIMEOUT,
} from '../../host/uikit-client';
import { until } from '../support/until';

describe('the page in Chromium follows Rocket.Chat’s client and admin rules', () => {
	let test: ITestServer;
	let browser: Browser;
	let context: BrowserContext;
	let publicDir: string;
	let clock: ManualClock;
	const pageErrors: string[] = [];

	before(async () => {
		publicDir = await buildPage();
		clock = new ManualClock();
		test = await startTestServer(publicDir, { clock });
		browser = await launchChromium();
		context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		fs.mkdirSync(screenshots, { recursive: true });
	});

	after(async () => {
		await context?.close();
		await browser?.close();
		await test?.stop();
		if (publicDir) {
			fs.rmSync(publicDir, { recursive: true, force: true });
		}
		assert.deepEqual(pageErrors, [], 'no errors in the page');
	});

	it('closes the form with the timeout toast when the app answers after 5 s', async () => {
		const { host } = test.server;
		const page = await openAs(context, test.server.url, 'alice', pageErrors);
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
		const { host } = test.server;
		const page = await openAs(context, test.server.url, 'bruno', pageErrors);
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
		const { host } = test.server;
		const page = await openAs(context, test.server.url, 'admin', pageErrors);
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
