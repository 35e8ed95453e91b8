// An app's edits of its own messages through the local host, exactly as strict as Rocket.Chat
// (host/server/message-update.ts names the server files): the blocks test app's "Me too" button
// edits the message it is in (modify.getUpdater().message → setBlocks → finish), and the
// bridge is also called directly, as the Deno runtime calls it, for what the app cannot send.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { type IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { openDatabase } from '../../host/server/database';
import type { ITimelineMessage } from '../../host/server/directory';
import {
	INVALID_EDITOR_ERROR,
	INVALID_MESSAGE_ID_ERROR,
	MISSING_EDITOR_ERROR,
} from '../../host/server/message-update';
import { type IBlocksFixture, received, startBlocksApp, stopBlocksApp } from '../support/test-apps';

const APP_ID = '5b1f3c9e-7a42-4d1e-9c3b-0f6a2e8d4b17';

/** The one button of a vote message, as stored. */
interface IVoteButton {
	text: { text: string };
	value: string;
	actionId: string;
}

/** A row of the host database's messages table, parsed: what a reader of the whole database sees. */
interface IMessageRow {
	id: string;
	roomId: string;
	text?: string;
	blocks?: Array<{ elements?: IVoteButton[] }>;
	_hidden?: boolean;
	parent?: string;
	editedAt?: string;
	editorId?: string;
	customFields?: Record<string, unknown>;
}

