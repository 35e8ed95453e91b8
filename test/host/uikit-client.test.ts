import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { IUIKitInteraction } from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitInteractionType } from '@rocket.chat/apps-engine/definition/uikit';

import { SessionState } from '../../host/client/session-state';
import {
	ManualClock,
	TRIGGER_TIMEOUT_MS,
	UIKIT_INTERACTION_TIMEOUT,
	UiKitClient,
} from '../../host/client/uikit-client';
import type { IViewSubmitResult, LocalHost } from '../../host/drivers/local-host';
import { type IEngineFixture, startFixture, stopFixture } from '../engine/app-fixture';
import { until } from '../support/until';

const APP_ID = 'app-under-test';

/** What an app sends to open a modal with a given triggerId. */
function modalOpen(triggerId: unknown, viewId = 'view-1'): IUIKitInteraction {
	return {
		type: UIKitInteractionType.MODAL_OPEN,
		triggerId,
		appId: APP_ID,
		view: { id: viewId, title: { type: 'plain_text', text: 'Form' }, blocks: [] },
	} as unknown as IUIKitInteraction;
}

describe('the UIKit client imitation (ActionManager rules, no engine)', () => {
	it('moves a manual clock only when told, firing due timers in time order', () => {
		const clock = new ManualClock(1000);
		const fired: string[] = [];
		clock.setTimer(() => fired.push('b'), 20);
		clock.setTimer(() => fired.push('a'), 10);
		const cancel = clock.setTimer(() => fired.push('cancelled'), 5);
		cancel();
		clock.advance(9);
		assert.deepEqual(fired, []);
		clock.advance(11);
		assert.deepEqual(fired, ['a', 'b']);
		assert.equal(clock.now(), 1020);
	});

	it('refuses a timeout that is not a positive number of ms', () => {
		assert.throws(() => new UiKitClient({ timeoutMs: 0 }), /positive number of ms, got 0/);
		assert.throws(() => new UiKitClient({ timeoutMs: Number.NaN }), /positive number/);
	});

	it('shows a view only for a live triggerId the member’s client issued, once', () => {
		const clock = new ManualClock();
		const session = new SessionState(new UiKitClient({ clock }));
		const { client } = session;
		const alices = client.issueTriggerId('alice', APP_ID);
		assert.match(alices, /^[23456789A-HJ-NP-Za-km-z]{17}$/, 'a Random.id()-like id');

		// Refused: none, one nobody issued, another member's, one issued for no app.
		session.applyInteraction('alice', modalOpen(''));
		session.applyInteraction('alice', modalOpen(undefined));
		session.applyInteraction('alice', modalOpen('made-up'));
		session.applyInteraction('bruno', modalOpen(alices));
		session.applyInteraction('alice', modalOpen(client.issueTriggerId('alice', undefined)));
		assert.equal(session.openView('alice'), undefined);
		assert.equal(session.openView('bruno'), undefined);
		assert.deepEqual(
			client.refusedInteractions().map((entry) => [entry.username, entry.reason]),
			[
				['alice', 'no-trigger'],
				['alice', 'no-trigger'],
				['alice', 'unknown-trigger'],
				['bruno', 'unknown-trigger'],
				['alice', 'unknown-trigger'],
			],
		);
		assert.match(client.refusedInteractions('bruno')[0].explanation, /never issued/);

		// Shown within the deadline; the same triggerId cannot be used again.
		clock.advance(TRIGGER_TIMEOUT_MS - 1);
		session.applyInteraction('alice', modalOpen(alices));
		assert.equal(session.openView('alice')?.viewId, 'view-1');
		session.applyInteraction('alice', modalOpen(alices, 'view-2'));
		assert.equal(session.openView('alice')?.viewId, 'view-1');
		assert.equal(client.refusedInteractions('alice').at(-1)?.reason, 'used-trigger');

		// Expired after TRIGGER_TIMEOUT_MS.
		const late = client.issueTriggerId('alice', APP_ID);
		clock.advance(TRIGGER_TIMEOUT_MS);
		assert.equal(session.receive('alice', modalOpen(late, 'view-3')), false);
		assert.equal(client.refusedInteractions('alice').at(-1)?.reason, 'expired-trigger');
		assert.equal(session.openView('alice')?.viewId, 'view-1');
	});

	it('applies errors and updates only to the open view, and leaves a modal open on modal.close', () => {
		const session = new SessionState(new UiKitClient({ clock: new ManualClock() }));
		const { client } = session;
		session.applyInteraction('alice', modalOpen(client.issueTriggerId('alice', APP_ID), 'form'));
		const send = (interaction: Record<string, unknown>) =>
			session.applyInteraction('alice', {
				appId: APP_ID,
				triggerId: client.issueTriggerId('alice', APP_ID),
				...interaction,
			} as unknown as IUIKitInteraction);
		send({ type: UIKitInteractionType.ERRORS, viewId: 'other', errors: { comment: 'no' } });
		assert.deepEqual(session.openView('alice')?.errors, {});
		send({ type: UIKitInteractionType.ERRORS, viewId: 'form', errors: { comment: 'Too long' } });
		assert.deepEqual(session.openView('alice')?.errors, { comment: 'Too long' });
		send({ type: UIKitInteractionType.MODAL_UPDATE, view: { id: 'other', blocks: [] } });
		assert.equal(session.openView('alice')?.viewId, 'form');
		send({ type: UIKitInteractionType.MODAL_CLOSE, view: { id: 'form' } });
		assert.equal(session.openView('alice')?.viewId, 'form', 'the web client ignores modal.close');
		assert.throws(
			() => send({ type: UIKitInteractionType.MODAL_OPEN, view: { blocks: [] } }),
			/without a view id/,
		);
	});

	it('gives an answer the deadline: late, the view closes with the timeout toast', async () => {
		const clock = new ManualClock();
		const client = new UiKitClient({ clock, timeoutMs: 100 });
		let changes = 0;
		client.onChange(() => changes++);
		let closed = 0;
		const handled: unknown[] = [];
		let answer!: (value: string) => void;
		const pending = client.emitInteraction(
			'alice',
			{ appId: APP_ID, viewId: 'form', onTimeout: () => closed++ },
			() =>
				new Promise<string>((resolve) => {
					answer = resolve;
				}),
			(value) => handled.push(value),
		);
		assert.equal(client.pending(), 1);
		clock.advance(99);
		assert.equal(closed, 0);
		clock.advance(1);
		assert.equal(closed, 1, 'the view is disposed when the deadline passes');
		assert.deepEqual(
			client.toasts('alice').map((toast) => [toast.message, toast.i18nKey, toast.viewId]),
			[[UIKIT_INTERACTION_TIMEOUT.text, 'UIKit_Interaction_Timeout', 'form']],
		);
		assert.equal(changes, 1, 'listeners hear of the toast at once');
		answer('late answer');
		const outcome = await pending;
		assert.deepEqual(outcome, { timedOut: true, answer: 'late answer' });
		assert.deepEqual(handled, ['late answer'], 'the late answer still reaches the client');
		assert.equal(client.pending(), 0);

		const inTime = await client.emitInteraction(
			'alice',
			{ appId: APP_ID, onTimeout: () => closed++ },
			async () => 'quick',
			() => undefined,
		);
		clock.advance(1000);
		assert.deepEqual(inTime, { timedOut: false, answer: 'quick' });
		assert.equal(closed, 1);
		assert.equal(client.toasts('alice').length, 1);
	});

	it('passes a failed interaction on without a toast', async () => {
		const client = new UiKitClient({ clock: new ManualClock() });
		await assert.rejects(
			client.emitInteraction(
				'alice',
				{ appId: APP_ID, onTimeout: () => assert.fail('no timeout') },
				async () => {
					throw new Error('the app crashed');
				},
				() => undefined,
			),
			/the app crashed/,
		);
		assert.deepEqual(client.toasts('alice'), []);
		assert.equal(client.pending(), 0);
	});

	it('holds deliveries like a slow network until released', async () => {
		const clock = new ManualClock();
		const session = new SessionState(new UiKitClient({ clock }));
		const { client } = session;
		const release = client.holdDelivery();
		assert.equal(client.holdDelivery(), release, 'one hold at a time');
		session.applyInteraction('alice', modalOpen(client.issueTriggerId('alice', APP_ID)));
		assert.equal(session.openView('alice'), undefined, 'not delivered yet');
		assert.equal(client.pending(), 1);
		await until(() => client.heldDeliveries() === 1, 'the held push');
		clock.advance(TRIGGER_TIMEOUT_MS);
		release();
		await until(() => client.pending() === 0, 'the delivery');
		assert.equal(session.openView('alice'), undefined);
		assert.equal(client.refusedInteractions('alice')[0]?.reason, 'expired-trigger');

		// A held push that cannot be applied is kept as a delivery error (nobody awaits it).
		const again = client.holdDelivery();
		session.applyInteraction('alice', {
			type: UIKitInteractionType.MODAL_OPEN,
			triggerId: client.issueTriggerId('alice', APP_ID),
			appId: APP_ID,
			view: { blocks: [] },
		} as unknown as IUIKitInteraction);
		again();
		await until(() => client.pending() === 0, 'the failed delivery');
		assert.match(client.deliveryErrors()[0]?.message ?? '', /without a view id/);
	});
});

