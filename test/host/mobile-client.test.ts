import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { IUIKitInteraction } from '@rocket.chat/apps-engine/definition/uikit';
import { UIKitInteractionType } from '@rocket.chat/apps-engine/definition/uikit';

import { SessionState } from '../../host/client/session-state';
import {
	type ClientKind,
	ManualClock,
	TRIGGER_TIMEOUT_MS,
	UiKitClient,
} from '../../host/client/uikit-client';
import { interact } from '../../host/client/view-interaction';
import type { LocalHost } from '../../host/drivers/local-host';
import {
	buttonClick,
	feedbackCount,
	viewEntries,
	viewLines,
	type IEngineFixture,
	startFixture,
	stopFixture,
} from '../engine/app-fixture';

// The host's imitation of Rocket.Chat's mobile app (RocketChat/Rocket.Chat.ReactNative 4.71.2,
// app/lib/methods/actions.ts and triggerActions.ts, app/views/ModalBlockView.tsx): modals only,
// no deadline, a command's triggerId kept until used, an action's given up with its answer.

const APP_ID = 'app-under-test';

function pushed(
	type: UIKitInteractionType,
	triggerId: string,
	fields: Record<string, unknown>,
): IUIKitInteraction {
	return { type, triggerId, appId: APP_ID, ...fields } as unknown as IUIKitInteraction;
}

function view(id: string, title: string): Record<string, unknown> {
	return { id, title: { type: 'plain_text', text: title }, blocks: [] };
}

function sessionOf(kind: ClientKind, clock = new ManualClock()): SessionState {
	const session = new SessionState(new UiKitClient({ clock }));
	session.client.setKind('alice', kind);
	return session;
}

