import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { browserSuite, messagesWith, openAs, screenshots } from './browser';
import { sendFeedback, SETTING } from '../engine/app-fixture';

// The "Me too" button of an announcement in the page: it shows the count, and a click changes
// the count in place (the host streams the app's edit of its message to the members' pages).

describe('votes on an announcement in the page (Chromium)', () => {
	const suite = browserSuite();

	it('shows the announcement’s "Me too" button with its count, and a click updates it in place', async () => {
		const { host, url } = suite.test.server;
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const sent = await sendFeedback(host, 'alice', 'general', {
			comment: 'Dark mode, please',
			category: 'Idea',
		});
		const page = await openAs(suite.context, url, 'bruno', suite.pageErrors);
		await page.locator('[data-qa=room-item][data-room=feedback]').click();
		await page.locator('[data-qa=timeline][data-room=feedback]').waitFor();
		// The posted message, not the author's ephemeral confirmation that also names the id
		// (a `hasNot` filter looks inside a message, never at the message element itself).
		const announcement = page.locator('[data-qa=timeline-message][data-kind=message]', {
			hasText: sent.id,
		});
		await announcement.first().waitFor();
		assert.equal(await announcement.count(), 1);
		const button = announcement.locator('button', { hasText: 'Me too' });
		assert.equal((await button.textContent())?.trim(), 'Me too · 0');

		await button.click();
		// bruno's private answer, in his language, then the count in the same message.
		await messagesWith(page, 'Você disse “eu também”').waitFor();
		await announcement.locator('button', { hasText: 'Me too · 1' }).waitFor();
		assert.equal(await messagesWith(page, sent.id).filter({ hasText: 'Me too' }).count(), 1);
		await page.screenshot({ path: path.join(screenshots, 'votes.png') });
		await page.close();
	});
});
