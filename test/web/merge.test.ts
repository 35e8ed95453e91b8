import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { browserSuite, openAs, screenshots, type } from './browser';
import { sendFeedback, statusChanges } from '../engine/app-fixture';

// Issue 22 in the page: an admin merges one entry into another in the admin view (Merge into…,
// the entry to keep chosen in the select, Merge) and sees it marked a duplicate of the other.

describe('merging duplicates in the page (Chromium)', () => {
	const suite = browserSuite();

	it('an admin merges an entry into another and sees it marked duplicate', async () => {
		const { host, url } = suite.test.server;
		const kept = await sendFeedback(host, 'alice', 'general', { comment: 'Dark mode please' });
		const duplicate = await sendFeedback(host, 'clara', 'general', { comment: 'A dark theme' });
		const admin = await openAs(suite.context, url, 'admin', suite.pageErrors);
		await type(admin, '/feedback admin');
		const adminView = admin.locator('[data-qa=app-modal]', { hasText: 'Feedback admin' });
		await adminView.filter({ hasText: 'A dark theme' }).waitFor();
		await adminView.filter({ hasText: 'Votes: 0 · Followers: 1' }).first().waitFor();
		// Newest first: the duplicate is the first entry.
		await adminView.locator('button', { hasText: 'Merge into…' }).first().click();
		const form = adminView.filter({ hasText: `Merge ${duplicate.shortId} into another entry` });
		await form.waitFor();
		await form.locator('.rcx-select').last().click();
		await admin.locator('.rcx-option', { hasText: kept.shortId }).click();
		const confirm = adminView.filter({ hasText: `…into ${kept.shortId}, which stays?` });
		await confirm.waitFor();
		await admin.screenshot({ path: path.join(screenshots, 'merge.png') });
		await confirm.locator('button', { hasText: /^Merge$/ }).click();
		await adminView
			.filter({ hasText: `${duplicate.shortId} is merged into ${kept.shortId}` })
			.waitFor();
		await adminView.filter({ hasText: `Duplicate of ${kept.shortId}` }).waitFor();
		await adminView.filter({ hasText: 'Status: Duplicate' }).waitFor();
		assert.deepEqual(
			(await statusChanges(host)).map((change) => [change.feedbackId, change.status]),
			[[duplicate.id, 'duplicate']],
		);
	});
});
