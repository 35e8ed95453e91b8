import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import { TRIGGER_TIMEOUT_MS, UIKIT_INTERACTION_TIMEOUT } from '../../host/client/uikit-client';
import { TerminalSession } from '../../host/drivers/terminal-session';
import {
	type IBlocksFixture,
	received,
	sectionText,
	startBlocksApp,
	stopBlocksApp,
} from '../support/test-apps';
import { until } from '../support/until';

// Block actions through the local host, driven with the tests' own app (test/apps/blocks), as
// Rocket.Chat's client sends them (apps/meteor/client/lib/ActionManager.ts, the uikit hooks) and
// its server hands them to the app (apps/meteor/ee/server/apps/communication/uikit.ts).

const APP_ID = '5b1f3c9e-7a42-4d1e-9c3b-0f6a2e8d4b17';

/** What the app logged for a block action. */
interface IReceivedAction {
	actionId: string;
	blockId: string;
	value: unknown;
	container: { type: string; id: string };
	room: { id: string; type: string } | null;
	message: { id: string; text: string } | null;
	user: string;
	triggerId: string;
	appId: string;
}

async function lastAction(fixture: IBlocksFixture): Promise<IReceivedAction> {
	const actions = (await received(fixture.host, 'blockAction')) as IReceivedAction[];
	const last = actions.at(-1);
	assert.ok(last, 'the app received a block action');
	return last;
}

function triggerOf(response: unknown): string {
	const { triggerId } = response as { triggerId?: unknown };
	assert.equal(
		typeof triggerId,
		'string',
		`an answer with a triggerId: ${JSON.stringify(response)}`,
	);
	return triggerId as string;
}

