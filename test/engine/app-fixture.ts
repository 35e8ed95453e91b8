import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach } from 'node:test';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';
import BetterSqlite3 from 'better-sqlite3';

import { timed } from './timing';
import {
	actionableElements,
	defaultZipPath,
	type IActionResult,
	type IBlockAction,
	type ILocalHostOptions,
	type IOpenView,
	type IViewSubmitResult,
	LocalHost,
	ManualClock,
} from '../../host';
import { NOTICE_QUIET_MS } from '../../src/domain/statusNotice';
import { ageAnonymousAnnouncements } from '../support/anonymous-announcements';
import { ageStatusNotices } from '../support/status-notices';

/** The packaged app under test: LOCAL_HOST_ZIP, or what `npm run package` writes. */
export const zipPath = process.env.LOCAL_HOST_ZIP ?? defaultZipPath();

/** Setting ids as the app declares them (app.json settings, Administration > Apps > Feedback). */
export const SETTING = {
	categories: 'feedback_categories',
	maxLength: 'feedback_max_comment_length',
	allowAnonymous: 'feedback_allow_anonymous',
	adminRoles: 'feedback_admin_roles',
	announceRoom: 'feedback_announce_room',
} as const;

/** The MISC associations the app files its records under (a feedback, an open form). */
const FEEDBACK_SET = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'feedback');
const PENDING_VIEW_SET = new RocketChatAssociationRecord(
	RocketChatAssociationModel.MISC,
	'pending-view',
);

/** A feedback record as the app stores it. */
export interface IStoredFeedback {
	id: string;
	comment: string;
	category: string;
	rating: number | null;
	anonymous: boolean;
	author: { id: string; username: string; name: string } | null;
	roomId: string | null;
	createdAt: string;
}

/** A host on its own database file in a temporary folder. */
export interface IEngineFixture {
	host: LocalHost;
	folder: string;
}

/**
 * Starts a host with the packaged app; a missing package fails (a skipped engine test proves
 * nothing). Its members' clients get a clock that stands still unless `options.clock` is given
 * (so no triggerId or answer deadline depends on machine speed); `options.denoRuntime:
 * 'with-uuid'` runs the runtime copy that hands apps `uuid`.
 */
export async function startFixture(
	label: string,
	options: Partial<Omit<ILocalHostOptions, 'databasePath' | 'zipPath'>> = {},
): Promise<IEngineFixture> {
	assert.ok(fs.existsSync(zipPath), `no package at ${zipPath}: run npm run package first`);
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-engine-'));
	const host = await timed(`start (${label})`, () =>
		LocalHost.start({
			clock: new ManualClock(),
			// Tests run due jobs themselves (runDueJobs, advanceClock): nothing runs behind them.
			schedulerProcessEveryMs: false,
			...options,
			databasePath: path.join(folder, 'host.sqlite'),
			zipPath,
		}),
	);
	return { host, folder };
}

/** How far the announcement job's next run lies (its interval, '5 seconds'). */
export const ANNOUNCEMENT_INTERVAL_MS = 5000;

/** Lets the scheduler run the announcement job once more, as the next period comes. */
export async function runAnnouncements(host: LocalHost): Promise<void> {
	await host.advanceClock(ANNOUNCEMENT_INTERVAL_MS);
}

/**
 * Lets the hour of every anonymous feedback queued now close (its queue entry is aged: the app's
 * Deno clock keeps real time), so the announcement job's next run posts it; returns how many.
 */
export function closeAnonymousHour(fixture: IEngineFixture): number {
	const database = new BetterSqlite3(path.join(fixture.folder, 'host.sqlite'), {
		fileMustExist: true,
	});
	try {
		return ageAnonymousAnnouncements(database, fixture.host.getAppId());
	} finally {
		database.close();
	}
}

/**
 * A fresh host for every test of the enclosing `describe` (its own database, app and clock), so
 * no test sees what another made and each passes when run alone. Returns the current fixture.
 */