describe('the mobile app imitation (no engine)', () => {
	it('keeps a command’s triggerId past 5 s, for one use', () => {
		const clock = new ManualClock();
		const session = sessionOf('mobile', clock);
		const trigger = session.client.issueTriggerId('alice', APP_ID);
		clock.advance(10 * 60_000);
		session.applyInteraction(
			'alice',
			pushed(UIKitInteractionType.MODAL_OPEN, trigger, { view: view('a', 'A') }),
		);
		assert.equal(session.openView('alice')?.viewId, 'a', 'no timer forgets it');
		session.applyInteraction(
			'alice',
			pushed(UIKitInteractionType.MODAL_OPEN, trigger, { view: view('b', 'B') }),
		);
		assert.equal(session.openView('alice')?.viewId, 'a');
		assert.equal(session.client.refusedInteractions('alice').at(-1)?.reason, 'used-trigger');
	});

	it('shows no contextual bar, and the bar’s push uses the triggerId up', () => {
		const session = sessionOf('mobile');
		const trigger = session.client.issueTriggerId('alice', APP_ID);
		session.applyInteraction(
			'alice',
			pushed(UIKitInteractionType.CONTEXTUAL_BAR_OPEN, trigger, { view: view('bar', 'Bar') }),
		);
		assert.equal(session.openContextualBar('alice'), undefined);
		assert.deepEqual(
			session.client.refusedInteractions('alice').map((entry) => [entry.type, entry.reason]),
			[['contextual_bar.open', 'unsupported-type']],
		);
		session.applyInteraction(
			'alice',
			pushed(UIKitInteractionType.MODAL_OPEN, trigger, { view: view('m', 'M') }),
		);
		assert.equal(session.openView('alice'), undefined, 'the triggerId is gone');
	});

	it('stacks modals, replaces a view on update, puts errors on it and closes the top one', () => {
		const session = sessionOf('mobile');
		const issue = () => session.client.issueTriggerId('alice', APP_ID);
		session.applyInteraction(
			'alice',
			pushed(UIKitInteractionType.MODAL_OPEN, issue(), { view: view('list', 'List') }),
		);
		session.applyInteraction(
			'alice',
			pushed(UIKitInteractionType.MODAL_OPEN, issue(), { view: view('form', 'Form') }),
		);
		assert.deepEqual(
			session.openModals('alice').map((open) => open.viewId),
			['list', 'form'],
		);
		session.applyInteraction(
			'alice',
			pushed(UIKitInteractionType.MODAL_UPDATE, issue(), { view: { id: 'list', blocks: [] } }),
		);
		const list = session.openModals('alice')[0];
		assert.equal(list.view.title, undefined, 'ModalBlockView replaces its data: no merge');
		session.applyInteraction(
			'alice',
			pushed(UIKitInteractionType.ERRORS, issue(), {
				viewId: 'form',
				errors: { note: 'Too long' },
			}),
		);
		assert.deepEqual(session.openView('alice')?.errors, { note: 'Too long' });
		session.closeView('alice', 'form');
		assert.equal(session.openView('alice')?.viewId, 'list');
	});

	it('sets no deadline on an answer and gives its triggerId up once answered', async () => {
		const clock = new ManualClock();
		const session = sessionOf('mobile', clock);
		let trigger = '';
		let answer!: (value: string) => void;
		const pending = session.client.emitInteraction(
			'alice',
			{ appId: APP_ID, viewId: 'form', onTimeout: () => assert.fail('no deadline on mobile') },
			(issued) => {
				trigger = issued;
				return new Promise<string>((resolve) => {
					answer = resolve;
				});
			},
			() => undefined,
		);
		clock.advance(TRIGGER_TIMEOUT_MS * 10);
		answer('late but fine');
		assert.deepEqual(await pending, { timedOut: false, answer: 'late but fine' });
		assert.deepEqual(session.client.toasts('alice'), []);
		session.applyInteraction(
			'alice',
			pushed(UIKitInteractionType.MODAL_OPEN, trigger, { view: view('x', 'X') }),
		);
		assert.equal(session.openView('alice'), undefined);
		assert.equal(session.client.refusedInteractions('alice').at(-1)?.reason, 'answered-trigger');
	});

	for (const kind of ['web', 'mobile'] as const) {
		it(`applies a submit's answer: success alone, and modal.close after a used triggerId (${kind})`, async () => {
			const session = sessionOf(kind);
			const open = () => {
				session.applyInteraction(
					'alice',
					pushed(UIKitInteractionType.MODAL_OPEN, session.client.issueTriggerId('alice', APP_ID), {
						view: view('form', 'Form'),
					}),
				);
				const shown = session.openView('alice');
				assert.ok(shown);
				return shown;
			};
			const submit = (answer: (triggerId: string) => unknown) =>
				interact(
					session,
					async (payload) => answer((payload as { triggerId: string }).triggerId),
					'alice',
					{ id: 'user-alice' } as never,
					{ kind: 'submit', open: open(), state: {} },
				);
			// `{ success: true }`: the web client disposes the view (ActionManager.emitInteraction's
			// finally); 4.71.2 throws on it (actions.ts triggerAction) and keeps the modal.
			await submit(() => ({ success: true }));
			assert.equal(session.openView('alice') === undefined, kind === 'web');
			session.closeView('alice', 'form');
			// `modal.close`, after the app used the submit's triggerId for a push: the web client's
			// handleServerInteraction ignores it (no appId for a used id), then disposes the view;
			// the mobile app returns CLOSE before any trigger check and goes back.
			const refusedBefore = session.client.refusedInteractions('alice').length;
			await submit((triggerId) => {
				session.applyInteraction(
					'alice',
					pushed(UIKitInteractionType.MODAL_UPDATE, triggerId, { view: view('form', 'Pushed') }),
				);
				return { success: true, type: 'modal.close', triggerId, appId: APP_ID, viewId: 'form' };
			});
			assert.equal(session.openView('alice'), undefined, 'the form closed');
			assert.equal(
				session.client.refusedInteractions('alice').length,
				refusedBefore,
				'nothing dropped that the member could have seen',
			);
		});

		it(`keeps the first view's initial values and what the member gave, across updates (${kind})`, async () => {
			const session = sessionOf(kind);
			const field = (id: string, initialValue?: string) => ({
				type: 'input',
				blockId: `block-${id}`,
				element: { type: 'static_select', actionId: id, ...(initialValue ? { initialValue } : {}) },
			});
			session.applyInteraction(
				'alice',
				pushed(UIKitInteractionType.MODAL_OPEN, session.client.issueTriggerId('alice', APP_ID), {
					view: { ...view('m', 'M'), blocks: [field('first', 'a')] },
				}),
			);
			session.applyInteraction(
				'alice',
				pushed(UIKitInteractionType.MODAL_UPDATE, session.client.issueTriggerId('alice', APP_ID), {
					view: { ...view('m', 'M'), blocks: [field('second', 'b')] },
				}),
			);
			const open = session.openView('alice');
			assert.ok(open);
			assert.deepEqual(open.values, { first: { blockId: 'block-first', value: 'a' } });
			const sent: unknown[] = [];
			await interact(
				session,
				async (payload) => {
					sent.push(payload);
					return { success: true };
				},
				'alice',
				{ id: 'user-alice' } as never,
				{ kind: 'submit', open, state: { 'block-first': { first: 'a' } } },
			);
			const { actionId, payload } = sent[0] as { actionId?: string; payload: { view: object } };
			if (kind === 'mobile') {
				// ModalBlockView.submit: `payload: { view: { id, state } }`, no actionId.
				assert.deepEqual(payload.view, { id: 'm', state: { 'block-first': { first: 'a' } } });
				assert.equal(actionId, undefined);
			} else {
				// UiKitModal's handleSubmit sends the whole view with its state.
				assert.equal((payload.view as { title?: unknown }).title !== undefined, true);
			}
		});
	}

	for (const kind of ['web', 'mobile'] as const) {
		it(`drops a second update with the same triggerId, and an update of a closed view (${kind})`, () => {
			const session = sessionOf(kind);
			const opened = session.client.issueTriggerId('alice', APP_ID);
			session.applyInteraction(
				'alice',
				pushed(UIKitInteractionType.MODAL_OPEN, opened, { view: view('v', 'Opened') }),
			);
			// The app opens at once and would fill in after with the same triggerId: the client took it.
			session.applyInteraction(
				'alice',
				pushed(UIKitInteractionType.MODAL_UPDATE, opened, { view: view('v', 'Filled') }),
			);
			assert.deepEqual(session.openView('alice')?.view.title, {
				type: 'plain_text',
				text: 'Opened',
			});
			assert.equal(session.client.refusedInteractions('alice').at(-1)?.reason, 'used-trigger');

			const fresh = session.client.issueTriggerId('alice', APP_ID);
			session.closeView('alice', 'v');
			session.applyInteraction(
				'alice',
				pushed(UIKitInteractionType.MODAL_UPDATE, fresh, { view: view('v', 'After close') }),
			);
			assert.equal(session.openView('alice'), undefined, 'nothing listens for a closed view');
			session.applyInteraction(
				'alice',
				pushed(UIKitInteractionType.MODAL_UPDATE, fresh, { view: view('v', 'Twice') }),
			);
			assert.equal(session.openView('alice'), undefined);
			assert.equal(session.client.refusedInteractions('alice').at(-1)?.reason, 'used-trigger');
		});
	}

	it('refuses a client kind it does not know', () => {
		assert.throws(
			() => new UiKitClient().setKind('alice', 'tablet' as ClientKind),
			/one of web, mobile/,
		);
	});
});

