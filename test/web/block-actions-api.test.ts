import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';

import { EventStreamReader } from './event-stream';
import { call, databaseSnapshot, errorOf, sessionSnapshot, startTestServer } from './web-fixture';
import type { ITestServer } from './web-fixture';
import type {
	IBlockActionResultDto,
	IRoomsDto,
	ISendResultDto,
	ITimelineDto,
	IViewEnvelopeDto,
} from '../../web/shared/protocol';
import { blocksAppZipPath } from '../support/test-apps';

// POST /api/block-actions and the direct rooms of the page's API, with the tests' own app
// (test/apps/blocks): a bad request gets a 4xx and changes nothing.

function sectionText(view: { view: Record<string, unknown> } | null, blockId: string): string {
	const blocks = (view?.view.blocks ?? []) as Array<{ blockId?: string; text?: { text?: string } }>;
	return blocks.find((block) => block.blockId === blockId)?.text?.text ?? '';
}

describe('the page’s API for block actions and direct rooms (blocks test app)', () => {
	let test: ITestServer;

	before(async () => {
		test = await startTestServer(undefined, {
			app: { zipPath: blocksAppZipPath, name: 'Blocks Test' },
		});
	});

	after(async () => {
		await test?.stop();
	});

	it('sends a contextual bar’s button and answers what the member sees, pushed to the page too', async () => {
		const opened = await call(test.server, 'POST', '/api/rooms/feedback/messages', {
			user: 'alice',
			json: { text: '/blocks bar' },
		});
		const sent = opened.body as ISendResultDto;
		assert.equal(sent.contextualBar?.viewId, 'blocks-bar');
		assert.equal(sent.contextualBar?.surface, 'contextual_bar');
		assert.equal(sent.view, null);
		const events = await EventStreamReader.open(
			`${test.server.url}api/events?room=feedback`,
			'alice',
		);
		try {
			await events.next('view', (data) => (data as IViewEnvelopeDto).contextualBar !== null);
			const clicked = await call(test.server, 'POST', '/api/block-actions', {
				user: 'alice',
				json: {
					container: { type: 'view', id: 'blocks-bar' },
					room: 'feedback',
					blockId: 'count',
					actionId: 'count',
					value: '0',
				},
			});
			assert.equal(clicked.status, 200, JSON.stringify(clicked.body));
			const result = clicked.body as IBlockActionResultDto;
			assert.equal(sectionText(result.contextualBar, 'count-text'), 'Clicks: 1');
			assert.equal(result.timedOut, false);
			const pushed = (await events.next(
				'view',
				(data) =>
					sectionText((data as IViewEnvelopeDto).contextualBar, 'count-text') === 'Clicks: 1',
			)) as IViewEnvelopeDto;
			assert.equal(pushed.view, null);
		} finally {
			events.close();
		}
	});

	it('pushes an app’s edit of a room message to every page in the room, outside any request', async () => {
		await call(test.server, 'POST', '/api/rooms/general/messages', {
			user: 'alice',
			json: { text: '/blocks vote' },
		});
		const timeline = (
			await call(test.server, 'GET', '/api/rooms/general/timeline', { user: 'bruno' })
		).body as ITimelineDto;
		const posted = timeline.entries.filter((entry) => entry.text === 'A message to vote on').at(-1);
		assert.ok(posted);
		const buttonText = (data: unknown) => {
			const entry = (data as ITimelineDto).entries.find((candidate) => candidate.id === posted.id);
			const [block] = (entry?.blocks ?? []) as Array<{
				elements?: Array<{ text?: { text?: string } }>;
			}>;
			return block?.elements?.[0]?.text?.text;
		};
		assert.equal(buttonText(timeline), 'Me too (0)');
		const events = await EventStreamReader.open(
			`${test.server.url}api/events?room=general`,
			'bruno',
		);
		try {
			await events.next('timeline', (data) => buttonText(data) === 'Me too (0)');
			// As the app's runtime edits it from a job or another instance: no page request ran.
			const { host } = test.server;
			const appUser = host.directory.appUser(host.getAppId());
			await host
				.engineBridges()
				.getMessageBridge()
				.doUpdate(
					{
						id: posted.id,
						editor: appUser,
						blocks: [
							{
								type: 'actions',
								blockId: 'vote-actions',
								appId: host.getAppId(),
								elements: [
									{
										type: 'button',
										actionId: 'vote',
										text: { type: 'plain_text', text: 'Me too (5)' },
										value: '5',
									},
								],
							},
						],
					} as unknown as IMessage,
					host.getAppId(),
				);
			const pushed = await events.next('timeline', (data) => buttonText(data) === 'Me too (5)');
			assert.equal(
				(pushed as ITimelineDto).entries.filter((entry) => entry.id === posted.id).length,
				1,
				'shown in place, once',
			);
		} finally {
			events.close();
		}
	});

	it('refuses bad block actions with a 4xx and changes nothing', async () => {
		await call(test.server, 'POST', '/api/rooms/general/messages', {
			user: 'bruno',
			json: { text: '/blocks notify' },
		});
		const [notice] = test.server.host.notifications('bruno');
		assert.ok(notice);
		const database = databaseSnapshot(test.databasePath);
		const session = sessionSnapshot(test.server);
		const valid = { blockId: 'count', actionId: 'count', value: '0' };
		const cases: Array<{
			what: string;
			user: string;
			json: unknown;
			status: number;
			error: RegExp;
		}> = [
			{ what: 'no container', user: 'bruno', json: valid, status: 400, error: /"container"/ },
			{
				what: 'an unknown container type',
				user: 'bruno',
				json: { ...valid, container: { type: 'room', id: 'x' } },
				status: 400,
				error: /"container"/,
			},
			{
				what: 'no action id',
				user: 'bruno',
				json: { container: { type: 'view', id: 'blocks-bar' }, blockId: 'count' },
				status: 400,
				error: /"actionId"/,
			},
			{
				what: 'a value no element holds',
				user: 'bruno',
				json: { ...valid, container: { type: 'view', id: 'blocks-bar' }, value: { a: 1 } },
				status: 400,
				error: /"value"/,
			},
			{
				what: 'a view the member does not have open',
				user: 'bruno',
				json: { ...valid, container: { type: 'view', id: 'blocks-bar' } },
				status: 404,
				error: /bruno has no open view "blocks-bar"/,
			},
			{
				what: 'a room that does not exist',
				user: 'bruno',
				json: { ...valid, container: { type: 'view', id: 'blocks-bar' }, room: 'nowhere' },
				status: 404,
				error: /Unknown room "nowhere"/,
			},
			{
				what: 'another member’s ephemeral message',
				user: 'clara',
				json: {
					container: { type: 'message', id: notice.id },
					blockId: 'message-click',
					actionId: 'message-click',
					value: 'ephemeral',
				},
				status: 404,
				error: /clara sees no message/,
			},
			{
				what: 'a button that names no app',
				user: 'bruno',
				json: {
					container: { type: 'message', id: notice.id },
					blockId: 'orphan-actions',
					actionId: 'orphan',
					value: 'orphan',
				},
				status: 400,
				error: /has no appId/,
			},
			{
				what: 'an element that is not there',
				user: 'bruno',
				json: {
					container: { type: 'message', id: notice.id },
					blockId: 'message-click',
					actionId: 'made-up',
				},
				status: 400,
				error: /has no element message-click\/made-up/,
			},
		];
		for (const bad of cases) {
			const answer = await call(test.server, 'POST', '/api/block-actions', {
				user: bad.user,
				json: bad.json,
			});
			assert.equal(answer.status, bad.status, `${bad.what}: ${JSON.stringify(answer.body)}`);
			assert.match(errorOf(answer), bad.error, bad.what);
		}
		assert.equal(databaseSnapshot(test.databasePath), database, 'the database is unchanged');
		assert.equal(sessionSnapshot(test.server), session, 'no member’s view changed');
	});

	it('lists a member’s direct room once it is theirs, and keeps it from others', async () => {
		const events = await EventStreamReader.open(
			`${test.server.url}api/events?room=general`,
			'dora',
		);
		try {
			await events.next('rooms', (data) =>
				(data as IRoomsDto).rooms.every((room) => room.kind === 'channel'),
			);
			await call(test.server, 'POST', '/api/rooms/general/messages', {
				user: 'dora',
				json: { text: '/blocks dm' },
			});
			const rooms = (await events.next('rooms', (data) =>
				(data as IRoomsDto).rooms.some((room) => room.kind === 'direct'),
			)) as IRoomsDto;
			const direct = rooms.rooms.find((room) => room.kind === 'direct');
			assert.ok(direct);
			assert.equal(direct.label, 'Blocks Test');
			assert.deepEqual(direct.members, ['blocks-test.bot']);
			const timeline = await call(test.server, 'GET', `/api/rooms/${direct.name}/timeline`, {
				user: 'dora',
			});
			assert.equal(timeline.status, 200);
			assert.match((timeline.body as ITimelineDto).entries[0].text, /this is \*private\*/);
			const refused = await call(test.server, 'GET', `/api/rooms/${direct.name}/timeline`, {
				user: 'bruno',
			});
			assert.equal(refused.status, 404, 'another member cannot read it');
			const posted = await call(test.server, 'POST', `/api/rooms/${direct.name}/messages`, {
				user: 'bruno',
				json: { text: 'let me in' },
			});
			assert.equal(posted.status, 404);
		} finally {
			events.close();
		}
	});
});