describe('block actions in the local host (the blocks test app)', () => {
	let fixture: IBlocksFixture;

	beforeEach(async () => {
		fixture = await startBlocksApp();
	});

	afterEach(async () => {
		await stopBlocksApp(fixture);
	});

	it('sends a modal’s button as Rocket.Chat does and applies the modal.update answer', async () => {
		const { host } = fixture;
		const opened = await host.runSlashCommand('alice', 'feedback', '/blocks modal');
		assert.equal(opened.view?.viewId, 'blocks-modal');
		const first = await host.blockAction('alice', 'modal', {
			blockId: 'page',
			actionId: 'page',
			value: '2',
		});
		assert.deepEqual(await lastAction(fixture), {
			actionId: 'page',
			blockId: 'page',
			value: '2',
			container: { type: 'view', id: 'blocks-modal' },
			// A modal sends no rid: the server's convertById(undefined) gives the first room.
			room: { id: 'GENERAL', type: 'c' },
			message: null,
			user: 'alice',
			triggerId: 'given',
			appId: APP_ID,
		});
		assert.equal((first.response as { type?: string }).type, 'modal.update');
		assert.equal(sectionText(first.view, 'page-text'), 'Page 2', 'the open modal was updated');
		assert.equal(first.view?.viewId, 'blocks-modal');
		assert.deepEqual(first.refused, []);
		assert.equal(first.timedOut, false);

		// Each action gets a fresh triggerId from the client, never the one that opened the view.
		const second = await host.blockAction('alice', 'modal', {
			blockId: 'page',
			actionId: 'page',
			value: '3',
		});
		assert.equal(sectionText(second.view, 'page-text'), 'Page 3');
		assert.notEqual(triggerOf(first.response), triggerOf(second.response));
		assert.notEqual(triggerOf(first.response), opened.view?.triggerId);
	});

	it('sends a select’s change with the chosen value, and keeps a modal open across updates', async () => {
		const { host } = fixture;
		await host.runSlashCommand('alice', 'general', '/blocks modal');
		const result = await host.blockAction('alice', 'modal', {
			blockId: 'pick',
			actionId: 'pick',
			value: 'green',
		});
		const action = await lastAction(fixture);
		assert.equal(action.value, 'green');
		assert.deepEqual(action.container, { type: 'view', id: 'blocks-modal' });
		assert.equal(sectionText(result.view, 'picked-text'), 'Picked: green');
		// Only what is on the screen can be clicked.
		await assert.rejects(
			host.blockAction('alice', 'modal', { blockId: 'paging', actionId: 'nope', value: 'x' }),
			/has no element paging\/nope/,
		);
		await assert.rejects(
			host.blockAction('bruno', 'modal', { blockId: 'page', actionId: 'page', value: '2' }),
			/bruno has no open modal/,
		);
	});

	it('keeps a contextual bar beside the modal, updates it, and sends the room it is shown in', async () => {
		const { host } = fixture;
		await host.runSlashCommand('alice', 'general', '/blocks modal');
		const opened = await host.runSlashCommand('alice', 'feedback', '/blocks bar');
		assert.equal(opened.contextualBar?.viewId, 'blocks-bar');
		assert.equal(opened.view?.viewId, 'blocks-modal', 'the modal is still open beside it');
		assert.equal(host.openContextualBar('alice')?.surface, 'contextual_bar');

		const counted = await host.blockAction('alice', 'contextual_bar', {
			blockId: 'count',
			actionId: 'count',
			value: '0',
		});
		assert.equal((counted.response as { type?: string }).type, 'contextual_bar.update');
		assert.equal(sectionText(counted.contextualBar, 'count-text'), 'Clicks: 1');
		assert.equal(sectionText(counted.view, 'page-text'), 'Page 1', 'the modal is untouched');
		const action = await lastAction(fixture);
		assert.deepEqual(action.container, { type: 'view', id: 'blocks-bar' });
		// The bar's client sends the room it shows (the room of the member's last command).
		assert.deepEqual(action.room, { id: 'feedback-room', type: 'c' });

		// A select in the bar, from another room the member moved to.
		const filtered = await host.blockAction(
			'alice',
			'contextual_bar',
			{ blockId: 'filter', actionId: 'filter', value: 'bug' },
			{ roomName: 'general' },
		);
		assert.equal(sectionText(filtered.contextualBar, 'filter-text'), 'Filter: bug');
		assert.deepEqual((await lastAction(fixture)).room, { id: 'GENERAL', type: 'c' });

		// The bar's X: view-closed with isCleared, the modal stays.
		await host.closeContextualBar('alice');
		assert.equal(host.openContextualBar('alice'), undefined);
		assert.equal(host.openView('alice')?.viewId, 'blocks-modal');
		assert.deepEqual((await received(host, 'viewClosed')).at(-1), {
			id: 'blocks-bar',
			isCleared: true,
		});
	});

	it('opens a modal from a bar’s button with the action’s fresh triggerId', async () => {
		const { host } = fixture;
		await host.runSlashCommand('alice', 'general', '/blocks bar');
		assert.equal(host.openView('alice'), undefined);
		const result = await host.blockAction('alice', 'contextual_bar', {
			blockId: 'open-modal',
			actionId: 'open-modal',
			value: 'open',
		});
		assert.equal((result.response as { type?: string }).type, 'modal.open');
		assert.equal(result.view?.viewId, 'blocks-modal', 'the modal opened over the bar');
		assert.equal(result.contextualBar?.viewId, 'blocks-bar', 'the bar stays');
		assert.deepEqual(result.refused, []);
	});

	it('updates the bar from the modal’s submit through its triggerId, and closes the modal', async () => {
		const { host } = fixture;
		await host.runSlashCommand('alice', 'general', '/blocks bar');
		await host.blockAction('alice', 'contextual_bar', {
			blockId: 'open-modal',
			actionId: 'open-modal',
			value: 'open',
		});
		const refused = await host.submitView('alice', {});
		assert.deepEqual(refused.errors, { note: 'Write a note' }, 'an inline error keeps it open');
		assert.equal(host.openView('alice')?.errors.note, 'Write a note');
		const saved = await host.submitView('alice', { note: 'all good' });
		assert.equal(saved.accepted, true);
		assert.equal(saved.view, undefined, 'the modal closed');
		assert.equal(sectionText(saved.contextualBar, 'note-text'), 'Saved: all good');
		assert.deepEqual(saved.refused, []);
		assert.deepEqual((await received(host, 'viewSubmit')).at(-1), {
			id: 'blocks-modal',
			// Both clients send the values they keep, grouped by block: no empty block.
			state: { note: { note: 'all good' } },
		});
	});

	it('takes a view the app pushes with the action’s triggerId, once', async () => {
		const { host } = fixture;
		await host.runSlashCommand('alice', 'general', '/blocks bar');
		const result = await host.blockAction('alice', 'contextual_bar', {
			blockId: 'push',
			actionId: 'push',
			value: '4',
		});
		assert.deepEqual(result.response, { success: true });
		assert.equal(sectionText(result.contextualBar, 'note-text'), 'pushed');
		assert.equal(sectionText(result.contextualBar, 'count-text'), 'Clicks: 4');
		assert.deepEqual(result.refused, []);

		// A command's triggerId opens one view: the app's second view with it is dropped.
		const twice = await host.runSlashCommand('bruno', 'general', '/blocks twice');
		assert.equal(twice.view?.viewId, 'blocks-modal');
		assert.equal(twice.contextualBar, undefined);
		assert.deepEqual(
			twice.refused.map((entry) => [entry.type, entry.reason]),
			[['contextual_bar.open', 'used-trigger']],
		);
	});

	it('shows a late answer’s toast and drops its view, disposing nothing', async () => {
		const { host, clock } = fixture;
		await host.runSlashCommand('alice', 'general', '/blocks modal');
		const release = host.uikit.holdDelivery();
		let pending: ReturnType<typeof host.blockAction> | undefined;
		try {
			pending = host.blockAction('alice', 'modal', {
				blockId: 'page',
				actionId: 'page',
				value: '9',
			});
			await until(() => host.uikit.heldDeliveries() === 1, 'the answer on its way');
			clock.advance(TRIGGER_TIMEOUT_MS);
		} finally {
			release();
		}
		const result = await pending;
		assert.equal(result.timedOut, true);
		assert.deepEqual(
			result.toasts.map((toast) => toast.message),
			[UIKIT_INTERACTION_TIMEOUT.text],
		);
		// A blockAction carries no viewId: the modal stays, the late update is dropped.
		assert.equal(sectionText(result.view, 'page-text'), 'Page 1');
		assert.deepEqual(
			result.refused.map((entry) => [entry.type, entry.reason]),
			[['modal.update', 'expired-trigger']],
		);
	});

	it('clicks a button in an ephemeral message: no stored message, the answer opens a modal', async () => {
		const { host } = fixture;
		const told = await host.runSlashCommand('alice', 'feedback', '/blocks notify');
		const [notice] = told.notifications;
		assert.match(notice.id, /^[23456789A-HJ-NP-Za-km-z]{17}$/, 'the converter’s Random.id()');
		assert.ok(notice.blocks && notice.blocks.length === 2, 'the blocks are kept');
		const result = await host.blockAction(
			'alice',
			{ messageId: notice.id },
			{ blockId: 'message-click', actionId: 'message-click', value: 'ephemeral' },
		);
		assert.deepEqual(await lastAction(fixture), {
			actionId: 'message-click',
			blockId: 'message-click',
			value: 'ephemeral',
			container: { type: 'message', id: notice.id },
			room: { id: 'feedback-room', type: 'c' },
			// messages.convertById(mid) finds no ephemeral message.
			message: null,
			user: 'alice',
			triggerId: 'given',
			appId: APP_ID,
		});
		assert.equal(result.view?.viewId, 'blocks-modal', 'the answer’s modal opened');
		assert.equal(sectionText(result.view, 'picked-text'), 'Picked: ephemeral');

		// notifyUser adds no appId: a button whose block has none reaches no app.
		await assert.rejects(
			host.blockAction(
				'alice',
				{ messageId: notice.id },
				{ blockId: 'orphan-actions', actionId: 'orphan', value: 'orphan' },
			),
			/has no appId/,
		);
		// Another member does not see alice's ephemeral message.
		await assert.rejects(
			host.blockAction(
				'bruno',
				{ messageId: notice.id },
				{ blockId: 'message-click', actionId: 'message-click', value: 'ephemeral' },
			),
			/bruno sees no message/,
		);
	});

	it('clicks a button in a room message: the stored message and its room reach the app', async () => {
		const { host } = fixture;
		const posted = await host.runSlashCommand('alice', 'general', '/blocks post');
		const [message] = posted.messages;
		assert.ok(message?.blocks, 'the room message keeps its blocks');
		// The engine gave the block its app (UIHelper.assignIds) and kept the app's ids.
		const [block] = message.blocks as Array<{ appId?: string; blockId?: string }>;
		assert.equal(block.appId, APP_ID);
		const result = await host.blockAction(
			'bruno',
			{ messageId: message.id },
			{ blockId: 'room-actions', actionId: 'message-click', value: 'room' },
		);
		const action = await lastAction(fixture);
		assert.deepEqual(action.container, { type: 'message', id: message.id });
		assert.deepEqual(action.message, { id: message.id, text: 'A room message with a button' });
		assert.deepEqual(action.room, { id: 'GENERAL', type: 'c' });
		assert.equal(action.user, 'bruno');
		assert.equal(result.view?.viewId, 'blocks-modal');
		assert.equal(host.openView('alice'), undefined, 'only the member who clicked sees the modal');
	});

	it('sends a forged action on another member’s view unchecked, as the server checks nothing', async () => {
		const { host } = fixture;
		await host.runSlashCommand('admin', 'general', '/blocks bar');
		const adminsBar = host.openContextualBar('admin');
		assert.ok(adminsBar);
		const forged = await host.blockActionOn('bruno', adminsBar, {
			blockId: 'made-up',
			actionId: 'count',
			value: '41',
		});
		const action = await lastAction(fixture);
		assert.equal(action.user, 'bruno');
		assert.equal(action.blockId, 'made-up');
		assert.deepEqual(action.container, { type: 'view', id: 'blocks-bar' });
		// The answer updates nothing bruno has open, and the admin's bar is untouched.
		assert.equal(forged.contextualBar, undefined);
		assert.equal(sectionText(host.openContextualBar('admin'), 'count-text'), 'Clicks: 0');
	});
});

