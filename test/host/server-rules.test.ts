// The local host refuses what a Rocket.Chat server refuses, with the server's errors.
// Each rule is exercised on the bridges of a host running the packaged app, called the way
// the app's Deno runtime calls them (through the engine's permission-checking do* methods).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { type IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { ServerSettingRead } from '@rocket.chat/apps-engine/server/accessors';

import { LocalHost } from '../../host/drivers/local-host';
import { defaultZipPath } from '../../host/paths';
import { openDatabase } from '../../host/server/database';
import { isEncryptedRoom } from '../../host/server/server-rules';
import { DEFAULT_MESSAGE_CUSTOM_FIELDS, ServerSettings } from '../../host/server/server-settings';
import { timed } from '../engine/timing';

const zipPath = process.env.LOCAL_HOST_ZIP ?? defaultZipPath();

const READ_ONLY = /^You can't send messages because the room is readonly\.$/;

const UNENCRYPTED =
	/^Not allowed to send un-encrypted messages in an encrypted room \[error-not-allowed\]$/;

describe('server rules on a host running the packaged app', () => {
	let folder: string;
	let databasePath: string;
	let host: LocalHost;
	let appId: string;
	let appUser: IUser;

	/** Creates a message as the app's runtime does (ModifyCreator → doCreate). */
	const create = (message: Partial<IMessage>): Promise<string> =>
		host
			.engineBridges()
			.getMessageBridge()
			.doCreate({ sender: appUser, ...message } as IMessage, appId);

	const room = (name: string) => host.directory.requireRoom(name);

	/** Runs a test body with server settings set, putting them back to their defaults afterwards. */
	async function withServerSettings(
		values: Record<string, unknown>,
		body: () => Promise<void>,
	): Promise<void> {
		for (const [id, value] of Object.entries(values)) {
			host.setServerSetting(id, value);
		}
		try {
			await body();
		} finally {
			for (const id of Object.keys(values)) {
				host.resetServerSetting(id);
			}
			await host.waitForIdle();
		}
	}

	before(async () => {
		assert.ok(fs.existsSync(zipPath), `no package at ${zipPath}: run npm run package first`);
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'server-rules-test-'));
		databasePath = path.join(folder, 'host.sqlite');
		host = await timed('start', () => LocalHost.start({ databasePath, zipPath }));
		appId = host.getAppId();
		const user = host.directory.appUser(appId);
		assert.ok(user, 'the engine created the app user');
		appUser = user;
	});

	after(async () => {
		await host?.stop();
		fs.rmSync(folder, { recursive: true, force: true });
	});

	describe('messages the app creates', () => {
		it('refuses a room that does not exist, with the converter error', async () => {
			await assert.rejects(
				create({ room: { ...room('general'), id: 'no-such-room' }, text: 'hello' }),
				/^Error: Invalid room provided on the message\.$/,
			);
		});

		it('stores a message without text, attachments or blocks: the server calls none empty', async () => {
			const before = host.timeline('general').length;
			const id = await create({ room: room('general') });
			assert.ok(id);
			assert.equal(host.timeline('general').length, before + 1);
			await host.waitForIdle();
		});

		it('refuses text longer than Message_MaxAllowedSize, 5000 by default', async () => {
			await assert.rejects(
				create({ room: room('general'), text: 'x'.repeat(5001) }),
				/^Error: Message size exceeds Message_MaxAllowedSize \[error-message-size-exceeded\]$/,
			);
			assert.ok(await create({ room: room('general'), text: 'x'.repeat(5000) }));
			await withServerSettings({ Message_MaxAllowedSize: 10 }, async () => {
				await assert.rejects(
					create({ room: room('general'), text: 'eleven char' }),
					/Message_MaxAllowedSize/,
				);
			});
		});

		it('counts the size in UTF-16 units, of the text only (executeSendMessage checks `msg.length`)', async () => {
			const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
			assert.equal(family.length, 11, 'one character seen, eleven units');
			await withServerSettings({ Message_MaxAllowedSize: 22 }, async () => {
				assert.ok(await create({ room: room('general'), text: family.repeat(2) }));
				await assert.rejects(
					create({ room: room('general'), text: `${family.repeat(2)}x` }),
					/Message_MaxAllowedSize/,
				);
				assert.ok(
					await create({
						room: room('general'),
						text: 'short',
						attachments: [{ text: 'x'.repeat(100) }],
						blocks: [{ type: 'section', text: { type: 'plain_text', text: 'y'.repeat(100) } }],
					}),
					'attachments and blocks are not counted',
				);
			});
			await host.waitForIdle();
		});

		it('refuses custom fields while Message_CustomFields_Enabled is off, its default', async () => {
			const before = host.timeline('feedback').length;
			await assert.rejects(
				create({
					room: room('feedback'),
					text: 'new feedback',
					customFields: { feedbackId: 'f1' },
				}),
				/^Error: Custom fields not enabled$/,
			);
			assert.equal(host.timeline('feedback').length, before, 'nothing was stored');
		});

		it('checks custom fields against the default schema: priority required, nothing else', async () => {
			await withServerSettings({ Message_CustomFields_Enabled: true }, async () => {
				for (const customFields of [
					{ feedbackId: 'f1' },
					{},
					{ priority: 'low', feedbackId: 'f1' },
					{ priority: 'urgent' },
				]) {
					await assert.rejects(
						create({ room: room('feedback'), text: 'with fields', customFields }),
						/^Error: Invalid custom fields$/,
						JSON.stringify(customFields),
					);
				}
				await create({
					room: room('feedback'),
					text: 'prioritised',
					customFields: { priority: 'low' },
				});
				const stored = host.timeline('feedback').at(-1);
				assert.equal(stored?.text, 'prioritised');
				assert.deepEqual(stored?.customFields, { priority: 'low' });
			});
		});

		it("validates with ajv against the admin's schema, refusing fields it does not declare", async () => {
			const schema = JSON.stringify({ properties: { feedbackId: { type: 'string' } } });
			await withServerSettings(
				{ Message_CustomFields_Enabled: true, Message_CustomFields: schema },
				async () => {
					assert.ok(await create({ room: room('feedback'), customFields: { feedbackId: 'f1' } }));
					await assert.rejects(
						create({ room: room('feedback'), customFields: { feedbackId: 7 } }),
						/^Error: Invalid custom fields$/,
					);
					await assert.rejects(
						create({ room: room('feedback'), customFields: { feedbackId: 'f1', extra: true } }),
						/^Error: Invalid custom fields$/,
					);
				},
			);
			await withServerSettings(
				{ Message_CustomFields_Enabled: true, Message_CustomFields: '{"type": "array"}' },
				() =>
					assert.rejects(
						create({ room: room('feedback'), customFields: { feedbackId: 'f1' } }),
						/^Error: Invalid custom fields config$/,
					),
			);
			await withServerSettings(
				{ Message_CustomFields_Enabled: true, Message_CustomFields: '' },
				() =>
					assert.rejects(
						create({ room: room('feedback'), customFields: { feedbackId: 'f1' } }),
						/Unexpected end of JSON input/,
					),
			);
		});

		it('refuses the app user and members in a read-only room; an admin may post', async () => {
			const announcements = room('announcements');
			assert.equal(announcements.isReadOnly, true, 'the fixture room is read-only');
			await assert.rejects(create({ room: announcements, text: 'news' }), (error: Error) =>
				READ_ONLY.test(error.message),
			);
			// An app may send as a member (MessageBuilder.setSender): admin holds post-readonly.
			assert.ok(
				await create({ room: announcements, text: 'from admin', sender: host.user('admin') }),
			);
			await assert.rejects(
				create({ room: announcements, text: 'from alice', sender: host.user('alice') }),
				(error: Error) => READ_ONLY.test(error.message),
			);
			// A member typing there is refused by the same rule (the sendMessage method).
			await assert.rejects(host.sendMessage('alice', 'announcements', 'hi'), (error: Error) =>
				READ_ONLY.test(error.message),
			);
			assert.deepEqual(
				host.timeline('announcements').map((message) => message.text),
				['from admin'],
			);
		});

		it('refuses a timestamp more than a minute off and stores the server time beyond 10 s', async () => {
			await assert.rejects(
				create({ room: room('general'), text: 'late', createdAt: new Date(Date.now() - 120_000) }),
				/^Error: Message timestamp is out of sync \[error-message-ts-out-of-sync\]$/,
			);
			const sentAt = new Date(Date.now() - 30_000);
			await create({ room: room('general'), text: 'slightly late', createdAt: sentAt });
			const stored = host.timeline('general').at(-1);
			assert.equal(stored?.text, 'slightly late');
			assert.ok(stored && stored.createdAt.getTime() > sentAt.getTime() + 20_000, 'server time');
			await host.waitForIdle();
		});

		it('refuses an ephemeral message (notifyUser) into a room that does not exist', async () => {
			const alice = host.user('alice');
			const notify = (roomId: string) =>
				host
					.engineBridges()
					.getMessageBridge()
					.doNotifyUser(
						alice,
						{ room: { ...room('general'), id: roomId }, sender: appUser, text: 'psst' },
						appId,
					);
			const before = host.notifications('alice').length;
			await assert.rejects(
				notify('no-such-room'),
				/^Error: Invalid room provided on the message\.$/,
			);
			assert.equal(host.notifications('alice').length, before);
			await notify(room('general').id);
			assert.equal(host.notifications('alice').length, before + 1);
		});

		it('notifyRoom needs the message room to exist, and tells no one in a room that does not', async () => {
			const bridge = host.engineBridges().getMessageBridge();
			const general = room('general');
			const missing = { ...general, id: 'no-such-room' };
			const before = host.notifications('bruno').length;
			await assert.rejects(
				bridge.doNotifyRoom(general, { room: missing, sender: appUser, text: 'all' }, appId),
				/^Error: Invalid room provided on the message\.$/,
			);
			await bridge.doNotifyRoom(missing, { room: general, sender: appUser, text: 'all' }, appId);
			assert.equal(host.notifications('bruno').length, before);
			await bridge.doNotifyRoom(general, { room: general, sender: appUser, text: 'all' }, appId);
			assert.equal(host.notifications('bruno').length, before + 1);
		});
	});

	describe('end-to-end encryption of direct rooms', () => {
		/** Starts the app user's direct room with a member through the room bridge, as the app does. */
		const startDirect = (username: string): Promise<string> =>
			host
				.engineBridges()
				.getRoomBridge()
				.doCreate(
					{ type: RoomType.DIRECT_MESSAGE, creator: appUser } as IRoom,
					[appUser.username, username],
					appId,
				);

		/** The direct room as the app reads it back (getDirectByUsernames). */
		const readDirect = async (username: string): Promise<IRoom> => {
			const found = await host
				.engineBridges()
				.getRoomBridge()
				.doGetDirectByUsernames([appUser.username, username], appId);
			assert.ok(found, `the direct room with ${username}`);
			return found;
		};

		it('creates a new direct room encrypted only with E2E_Enable and E2E_Enabled_Default_DirectRooms on, and leaves an existing one as it is', async () => {
			await withServerSettings({ E2E_Enabled_Default_DirectRooms: true }, async () => {
				await startDirect('alice');
			});
			assert.equal(isEncryptedRoom(await readDirect('alice')), false, 'E2E_Enable is off');
			await withServerSettings(
				{ E2E_Enable: true, E2E_Enabled_Default_DirectRooms: true },
				async () => {
					const id = await startDirect('clara');
					const clara = await readDirect('clara');
					assert.equal(clara.id, id);
					assert.equal(isEncryptedRoom(clara), true, 'created encrypted');
					assert.deepEqual(
						(clara as unknown as { _unmappedProperties_: unknown })._unmappedProperties_,
						{ encrypted: true },
						'where the server converter puts it',
					);
					assert.equal(await startDirect('alice'), (await readDirect('alice')).id);
					assert.equal(isEncryptedRoom(await readDirect('alice')), false, 'an existing room stays');
				},
			);
			assert.equal(isEncryptedRoom(await readDirect('clara')), true, 'it stays encrypted');
		});

		it('refuses plain messages in an encrypted room unless E2E_Allow_Unencrypted_Messages is on, for the app and for members', async () => {
			await withServerSettings(
				{ E2E_Enable: true, E2E_Enabled_Default_DirectRooms: true },
				async () => {
					await startDirect('dora');
				},
			);
			const direct = await readDirect('dora');
			assert.equal(isEncryptedRoom(direct), true);
			await withServerSettings({ E2E_Enable: true }, async () => {
				await assert.rejects(create({ room: direct, text: 'plain' }), (error: Error) =>
					UNENCRYPTED.test(error.message),
				);
				await assert.rejects(host.sendMessage('dora', direct.id, 'hi'), (error: Error) =>
					UNENCRYPTED.test(error.message),
				);
				assert.deepEqual(host.timeline(direct.id), [], 'nothing stored');
				// Other rooms are not concerned.
				assert.ok(await create({ room: room('general'), text: 'in general' }));
			});
			await withServerSettings(
				{ E2E_Enable: true, E2E_Allow_Unencrypted_Messages: true },
				async () => {
					assert.ok(await create({ room: direct, text: 'allowed' }));
				},
			);
			// With E2E_Enable off the server checks no room's encryption.
			assert.ok(await create({ room: direct, text: 'e2e off' }));
			assert.deepEqual(
				host.timeline(direct.id).map((message) => message.text),
				['allowed', 'e2e off'],
			);
		});
	});

	describe('server settings', () => {
		const reader = () =>
			new ServerSettingRead(host.engineBridges().getServerSettingBridge(), appId);

		it("answers the server's defaults through the app's reader", async () => {
			assert.equal(await reader().getValueById('Language'), '');
			assert.equal(await reader().getValueById('Message_CustomFields_Enabled'), false);
			assert.equal(
				await reader().getValueById('Message_CustomFields'),
				DEFAULT_MESSAGE_CUSTOM_FIELDS,
			);
			assert.equal(await reader().getValueById('Message_MaxAllowedSize'), 5000);
			// apps/meteor/server/settings/file-upload.ts and e2e.ts.
			assert.equal(await reader().getValueById('FileUpload_Enabled'), true);
			assert.equal(await reader().getValueById('FileUpload_Enabled_Direct'), true);
			assert.equal(await reader().getValueById('FileUpload_MediaTypeWhiteList'), '');
			assert.equal(await reader().getValueById('FileUpload_MediaTypeBlackList'), 'image/svg+xml');
			assert.equal(await reader().getValueById('E2E_Enable'), false);
			assert.equal(await reader().getValueById('E2E_Enabled_Default_DirectRooms'), false);
			assert.equal(await reader().getValueById('E2E_Allow_Unencrypted_Messages'), false);
		});

		it('throws the server bridge error for an unknown setting', async () => {
			await assert.rejects(
				reader().getValueById('No_Such_Setting'),
				/^Error: The setting "No_Such_Setting" is not readable\.$/,
			);
			assert.equal(await reader().isReadableById('No_Such_Setting'), false);
			assert.equal(await reader().isReadableById('Language'), true);
		});

		it('stores changes in the database, where every instance reads them', async () => {
			host.setServerSetting('Language', 'de');
			try {
				assert.equal(await reader().getValueById('Language'), 'de');
				const otherInstance = openDatabase(databasePath);
				try {
					assert.equal(new ServerSettings(otherInstance).value('Language'), 'de');
				} finally {
					otherInstance.close();
				}
				const listed = host.serverSettings().find((setting) => setting.id === 'Language');
				assert.deepEqual(listed, {
					id: 'Language',
					type: 'language',
					value: 'de',
					packageValue: '',
					changed: true,
				});
			} finally {
				host.resetServerSetting('Language');
			}
			assert.equal(await reader().getValueById('Language'), '');
		});

		it('refuses an unknown id or a value of the wrong type from the host API', () => {
			assert.throws(() => host.setServerSetting('No_Such_Setting', 1), /Unknown server setting/);
			assert.throws(
				() => host.setServerSetting('Message_CustomFields_Enabled', 'yes'),
				/is of type boolean/,
			);
			assert.throws(() => host.setServerSetting('Message_MaxAllowedSize', 1.5), /is of type int/);
		});
	});

	describe('members as the server converter gives them', () => {
		const userByName = (username: string) =>
			host.engineBridges().getUserBridge().doGetByUsername(username, appId);

		it('carries a language only for members who chose one', async () => {
			const dora = await userByName('dora');
			assert.equal(dora.name, 'Dora Diaz');
			assert.deepEqual(dora.roles, ['user']);
			assert.deepEqual(dora.settings, { preferences: {} });
			assert.deepEqual((await userByName('bruno')).settings, {
				preferences: { language: 'pt-BR' },
			});
		});

		it('gives the app user the same shape, with the app role only', async () => {
			const user = await host.engineBridges().getUserBridge().doGetAppUser(appId);
			assert.ok(user);
			assert.deepEqual(user.settings, { preferences: {} });
			assert.deepEqual(user.roles, ['app']);
			assert.equal(user.username, appUser.username);
		});
	});
});