describe('an app edits its messages on the local host (blocks test app)', () => {
	let fixture: IBlocksFixture;
	let appUser: IUser;

	before(async () => {
		fixture = await startBlocksApp();
		const found = fixture.host.directory.appUser(APP_ID);
		assert.ok(found, 'the engine created the app user');
		appUser = found;
	});

	after(async () => {
		await stopBlocksApp(fixture);
	});

	/** Runs a body with server settings set, then puts them back to their defaults. */
	async function withServerSettings(
		values: Record<string, unknown>,
		body: () => Promise<void>,
	): Promise<void> {
		for (const [id, value] of Object.entries(values)) {
			fixture.host.setServerSetting(id, value);
		}
		try {
			await body();
		} finally {
			for (const id of Object.keys(values)) {
				fixture.host.resetServerSetting(id);
			}
		}
	}

	/** `/blocks vote` in a room: the app posts a message with a "Me too (0)" button. */
	async function postVote(room = 'general', argument = ''): Promise<ITimelineMessage> {
		const posted = await fixture.host.runSlashCommand(
			'alice',
			room,
			`/blocks vote ${argument}`.trim(),
		);
		const [message] = posted.messages;
		assert.ok(message, `the app posted: ${JSON.stringify(posted.notifications)}`);
		return message;
	}

	function button(message: { blocks?: unknown } | undefined): IVoteButton {
		const [block] = (message?.blocks ?? []) as Array<{ elements?: IVoteButton[] }>;
		const first = block?.elements?.[0];
		assert.ok(first, `a button in ${JSON.stringify(message?.blocks)}`);
		return first;
	}

	/** A member clicks the vote button of a stored message as it is now. */
	async function clickVote(username: string, messageId: string) {
		const current = button(fixture.host.directory.messageById(messageId));
		return fixture.host.blockAction(
			username,
			{ messageId },
			{ blockId: 'vote-actions', actionId: 'vote', value: current.value },
		);
	}

	/** Calls the bridge as the app's runtime does (ModifyUpdater `_finishMessage` → doUpdate). */
	function update(changes: Record<string, unknown>): Promise<void> {
		return fixture.host
			.engineBridges()
			.getMessageBridge()
			.doUpdate(changes as unknown as IMessage, APP_ID);
	}

	/** Every row of the messages table, history rows included. */
	function allRows(): IMessageRow[] {
		const database = openDatabase(path.join(fixture.folder, 'host.sqlite'));
		try {
			const rows = database.prepare('SELECT message FROM messages ORDER BY seq').all() as Array<{
				message: string;
			}>;
			return rows.map((row) => JSON.parse(row.message) as IMessageRow);
		} finally {
			database.close();
		}
	}

	it('shows the new blocks in place, with their app, and editedAt and the editor set', async () => {
		const { host } = fixture;
		const posted = await postVote();
		const countBefore = host.timeline('general').length;
		const clickedAt = Date.now();
		const result = await clickVote('bruno', posted.id);
		assert.deepEqual(result.notifications, [], 'the edit was not refused');
		const shown = host.timeline('general').find((entry) => entry.id === posted.id);
		assert.ok(shown);
		assert.equal(host.timeline('general').length, countBefore, 'edited in place, nothing added');
		assert.equal(button(shown).text.text, 'Me too (1)');
		assert.equal(shown.text, 'A message to vote on', 'what the app did not change stays');
		// The runtime gives the new blocks their app (UIHelper.assignIds), so a click still reaches it.
		assert.equal((shown.blocks as Array<{ appId?: string }>)[0].appId, APP_ID);
		assert.equal(shown.editedBy, appUser.username);
		assert.ok(shown.editedAt && new Date(shown.editedAt).getTime() >= clickedAt);
		// What the app reads back (getById, as the server's convertById gives it).
		const read = await host.engineBridges().getMessageBridge().doGetById(posted.id, APP_ID);
		assert.equal(read.editor?.id, appUser.id);
		assert.ok(read.editedAt instanceof Date);
		assert.equal(button(read).text.text, 'Me too (1)');
		// The next click carries the message as stored now: its edited blocks.
		await clickVote('clara', posted.id);
		const counted = (await received(host, 'voteCounted')) as Array<{
			count: number;
			shown: string;
		}>;
		assert.deepEqual(counted.slice(-2), [
			{ count: 1, shown: 'Me too (0)' },
			{ count: 2, shown: 'Me too (1)' },
		]);
		assert.equal(button(host.directory.messageById(posted.id)).text.text, 'Me too (2)');
	});

	it('refuses an edit without an editor, with the bridge’s words', async () => {
		const posted = await postVote();
		await assert.rejects(update({ id: posted.id, blocks: [] }), {
			message: INVALID_EDITOR_ERROR,
		});
		const stored = fixture.host.directory.messageById(posted.id);
		assert.equal(button(stored).text.text, 'Me too (0)');
		assert.equal(stored?.editedAt, undefined);
	});

	it('fails on an editor who is no user as the converter does, before anything is stored', async () => {
		const posted = await postVote();
		const ghost = { ...appUser, id: 'no-such-user' };
		await assert.rejects(update({ id: posted.id, editor: ghost, text: 'Edited' }), {
			message: MISSING_EDITOR_ERROR,
		});
		assert.equal(fixture.host.directory.messageById(posted.id)?.text, 'A message to vote on');
	});

	it('refuses a message that does not exist: Invalid message ID.', async () => {
		await assert.rejects(update({ id: 'no-such-message', editor: appUser, text: 'Edited' }), {
			message: INVALID_MESSAGE_ID_ERROR,
		});
	});

	it('applies no size rule to an edit: a text over Message_MaxAllowedSize is stored', async () => {
		const posted = await postVote();
		const long = 'x'.repeat(5001);
		await update({ id: posted.id, editor: appUser, text: long });
		assert.equal(fixture.host.directory.messageById(posted.id)?.text, long);
	});

	it('refuses to edit a message posted with custom fields once an admin turned them off', async () => {
		const { host } = fixture;
		let posted: ITimelineMessage | undefined;
		await withServerSettings({ Message_CustomFields_Enabled: true }, async () => {
			posted = await postVote('general', 'custom');
		});
		assert.ok(posted);
		assert.deepEqual(posted.customFields, { priority: 'high' });
		const refused = await clickVote('bruno', posted.id);
		assert.deepEqual(
			refused.notifications.map((notification) => notification.text),
			['Update failed: Custom fields not enabled'],
		);
		const stored = host.directory.messageById(posted.id);
		assert.equal(button(stored).text.text, 'Me too (0)', 'nothing was stored');
		assert.equal(stored?.editedAt, undefined);
		// Allowed again, but with a schema the stored fields do not fit: refused too.
		await withServerSettings(
			{
				Message_CustomFields_Enabled: true,
				Message_CustomFields: '{"properties": {"feedbackId": {"type": "string"}}}',
			},
			async () => {
				const invalid = await clickVote('bruno', posted?.id ?? '');
				assert.deepEqual(
					invalid.notifications.map((notification) => notification.text),
					['Update failed: Invalid custom fields'],
				);
			},
		);
		await withServerSettings({ Message_CustomFields_Enabled: true }, async () => {
			const allowed = await clickVote('bruno', posted?.id ?? '');
			assert.deepEqual(allowed.notifications, []);
		});
		assert.equal(button(host.directory.messageById(posted.id)).text.text, 'Me too (1)');
	});

	it('keeps no history by default (Message_KeepHistory off)', async () => {
		const posted = await postVote();
		await clickVote('bruno', posted.id);
		assert.deepEqual(
			allRows().filter((row) => row.parent === posted.id),
			[],
		);
	});

	it('keeps each version as a hidden history row with Message_KeepHistory on', async () => {
		const { host } = fixture;
		await withServerSettings({ Message_KeepHistory: true }, async () => {
			const posted = await postVote();
			await clickVote('bruno', posted.id);
			await clickVote('clara', posted.id);
			const history = allRows().filter((row) => row.parent === posted.id);
			assert.deepEqual(
				history.map((row) => [button(row).text.text, row._hidden, row.roomId, row.editorId]),
				[
					['Me too (0)', true, 'GENERAL', appUser.id],
					['Me too (1)', true, 'GENERAL', appUser.id],
				],
			);
			assert.ok(history.every((row) => row.id !== posted.id && row.editedAt));
			assert.deepEqual(
				host.directory.messages.history(posted.id).map((message) => button(message).text.text),
				['Me too (0)', 'Me too (1)'],
			);
			// Hidden from the room's timeline and from what the app reads of the room.
			assert.equal(host.timeline('general').filter((entry) => entry.id === posted.id).length, 1);
			const general = host.directory.requireRoom('general');
			const read = await host
				.engineBridges()
				.getRoomBridge()
				.doGetMessages(
					general.id,
					{ limit: 1000, skip: 0, sort: { createdAt: 'asc' }, showThreadMessages: true },
					APP_ID,
				);
			const readIds = read.map((message) => message.id);
			assert.ok(readIds.includes(posted.id));
			assert.ok(
				history.every((row) => !readIds.includes(row.id)),
				'no history row read',
			);
		});
	});

	it('keeps the history row even when the edit is then refused, as the server copies first', async () => {
		let posted: ITimelineMessage | undefined;
		await withServerSettings({ Message_CustomFields_Enabled: true }, async () => {
			posted = await postVote('general', 'custom');
		});
		assert.ok(posted);
		await withServerSettings({ Message_KeepHistory: true }, async () => {
			const refused = await clickVote('bruno', posted?.id ?? '');
			assert.equal(refused.notifications.length, 1);
		});
		const history = allRows().filter((row) => row.parent === posted?.id);
		assert.equal(history.length, 1);
		assert.equal(button(fixture.host.directory.messageById(posted.id)).text.text, 'Me too (0)');
	});

	it('does nothing, and says nothing, when the message’s room is gone', async () => {
		const { host } = fixture;
		const roomId = host.directory.rooms.create(
			{ slugifiedName: 'doomed', displayName: 'doomed', type: RoomType.CHANNEL } as IRoom,
			['alice'],
		);
		const posted = await postVote('doomed');
		// The room's record goes while its messages stay (the server's bridge once removed rooms so).
		const database = openDatabase(path.join(fixture.folder, 'host.sqlite'));
		try {
			database.prepare('DELETE FROM rooms WHERE id = ?').run(roomId);
		} finally {
			database.close();
		}
		await update({ id: posted.id, editor: appUser, text: 'Edited' });
		const [row] = allRows().filter((candidate) => candidate.id === posted.id);
		assert.equal(row?.text, 'A message to vote on');
		assert.equal(row?.editedAt, undefined);
	});
});
