import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Page } from 'playwright-core';

import { browserSuite, openAs, type } from './browser';
import { call, errorOf } from './web-fixture';

// The sidebar's client switch: as Rocket.Chat's mobile app, the page shows the app's modals and
// never its contextual bar (host/client/session-state.ts follows the app's actions.ts).

async function useClient(page: Page, kind: 'web' | 'mobile'): Promise<void> {
	await page.locator(`[data-qa=client-item][data-kind=${kind}]`).click();
	await page.locator(`[data-qa=client-item][data-kind=${kind}][aria-pressed=true]`).waitFor();
}

describe('the page’s switch to Rocket.Chat’s mobile app', () => {
	const suite = browserSuite();

	it('shows the app’s modal but not its contextual bar on the mobile app, and the bar again on the web', async () => {
		const page = await openAs(suite.context, suite.test.server.url, 'admin', suite.pageErrors);
		assert.equal(
			await page.locator('[data-qa=client-item][data-kind=web]').getAttribute('aria-pressed'),
			'true',
			'the web client by default',
		);
		await useClient(page, 'mobile');

		await type(page, '/feedback admin');
		// Commands run one at a time: once the form of the next one shows, the first is done.
		await type(page, '/feedback');
		await page.locator('[data-qa=app-modal]').waitFor();
		assert.equal(await page.locator('[data-qa=contextual-bar]').count(), 0, 'no bar on mobile');
		await page.locator('[data-qa=modal-close]').click();
		await page.locator('[data-qa=app-modal]').waitFor({ state: 'detached' });

		await useClient(page, 'web');
		await type(page, '/feedback admin');
		await page.locator('[data-qa=contextual-bar]', { hasText: 'Feedback admin' }).waitFor();
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
