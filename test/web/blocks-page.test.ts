import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { browserSuite, messagesWith, openAs, screenshots, type } from './browser';
import { blocksAppZipPath, received } from '../support/test-apps';
import { until } from '../support/until';

// The app's buttons and selects in the page, with the tests' own app (test/apps/blocks): in a
// modal, in a contextual bar beside the room, in an ephemeral message; and the direct room the
// app starts, in the sidebar.

/** Picks an option of a static select (fuselage Select) inside a surface. */
async function pick(surface: Locator, value: string): Promise<void> {
	await surface.locator('.rcx-select').first().click();
	await surface.page().locator(`.rcx-option[value="${value}"]`).click();
}

describe('the app’s buttons in the page (blocks test app, Chromium)', () => {
	const suite = browserSuite({ app: { zipPath: blocksAppZipPath, name: 'Blocks Test' } });

	it('clicks a modal’s buttons and select: the app’s updates show in place', async () => {
		const page: Page = await openAs(
			suite.context,
			suite.test.server.url,
			'alice',
			suite.pageErrors,
		);
		await type(page, '/blocks modal');
		const modal = page.locator('[data-qa=app-modal]');
		await modal.filter({ hasText: 'Page 1' }).waitFor();
		await modal.locator('button', { hasText: 'Next' }).click();
		await modal.filter({ hasText: 'Page 2' }).waitFor();
		await pick(modal, 'green');
		await modal.filter({ hasText: 'Picked: green' }).waitFor();
		assert.equal(
			(
				suite.test.server.host.openView('alice')?.view.blocks as Array<{ text?: { text?: string } }>
			)[0].text?.text,
			'Page 1',
			'the select’s update rebuilt the modal on page 1',
		);
		// The button's value went out as the client sends it (event.target.value).
		const actions = (await received(suite.test.server.host, 'blockAction')) as Array<{
			actionId: string;
			value: unknown;
			container: { type: string; id: string };
		}>;
		assert.deepEqual(
			actions.map((action) => [action.actionId, action.value, action.container.type]),
			[
				['page', '2', 'view'],
				['pick', 'green', 'view'],
			],
		);
		await modal.locator('[data-qa=modal-cancel]').click();
		await modal.waitFor({ state: 'detached' });
		await page.close();
	});

	it('shows the contextual bar beside the room and beside a modal; its buttons work', async () => {
		const { host } = suite.test.server;
		const page = await openAs(suite.context, suite.test.server.url, 'bruno', suite.pageErrors);
		await type(page, '/blocks bar');
		const bar = page.locator('[data-qa=contextual-bar]');
		await bar.filter({ hasText: 'Clicks: 0' }).waitFor();
		assert.equal(await page.locator('[data-qa=timeline]').isVisible(), true, 'the room stays');
		await bar.locator('button', { hasText: 'Count' }).click();
		await bar.filter({ hasText: 'Clicks: 1' }).waitFor();
		await pick(bar, 'bug');
		await bar.filter({ hasText: 'Filter: bug' }).waitFor();
		const sent = (await received(host, 'blockAction')).at(-1) as {
			room: { id: string } | null;
			container: { id: string };
		};
		assert.deepEqual(sent.container.id, 'blocks-bar');
		assert.deepEqual(sent.room?.id, 'GENERAL', 'the bar sends the room the page shows');

		await bar.locator('button', { hasText: 'Open modal' }).click();
		const modal = page.locator('[data-qa=app-modal]');
		await modal.filter({ hasText: 'Page 1' }).waitFor();
		assert.equal(await bar.isVisible(), true, 'the bar stays beside the modal');
		await page.screenshot({ path: path.join(screenshots, 'blocks-bar-and-modal.png') });
		await modal.locator('[data-qa=modal-cancel]').click();
		await modal.waitFor({ state: 'detached' });

		await bar.locator('[data-qa=contextual-bar-close]').click();
		await bar.waitFor({ state: 'detached' });
		await until(() => host.openContextualBar('bruno') === undefined, 'the host to close the bar');
		assert.deepEqual((await received(host, 'viewClosed')).at(-1), {
			id: 'blocks-bar',
			isCleared: true,
		});
		await page.close();
	});

	it('clicks a button in an ephemeral message: the answer opens a modal', async () => {
		const page = await openAs(suite.context, suite.test.server.url, 'clara', suite.pageErrors);
		await type(page, '/blocks notify');
		const notice = messagesWith(page, 'An ephemeral message with buttons');
		await notice.waitFor();
		await notice.locator('button', { hasText: 'Click me' }).click();
		const modal = page.locator('[data-qa=app-modal]');
		await modal.filter({ hasText: 'Picked: ephemeral' }).waitFor();
		const sent = (await received(suite.test.server.host, 'blockAction')).at(-1) as {
			container: { type: string; id: string };
			message: unknown;
		};
		assert.equal(sent.container.type, 'message');
		assert.equal(sent.container.id, await notice.getAttribute('data-message-id'));
		assert.equal(sent.message, null, 'an ephemeral message is not stored');
		await modal.locator('[data-qa=modal-cancel]').click();
		await modal.waitFor({ state: 'detached' });
		await page.close();
	});

	it('shows an app’s edit of a room message in place on every page, without a reload', async () => {
		const alice = await openAs(suite.context, suite.test.server.url, 'alice', suite.pageErrors);
		const bruno = await openAs(suite.context, suite.test.server.url, 'bruno', suite.pageErrors);
		await type(alice, '/blocks vote');
		const onAlice = messagesWith(alice, 'A message to vote on').last();
		const onBruno = messagesWith(bruno, 'A message to vote on').last();
		await onBruno.locator('button', { hasText: 'Me too (0)' }).click();
		// The app edited the message: both pages show the new button where the old one was.
		await onBruno.locator('button', { hasText: 'Me too (1)' }).waitFor();
		await onAlice.locator('button', { hasText: 'Me too (1)' }).waitFor();
		assert.equal(await onAlice.locator('button', { hasText: 'Me too (0)' }).count(), 0);
		assert.equal(await messagesWith(alice, 'A message to vote on').count(), 1);
		// The edited button is clicked with what it shows now.
		await onAlice.locator('button', { hasText: 'Me too (1)' }).click();
		await onBruno.locator('button', { hasText: 'Me too (2)' }).waitFor();
		await alice.close();
		await bruno.close();
	});

	it('lists the direct room the app starts and shows its messages', async () => {
		const page = await openAs(suite.context, suite.test.server.url, 'dora', suite.pageErrors);
		assert.equal(await page.locator('[data-qa=direct-item]').count(), 0);
		await type(page, '/blocks dm');
		const direct = page.locator('[data-qa=direct-item]', { hasText: 'Blocks Test' });
		await direct.waitFor();
		await direct.click();
		await page.locator('[data-qa=room-name]', { hasText: 'Blocks Test' }).waitFor();
		const message = messagesWith(page, 'this is');
		await message.waitFor();
		assert.equal(await message.locator('strong', { hasText: 'private' }).count(), 1);
		assert.equal(await message.locator('em', { hasText: 'just for you' }).count(), 1);
		assert.equal(
			await message
				.locator('[data-qa=mention][data-mention-kind=me]', { hasText: '@dora' })
				.count(),
			1,
		);
		// dora answers in the direct room.
		await type(page, 'Thanks for telling me');
		await messagesWith(page, 'Thanks for telling me').waitFor();
		const room = suite.test.server.host.directRoom(['blocks-test.bot', 'dora']);
		assert.ok(room);
		assert.equal(suite.test.server.host.timeline(room.id).at(-1)?.sender, 'dora');
		await page.close();
	});
});