export function fixturePerTest(
	label: string,
	options: Partial<Omit<ILocalHostOptions, 'databasePath' | 'zipPath'>> = {},
): () => IEngineFixture {
	let fixture: IEngineFixture | undefined;
	beforeEach(async () => {
		fixture = await startFixture(label, options);
	});
	afterEach(async () => {
		const stopping = fixture;
		fixture = undefined;
		await stopFixture(stopping);
	});
	return () => {
		assert.ok(fixture, 'the fixture runs only inside a test');
		return fixture;
	};
}

/** Stops the host (no Deno process left) and removes its folder; the app must not have failed in the background. */
export async function stopFixture(fixture: IEngineFixture | undefined): Promise<void> {
	if (!fixture) {
		return;
	}
	const errors = fixture.host.listenerErrors();
	await fixture.host.stop();
	fs.rmSync(fixture.folder, { recursive: true, force: true });
	assert.deepEqual(errors, [], 'listeners the engine ran unawaited did not fail');
}

/** A persistence record exactly as the host's database holds it (what anyone with database access reads). */
export interface IRawRecord {
	id: string;
	associations: Array<{ model: string; id: string }>;
	data: unknown;
}

/** Every persistence record of the app, read from the SQLite file itself, oldest first. */
export function rawRecords(fixture: IEngineFixture): IRawRecord[] {
	const database = new BetterSqlite3(path.join(fixture.folder, 'host.sqlite'), {
		readonly: true,
		fileMustExist: true,
	});
	try {
		const rows = database
			.prepare(
				'SELECT id, associations, data FROM persistence_records WHERE app_id = ? ORDER BY seq',
			)
			.all(fixture.host.getAppId()) as Array<{
			id: string;
			associations: string | null;
			data: string;
		}>;
		return rows.map((row) => ({
			id: row.id,
			associations: row.associations
				? (JSON.parse(row.associations) as IRawRecord['associations'])
				: [],
			data: JSON.parse(row.data) as unknown,
		}));
	} finally {
		database.close();
	}
}

/** How many forms one member has open, as the app remembers them (under the member's USER association). */
export function pendingViewCountOf(host: LocalHost, username: string): number {
	return host.persistence.countRecords(host.getAppId(), [
		new RocketChatAssociationRecord(RocketChatAssociationModel.USER, host.user(username).id),
		PENDING_VIEW_SET,
	]);
}

/** The app's log lines (`severity: arguments as JSON`), oldest first. */
export async function appLogLines(host: LocalHost): Promise<string[]> {
	const lines: string[] = [];
	for (const entry of await host.logs()) {
		for (const line of entry.entries ?? []) {
			lines.push(`${String(line.severity)}: ${JSON.stringify(line.args)}`);
		}
	}
	return lines;
}

/** Every feedback record stored now, as the app stored it (duplicates included). */
export async function storedFeedback(host: LocalHost): Promise<IStoredFeedback[]> {
	const records = await host.persistence.readByAssociations([FEEDBACK_SET], host.getAppId());
	return records as IStoredFeedback[];
}

/** How many feedback records are stored (read past any injected fault). */
export function feedbackCount(host: LocalHost): number {
	return host.persistence.countRecords(host.getAppId(), [FEEDBACK_SET]);
}

/** How many open forms the app remembers. */
export function pendingViewCount(host: LocalHost): number {
	return host.persistence.countRecords(host.getAppId(), [PENDING_VIEW_SET]);
}

/** The only ephemeral reply of an action. */
export function onlyReply(result: IActionResult): string {
	assert.equal(
		result.notifications.length,
		1,
		`one reply, got ${JSON.stringify(
			result.notifications.map((notification) => notification.text),
		)}`,
	);
	assert.deepEqual(result.messages, [], 'replies are ephemeral: nothing in the room timeline');
	return result.notifications[0].text;
}

/** The only reply to a command a member typed in #general. */
export async function reply(host: LocalHost, username: string, text: string): Promise<string> {
	return onlyReply(await host.runSlashCommand(username, 'general', text));
}

/**
 * The member's own list as text: `/feedback list` opens a modal with buttons, so the text list
 * is what a command without a trigger id (REST commands.run) answers.
 */