describe('the packaged app behind the members’ web clients', () => {
	let fixture: IEngineFixture | undefined;
	let host: LocalHost;
	let clock: ManualClock;

	before(async () => {
		clock = new ManualClock();
		fixture = await startFixture('uikit client', { clock });
		host = fixture.host;
	});

	after(async () => {
		await stopFixture(fixture);
	});

	/** Closes a form a test left open, so the next one starts clean. */
	async function closeForm(username: string): Promise<void> {
		if (host.openView(username)) {
			await host.closeView(username);
		}
	}

	it('shows the form the app opens with the triggerId of the member’s command', async () => {
		const result = await host.runSlashCommand('alice', 'general', '/feedback');
		assert.ok(result.view, 'the form is open');
		assert.deepEqual(result.refused, []);
		await closeForm('alice');
	});

	it('drops a view opened with no triggerId, as REST commands.run may send none', async () => {
		const result = await host.runSlashCommand('alice', 'general', '/feedback', {
			triggerId: false,
		});
		assert.equal(result.view, undefined, 'no form is shown');
		// The app may open nothing at all without a triggerId; whatever it sent was dropped.
		assert.ok(result.refused.every((entry) => entry.reason === 'no-trigger'));
	});

	it('drops a view opened with a triggerId the client never issued', async () => {
		const result = await host.runSlashCommand('bruno', 'general', '/feedback', {
			triggerId: 'not-issued-by-bruno',
		});
		assert.equal(result.view, undefined);
		assert.deepEqual(
			result.refused.map((entry) => [entry.type, entry.reason, entry.triggerId]),
			[['modal.open', 'unknown-trigger', 'not-issued-by-bruno']],
		);
		assert.deepEqual(host.refusedViews('bruno'), result.refused);
	});

	it('drops the form when the app opens it more than 5 s after the command', async () => {
		const pending = host.runSlashCommand('clara', 'general', '/feedback');
		// The triggerId was issued before anything was awaited: this is 5 s after the command.
		clock.advance(TRIGGER_TIMEOUT_MS);
		const result = await pending;
		assert.equal(result.view, undefined);
		assert.deepEqual(
			result.refused.map((entry) => entry.reason),
			['expired-trigger'],
		);
	});

	it('still shows the form 1 ms before the deadline', async () => {
		const pending = host.runSlashCommand('clara', 'general', '/feedback');
		clock.advance(TRIGGER_TIMEOUT_MS - 1);
		const result = await pending;
		assert.ok(result.view);
		await closeForm('clara');
	});

	it('closes the form with the timeout toast when the submit is answered after 5 s', async () => {
		await host.runSlashCommand('alice', 'general', '/feedback');
		const pending = host.submitView('alice', { comment: 'answered late' });
		clock.advance(TRIGGER_TIMEOUT_MS);
		const result = await pending;
		assert.equal(result.timedOut, true);
		assert.equal(result.view, undefined, 'the form closed');
		assert.equal(host.openView('alice'), undefined);
		assert.deepEqual(
			result.toasts.map((toast) => toast.message),
			[UIKIT_INTERACTION_TIMEOUT.text],
		);
	});

	it('does not reopen a form whose late answer carries inline errors', async () => {
		await host.runSlashCommand('bruno', 'general', '/feedback');
		const release = host.uikit.holdDelivery();
		let result: IViewSubmitResult | undefined;
		try {
			const pending = host.submitView('bruno', { comment: '' });
			await until(() => host.uikit.heldDeliveries() === 1, 'the app’s answer');
			clock.advance(TRIGGER_TIMEOUT_MS);
			assert.equal(host.openView('bruno'), undefined, 'closed at the deadline');
			release();
			result = await pending;
		} finally {
			release();
		}
		assert.ok(result);
		assert.equal(result.timedOut, true);
		assert.equal(result.accepted, false, 'the app answered errors…');
		assert.equal(result.view, undefined, '…that came too late to be shown');
		assert.deepEqual(
			result.refused.map((entry) => [entry.type, entry.reason]),
			[['errors', 'expired-trigger']],
		);
	});

	it('keeps the form open with the errors answered in time', async () => {
		await host.runSlashCommand('bruno', 'general', '/feedback');
		const result = await host.submitView('bruno', { comment: '' });
		assert.equal(result.timedOut, false);
		assert.ok(result.view, 'still open');
		assert.ok(Object.keys(result.view.errors).length > 0, 'with its inline errors');
		await closeForm('bruno');
	});

	it('closes the form with the toast when closing it is answered late', async () => {
		await host.runSlashCommand('clara', 'general', '/feedback');
		const before = host.toasts('clara').length;
		const pending = host.closeView('clara');
		clock.advance(TRIGGER_TIMEOUT_MS);
		await pending;
		assert.equal(host.openView('clara'), undefined);
		assert.equal(host.toasts('clara').length, before + 1);
	});
});

describe('a host whose clients give the app a shorter deadline', () => {
	let fixture: IEngineFixture | undefined;
	let clock: ManualClock;

	before(async () => {
		clock = new ManualClock();
		fixture = await startFixture('short deadline', { clock, interactionTimeoutMs: 300 });
	});

	after(async () => {
		await stopFixture(fixture);
	});

	it('uses interactionTimeoutMs for the triggerId and the answer', async () => {
		const { host } = fixture as IEngineFixture;
		assert.equal(host.uikit.timeoutMs, 300);
		const late = host.runSlashCommand('alice', 'general', '/feedback');
		clock.advance(300);
		assert.equal((await late).view, undefined);
		const opened = host.runSlashCommand('alice', 'general', '/feedback');
		clock.advance(299);
		assert.ok((await opened).view);
		const submit = host.submitView('alice', { comment: 'short deadline' });
		clock.advance(300);
		assert.equal((await submit).timedOut, true);
	});
});
