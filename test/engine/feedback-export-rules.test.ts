// Issue 19, the export on a server whose upload rules stop it: uploads off, direct uploads off,
// a media type list that refuses text/csv, direct rooms encrypted by default, an upload limit
// below the smallest file. Each ends with a message naming the setting and what to do, and
// `/feedback export … in #room` is the way out where the server allows one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';

import { appUsername, fixturePerTest, reply, sendFeedback } from './app-fixture';
import { isEncryptedRoom, type LocalHost } from '../../host';

describe('the export on a server whose rules stop it', () => {
	const fixture = fixturePerTest('export-rules');

	it('says what the upload limit is and that no export fits it when FileUpload_MaxFileSize is under a header-only CSV', async () => {
		const { host } = fixture();
		await sendFeedback(host, 'alice', 'general', { comment: 'too big for the limit' });
		// A header-only file: the BOM (3 bytes) and the header line with its CRLF (56 bytes).
		for (const limit of [30, 58, 0]) {
			host.setServerSetting('FileUpload_MaxFileSize', limit);
			assert.equal(
				await reply(host, 'admin', '/feedback export'),
				`Nothing was exported: the largest upload the server accepts (FileUpload_MaxFileSize) is ${limit} B, smaller than the smallest export file (59 B: the CSV header alone), so no export fits it. Ask a workspace admin to raise the limit (Administration > Settings > File Upload).`,
			);
		}
		assert.deepEqual(host.uploads(), [], 'nothing uploaded');
		assert.equal(host.directRoom(['admin', appUsername(host)]), undefined, 'no room started');
	});
});

