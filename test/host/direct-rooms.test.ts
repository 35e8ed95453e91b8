import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';

import { DIRECT_MESSAGE_MAX_USERS } from '../../host/server/directory/rooms';
import { type IBlocksFixture, startBlocksApp, stopBlocksApp } from '../support/test-apps';

// Direct rooms an app starts as its app user, after apps/meteor/app/apps/server/bridges/rooms.ts
// (`create` for type 'd' → createDirectMessage → createDirectRoom, `getDirectByUsernames` →
// Rooms.findDirectRoomContainingAllUsernames) and the rooms converter, driven with the tests' own
// app (test/apps/blocks: `/blocks dm <username>` finds or starts the room, then posts in it).

const APP_USER = 'blocks-test.bot';

describe('direct rooms in the local host (the blocks test app)', () => {
	let fixture: IBlocksFixture;

	beforeEach(async () => {
		fixture = await startBlocksApp();
	});

	afterEach(async () => {
		await stopBlocksApp(fixture);
	});

	it('starts the direct room once, finds it again, and its messages reach its timeline', async () => {
		const { host } = fixture;
		const first = await host.runSlashCommand('admin', 'general', '/blocks dm alice');
		const [created] = first.notifications.map((notification) => notification.text);
		const id = /^dm (\S+) created$/.exec(created)?.[1];
		assert.ok(id, `a new room in "${created}"`);
		assert.match(id, /^[23456789A-HJ-NP-Za-km-z]{17}$/, 'a Random.id()');
		assert.deepEqual(first.messages, [], 'nothing in #general');

		const second = await host.runSlashCommand('bruno', 'general', '/blocks dm alice');
		assert.deepEqual(
			second.notifications.map((notification) => notification.text),
			[`dm ${id} found`],
			'the same room, found by getDirectByUsernames',
		);

		const room = host.directRoom([APP_USER, 'alice']);
		assert.ok(room);
		assert.equal(room.id, id);
		assert.equal(room.type, RoomType.DIRECT_MESSAGE);
		// The converter gives a direct room no name and no creator, and its members' user ids.
		assert.equal(room.slugifiedName, undefined);
		assert.equal(room.creator, undefined);
		const appUser = host.user(APP_USER);
		assert.deepEqual(room.userIds, [appUser.id, host.user('alice').id].sort());
		// Usernames ordered by name, as the server stores them ("Alice Doe" before "blocks-test.bot").
		assert.deepEqual(room.usernames, ['alice', APP_USER]);
		assert.deepEqual(
			host.timeline(id).map((message) => [message.sender, message.room, message.text]),
			[
				[APP_USER, id, 'Hello @alice, this is *private* and _just for you_'],
				[APP_USER, id, 'Hello @alice, this is *private* and _just for you_'],
			],
		);
		assert.deepEqual(
			host.directRooms('alice').map((direct) => direct.id),
			[id],
		);
		assert.deepEqual(host.directRooms('bruno'), [], 'bruno is not in it');

		// alice answers there; bruno cannot post in a room he is not in.
		await host.sendMessage('alice', id, 'thanks!');
		assert.equal(host.timeline(id).at(-1)?.sender, 'alice');
		await assert.rejects(host.sendMessage('bruno', id, 'me too'));
	});

	it('finds a direct room by exactly its usernames, and keeps one per pair', async () => {
		const { host } = fixture;
		await host.runSlashCommand('alice', 'general', '/blocks dm alice');
		await host.runSlashCommand('alice', 'general', '/blocks dm bruno');
		const alices = host.directRoom(['alice', APP_USER]);
		const brunos = host.directRoom([APP_USER, 'bruno']);
		assert.ok(alices && brunos);
		assert.notEqual(alices.id, brunos.id);
		assert.equal(host.directRoom(['alice', 'bruno', APP_USER]), undefined);
		assert.equal(host.directRoom(['alice']), undefined);
		assert.equal(host.directory.roomByName('general')?.type, RoomType.CHANNEL);
	});

	it('starts direct rooms as createDirectMessage does: its refusals and its idempotence', () => {
		const { host } = fixture;
		const { rooms } = host.directory;
		const alice = host.user('alice').id;
		const id = rooms.createDirect(alice, ['alice', 'Bruno']);
		assert.equal(rooms.createDirect(host.user('bruno').id, ['alice']), id, 'the same pair');
		assert.deepEqual(rooms.byId(id)?.usernames, ['alice', 'bruno']);
		assert.throws(() => rooms.createDirect(alice, ['nobody']), /error-invalid-user/);
		assert.throws(() => rooms.createDirect('no-such-id', ['alice']), /error-invalid-user/);
		const many = ['admin', 'bruno', 'clara', 'dora'];
		for (let index = 0; index < DIRECT_MESSAGE_MAX_USERS; index++) {
			const username = `extra${index}`;
			rooms.insertIfMissing({
				id: `room-${username}`,
				name: `room-${username}`,
				type: RoomType.CHANNEL,
				creatorId: alice,
				memberIds: [],
				createdAt: new Date().toISOString(),
			});
			host.directory.users.create({ username });
			many.push(username);
		}
		assert.throws(() => rooms.createDirect(alice, many), /error-direct-message-max-user-exceeded/);
		// A user without create-d (a guest) is refused, unless the room exists (view-d-room).
		const guest = host.directory.users.create({ username: 'guest1', roles: ['guest'] });
		assert.throws(() => rooms.createDirect(guest, ['clara']), /error-not-allowed/);
		const existing = rooms.createDirect(alice, ['guest1']);
		assert.equal(rooms.createDirect(guest, ['alice']), existing);
	});
});
