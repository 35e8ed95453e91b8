import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import type { Page } from 'playwright-core';

import { browserSuite, field, messagesWith, openAs, screenshots, switchTo, type } from './browser';
import { call } from './web-fixture';
import { blocksAppZipPath } from '../support/test-apps';

// The page as a member tried it (issue 11): markdown from Rocket.Chat's own parser, grouped
// messages, the composer's error, a reloaded form, a narrow window. Run on the tests' own app
// (test/apps/blocks) so nothing here depends on the Feedback app's texts.

/** Types in the composer and presses Enter, without waiting for it to clear (it may be refused). */
async function attempt(page: Page, text: string): Promise<void> {
	const input = page.locator('[data-qa=composer-input]');
	await input.fill(text);
	await input.press('Enter');
}

/**
 * Waits until the last element matching `selector` lies inside the timeline's visible box (the
 * timeline follows a resize in its ResizeObserver, before the next paint); fails at the deadline.
 */
async function lastInView(page: Page, selector: string): Promise<void> {
	await page.waitForFunction(
		(wanted) => {
			const timeline = document.querySelector('[data-qa=timeline]');
			const matches = document.querySelectorAll(wanted);
			const element = matches[matches.length - 1];
			if (!timeline || !element) {
				return false;
			}
			const outer = timeline.getBoundingClientRect();
			const inner = element.getBoundingClientRect();
			return inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1;
		},
		selector,
		{ timeout: 5000 },
	);
}

