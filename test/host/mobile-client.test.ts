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
import type { LocalHost } from '../../host/drivers/local-host';
import {
	buttonClick,
	feedbackCount,
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
		const sent = await host.submitView('alice', { comment: 'sent from a phone' });
		assert.equal(sent.accepted, true);
		assert.equal(feedbackCount(host), before + 1, 'stored once');
		// 4.71.2 throws on an answer without a type ({ success: true }) and keeps the modal.
		assert.deepEqual(
			sent.refused.map((entry) => [entry.type, entry.reason]),
			[['(an answer without a type)', 'unknown-answer']],
		);
		await host.closeView('alice');
		assert.equal(host.openView('alice'), undefined, 'the X closes it before the app hears of it');
	});

	it('pages the member’s list, a modal, with the app’s modal.update answers', async () => {
		for (const comment of Array.from({ length: 11 }, (_, index) => `phone ${index}`)) {
			await host.runSlashCommand('alice', 'general', '/feedback');
			await host.submitView('alice', { comment });
			await host.closeView('alice');
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

	it('drops the admin view the app opens in the contextual bar', async () => {
		const result = await host.runSlashCommand('admin', 'general', '/feedback admin');
		assert.equal(result.view, undefined);
		assert.equal(result.contextualBar, undefined);
		assert.deepEqual(
			result.refused.map((entry) => [entry.type, entry.reason]),
			[['contextual_bar.open', 'unsupported-type']],
		);
	});

	it('shows nothing for the stats button’s contextual bar answer', async () => {
		const stats = await host.runSlashCommand('admin', 'general', '/feedback stats');
		const [reply] = stats.notifications;
		const click = await host.blockAction(
			'admin',
			{ messageId: reply.id },
			buttonClick(reply, 'admin-open'),
		);
		assert.equal(click.contextualBar, undefined);
		assert.deepEqual(
			click.refused.map((entry) => [entry.type, entry.reason]),
			[['contextual_bar.open', 'unknown-answer']],
		);
	});

	it('shows the same admin view on the web client once switched back', async () => {
		host.setClient('admin', 'web');
		const result = await host.runSlashCommand('admin', 'general', '/feedback admin');
		assert.equal(result.contextualBar?.viewId, 'feedback-admin');
		host.setClient('admin', 'mobile');
		assert.equal(host.openContextualBar('admin'), undefined, 'the mobile app shows no bar');
	});
});