export async function listText(host: LocalHost, username: string, text: string): Promise<string> {
	return onlyReply(await host.runSlashCommand(username, 'general', text, { triggerId: false }));
}

/** The short ids of a list reply, in the order shown (`*1a2b3c4d* · date · ...`). */
export function shortIdsIn(text: string): string[] {
	return [...text.matchAll(/^\*([0-9a-f]{8})\* · /gm)].map((match) => match[1]);
}

/** The header line of one entry in a list reply. */
export function entryLine(text: string, shortId: string): string {
	const line = text.split('\n').find((candidate) => candidate.startsWith(`*${shortId}* · `));
	assert.ok(line, `entry ${shortId} in:\n${text}`);
	return line;
}

/** A block of the open modal, by block id. */
export interface IBlock {
	blockId?: string;
	optional?: boolean;
	label?: { text?: string };
	hint?: { text?: string };
	element?: {
		actionId?: string;
		type?: string;
		maxLength?: number;
		initialValue?: unknown;
		options?: Array<{ value: string; text: { text: string } }>;
	};
}

/** The blocks of an open modal. */
export function blocksOf(view: IOpenView | undefined): IBlock[] {
	assert.ok(view, 'a modal is open');
	return (view.view.blocks ?? []) as IBlock[];
}

/** The block of an open modal holding a field (action id). */
export function fieldOf(view: IOpenView | undefined, actionId: string): IBlock {
	const block = blocksOf(view).find((candidate) => candidate.element?.actionId === actionId);
	assert.ok(block, `the modal has a ${actionId} field`);
	return block;
}

/** The option values of a select field. */
export function optionValues(view: IOpenView | undefined, actionId: string): string[] {
	return (fieldOf(view, actionId).element?.options ?? []).map((option) => option.value);
}

/** Values of the form as a member fills it in (action id to value, as the client sends it). */
export type FormValues = Record<string, unknown>;

/** What a successful `/feedback` form produced. */
export interface ISentFeedback {
	/** The full id of the stored record. */
	id: string;
	/** The id members see and type. */
	shortId: string;
	/** The confirmation the member received. */
	confirmation: string;
	submit: IViewSubmitResult;
}

/** Opens the form as a member in a room, submits it and checks that exactly one record was stored. */
export async function sendFeedback(
	host: LocalHost,
	username: string,
	roomName: string,
	values: FormValues,
): Promise<ISentFeedback> {
	const opened = await host.runSlashCommand(username, roomName, '/feedback');
	assert.ok(opened.view, `${username} got the form`);
	const before = feedbackCount(host);
	const submit = await host.submitView(username, values);
	assert.equal(submit.accepted, true, `accepted, errors: ${JSON.stringify(submit.errors)}`);
	assert.equal(feedbackCount(host), before + 1, 'one record stored');
	assert.equal(host.openView(username), undefined, 'the form closed');
	assert.equal(submit.notifications.length, 1, 'one confirmation');
	const [confirmation] = submit.notifications;
	assert.equal(confirmation.room, roomName, 'confirmed in the room where the command was typed');
	const shortId = /\b([0-9a-f]{8})\b/.exec(confirmation.text)?.[1];
	assert.ok(shortId, `an id in "${confirmation.text}"`);
	const record = (await storedFeedback(host)).find((stored) => stored.id.startsWith(shortId));
	assert.ok(record, `a stored record with id ${shortId}`);
	// The view carries a random form id, not the feedback's: nothing kept under the member leads to it.
	assert.ok(!opened.view.viewId.includes(record.id), 'the view did not carry the id');
	return { id: record.id, shortId, confirmation: confirmation.text, submit };
}

/** Messages of a room with their custom fields, as stored. */
export function roomMessages(host: LocalHost, roomName: string): IMessage[] {
	return host.directory.messagesOf(host.directory.requireRoom(roomName).id);
}

/** The "Messages sent on the server" count an admin reads in `/feedback stats`. */
export async function statsMessageCount(host: LocalHost): Promise<number> {
	const text = onlyReply(await host.runSlashCommand('admin', 'general', '/feedback stats'));
	const count = /Messages sent on the server: (\d+)/.exec(text)?.[1];
	assert.ok(count !== undefined, `a message count in:\n${text}`);
	return Number(count);
}

