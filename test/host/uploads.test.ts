// The host's upload bridge (host/bridges/upload.ts) called as the app's runtime calls it (the
// engine's doCreateUpload, behind its permission check), on a host running the packaged app:
// what it stores, the file message the room shows, and the server's refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUpload } from '@rocket.chat/apps-engine/definition/uploads';
import type { IUploadDetails } from '@rocket.chat/apps-engine/definition/uploads/IUploadDetails';

import { formatFileSize } from '../../host/bridges/upload';
import type { LocalHost } from '../../host/drivers/local-host';
import { fixturePerTest } from '../engine/app-fixture';

/** An app id the engine has not installed: it holds no permission. */
const UNKNOWN_APP = '00000000-0000-4000-8000-000000000000';

/** What the engine's UploadCreator hands the bridge for `uploadBuffer(buffer, descriptor)`. */
function details(
	host: LocalHost,
	roomName: string,
	name: string,
	content: Buffer,
	userId = appUserId(host),
): IUploadDetails {
	return {
		name,
		size: content.length,
		rid: host.directory.requireRoom(roomName).id,
		userId,
	} as IUploadDetails;
}

function appUserId(host: LocalHost): string {
	const appUser = host.directory.appUser(host.getAppId());
	assert.ok(appUser, 'the engine created the app user');
	return appUser.id;
}

/** Uploads as the installed app (it declares upload.write). */
function upload(
	host: LocalHost,
	uploadDetails: IUploadDetails,
	content: Buffer | Uint8Array,
	appId = host.getAppId(),
): Promise<IUpload | undefined> {
	return host
		.engineBridges()
		.getUploadBridge()
		.doCreateUpload(uploadDetails, content as Buffer, appId);
}