describe('the export where the server allows it elsewhere', () => {
	const fixture = fixturePerTest('export-rules-ways-out');

	/** The CSV files in a room, each checked to come with the app's file message. */
	function csvFilesIn(host: LocalHost, roomName: string): string[] {
		const files = host.uploads(roomName);
		const messages = host.timeline(roomName).filter((message) => message.text === '');
		assert.equal(messages.length, files.length, 'one file message per upload');
		for (const file of files) {
			assert.equal(file.type, 'text/csv');
			assert.equal(file.userId, host.directory.appUser(host.getAppId())?.id, 'uploaded as the app');
		}
		return files.map((file) => file.content.toString('utf8'));
	}

	it('says uploads are off (FileUpload_Enabled), uploading nothing anywhere', async () => {
		const { host } = fixture();
		await sendFeedback(host, 'alice', 'general', { comment: 'kept' });
		host.setServerSetting('FileUpload_Enabled', false);
		const expected =
			'Nothing was exported: file uploads are turned off on this server (FileUpload_Enabled). Ask a workspace admin to turn on File Uploads Enabled (Administration > Settings > File Upload).';
		assert.equal(await reply(host, 'admin', '/feedback export'), expected);
		assert.equal(await reply(host, 'admin', '/feedback export in #general'), expected);
		assert.deepEqual(host.uploads(), []);
		assert.equal(host.directRoom(['admin', appUsername(host)]), undefined, 'no room started');
	});

	it('with direct uploads off, names FileUpload_Enabled_Direct and exports into the room the admin names', async () => {
		const { host } = fixture();
		await sendFeedback(host, 'alice', 'general', { comment: 'into a room' });
		host.setServerSetting('FileUpload_Enabled_Direct', false);
		assert.equal(
			await reply(host, 'admin', '/feedback export'),
			'Nothing was exported: uploads in direct messages are turned off on this server (FileUpload_Enabled_Direct). Export into a room you are in instead, /feedback export [from] [to] in #room, or ask a workspace admin to allow uploads in direct messages.',
		);
		assert.equal(host.directRoom(['admin', appUsername(host)]), undefined, 'no room started');
		assert.equal(
			await reply(host, 'admin', '/feedback export in #feedback'),
			'Exported 1 feedback entries to `#feedback`, in 1 CSV file(s) of at most 2 MB each.',
		);
		const [content] = csvFilesIn(host, 'feedback');
		assert.match(content, /into a room/);
		// The room may be named without its #, with a range before it.
		assert.match(
			await reply(host, 'admin', '/feedback export 2000-01-01 2999-12-31 in feedback'),
			/^Exported 1 feedback entries to `#feedback`/,
		);
		assert.equal(csvFilesIn(host, 'feedback').length, 2);
	});

	it('refuses a room that does not exist, one the admin is not in and a read-only one, and an `in` without a room', async () => {
		const { host } = fixture();
		await sendFeedback(host, 'alice', 'general', { comment: 'nowhere' });
		host.directory.rooms.create(
			{
				type: RoomType.PRIVATE_GROUP,
				slugifiedName: 'secret',
				creator: host.user('alice'),
			} as IRoom,
			['alice'],
		);
		assert.equal(
			await reply(host, 'admin', '/feedback export in #nope'),
			'Nothing was exported: there is no room `#nope`. Name a room you are in, for example /feedback export in #general.',
		);
		assert.equal(
			await reply(host, 'admin', '/feedback export in #secret'),
			'Nothing was exported: you are not a member of `#secret`. Name a room you are in.',
		);
		assert.equal(
			await reply(host, 'admin', '/feedback export in #announcements'),
			'Nothing was exported: `#announcements` is read-only, and the app may not post its files there. Choose another room.',
		);
		assert.match(
			await reply(host, 'admin', '/feedback export in'),
			/^`export in` is not a \/feedback command\./,
		);
		assert.deepEqual(host.uploads(), []);
		// A member of the private group may export there.
		host.directory.rooms.update({ id: host.directory.requireRoom('secret').id } as IRoom, [
			'admin',
		]);
		assert.match(await reply(host, 'admin', '/feedback export in #secret'), /^Exported 1 /);
	});

	it('names the media type lists when they refuse text/csv, and exports once they accept it', async () => {
		const { host } = fixture();
		await sendFeedback(host, 'alice', 'general', { comment: 'types' });
		const refused =
			'Nothing was exported: the server does not accept CSV files (text/csv is refused by FileUpload_MediaTypeWhiteList or FileUpload_MediaTypeBlackList). Ask a workspace admin to accept text/csv (Administration > Settings > File Upload > Accepted Media Types, Blocked Media Types).';
		host.setServerSetting('FileUpload_MediaTypeWhiteList', 'image/*,application/pdf');
		assert.equal(await reply(host, 'admin', '/feedback export'), refused);
		assert.equal(await reply(host, 'admin', '/feedback export in #general'), refused);
		host.setServerSetting('FileUpload_MediaTypeWhiteList', 'text/*');
		host.setServerSetting('FileUpload_MediaTypeBlackList', 'image/svg+xml, text/csv');
		assert.equal(await reply(host, 'admin', '/feedback export'), refused);
		assert.deepEqual(host.uploads(), []);
		host.setServerSetting('FileUpload_MediaTypeBlackList', 'image/svg+xml');
		assert.match(await reply(host, 'admin', '/feedback export'), /^Exported 1 /);
	});

	it('with direct rooms encrypted by default, exports nowhere encrypted unless the server allows unencrypted messages', async () => {
		const { host } = fixture();
		await sendFeedback(host, 'alice', 'general', { comment: 'secret stuff' });
		host.setServerSetting('E2E_Enable', true);
		host.setServerSetting('E2E_Enabled_Default_DirectRooms', true);
		const refusedDirect =
			"Nothing was exported: your direct messages with the app are end-to-end encrypted, and the server refuses the app's unencrypted file message there (E2E_Allow_Unencrypted_Messages is off). Export into a room you are in instead, /feedback export [from] [to] in #room, or ask a workspace admin to allow unencrypted messages.";
		assert.equal(await reply(host, 'admin', '/feedback export'), refusedDirect);
		assert.equal(
			host.directRoom(['admin', appUsername(host)]),
			undefined,
			'no encrypted room started for nothing',
		);
		assert.deepEqual(host.uploads(), []);
		assert.match(await reply(host, 'admin', '/feedback export in #feedback'), /^Exported 1 /);

		host.setServerSetting('E2E_Allow_Unencrypted_Messages', true);
		assert.match(await reply(host, 'admin', '/feedback export'), /^Exported 1 .*direct messages/);
		const direct = host.directRoom(['admin', appUsername(host)]);
		assert.ok(direct && isEncryptedRoom(direct), 'the server created it encrypted');
		assert.equal(csvFilesIn(host, direct.id).length, 1);

		// The room stays encrypted when new rooms no longer are: its own flag counts.
		host.setServerSetting('E2E_Allow_Unencrypted_Messages', false);
		host.setServerSetting('E2E_Enabled_Default_DirectRooms', false);
		assert.equal(await reply(host, 'admin', '/feedback export'), refusedDirect);
		assert.equal(host.uploads(direct.id).length, 1, 'no file left behind without its message');
		host.setServerSetting('E2E_Enable', false);
		assert.match(await reply(host, 'admin', '/feedback export'), /^Exported 1 /);

		// A room the admin names is checked the same way.
		host.setServerSetting('E2E_Enable', true);
		host.directory.rooms.setEncrypted(host.directory.requireRoom('feedback').id, true);
		assert.equal(
			await reply(host, 'admin', '/feedback export in #feedback'),
			"Nothing was exported: `#feedback` is end-to-end encrypted, and the server refuses the app's unencrypted file message there (E2E_Allow_Unencrypted_Messages is off). Choose a room that is not encrypted.",
		);
		assert.equal(host.uploads('feedback').length, 1, 'only the earlier export');
	});
});