// Buttons, selects and views (issue 11): what a member sees in a view or an ephemeral message
// and the block action a click on it sends.

/** The status changes the app appends (RecordScope.StatusChange). */
const STATUS_CHANGE_SET = new RocketChatAssociationRecord(
	RocketChatAssociationModel.MISC,
	'feedback-status',
);

/** A status change as the app stores it, one record per change. */
export interface IStoredStatusChange {
	id: string;
	feedbackId: string;
	feedbackCreatedAt: string;
	status: string;
	note: string;
	adminId: string;
	at: string;
	/** What the admin's instance read before the change: the newest change then, and when. */
	previous?: { readAt: string; change: { id: string; at: string; status: string } | null };
}

/** Whether the app marked its status changes as filed by their feedback's creation day (RecordScope.StatusFiling). */
export async function isFiledByCreation(host: LocalHost): Promise<boolean> {
	const marker = new RocketChatAssociationRecord(
		RocketChatAssociationModel.MISC,
		'feedback-status-filing',
	);
	return (await host.persistence.readByAssociations([marker], host.getAppId())).length > 0;
}

/** Every status change stored now, oldest first. */
export async function statusChanges(host: LocalHost): Promise<IStoredStatusChange[]> {
	const records = await host.persistence.readByAssociations([STATUS_CHANGE_SET], host.getAppId());
	return records as IStoredStatusChange[];
}

/**
 * Lets the status notices' quiet time pass (the app's records are aged: its Deno clock keeps
 * real time) and the notice job's period come, running what is then due.
 */
export async function runStatusNotices(fixture: IEngineFixture): Promise<void> {
	const database = new BetterSqlite3(path.join(fixture.folder, 'host.sqlite'), {
		fileMustExist: true,
	});
	try {
		ageStatusNotices(database, fixture.host.getAppId(), NOTICE_QUIET_MS);
	} finally {
		database.close();
	}
	const runs = await fixture.host.advanceClock(30_000);
	assert.ok(
		runs.every((run) => run.ok),
		JSON.stringify(runs),
	);
}

/** The username of the app's user (`feedback.bot`), who sends the app's direct messages. */
export function appUsername(host: LocalHost): string {
	const appUser = host.directory.appUser(host.getAppId());
	assert.ok(appUser, 'the engine created the app user');
	return appUser.username;
}

/** Where elements are: an open view, or a message (an ephemeral one included). */
export type ElementSource = IOpenView | { blocks?: unknown[] } | undefined;

function blocksIn(source: ElementSource): unknown[] {
	assert.ok(source, 'a view or a message to act on');
	const blocks = 'view' in source ? source.view.blocks : source.blocks;
	return Array.isArray(blocks) ? (blocks as unknown[]) : [];
}

/** An element a member can act on, with what the client shows and sends of it. */
export interface IShownElement {
	blockId: string;
	actionId: string;
	type: string;
	/** A button's label. */
	label?: string;
	/** A button's value. */
	value?: string;
	/** A select's options (label and value) and the option it shows as chosen. */
	options: Array<{ label: string; value: string }>;
	initialValue?: unknown;
}

/** Every element with an action id, in order, as the host's client finds them. */
export function elementsIn(source: ElementSource): IShownElement[] {
	return actionableElements(blocksIn(source)).map(({ blockId, actionId, element }) => {
		const text = element.text as { text?: unknown } | undefined;
		const options = Array.isArray(element.options)
			? (element.options as Array<{ value: string; text: { text: string } }>)
			: [];
		return {
			blockId,
			actionId,
			type: String(element.type),
			...(typeof text?.text === 'string' ? { label: text.text } : {}),
			...(typeof element.value === 'string' ? { value: element.value } : {}),
			options: options.map((option) => ({ label: option.text.text, value: option.value })),
			...(element.initialValue !== undefined ? { initialValue: element.initialValue } : {}),
		};
	});
}

