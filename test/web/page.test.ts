import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
	browserSuite,
	choose,
	field,
	messagesWith,
	openAs,
	openForm,
	optionsOf,
	screenshots,
	switchTo,
	type,
} from './browser';
import { openDatabase } from '../../host';
import { NOTICE_PROMISED_MINUTES, NOTICE_QUIET_MS } from '../../src/domain/statusNotice';
import { newestFirst, storedFeedback } from '../engine/app-fixture';
import { timed } from '../engine/timing';
import { ageStatusNotices } from '../support/status-notices';

/** The notice job's period (STATUS_NOTICE_INTERVAL in src/handlers/StatusNoticeJob.ts). */
const NOTICE_JOB_PERIOD_MS = 30_000;

describe('try-it page in Chromium', () => {
	const suite = browserSuite({}, { checkPageErrors: false });

	it('walks a member, another member and the admin through the app', async () => {
		const comment = 'The new onboarding checklist saved me an hour';
		const memberContext = await suite.browser.newContext({
			viewport: { width: 1280, height: 800 },
		});
		const adminContext = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
		const { url } = suite.test.server;

		// A member says hello (the app counts it), opens the form, sends it empty: an inline error.
		const member = await timed('open page as alice', () =>
			openAs(memberContext, url, 'alice', suite.pageErrors),
		);
		await type(member, 'Morning all! Trying the new feedback app.');
		await messagesWith(member, 'Morning all!').waitFor();
		const modal = await timed('open modal', () => openForm(member));
		await modal.filter({ hasText: 'Send feedback' }).waitFor();
		await modal.locator('[data-qa=modal-submit]').click();
		await field(modal, 'Your feedback')
			.locator('.rcx-field__error', { hasText: 'Please write a comment.' })
			.waitFor();
		assert.equal(await modal.isVisible(), true, 'the modal stays open');
		await member.screenshot({ path: path.join(screenshots, 'modal.png') });

		// A real comment: the modal closes and the app confirms, to the member only.
		await field(modal, 'Your feedback').locator('textarea').fill(comment);
		await choose(modal, 'Category', 'Idea');
		await choose(modal, 'Rating', '4');
		await modal.locator('[data-qa=modal-submit]').click();
		await modal.waitFor({ state: 'detached' });
		const confirmation = member.locator('[data-qa=timeline-message][data-kind=ephemeral]', {
			hasText: 'Your feedback was saved as',
		});
		await confirmation.waitFor();
		assert.match((await confirmation.textContent()) ?? '', /Only you can see this message/);
		const viewState = suite.test.server.host.openView('alice');
		assert.equal(viewState, undefined, 'the host has no open view left');

		// The member lists it: a window with each entry, its status and a delete button.
		await type(member, '/feedback list');
		const list = member.locator('[data-qa=app-modal][data-view-id=feedback-list]');
		await list.filter({ hasText: comment }).waitFor();
		const listText = (await list.textContent()) ?? '';
		assert.match(listText, /Idea · 4\/5 · Status: New/);
		assert.equal(await list.locator('button', { hasText: 'Delete' }).count(), 1);
		await member.screenshot({ path: path.join(screenshots, 'list.png') });
		await list.locator('[data-qa=modal-cancel]').click();
		await list.waitFor({ state: 'detached' });

		// Another member sees neither the confirmation nor the comment, and lists nothing.
		await switchTo(member, 'bruno');
		assert.equal(await messagesWith(member, comment).count(), 0);
		assert.equal(await messagesWith(member, 'saved as').count(), 0);
		await type(member, '/feedback list');
		// bruno reads it in Portuguese: his list is empty.
		const brunosList = member.locator('[data-qa=app-modal][data-view-id=feedback-list]');
		await brunosList.waitFor();
		assert.equal(await brunosList.locator('button', { hasText: /Delete|Excluir/ }).count(), 0);
		assert.equal(
			await brunosList.filter({ hasText: comment }).count(),
			0,
			'bruno’s list does not show alice’s comment',
		);
		await brunosList.locator('[data-qa=modal-cancel]').click();
		await brunosList.waitFor({ state: 'detached' });

		// The admin watches the stats move while a member sends feedback.
		const admin = await timed('open page as admin', () =>
			openAs(adminContext, url, 'admin', suite.pageErrors),
		);
		await admin.locator('[data-qa=admin-toggle]').click();
		const stats = admin.locator('[data-qa=stats-text]');
		await stats.filter({ hasText: 'Feedback received: 1' }).waitFor();
		const second = await openForm(member);
		// bruno reads the form in Portuguese: its one text area is the comment.
		await second.locator('textarea').fill('Mais atalhos de teclado, por favor');
		// The checkbox element (drawn by web/client/uikit/CheckboxElement): send it anonymously.
		await second.locator('label[for="anonymous-anonymous"]').click();
		assert.equal(await second.locator('input[type=checkbox]').isChecked(), true);
		await second.locator('[data-qa=modal-submit]').click();
		await second.waitFor({ state: 'detached' });
		await timed('stats update without reload', () =>
			stats.filter({ hasText: 'Feedback received: 2' }).waitFor(),
		);
		// Anonymous feedback names no contributor: alice is the only one, bruno's is counted apart.
		await stats.filter({ hasText: 'Distinct contributors: 1' }).waitFor();
		await stats.filter({ hasText: 'Sent anonymously: 1' }).waitFor();
		await stats.filter({ hasText: 'Messages sent on the server: 1' }).waitFor();
		await admin.screenshot({ path: path.join(screenshots, 'stats.png') });

		// The admin's list names alice but not the member who sent it anonymously.
		await type(admin, '/feedback list all');
		const all = (await messagesWith(admin, 'Mais atalhos').textContent()) ?? '';
		assert.match(all, /· alice\s*The new onboarding checklist/);
		assert.match(all, /· anonymous\s*Mais atalhos de teclado/);
		assert.doesNotMatch(all, /bruno/i);

		// The admin changes the categories; the next form offers the new list.
		const categories = admin.locator('input[data-qa=setting-feedback_categories]');
		await categories.fill('Onboarding, Search, Mobile');
		await admin.locator('[data-qa=settings-save]').click();
		await admin.locator('[data-qa=settings-saved]').waitFor();
		const adminModal = await openForm(admin);
		assert.deepEqual(await optionsOf(adminModal, 'Category'), ['Onboarding', 'Search', 'Mobile']);
		await adminModal.locator('[data-qa=modal-cancel]').click();
		await adminModal.waitFor({ state: 'detached' });
		assert.equal(
			suite.test.server.host.openView('admin'),
			undefined,
			'closing sent view-closed to the host',
		);

		// The admin view, a modal: alice's entry gets a status and a note.
		await type(admin, '/feedback admin');
		const adminView = admin.locator('[data-qa=app-modal]', { hasText: 'Feedback admin' });
		await adminView.filter({ hasText: comment }).waitFor();
		await admin.screenshot({ path: path.join(screenshots, 'admin-view.png') });
		const changeButtons = adminView.locator('button', { hasText: 'Change status' });
		// The entries are newest first, an anonymous one by the hour it was sent (the only time
		// kept of it): alice's place among them is read from what the app stored.
		const listed = newestFirst(await storedFeedback(suite.test.server.host));
		const alicePlace = listed.findIndex((record) => record.comment === comment);
		assert.ok(alicePlace >= 0, "alice's feedback is stored");
		await changeButtons.nth(alicePlace).click();
		// The same modal turns into the status form (a second modal would replace it on the web).
		const statusForm = adminView.filter({ hasText: 'Note to the author' });
		await statusForm.waitFor();
		await choose(statusForm, 'Status', 'planned');
		await field(statusForm, 'Note to the author')
			.locator('textarea')
			.fill('Shipping it next sprint');
		await statusForm.locator('[data-qa=modal-submit]', { hasText: 'Save' }).click();
		// The admin view says the author will be told; the job tells them later, not the save.
		await adminView
			.filter({
				hasText: `is now Planned. Its author is told in a direct message within ${NOTICE_PROMISED_MINUTES} minutes.`,
			})
			.waitFor();
		// A context block's text is small and muted, as Rocket.Chat draws it (fuselage's font-hint,
		// ContextBlock.Item's color='hint'), not in the blue of a link.
		assert.equal(
			await adminView
				.locator('span', { hasText: 'Its author is told' })
				.last()
				.evaluate((element) => getComputedStyle(element).color),
			'rgb(108, 114, 122)',
		);
		const { host } = suite.test.server;

		// The quiet time passes (the app's records are aged: its clock keeps real time) and the
		// job's period comes: the host runs what is then due, whatever its own loop did meanwhile.
		const database = openDatabase(suite.test.databasePath);
		try {
			assert.equal(ageStatusNotices(database, host.getAppId(), NOTICE_QUIET_MS), 1);
		} finally {
			database.close();
		}
		const runs = await host.advanceClock(NOTICE_JOB_PERIOD_MS);
		assert.ok(
			runs.every((run) => run.ok),
			JSON.stringify(runs),
		);

		// alice hears of it in a direct message from the app, listed in her sidebar, once.
		await switchTo(member, 'alice');
		const direct = member.locator('[data-qa=direct-item]');
		await direct.waitFor();
		await direct.click();
		const notice = messagesWith(member, 'is now: Planned');
		await notice.waitFor();
		assert.match((await notice.textContent()) ?? '', /Shipping it next sprint/);
		await host.advanceClock(NOTICE_JOB_PERIOD_MS);
		assert.equal(await notice.count(), 1, 'told once');
		assert.equal(await direct.count(), 1, 'in one direct room');
		await member.screenshot({ path: path.join(screenshots, 'author-notice.png') });

		assert.deepEqual(suite.pageErrors, [], 'no errors in the page');
		await memberContext.close();
		await adminContext.close();
	});
});
