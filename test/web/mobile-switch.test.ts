import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Page } from 'playwright-core';

import { browserSuite, openAs, type } from './browser';
import { call, errorOf } from './web-fixture';

// The sidebar's client switch: as Rocket.Chat's mobile app, the page shows the app's modals and
// never a contextual bar (host/client/session-state.ts follows the app's actions.ts); the app's
// admin view is a modal, so it shows on both.

async function switchClient(page: Page, kind: 'web' | 'mobile'): Promise<void> {
	await page.locator(`[data-qa=client-item][data-kind=${kind}]`).click();
	await page.locator(`[data-qa=client-item][data-kind=${kind}][aria-pressed=true]`).waitFor();
}

describe('the page’s switch to Rocket.Chat’s mobile app', () => {
	const suite = browserSuite();

	it('shows the admin view, a modal, on the mobile app and on the web, and never a contextual bar', async () => {
		const page = await openAs(suite.context, suite.test.server.url, 'admin', suite.pageErrors);
		assert.equal(
			await page.locator('[data-qa=client-item][data-kind=web]').getAttribute('aria-pressed'),
			'true',
			'the web client by default',
		);
		for (const kind of ['mobile', 'web'] as const) {
			await switchClient(page, kind);
			await type(page, '/feedback admin');
			const modal = page.locator('[data-qa=app-modal]', { hasText: 'Feedback admin' });
			await modal.waitFor();
			assert.equal(await page.locator('[data-qa=contextual-bar]').count(), 0, `no bar (${kind})`);
			// Refresh is the modal's submit, answered with the view updated: it stays open.
			await modal.locator('[data-qa=modal-submit]', { hasText: 'Refresh' }).click();
			await modal.locator('[data-qa=modal-submit]', { hasText: 'Refresh' }).waitFor();
			await page.locator('[data-qa=modal-close]').click();
			await modal.waitFor({ state: 'detached' });
		}
		await page.close();
	});

	it('refuses a client it does not know, naming both', async () => {
		const response = await call(suite.test.server, 'POST', '/api/client', {
			user: 'alice',
			json: { kind: 'tablet' },
		});
		assert.equal(response.status, 400);
		assert.match(errorOf(response), /"web" or "mobile", got "tablet"/);
		const session = await call(suite.test.server, 'GET', '/api/session', { user: 'alice' });
		assert.equal((session.body as { client: string }).client, 'web', 'nothing changed');
	});
});
