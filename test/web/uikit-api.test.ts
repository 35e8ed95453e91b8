import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { EventStreamReader } from './event-stream';
import { call, startTestServer } from './web-fixture';
import type { ITestServer } from './web-fixture';
import { ManualClock, TRIGGER_TIMEOUT_MS, UIKIT_INTERACTION_TIMEOUT, viewFields } from '../../host';
import type {
	ISendResultDto,
	ISubmitViewResultDto,
	IToastsDto,
	IViewEnvelopeDto,
} from '../../web/shared/protocol';
import { until } from '../support/until';

describe('the page’s server behind Rocket.Chat’s client rules', () => {
	let test: ITestServer;
	let clock: ManualClock;

	before(async () => {
		clock = new ManualClock();
		test = await startTestServer(undefined, { clock });
	});

	after(async () => {
		await test?.stop();
	});

	it('closes the form and toasts when the app answers a submit after 5 s', async () => {
		const { host } = test.server;
		const opened = await call(test.server, 'POST', '/api/rooms/general/messages', {
			user: 'alice',
			json: { text: '/feedback' },
		});
		const { view } = opened.body as ISendResultDto;
		assert.ok(view, 'the form is open');
		// The comment's block id carries the form id.
		const commentBlock = viewFields(view.view).find(
			(field) => field.actionId === 'comment',
		)?.blockId;
		assert.ok(commentBlock);
		const events = await EventStreamReader.open(
			`${test.server.url}api/events?room=general`,
			'alice',
		);
		const release = host.uikit.holdDelivery();
		try {
			await events.next('toasts', (data) => (data as IToastsDto).toasts.length === 0);
			const submitted = call(
				test.server,
				'POST',
				`/api/views/${encodeURIComponent(view.viewId)}/submit`,
				{ user: 'alice', json: { state: { [commentBlock]: { comment: 'answered late' } } } },
			);
			await until(() => host.uikit.heldDeliveries() === 1, 'the app’s answer on the way');
			clock.advance(TRIGGER_TIMEOUT_MS);
			// The page hears of it at the deadline, while the answer is still on its way.
			await events.next('view', (data) => (data as IViewEnvelopeDto).view === null);
			const toasts = (await events.next(
				'toasts',
				(data) => (data as IToastsDto).toasts.length === 1,
			)) as IToastsDto;
			assert.equal(toasts.toasts[0].message, UIKIT_INTERACTION_TIMEOUT.text);
			release();
			const answer = await submitted;
			assert.equal(answer.status, 200, JSON.stringify(answer.body));
			const result = answer.body as ISubmitViewResultDto;
			assert.equal(result.timedOut, true);
			assert.equal(result.view, null);
		} finally {
			release();
			events.close();
		}
		const listed = await call(test.server, 'GET', '/api/toasts', { user: 'alice' });
		assert.deepEqual(
			(listed.body as IToastsDto).toasts.map((toast) => toast.message),
			[UIKIT_INTERACTION_TIMEOUT.text],
		);
		const others = await call(test.server, 'GET', '/api/toasts', { user: 'bruno' });
		assert.deepEqual((others.body as IToastsDto).toasts, [], 'only alice’s client toasted');
	});

	it('does not show a form the app opened after the triggerId expired', async () => {
		const { host } = test.server;
		const release = host.uikit.holdDelivery();
		try {
			const sent = call(test.server, 'POST', '/api/rooms/general/messages', {
				user: 'bruno',
				json: { text: '/feedback' },
			});
			await until(() => host.uikit.heldDeliveries() === 1, 'the form on its way');
			clock.advance(TRIGGER_TIMEOUT_MS);
			release();
			await until(() => host.uikit.pending() === 0, 'the delivery');
			assert.equal(((await sent).body as ISendResultDto).view, null);
		} finally {
			release();
		}
		const view = await call(test.server, 'GET', '/api/view', { user: 'bruno' });
		assert.equal((view.body as IViewEnvelopeDto).view, null);
		assert.deepEqual(
			host.refusedViews('bruno').map((entry) => entry.reason),
			['expired-trigger'],
		);
	});
});
