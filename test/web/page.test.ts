import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import { startTestServer } from './web-fixture';
import type { ITestServer } from './web-fixture';
import { projectRoot } from '../../host/paths';
import { timed } from '../engine/timing';

/** Debian's chromium (apt-get install -y chromium), or CHROMIUM_PATH. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The README's pictures are refreshed on purpose (UPDATE_SCREENSHOTS=1); other runs keep theirs aside.
const screenshots = process.env.UPDATE_SCREENSHOTS
	? path.join(projectRoot(), 'docs', 'screenshots')
	: path.join(projectRoot(), 'test-results', 'screenshots');
const TIMEOUT_MS = 15_000;

/** Opens the page as a member and waits for its event stream. */
async function openAs(
	context: BrowserContext,
	url: string,
	username: string,
	errors: string[],
): Promise<Page> {
	const page = await context.newPage();
	page.setDefaultTimeout(TIMEOUT_MS);
	page.on('pageerror', (error) => errors.push(`${username}: ${error.message}`));
	await page.goto(url);
	await switchTo(page, username);
	return page;
}

/** Acts as another member with the sidebar's switcher. */
async function switchTo(page: Page, username: string): Promise<void> {
	await page.locator(`[data-qa=member-item][data-username=${username}]`).click();
	await page.locator(`[data-qa=current-user][data-username=${username}]`).waitFor();
	await page.locator('[data-qa=page][data-connected=true]').waitFor();
	await page.locator('[data-qa=timeline]').waitFor();
}

/** Types text in the composer and sends it with Enter. */
async function type(page: Page, text: string): Promise<void> {
	const input = page.locator('[data-qa=composer-input]');
	await input.fill(text);
	await input.press('Enter');
	await page.waitForFunction(
		() =>
			(document.querySelector('[data-qa=composer-input]') as HTMLTextAreaElement | null)?.value ===
			'',
	);
}

/** The modal's field (fuselage Field) whose label is `label`. */
function field(modal: Locator, label: string): Locator {
	return modal.locator('.rcx-field', {
		has: modal.page().locator('.rcx-field__label', { hasText: label }),
	});
}

/** Picks an option of a UIKit static_select. */
async function choose(modal: Locator, label: string, value: string): Promise<void> {
	await field(modal, label).locator('.rcx-select').click();
	await modal.page().locator(`.rcx-option[value="${value}"]`).click();
}

/** The options a UIKit static_select offers. */
async function optionsOf(modal: Locator, label: string): Promise<string[]> {
	await field(modal, label).locator('.rcx-select').click();
	const options = modal.page().locator('.rcx-option');
	await options.first().waitFor();
	const values = await options.evaluateAll((elements) =>
		elements.map((element) => element.getAttribute('value') ?? ''),
	);
	await modal.page().keyboard.press('Escape');
	return values;
}

/** Opens the app's modal with /feedback. */
async function openForm(page: Page): Promise<Locator> {
	await type(page, '/feedback');
	const modal = page.locator('[data-qa=app-modal]');
	await modal.waitFor();
	return modal;
}

/** The timeline's messages that contain a text. */
function messagesWith(page: Page, text: string): Locator {
	return page.locator('[data-qa=timeline-message]', { hasText: text });
}

describe('try-it page in Chromium', () => {
	let test: ITestServer;
	let browser: Browser;
	let publicDir: string;
	const pageErrors: string[] = [];

	before(async () => {
		assert.ok(
			fs.existsSync(chromiumPath),
			`no chromium at ${chromiumPath}: apt-get install -y chromium`,
		);
		publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-web-page-'));
		await timed('build page', async () => {
			execFileSync(
				process.execPath,
				[path.join(projectRoot(), 'web', 'build.mjs'), '--out', publicDir],
				{
					stdio: 'pipe',
				},
			);
		});
		test = await timed('start server', () => startTestServer(publicDir));
		browser = await timed('launch chromium', () =>
			chromium.launch({
				executablePath: chromiumPath,
				args: [
					'--no-sandbox',
					'--disable-gpu',
					'--disable-quic',
					'--no-first-run',
					'--disable-background-networking',
					'--disable-component-update',
					'--disable-sync',
				],
			}),
		);
		fs.mkdirSync(screenshots, { recursive: true });
	});

	after(async () => {
		await browser?.close();
		await test?.stop();
		if (publicDir) {
			fs.rmSync(publicDir, { recursive: true, force: true });
		}
	});

	it('walks a member, another member and the admin through the app', async () => {
		const comment = 'The new onboarding checklist saved me an hour';
		const memberContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const { url } = test.server;

		// A member says hello (the app counts it), opens the form, sends it empty: an inline error.
		const member = await timed('open page as alice', () =>
			openAs(memberContext, url, 'alice', pageErrors),
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
		const viewState = test.server.host.openView('alice');
		assert.equal(viewState, undefined, 'the host has no open view left');

		// The member lists it.
		await type(member, '/feedback list');
		const list = messagesWith(member, comment);
		await list.waitFor();
		const listText = (await list.textContent()) ?? '';
		assert.match(listText, /Idea · 4\/5/);
		await member.screenshot({ path: path.join(screenshots, 'list.png') });

		// Another member sees neither the confirmation nor the comment, and lists nothing.
		await switchTo(member, 'bruno');
		assert.equal(await messagesWith(member, comment).count(), 0);
		assert.equal(await messagesWith(member, 'saved as').count(), 0);
		await type(member, '/feedback list');
		await member.locator('[data-qa=timeline-message][data-kind=ephemeral]').first().waitFor();
		assert.equal(
			await member.locator('[data-qa=timeline-message][data-kind=ephemeral]').count(),
			1,
		);
		assert.equal(
			await messagesWith(member, comment).count(),
			0,
			'bruno’s list does not show alice’s comment',
		);

		// The admin watches the stats move while a member sends feedback.
		const admin = await timed('open page as admin', () =>
			openAs(adminContext, url, 'admin', pageErrors),
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
		await stats.filter({ hasText: 'Distinct contributors: 2' }).waitFor();
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
			test.server.host.openView('admin'),
			undefined,
			'closing sent view-closed to the host',
		);

		assert.deepEqual(pageErrors, [], 'no errors in the page');
		await memberContext.close();
		await adminContext.close();
	});
});