/**
 * The click on the one button with this action id (and this label, and a value holding this
 * text, when given): its block id, action id and value, as the client sends them.
 */
export function buttonClick(
	source: ElementSource,
	actionId: string,
	match: { label?: string; valueHolds?: string } = {},
): IBlockAction {
	const found = elementsIn(source).filter(
		(element) =>
			element.type === 'button' &&
			element.actionId === actionId &&
			(match.label === undefined || element.label === match.label) &&
			(match.valueHolds === undefined || (element.value ?? '').includes(match.valueHolds)),
	);
	assert.equal(
		found.length,
		1,
		`one ${actionId} button ${JSON.stringify(match)}, found ${JSON.stringify(found)}`,
	);
	const [button] = found;
	return { blockId: button.blockId, actionId: button.actionId, value: button.value };
}

/** Whether a button with this action id (and label) is shown. */
export function hasButton(source: ElementSource, actionId: string, label?: string): boolean {
	return elementsIn(source).some(
		(element) =>
			element.type === 'button' &&
			element.actionId === actionId &&
			(label === undefined || element.label === label),
	);
}

/** The select with this action id. */
export function selectIn(source: ElementSource, actionId: string): IShownElement {
	const select = elementsIn(source).find(
		(element) => element.actionId === actionId && element.type === 'static_select',
	);
	assert.ok(select, `a ${actionId} select`);
	return select;
}

/** The change a member makes by choosing the option with this label in a select. */
export function selectChoice(source: ElementSource, actionId: string, label: string): IBlockAction {
	const select = selectIn(source, actionId);
	const option = select.options.find((candidate) => candidate.label === label);
	assert.ok(option, `an option "${label}" in ${actionId}: ${JSON.stringify(select.options)}`);
	return { blockId: select.blockId, actionId, value: option.value };
}

/** The label of the option a select shows as chosen. */
export function chosenLabel(source: ElementSource, actionId: string): string | undefined {
	const select = selectIn(source, actionId);
	return select.options.find((option) => option.value === select.initialValue)?.label;
}

function plainText(node: unknown): string | undefined {
	const { text } = (node ?? {}) as { text?: unknown };
	return typeof text === 'string' ? text : undefined;
}

/** The lines of text a view shows (sections and context elements), in order; no labels. */
export function viewLines(source: ElementSource): string[] {
	const lines: string[] = [];
	for (const block of blocksIn(source)) {
		const { type, text, elements } = block as { type?: string; text?: unknown; elements?: unknown };
		if (type === 'section' && plainText(text) !== undefined) {
			lines.push(plainText(text) as string);
		}
		if (type === 'context' && Array.isArray(elements)) {
			for (const element of elements) {
				const line = plainText(element);
				if (line !== undefined) {
					lines.push(line);
				}
			}
		}
	}
	return lines;
}

/** One feedback as a view lists it: its heading (`id · date · category · rating · …`) and comment. */
export interface IViewEntry {
	shortId: string;
	heading: string;
	comment: string;
	/** What the heading says after `Status: `. */
	status: string;
}

/** The feedback a view lists, in order (a heading section `entry-<short id>`, then its comment). */
export function viewEntries(source: ElementSource): IViewEntry[] {
	const blocks = blocksIn(source) as Array<{
		type?: string;
		blockId?: string;
		text?: unknown;
		elements?: unknown[];
	}>;
	const entries: IViewEntry[] = [];
	blocks.forEach((block, index) => {
		const shortId = /^entry-([0-9a-f]{8})$/.exec(block.blockId ?? '')?.[1];
		if (block.type !== 'section' || !shortId) {
			return;
		}
		const heading = plainText(block.text) ?? '';
		const next = blocks[index + 1];
		const comment = next?.type === 'context' ? (plainText(next.elements?.[0]) ?? '') : '';
		const status = / · Status: ([^·]+)$/.exec(heading)?.[1] ?? '';
		entries.push({ shortId, heading, comment, status });
	});
	return entries;
}

