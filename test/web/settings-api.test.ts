import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { call, databaseSnapshot, errorOf, startTestServer } from './web-fixture';
import type { ITestServer } from './web-fixture';
import type {
	IEffectiveValueDto,
	ISettingDto,
	ISettingsDto,
	IUpdateSettingResultDto,
} from '../../web/shared/protocol';

describe('the admin panel’s settings API', () => {
	let test: ITestServer;

	before(async () => {
		test = await startTestServer();
	});

	after(async () => {
		await test?.stop();
	});

	/** Changes an app setting as the admin and returns what the app will use of it. */
	async function putAppSetting(
		id: string,
		value: unknown,
	): Promise<IEffectiveValueDto | undefined> {
		const answer = await call(test.server, 'PUT', `/api/settings/${id}`, {
			user: 'admin',
			json: { value },
		});
		assert.equal(answer.status, 200, JSON.stringify(answer.body));
		return (answer.body as IUpdateSettingResultDto).setting.inEffect;
	}

	it('shows what the app uses of each stored value', async () => {
		const answer = await call(test.server, 'GET', '/api/settings', { user: 'admin' });
		assert.equal(answer.status, 200);
		const { settings } = answer.body as ISettingsDto;
		assert.deepEqual(
			Object.fromEntries(settings.map((setting) => [setting.id, setting.inEffect])),
			{
				feedback_categories: { value: 'General, Bug, Idea, Praise' },
				feedback_max_comment_length: { value: '2000' },
				feedback_allow_anonymous: { value: 'on' },
				feedback_admin_roles: { value: 'admin' },
				feedback_announce_room: { value: 'no announcements' },
				feedback_we_did_posts: { value: 'off' },
				feedback_digest_enabled: { value: 'off' },
				feedback_digest_weekday: { value: 'monday' },
				feedback_digest_hour: { value: '9:00 UTC' },
				feedback_digest_room: { value: 'no digest' },
			},
		);
	});

	it('says why the app does not use a value as typed', async () => {
		assert.deepEqual(await putAppSetting('feedback_max_comment_length', 0), {
			value: '2000',
			ignored: true,
			note: '0 is not a whole number of at least 1: the form uses the default, 2000.',
		});
		assert.deepEqual(await putAppSetting('feedback_max_comment_length', 20000), {
			value: '10000',
			ignored: true,
			note: "20000 is above the app's ceiling: the form accepts at most 10000 characters.",
		});
		assert.deepEqual(await putAppSetting('feedback_max_comment_length', 500), { value: '500' });
		assert.match(
			(await putAppSetting('feedback_categories', ' , ,'))?.note ?? '',
			/^No category is given: the form offers the defaults, General, Bug, Idea, Praise\.$/,
		);
		assert.deepEqual(await putAppSetting('feedback_categories', 'Bug, Bug ,Idea'), {
			value: 'Bug, Idea',
		});
		assert.match(
			(await putAppSetting('feedback_admin_roles', ''))?.note ?? '',
			/No role is given: the app uses the default, admin/,
		);
		assert.deepEqual(await putAppSetting('feedback_announce_room', 'nowhere'), {
			value: 'no announcements',
			ignored: true,
			note: 'There is no room "nowhere" in this workspace: the app logs a warning and announces nothing.',
		});
		assert.deepEqual(await putAppSetting('feedback_we_did_posts', true), {
			value: 'off',
			ignored: true,
			note: 'No announcement room exists: the app logs a warning and posts nothing.',
		});
		assert.match(
			(await putAppSetting('feedback_announce_room', 'announcements'))?.note ?? '',
			/#announcements is read-only and the app user lacks post-readonly/,
		);
		assert.deepEqual(await putAppSetting('feedback_announce_room', '#feedback'), {
			value: '#feedback',
		});
		assert.deepEqual(await putAppSetting('feedback_we_did_posts', true), { value: 'on' });
		assert.deepEqual(await putAppSetting('feedback_we_did_posts', false), { value: 'off' });
	});

	it('shows and changes the server settings the app reads', async () => {
		const listed = await call(test.server, 'GET', '/api/settings', { user: 'admin' });
		const server = (listed.body as ISettingsDto).serverSettings;
		assert.deepEqual(
			server.map((setting) => [setting.id, setting.type, setting.value]),
			[
				['Language', 'select', ''],
				['Message_MaxAllowedSize', 'int', 5000],
				['FileUpload_MaxFileSize', 'int', 104857600],
				['FileUpload_Enabled', 'boolean', true],
				['FileUpload_Enabled_Direct', 'boolean', true],
				['FileUpload_MediaTypeWhiteList', 'string', ''],
				['FileUpload_MediaTypeBlackList', 'string', 'image/svg+xml'],
				['E2E_Enable', 'boolean', false],
				['E2E_Allow_Unencrypted_Messages', 'boolean', false],
				['E2E_Enabled_Default_DirectRooms', 'boolean', false],
				['Message_CustomFields_Enabled', 'boolean', false],
				[
					'Message_CustomFields',
					'code',
					server.find((setting) => setting.id === 'Message_CustomFields')?.packageValue,
				],
				['Message_KeepHistory', 'boolean', false],
			],
		);
		for (const [id, value] of [
			['Message_CustomFields_Enabled', true],
			['Language', 'pt-BR'],
			['Message_CustomFields', '{"properties": {"feedbackId": {"type": "string"}}}'],
			['Message_MaxAllowedSize', 500],
			['FileUpload_Enabled_Direct', false],
			['FileUpload_MediaTypeWhiteList', 'image/*'],
			['E2E_Enabled_Default_DirectRooms', true],
		] as const) {
			const answer = await call(test.server, 'PUT', `/api/server-settings/${id}`, {
				user: 'admin',
				json: { value },
			});
			assert.equal(answer.status, 200, JSON.stringify(answer.body));
			assert.equal((answer.body as { setting: ISettingDto }).setting.value, value);
			const stored = test.server.host.serverSettings().find((setting) => setting.id === id);
			assert.equal(stored?.value, value, `${id} reached the host`);
		}
	});

	it('refuses bad server setting changes with a 4xx and writes nothing', async () => {
		const before = databaseSnapshot(test.databasePath);
		const cases: Array<[string, string, unknown, number, RegExp]> = [
			['alice', 'Language', 'de', 403, /alice is not a workspace admin/],
			['admin', 'Site_Name', 'x', 404, /No server setting "Site_Name" here; settings: Language, /],
			['admin', 'Message_CustomFields_Enabled', 'yes', 400, /\(boolean\) needs true or false/],
			['admin', 'Language', 'not a language', 400, /needs a language tag such as en or pt-BR/],
			['admin', 'Language', 42, 400, /\(language\) needs a string/],
			['admin', 'Message_CustomFields', 'x'.repeat(5001), 400, /at most 5000 characters/],
		];
		for (const [user, id, value, status, error] of cases) {
			const answer = await call(test.server, 'PUT', `/api/server-settings/${id}`, {
				user,
				json: { value },
			});
			assert.equal(answer.status, status, `${id}=${String(value).slice(0, 20)}`);
			assert.match(errorOf(answer), error);
		}
		const noValue = await call(test.server, 'PUT', '/api/server-settings/Language', {
			user: 'admin',
			json: {},
		});
		assert.equal(noValue.status, 400);
		assert.match(errorOf(noValue), /needs a field "value"/);
		assert.equal(databaseSnapshot(test.databasePath), before, 'nothing was written');
	});
});