describe('the upload bridge', () => {
	const fixture = fixturePerTest('uploads');

	it('stores the bytes, answers the upload as the server converts it, and shows a file message in the room', async () => {
		const { host } = fixture();
		const content = Buffer.from('\uFEFFid,comment\r\n1,"a, b"\r\n', 'utf8');
		// The Deno runtime hands a Uint8Array: the bridge copies it.
		const bytes = new Uint8Array(content);
		const answer = await upload(host, details(host, 'general', 'report.csv', content), bytes);
		bytes.fill(0);
		assert.ok(answer, 'the bridge answers the upload');
		assert.equal(answer.name, 'report.csv');
		assert.equal(answer.type, 'text/csv', 'the type by the name, as determineFileType');
		assert.equal(Number(answer.size), content.length);
		assert.equal(answer.complete, true);
		assert.equal(answer.room.slugifiedName, 'general');
		assert.equal(answer.user?.id, appUserId(host));

		const stored = host.uploads('general');
		assert.equal(stored.length, 1);
		assert.equal(stored[0].id, answer.id);
		assert.deepEqual(stored[0].content, content, 'the bytes as sent, not the caller buffer later');
		assert.equal(stored[0].size, content.length);
		assert.equal(host.upload(answer.id)?.content.toString('utf8'), content.toString('utf8'));
		assert.deepEqual(host.uploads('feedback'), [], 'nothing in another room');

		const [message] = host.timeline('general');
		assert.equal(message.sender, host.directory.appUser(host.getAppId())?.username);
		assert.equal(message.text, '', 'sendFileMessage sends msg: ""');
		assert.deepEqual(message.attachments, [
			{
				type: 'file',
				title: {
					value: 'report.csv',
					link: `/file-upload/${answer.id}/report.csv`,
					displayDownloadLink: true,
				},
				format: 'csv',
				size: content.length,
				fileId: answer.id,
			},
		]);
		const raw = host.directory.messageById(message.id);
		assert.deepEqual(raw?.file, { _id: answer.id, name: 'report.csv', type: 'text/csv' });
		assert.equal(raw?.groupable, false);
	});

	it('refuses a file larger than FileUpload_MaxFileSize with error-file-too-large, storing nothing', async () => {
		const { host } = fixture();
		host.setServerSetting('FileUpload_MaxFileSize', 10);
		const eleven = Buffer.from('12345678901');
		await assert.rejects(
			upload(host, details(host, 'general', 'big.csv', eleven), eleven),
			(error: Error) => {
				assert.match(error.message, /\[error-file-too-large\]$/);
				assert.match(error.message, /^File exceeds allowed size of 10 B/);
				return true;
			},
		);
		assert.deepEqual(host.uploads(), [], 'the filter runs before anything is stored');
		assert.deepEqual(host.timeline('general'), [], 'and no message');

		const ten = Buffer.from('1234567890');
		assert.ok(
			await upload(host, details(host, 'general', 'fits.csv', ten), ten),
			'size = max fits',
		);
		assert.equal(host.uploads().length, 1);

		// -1 is "no limit"; 0 is a limit of zero bytes (the server refuses `size > max` for any max > -1).
		host.setServerSetting('FileUpload_MaxFileSize', -1);
		assert.ok(await upload(host, details(host, 'general', 'any.csv', eleven), eleven));
		host.setServerSetting('FileUpload_MaxFileSize', 0);
		await assert.rejects(
			upload(host, details(host, 'general', 'one.csv', Buffer.from('1')), Buffer.from('1')),
			/error-file-too-large/,
		);
		assert.equal(host.uploads().length, 2);
	});

	it('states the limit as the server does (filesize)', () => {
		assert.equal(formatFileSize(104857600), '100 MB');
		assert.equal(formatFileSize(1024), '1 KB');
		assert.equal(formatFileSize(1500), '1.46 KB');
		assert.equal(formatFileSize(400), '400 B');
	});

	it('refuses an empty file, a room that does not exist, a member outside the room and a missing user', async () => {
		const { host } = fixture();
		const empty = Buffer.alloc(0);
		await assert.rejects(
			upload(host, details(host, 'general', 'empty.csv', empty), empty),
			/File size \(size = 0\) is too small \(min = 1\) \[file-too-small\]/,
		);
		const content = Buffer.from('x');
		await assert.rejects(
			upload(host, { ...details(host, 'general', 'a.csv', content), rid: 'no-such-room' }, content),
			/File does not match filter \[invalid-file\]/,
		);
		// A direct room of the app user and the admin: alice cannot access it (the app user may).
		const directId = host.directory.rooms.createDirect(appUserId(host), ['admin']);
		const alice = host.user('alice').id;
		await assert.rejects(
			upload(host, details(host, directId, 'a.csv', content, alice), content),
			/\[invalid-file\]/,
		);
		await assert.rejects(
			upload(host, { ...details(host, 'general', 'a.csv', content), userId: '' }, content),
			/Missing user to perform the upload operation/,
		);
		assert.ok(await upload(host, details(host, directId, 'a.csv', content), content));
		assert.equal(host.uploads(directId).length, 1, 'the app user uploads to its direct room');
		assert.equal(host.uploads().length, 1, 'only that one');
	});

	it('refuses every upload while FileUpload_Enabled is off, before the size, with error-file-upload-disabled', async () => {
		const { host } = fixture();
		host.setServerSetting('FileUpload_Enabled', false);
		host.setServerSetting('FileUpload_MaxFileSize', 0);
		const content = Buffer.from('id\r\n');
		const directId = host.directory.rooms.createDirect(appUserId(host), ['admin']);
		for (const room of ['general', directId]) {
			await assert.rejects(
				upload(host, details(host, room, 'a.csv', content), content),
				/File uploads are disabled\. \[error-file-upload-disabled\]$/,
			);
		}
		assert.deepEqual(host.uploads(), []);
		host.resetServerSetting('FileUpload_Enabled');
		host.resetServerSetting('FileUpload_MaxFileSize');
		assert.ok(await upload(host, details(host, 'general', 'a.csv', content), content));
	});

	it('refuses uploads into a direct room while FileUpload_Enabled_Direct is off; other rooms still take them', async () => {
		const { host } = fixture();
		host.setServerSetting('FileUpload_Enabled_Direct', false);
		const content = Buffer.from('id\r\n');
		const directId = host.directory.rooms.createDirect(appUserId(host), ['admin']);
		await assert.rejects(
			upload(host, details(host, directId, 'a.csv', content), content),
			/File sharing not allowed in direct messages\. \[error-direct-message-file-upload-not-allowed\]$/,
		);
		assert.deepEqual(host.uploads(directId), []);
		assert.deepEqual(host.timeline(directId), []);
		assert.ok(await upload(host, details(host, 'general', 'a.csv', content), content));
		assert.ok(await upload(host, details(host, 'feedback', 'a.csv', content), content));
		assert.equal(host.uploads().length, 2);
	});

	it('applies FileUpload_MediaTypeWhiteList and FileUpload_MediaTypeBlackList to the type from the file name', async () => {
		const { host } = fixture();
		const content = Buffer.from('id\r\n');
		const csv = () => upload(host, details(host, 'general', 'export.csv', content), content);
		const refused = /File type is not accepted\. \[error-invalid-file-type\]$/;
		// The default black list blocks SVG only.
		await assert.rejects(
			upload(host, details(host, 'general', 'a.svg', content), content),
			refused,
		);
		const cases: Array<[string, string, boolean]> = [
			['image/*, application/pdf', 'image/svg+xml', false],
			['text/plain', '', false],
			[' text/csv ,image/png', '', true],
			['text/*', '', true],
			['*', '', true],
			['', 'text/csv', false],
			['', 'application/pdf, text/*', false],
			['text/csv', 'text/csv', false],
			['', '', true],
		];
		for (const [white, black, accepted] of cases) {
			host.setServerSetting('FileUpload_MediaTypeWhiteList', white);
			host.setServerSetting('FileUpload_MediaTypeBlackList', black);
			const label = `white list ${JSON.stringify(white)}, black list ${JSON.stringify(black)}`;
			if (accepted) {
				assert.ok(await csv(), label);
			} else {
				await assert.rejects(csv(), refused, label);
			}
		}
		assert.equal(host.uploads().length, cases.filter(([, , accepted]) => accepted).length);
	});

	it('stores the file but fails the call when the room refuses its plain file message (an encrypted room, E2E)', async () => {
		const { host } = fixture();
		const directId = host.directory.rooms.createDirect(appUserId(host), ['admin'], {
			encrypted: true,
		});
		host.setServerSetting('E2E_Enable', true);
		const content = Buffer.from('id\r\n');
		await assert.rejects(
			upload(host, details(host, directId, 'a.csv', content), content),
			/Not allowed to send un-encrypted messages in an encrypted room \[error-not-allowed\]$/,
		);
		assert.equal(
			host.uploads(directId).length,
			1,
			'stored before sendFileMessage, as on the server',
		);
		assert.deepEqual(host.timeline(directId), [], 'without a message');
		host.setServerSetting('E2E_Allow_Unencrypted_Messages', true);
		assert.ok(await upload(host, details(host, directId, 'b.csv', content), content));
		assert.equal(host.timeline(directId).length, 1);
	});

	it('does nothing for an app without upload.write (the engine checks the permission first)', async () => {
		const { host } = fixture();
		const content = Buffer.from('x');
		const answer = await upload(
			host,
			details(host, 'general', 'a.csv', content),
			content,
			UNKNOWN_APP,
		);
		assert.equal(answer, undefined, 'the engine resolves to undefined');
		assert.deepEqual(host.uploads(), []);
		assert.deepEqual(host.timeline('general'), []);
	});

	it('reads an upload back only for an app granted upload.read, as app.json asks', async () => {
		const { host } = fixture();
		const content = Buffer.from('hello');
		const answer = await upload(host, details(host, 'general', 'a.txt', content), content);
		assert.ok(answer);
		assert.equal(answer.type, 'text/plain');
		// The host grants exactly app.json's permissions: the app asks for upload.write only.
		const bridge = host.engineBridges().getUploadBridge();
		assert.equal(await bridge.doGetById(answer.id, host.getAppId()), undefined, 'no upload.read');
		const stored = host.upload(answer.id);
		assert.equal(stored?.name, 'a.txt');
		assert.deepEqual(stored?.content, content);
	});
});
