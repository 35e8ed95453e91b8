import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';

import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import { startTestServer } from './web-fixture';
import type { ITestServer, ITestServerOptions } from './web-fixture';
import { projectRoot } from '../../host';
import { timed } from '../engine/timing';

/** Debian's chromium (apt-get install -y chromium), or CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The README's pictures are refreshed on purpose (UPDATE_SCREENSHOTS=1); other runs keep theirs aside.
export const screenshots = process.env.UPDATE_SCREENSHOTS
	? path.join(projectRoot(), 'docs', 'screenshots')
	: path.join(projectRoot(), 'test-results', 'screenshots');
export const TIMEOUT_MS = 15_000;

/** Opens the page as a member and waits for its event stream. */
export async function openAs(
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
export async function switchTo(page: Page, username: string): Promise<void> {
	await page.locator(`[data-qa=member-item][data-username=${username}]`).click();
	await page.locator(`[data-qa=current-user][data-username=${username}]`).waitFor();
	await page.locator('[data-qa=page][data-connected=true]').waitFor();
	await page.locator('[data-qa=timeline]').waitFor();
}

/** Types text in the composer and sends it with Enter. */
export async function type(page: Page, text: string): Promise<void> {
	const input = page.locator('[data-qa=composer-input]');
	await input.fill(text);
	await input.press('Enter');
	await page.waitForFunction(
		() => document.querySelector<HTMLTextAreaElement>('[data-qa=composer-input]')?.value === '',
	);
}

/** The modal's field (fuselage Field) whose label is `label`. */
export function field(modal: Locator, label: string): Locator {
	return modal.locator('.rcx-field', {
		has: modal.page().locator('.rcx-field__label', { hasText: label }),
	});
}

/** Picks an option of a UIKit static_select. */
export async function choose(modal: Locator, label: string, value: string): Promise<void> {
	await field(modal, label).locator('.rcx-select').click();
	await modal.page().locator(`.rcx-option[value="${value}"]`).click();
	// The list closes after the click: until it has, a click elsewhere only closes it (a submit
	// pressed right after would be lost), so wait for it to be gone, not for a time.
	await modal.page().locator('.rcx-option').first().waitFor({ state: 'detached' });
}

/** The options a UIKit static_select offers. */
export async function optionsOf(modal: Locator, label: string): Promise<string[]> {
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
export async function openForm(page: Page): Promise<Locator> {
	await type(page, '/feedback');
	const modal = page.locator('[data-qa=app-modal]');
	await modal.waitFor();
	return modal;
}

/** The timeline's messages that contain a text. */
export function messagesWith(page: Page, text: string): Locator {
	return page.locator('[data-qa=timeline-message]', { hasText: text });
}

/** Bundles the page into a fresh folder (removed by the caller) and returns it. */
export async function buildPage(): Promise<string> {
	const publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-web-page-'));
	await timed('build page', async () => {
		execFileSync(
			process.execPath,
			[path.join(projectRoot(), 'web', 'build.mjs'), '--out', publicDir],
			{
				stdio: 'pipe',
			},
		);
	});
	return publicDir;
}

/** Starts Debian's Chromium headless; a missing browser fails (npm test installs it first). */
export async function launchChromium(): Promise<Browser> {
	assert.ok(
		fs.existsSync(chromiumPath),
		`no chromium at ${chromiumPath}: run node scripts/ensure-chromium.mjs (npm test does)`,
	);
	return timed('launch chromium', () =>
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
}

/** What a browser suite's tests share: the page's server, Chromium, a context, the page's errors. */
export interface IBrowserSuite {
	test: ITestServer;
	browser: Browser;
	/** A 1280 × 800 context; a test that needs its own makes it from `browser`. */
	context: BrowserContext;
	readonly pageErrors: string[];
}

/**
 * Before the enclosing describe's tests: builds the page, starts its server (as `npm start` does,
 * see web-fixture.ts) and Chromium; after them, stops everything and, unless told otherwise, fails
 * when the page logged an error. The fields are set once `before` has run.
 */
export function browserSuite(
	serverOptions: ITestServerOptions = {},
	options: { checkPageErrors?: boolean } = {},
): IBrowserSuite {
	const suite = { pageErrors: [] as string[] } as unknown as IBrowserSuite;
	let publicDir: string | undefined;
	before(async () => {
		publicDir = await buildPage();
		const folder = publicDir;
		suite.test = await timed('start server', () => startTestServer(folder, serverOptions));
		suite.browser = await launchChromium();
		suite.context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
		fs.mkdirSync(screenshots, { recursive: true });
	});
	after(async () => {
		await suite.context?.close();
		await suite.browser?.close();
		await suite.test?.stop();
		if (publicDir) {
			fs.rmSync(publicDir, { recursive: true, force: true });
		}
		if (options.checkPageErrors !== false) {
			assert.deepEqual(suite.pageErrors, [], 'no errors in the page');
		}
	});
	return suite;
}