describe('the page’s fixes of issue 11 in Chromium', () => {
	const suite = browserSuite({ app: { zipPath: blocksAppZipPath, name: 'Blocks Test' } });

	it('renders message text from the message-parser AST and groups a sender’s messages', async () => {
		const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page = await openAs(context, suite.test.server.url, 'alice', suite.pageErrors);
		await page.locator('[data-qa=room-item][data-room=feedback]').click();
		await page.locator('[data-qa=timeline][data-room=feedback]').waitFor();
		await type(
			page,
			'Markup: *bold* _it_ ~strike~ `a *b*` @alice @bruno @nobody @all https://example.com :smile:',
		);
		const first = messagesWith(page, 'Markup:');
		await first.waitFor();
		assert.equal(await first.locator('strong', { hasText: 'bold' }).count(), 1);
		assert.equal(await first.locator('em', { hasText: 'it' }).count(), 1);
		assert.equal(await first.locator('del', { hasText: 'strike' }).count(), 1);
		assert.equal(await first.locator('code', { hasText: 'a *b*' }).count(), 1, 'code stays plain');
		const text = (await first.locator('[data-qa=message-text]').textContent()) ?? '';
		assert.doesNotMatch(text, /\*bold\*|_it_|~strike~/, 'no markdown shows raw');
		assert.equal(
			await first.locator('[data-qa=mention][data-mention-kind=me]', { hasText: '@alice' }).count(),
			1,
			'your own mention stands out',
		);
		assert.equal(
			await first
				.locator('[data-qa=mention][data-mention-kind=other]', { hasText: '@bruno' })
				.count(),
			1,
		);
		assert.equal(await first.locator('[data-qa=mention][data-mention-kind=all]').count(), 1);
		assert.match(text, /@nobody/, 'an unknown user stays plain text');
		assert.equal(await first.locator('[data-qa=mention]', { hasText: 'nobody' }).count(), 0);
		assert.equal(await first.locator('a[href="https://example.com"][target=_blank]').count(), 1);
		assert.match(text, /:smile:/, 'emoji as text');

		await type(page, '> a quote\nand a line');
		await type(page, '```\nconst answer = 42;\n```');
		const quote = messagesWith(page, 'a quote');
		await quote.locator('blockquote', { hasText: 'a quote' }).waitFor();
		await messagesWith(page, 'const answer')
			.locator('pre', { hasText: 'const answer = 42;' })
			.waitFor();

		// Consecutive messages of one sender are grouped under the first one's header.
		const alices = page.locator('[data-qa=timeline-message][data-sender=alice]');
		assert.deepEqual(
			await alices.evaluateAll((elements) =>
				elements.map((element) => element.getAttribute('data-sequential')),
			),
			['false', 'true', 'true'],
		);
		assert.equal(await alices.nth(1).locator('.rcx-message-header').count(), 0);
		await switchTo(page, 'bruno');
		await page.locator('[data-qa=room-item][data-room=feedback]').click();
		await page.locator('[data-qa=timeline][data-room=feedback]').waitFor();
		await type(page, 'bruno here');
		const brunos = page.locator('[data-qa=timeline-message][data-sender=bruno]');
		await brunos.first().waitFor();
		assert.equal(await brunos.first().getAttribute('data-sequential'), 'false');
		await page.screenshot({ path: path.join(screenshots, 'markup.png') });
		await context.close();
	});

	it('clears the composer’s error when the box is cleared or the member switches, and keeps the last message in view', async () => {
		const context = await suite.browser.newContext({ viewport: { width: 1280, height: 560 } });
		const page = await openAs(context, suite.test.server.url, 'clara', suite.pageErrors);
		await page.locator('[data-qa=room-item][data-room=announcements]').click();
		await page.locator('[data-qa=timeline][data-room=announcements]').waitFor();
		// Enough messages to scroll, sent through the page's API (as admin: the room is read-only).
		for (let index = 1; index <= 20; index++) {
			const sent = await call(suite.test.server, 'POST', '/api/rooms/announcements/messages', {
				user: 'admin',
				json: { text: `Announcement ${index}` },
			});
			assert.equal(sent.status, 200);
		}
		await messagesWith(page, 'Announcement 20').waitFor();
		await lastInView(page, '[data-qa=timeline-message]');

		const error = page.locator('[data-qa=composer-error]');
		await attempt(page, '/nope');
		await error.filter({ hasText: 'No slash command /nope' }).waitFor();
		// The error did not push the last message out of view.
		await lastInView(page, '[data-qa=timeline-message]');
		await page.locator('[data-qa=composer-input]').fill('');
		await error.waitFor({ state: 'detached' });

		// A refusal of the server: clara may not post in a read-only room.
		await attempt(page, 'can I post here?');
		await error.waitFor();
		await lastInView(page, '[data-qa=timeline-message]');
		await switchTo(page, 'dora');
		assert.equal(await error.count(), 0, 'another member starts without the error');
		assert.equal(await page.locator('[data-qa=composer-input]').inputValue(), '');
		await context.close();
	});

	it('shows a reloaded form without the error it had before the reload', async () => {
		const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page = await openAs(context, suite.test.server.url, 'admin', suite.pageErrors);
		await type(page, '/blocks modal');
		const modal = page.locator('[data-qa=app-modal]');
		const error = modal.locator('.rcx-field__error', { hasText: 'Write a note' });
		await modal.locator('[data-qa=modal-submit]').click();
		await error.waitFor();
		await page.reload();
		await page.locator('[data-qa=page][data-connected=true]').waitFor();
		await modal.filter({ hasText: 'Page 1' }).waitFor();
		assert.equal(await error.count(), 0, 'no stale error after the reload');
		// The next refusal shows again; a note is accepted.
		await modal.locator('[data-qa=modal-submit]').click();
		await error.waitFor();
		await field(modal, 'Note').locator('input').fill('a note');
		await modal.locator('[data-qa=modal-submit]').click();
		await modal.waitFor({ state: 'detached' });
		assert.equal(suite.test.server.host.openView('admin'), undefined);
		await context.close();
	});

	it('collapses the sidebar at 420 px and opens it from the header', async () => {
		const context = await suite.browser.newContext({ viewport: { width: 420, height: 800 } });
		const page = await context.newPage();
		page.on('pageerror', (failure) => suite.pageErrors.push(`narrow: ${failure.message}`));
		await page.goto(suite.test.server.url);
		await page.locator('[data-qa=page][data-connected=true]').waitFor();
		const sidebar = page.locator('[data-qa=sidebar]');
		assert.equal(await sidebar.isVisible(), false, 'collapsed');
		const room = await page.locator('.try-room').boundingBox();
		assert.ok(room && room.width >= 419, `the room takes the width (${room?.width})`);
		await page.screenshot({ path: path.join(screenshots, 'narrow.png') });
		await page.locator('[data-qa=sidebar-toggle]').click();
		await sidebar.waitFor({ state: 'visible' });
		await page.locator('[data-qa=room-item][data-room=feedback]').click();
		await sidebar.waitFor({ state: 'hidden' });
		await page.locator('[data-qa=room-name]', { hasText: 'feedback' }).waitFor();
		await context.close();
	});
});