describe('the packaged app on Rocket.Chat’s mobile app', () => {
	let fixture: IEngineFixture | undefined;
	let host: LocalHost;
	let clock: ManualClock;

	before(async () => {
		clock = new ManualClock();
		fixture = await startFixture('mobile client', {
			clock,
			clients: { admin: 'mobile', alice: 'mobile' },
		});
		host = fixture.host;
	});

	after(async () => {
		await stopFixture(fixture);
	});

	it('takes the members’ clients from the options and from setClient', () => {
		assert.equal(host.clientOf('alice'), 'mobile');
		assert.equal(host.clientOf('bruno'), 'web');
		assert.throws(() => host.setClient('nobody', 'mobile'), /nobody/);
	});

	it('shows the form opened more than 5 s after the command: the app sets no deadline', async () => {
		const pending = host.runSlashCommand('alice', 'general', '/feedback');
		clock.advance(TRIGGER_TIMEOUT_MS * 2);
		const opened = await pending;
		assert.ok(opened.view, 'the form is shown');
		const empty = await host.submitView('alice', { comment: '' });
		assert.equal(empty.accepted, false);
		assert.ok(Object.keys(host.openView('alice')?.errors ?? {}).length > 0, 'with its errors');
		const before = feedbackCount(host);
		// The submit carries the view id and state only: the form id rides in the block ids.
		const sent = await host.submitView('alice', { comment: 'sent from a phone' });
		assert.equal(sent.accepted, true, JSON.stringify(sent.errors));
		assert.equal(feedbackCount(host), before + 1, 'stored once');
		// 4.71.2 keeps a modal open on `{ success: true }`; the app answers modal.close.
		assert.equal((sent.response as { type?: string }).type, 'modal.close');
		assert.deepEqual(sent.refused, []);
		assert.equal(host.openView('alice'), undefined, 'the form closed');
		await host.runSlashCommand('alice', 'general', '/feedback');
		await host.closeView('alice');
		assert.equal(host.openView('alice'), undefined, 'the X closes it before the app hears of it');
	});

	it('pages the member’s list, a modal, with the app’s modal.update answers', async () => {
		for (const comment of Array.from({ length: 11 }, (_, index) => `phone ${index}`)) {
			await host.runSlashCommand('alice', 'general', '/feedback');
			const sent = await host.submitView('alice', { comment });
			assert.equal(sent.view, undefined, 'each form closes on its success');
		}
		const list = await host.runSlashCommand('alice', 'general', '/feedback list');
		assert.ok(list.view, 'the list is shown');
		const firstPage = JSON.stringify(list.view.view.blocks);
		const next = await host.blockAction(
			'alice',
			'modal',
			buttonClick(list.view, 'list-page', { label: 'Next' }),
		);
		assert.deepEqual(next.refused, []);
		assert.notEqual(JSON.stringify(next.view?.view.blocks), firstPage, 'the next page is shown');
		await host.closeView('alice');
	});

	it('opens the admin view, a modal, with /feedback admin and pages it', async () => {
		const result = await host.runSlashCommand('admin', 'general', '/feedback admin');
		assert.deepEqual(result.refused, []);
		assert.equal(result.view?.viewId, 'feedback-admin');
		assert.ok(viewEntries(result.view).length > 0, 'the feedback is listed');
		const next = await host.blockAction(
			'admin',
			'modal',
			buttonClick(result.view, 'admin-page', { label: 'Next' }),
		);
		assert.deepEqual(next.refused, []);
		assert.ok(viewLines(next.view).includes('Page 2'));
		assert.equal(host.openModals('admin').length, 1, 'one screen');
		await host.closeView('admin');
		assert.equal(host.openView('admin'), undefined);
	});

	it('opens the admin view from the stats button', async () => {
		const stats = await host.runSlashCommand('admin', 'general', '/feedback stats');
		const [reply] = stats.notifications;
		const click = await host.blockAction(
			'admin',
			{ messageId: reply.id },
			buttonClick(reply, 'admin-open'),
		);
		assert.deepEqual(click.refused, []);
		assert.equal(click.view?.viewId, 'feedback-admin');
		assert.equal(click.contextualBar, undefined);
		await host.closeView('admin');
	});

	it('shows the same admin view on the web client once switched back', async () => {
		host.setClient('admin', 'web');
		const result = await host.runSlashCommand('admin', 'general', '/feedback admin');
		assert.equal(result.view?.viewId, 'feedback-admin');
		await host.closeView('admin');
		host.setClient('admin', 'mobile');
		assert.equal(host.openView('admin'), undefined);
	});
});