describe('the terminal host clicks the app’s buttons (blocks test app)', () => {
	let fixture: IBlocksFixture;

	beforeEach(async () => {
		fixture = await startBlocksApp();
	});

	afterEach(async () => {
		await stopBlocksApp(fixture);
	});

	it('shows buttons and selects and clicks them in the bar, the modal and a message', async () => {
		const terminal = new TerminalSession(fixture.host, 'alice', 'general');
		const bar = await terminal.run('/blocks bar');
		assert.match(bar, /^\[contextual bar\] Blocks bar {2}\(view blocks-bar\)$/m);
		assert.match(bar, /\[button count=0 "Count"\]/);
		assert.match(bar, /\[select filter: all, bug, idea\]/);
		assert.match(await terminal.run('click count'), /Clicks: 1/);
		assert.match(await terminal.run('click filter idea'), /Filter: idea/);
		await terminal.run('/blocks modal');
		assert.match(await terminal.run('click page 2'), /Page 2/);
		assert.equal(await terminal.run('close-bar'), '(closed)');
		assert.equal(fixture.host.openContextualBar('alice'), undefined);
		await terminal.run('close');
		assert.match(
			await terminal.run('/blocks notify'),
			/\[button message-click=ephemeral "Click me"\]/,
		);
		assert.match(await terminal.run('click message-click'), /Picked: ephemeral/);
		assert.equal(await terminal.run('click nope'), 'error: Nothing to click with action id "nope"');
	});
});
