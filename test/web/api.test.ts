import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';

import { EventStreamReader } from './event-stream';
import { call, databaseSnapshot, errorOf, sessionSnapshot, startTestServer } from './web-fixture';
import type { IRequestOptions, ITestServer } from './web-fixture';
import { type IOpenView, viewFields } from '../../host';
import type {
	ISendResultDto,
	ISessionDto,
	ISubmitViewResultDto,
	ITimelineDto,
	IViewEnvelopeDto,
} from '../../web/shared/protocol';

/** A request with any Host header (fetch does not let a test choose it). */
function requestWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const request = http.get(url, { headers: { Host: host } }, (response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				body += chunk;
			});
			response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
		});
		request.on('error', reject);
	});
}

interface IBadRequest {
	what: string;
	method: string;
	route: string;
	options?: IRequestOptions;
	status: number;
	error: RegExp;
}

/** The block id under which a view's field (by action id) sends its value. */
function blockIdOf(open: IOpenView | undefined, actionId: string): string {
	const field = viewFields(open?.view ?? {}).find((candidate) => candidate.actionId === actionId);
	assert.ok(field, `the open view has a ${actionId} field`);
	return field.blockId;
}

describe('try-it server API', () => {
	let test: ITestServer;
	let aliceViewId: string;

	before(async () => {
		test = await startTestServer();
	});

	after(async () => {
		await test?.stop();
	});

	it('listens on 127.0.0.1 only and says who the page acts as', async () => {
		assert.match(test.server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
		const session = await call(test.server, 'GET', '/api/session');
		assert.equal(session.status, 200);
		const body = session.body as ISessionDto;
		assert.equal(body.me.username, 'alice', 'a page without a session acts as alice');
		assert.deepEqual(
			body.members.map((member) => member.username),
			['admin', 'alice', 'bruno', 'clara', 'dora'],
		);
		assert.deepEqual(
			body.rooms.map((room) => room.name),
			['general', 'feedback', 'announcements'],
		);

		const switched = await call(test.server, 'POST', '/api/session', {
			json: { username: 'admin' },
		});
		assert.equal(switched.status, 200);
		assert.equal((switched.body as ISessionDto).me.isAdmin, true);
		assert.match(switched.headers.get('set-cookie') ?? '', /feedback_try_user=admin;.*HttpOnly/);
	});

	it('opens the modal the app builds for /feedback', async () => {
		const sent = await call(test.server, 'POST', '/api/rooms/general/messages', {
			user: 'alice',
			json: { text: '/feedback' },
		});
		assert.equal(sent.status, 200, JSON.stringify(sent.body));
		const result = sent.body as ISendResultDto;
		assert.equal(result.kind, 'command');
		assert.ok(result.view, 'the modal is open');
		aliceViewId = result.view.viewId;
		assert.match(aliceViewId, /^feedback-form:/);
		const view = await call(test.server, 'GET', '/api/view', { user: 'alice' });
		assert.equal((view.body as IViewEnvelopeDto).view?.viewId, aliceViewId);
	});

	it('refuses bad requests with a 4xx and a clear message, and writes nothing', async () => {
		const dbBefore = databaseSnapshot(test.databasePath);
		const sessionBefore = sessionSnapshot(test.server);
		const submit = `/api/views/${encodeURIComponent(aliceViewId)}/submit`;
		const close = `/api/views/${encodeURIComponent(aliceViewId)}/close`;
		const comment = blockIdOf(test.server.host.openView('alice'), 'comment');
		const cases: IBadRequest[] = [
			{
				what: 'switch to an unknown user',
				method: 'POST',
				route: '/api/session',
				options: { json: { username: 'mallory' } },
				status: 404,
				error: /^Unknown user "mallory"; known users: admin, alice, bruno, clara, dora$/,
			},
			{
				what: 'switch without a username',
				method: 'POST',
				route: '/api/session',
				options: { json: {} },
				status: 400,
				error: /needs a string field "username"/,
			},
			{
				what: 'a session cookie naming an unknown user',
				method: 'GET',
				route: '/api/session',
				options: { user: 'mallory' },
				status: 401,
				error: /Unknown user "mallory"/,
			},
			{
				what: 'a message from an unknown user',
				method: 'POST',
				route: '/api/rooms/general/messages',
				options: { user: 'mallory', json: { text: 'hello' } },
				status: 401,
				error: /Unknown user "mallory"/,
			},
			{
				what: 'a malformed JSON body',
				method: 'POST',
				route: '/api/rooms/general/messages',
				options: {
					user: 'alice',
					raw: '{"text": ',
					headers: { 'Content-Type': 'application/json' },
				},
				status: 400,
				error: /^The body is not valid JSON/,
			},
			{
				what: 'a JSON body that is not an object',
				method: 'POST',
				route: '/api/rooms/general/messages',
				options: { user: 'alice', json: ['hello'] },
				status: 400,
				error: /must be a JSON object/,
			},
			{
				what: 'a body that is not JSON',
				method: 'POST',
				route: '/api/rooms/general/messages',
				options: {
					user: 'alice',
					raw: 'text=hello',
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				},
				status: 415,
				error: /Content-Type: application\/json/,
			},
			{
				what: 'a body over the size limit',
				method: 'POST',
				route: '/api/rooms/general/messages',
				options: { user: 'alice', json: { text: 'x'.repeat(300 * 1024) } },
				status: 413,
				error: /larger than/,
			},
			{
				what: 'a message without text',
				method: 'POST',
				route: '/api/rooms/general/messages',
				options: { user: 'alice', json: { message: 'hello' } },
				status: 400,
				error: /string field "text"/,
			},
			{
				what: 'an empty message',
				method: 'POST',
				route: '/api/rooms/general/messages',
				options: { user: 'alice', json: { text: '   ' } },
				status: 400,
				error: /empty/,
			},
			{
				what: 'a message to an unknown room',
				method: 'POST',
				route: '/api/rooms/nowhere/messages',
				options: { user: 'alice', json: { text: 'hello' } },
				status: 404,
				error: /^Unknown room "nowhere"; rooms: general, feedback, announcements$/,
			},
			{
				what: 'an unknown slash command',
				method: 'POST',
				route: '/api/rooms/general/messages',
				options: { user: 'alice', json: { text: '/nope' } },
				status: 400,
				error: /No slash command \/nope; registered: \/feedback/,
			},
			{
				what: "submitting another member's view",
				method: 'POST',
				route: submit,
				options: { user: 'bruno', json: { state: {} } },
				status: 404,
				error: /^bruno has no open view "feedback-form:/,
			},
			{
				what: 'closing another member’s view',
				method: 'POST',
				route: close,
				options: { user: 'bruno', json: {} },
				status: 404,
				error: /bruno has no open view/,
			},
			{
				what: 'submitting a view id that is not open',
				method: 'POST',
				route: '/api/views/feedback-form%3Anot-open/submit',
				options: { user: 'alice', json: { state: {} } },
				status: 404,
				error: /^alice has no open view "feedback-form:not-open"$/,
			},
			{
				what: 'a view state without state',
				method: 'POST',
				route: submit,
				options: { user: 'alice', json: { values: {} } },
				status: 400,
				error: /needs "state"/,
			},
			{
				what: 'a view state naming a field the view does not have',
				method: 'POST',
				route: submit,
				options: { user: 'alice', json: { state: { [comment]: { body: 'hi' } } } },
				status: 400,
				error:
					/no field comment:[0-9a-f-]{36}\.body; fields: comment:[0-9a-f-]{36}\.comment, category:/,
			},
			{
				what: 'a view state with an object as a value',
				method: 'POST',
				route: submit,
				options: { user: 'alice', json: { state: { [comment]: { comment: { text: 'hi' } } } } },
				status: 400,
				error: /state\.comment:[0-9a-f-]{36}\.comment must be a string/,
			},
			{
				what: 'settings read by a member who is not an admin',
				method: 'GET',
				route: '/api/settings',
				options: { user: 'alice' },
				status: 403,
				error: /alice is not a workspace admin/,
			},
			{
				what: 'a setting changed by a member who is not an admin',
				method: 'PUT',
				route: '/api/settings/feedback_categories',
				options: { user: 'bruno', json: { value: 'Hacked' } },
				status: 403,
				error: /bruno is not a workspace admin/,
			},
			{
				what: 'an unknown setting',
				method: 'PUT',
				route: '/api/settings/feedback_colour',
				options: { user: 'admin', json: { value: 'blue' } },
				status: 404,
				error: /^The app has no setting "feedback_colour"; settings: feedback_categories, /,
			},
			{
				what: 'a setting value of the wrong type',
				method: 'PUT',
				route: '/api/settings/feedback_max_comment_length',
				options: { user: 'admin', json: { value: 'lots' } },
				status: 400,
				error: /needs a whole number/,
			},
			{
				what: 'a setting change without a value',
				method: 'PUT',
				route: '/api/settings/feedback_categories',
				options: { user: 'admin', json: { values: 'A, B' } },
				status: 400,
				error: /needs a field "value"/,
			},
			{
				what: 'stats for a member who is not an admin',
				method: 'GET',
				route: '/api/stats',
				options: { user: 'clara' },
				status: 403,
				error: /clara is not a workspace admin/,
			},
			{
				what: 'a change posted from another origin',
				method: 'POST',
				route: '/api/rooms/general/messages',
				options: {
					user: 'alice',
					json: { text: 'hi' },
					headers: { Origin: 'http://evil.example' },
				},
				status: 403,
				error: /from http:\/\/evil\.example are not allowed/,
			},
			{
				what: 'an unknown route',
				method: 'GET',
				route: '/api/nothing',
				status: 404,
				error: /No route GET \/api\/nothing/,
			},
			{
				what: 'a method a route does not take',
				method: 'DELETE',
				route: '/api/session',
				status: 405,
				error: /DELETE is not allowed on \/api\/session/,
			},
		];
		for (const bad of cases) {
			const response = await call(test.server, bad.method, bad.route, bad.options);
			assert.equal(response.status, bad.status, `${bad.what}: ${JSON.stringify(response.body)}`);
			assert.match(errorOf(response), bad.error, bad.what);
			assert.match(response.headers.get('content-type') ?? '', /application\/json/, bad.what);
		}

		const foreignHost = await requestWithHost(`${test.server.url}api/session`, 'evil.example');
		assert.equal(foreignHost.status, 403, 'a request for another host name (DNS rebinding)');
		assert.match(foreignHost.body, /answers only http:\/\/127\.0\.0\.1:/);

		assert.equal(
			databaseSnapshot(test.databasePath),
			dbBefore,
			'no bad request wrote to the database',
		);
		assert.equal(
			sessionSnapshot(test.server),
			sessionBefore,
			'no bad request changed a member’s session',
		);
		const stillUp = await call(test.server, 'GET', '/api/view', { user: 'alice' });
		assert.equal(stillUp.status, 200, 'the server still answers');
		assert.equal(
			(stillUp.body as IViewEnvelopeDto).view?.viewId,
			aliceViewId,
			'the modal is still open',
		);
	});

	it('submits the real view state: inline errors first, then the feedback is stored', async () => {
		const route = `/api/views/${encodeURIComponent(aliceViewId)}/submit`;
		const empty = await call(test.server, 'POST', route, { user: 'alice', json: { state: {} } });
		assert.equal(empty.status, 200);
		const rejected = empty.body as ISubmitViewResultDto;
		assert.equal(rejected.accepted, false);
		assert.equal(rejected.errors.comment, 'Please write a comment.');
		assert.equal(
			rejected.view?.errors.comment,
			'Please write a comment.',
			'the open view carries the error',
		);

		// The fields' block ids carry the form id (the app finds its form by them).
		const open = test.server.host.openView('alice');
		const filled = await call(test.server, 'POST', route, {
			user: 'alice',
			json: {
				state: {
					[blockIdOf(open, 'comment')]: { comment: 'Search is fast now' },
					[blockIdOf(open, 'category')]: { category: 'Bug' },
					[blockIdOf(open, 'rating')]: { rating: '4' },
				},
			},
		});
		const accepted = filled.body as ISubmitViewResultDto;
		assert.equal(accepted.accepted, true, JSON.stringify(accepted));
		assert.equal(accepted.view, null, 'the modal closes');

		const aliceTimeline = (
			await call(test.server, 'GET', '/api/rooms/general/timeline', { user: 'alice' })
		).body as ITimelineDto;
		const confirmation = aliceTimeline.entries.find((entry) => /saved as/.test(entry.text));
		assert.ok(confirmation, 'alice sees the confirmation');
		assert.equal(confirmation.kind, 'ephemeral');
		assert.equal(confirmation.sender.isApp, true);

		const brunoTimeline = (
			await call(test.server, 'GET', '/api/rooms/general/timeline', { user: 'bruno' })
		).body as ITimelineDto;
		assert.equal(
			brunoTimeline.entries.some((entry) => entry.kind === 'ephemeral'),
			false,
			'bruno does not see alice’s ephemeral messages',
		);
	});

	it('pushes timeline and view changes as server-sent events', async () => {
		const events = await EventStreamReader.open(
			`${test.server.url}api/events?room=general`,
			'clara',
		);
		try {
			await events.next('timeline');
			await events.next('view', (data) => (data as IViewEnvelopeDto).view === null);

			await call(test.server, 'POST', '/api/rooms/general/messages', {
				user: 'clara',
				json: { text: 'Hallo zusammen' },
			});
			await events.next('timeline', (data) =>
				(data as ITimelineDto).entries.some((entry) => entry.text === 'Hallo zusammen'),
			);

			await call(test.server, 'POST', '/api/rooms/general/messages', {
				user: 'clara',
				json: { text: '/feedback' },
			});
			const opened = (await events.next(
				'view',
				(data) => (data as IViewEnvelopeDto).view !== null,
			)) as IViewEnvelopeDto;
			assert.ok(opened.view);
			const closed = await call(
				test.server,
				'POST',
				`/api/views/${encodeURIComponent(opened.view.viewId)}/close`,
				{ user: 'clara', json: {} },
			);
			assert.equal(closed.status, 200);
			await events.next('view', (data) => (data as IViewEnvelopeDto).view === null);
			assert.equal(test.server.host.openView('clara'), undefined, 'the host closed the view');
		} finally {
			events.close();
		}
	});

	it('changes a setting through the host, so the app uses it', async () => {
		const changed = await call(test.server, 'PUT', '/api/settings/feedback_categories', {
			user: 'admin',
			json: { value: 'Docs, Speed' },
		});
		assert.equal(changed.status, 200, JSON.stringify(changed.body));
		const sent = await call(test.server, 'POST', '/api/rooms/general/messages', {
			user: 'bruno',
			json: { text: '/feedback' },
		});
		const view = (sent.body as ISendResultDto).view?.view;
		assert.match(JSON.stringify(view), /"value":"Docs".*"value":"Speed"/);
		const stats = await call(test.server, 'GET', '/api/stats', { user: 'admin' });
		assert.equal(stats.status, 200);
		assert.match((stats.body as { text: string }).text, /Feedback received: 1/);
	});
});