/** Stored feedback in the order the app lists it: newest first, then by id. */
export function newestFirst<T extends { id: string; createdAt: string }>(records: T[]): T[] {
	return [...records].sort((a, b) => {
		if (a.createdAt !== b.createdAt) {
			return a.createdAt < b.createdAt ? 1 : -1;
		}
		return a.id.localeCompare(b.id);
	});
}

/**
 * A copy of a view as it is now. The host hands out the member's open view itself, which a later
 * update changes in place: a test that keeps a view across clicks keeps a copy.
 */
export function snapshot(view: IOpenView | undefined): IOpenView {
	assert.ok(view, 'a view is open');
	return structuredClone(view);
}

/** `/feedback admin` typed by an admin: the admin view opens, a modal. */
export async function openAdminView(
	host: LocalHost,
	username = 'admin',
	roomName = 'general',
): Promise<IOpenView> {
	const result = await host.runSlashCommand(username, roomName, '/feedback admin');
	assert.deepEqual(
		result.notifications.map((notification) => notification.text),
		[],
		'no reply: the view opens',
	);
	assert.equal(result.view?.viewId, 'feedback-admin', 'the admin view is open');
	return snapshot(result.view);
}

/** How many pages a status change helper may page through to find an entry. */
const MAX_ADMIN_PAGES = 20;

/** The action ids of the status form the admin modal shows (each form has its own). */
export function statusFormActions(view: ElementSource): { status: string; note: string } {
	const inputs = (
		blocksIn(view) as Array<{ type?: string; element?: { actionId?: string } }>
	).filter((block) => block.type === 'input');
	const ids = inputs.map((block) => block.element?.actionId ?? '');
	const status = ids.find((id) => id.startsWith('status:'));
	const note = ids.find((id) => id.startsWith('note:'));
	assert.ok(status && note, `the admin view shows a status form, fields: ${ids.join(', ')}`);
	return { status, note };
}

/**
 * Opens the status form of one feedback in the admin view the admin has open (its Change status
 * button, paging with Next until the entry is shown) and returns the view, now that form.
 */
export async function openStatusForm(
	host: LocalHost,
	username: string,
	feedbackId: string,
): Promise<IOpenView> {
	for (let page = 1; page <= MAX_ADMIN_PAGES; page += 1) {
		const open = host.openView(username);
		assert.equal(open?.viewId, 'feedback-admin', `${username} has the admin view open`);
		const shown = elementsIn(open).some(
			(element) => element.actionId === 'admin-change-status' && element.value === feedbackId,
		);
		if (shown) {
			const opened = await host.blockAction(
				username,
				'modal',
				buttonClick(open, 'admin-change-status', { valueHolds: feedbackId }),
			);
			assert.deepEqual(opened.refused, [], 'the client shows the answer');
			assert.equal(opened.view?.viewId, 'feedback-admin', 'the same modal');
			assert.match(
				JSON.stringify(opened.view?.view.blocks),
				new RegExp(`status-form:status:${feedbackId}:`),
				'the status form is shown',
			);
			return snapshot(opened.view);
		}
		await host.blockAction(username, 'modal', buttonClick(open, 'admin-page', { label: 'Next' }));
	}
	throw new Error(`feedback ${feedbackId} is not in the first ${MAX_ADMIN_PAGES} admin pages`);
}

/**
 * Changes the status of a feedback through the admin view, as an admin clicks it: the admin
 * view opened if needed, the status form opened and saved (accepted: the admin view is back).
 * A note left undefined is a field not typed in.
 */
export async function changeStatus(
	host: LocalHost,
	username: string,
	feedbackId: string,
	values: { status?: string; note?: string },
): Promise<IViewSubmitResult> {
	if (host.openView(username)?.viewId !== 'feedback-admin') {
		await openAdminView(host, username);
	}
	const form = await openStatusForm(host, username, feedbackId);
	const fields = statusFormActions(form);
	const saved = await host.submitView(username, {
		...(values.status === undefined ? {} : { [fields.status]: values.status }),
		...(values.note === undefined ? {} : { [fields.note]: values.note }),
	});
	assert.equal(saved.accepted, true, `accepted, errors: ${JSON.stringify(saved.errors)}`);
	return saved;
}
