import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

import type {
	IAppAccessors,
	IConfigurationExtend,
	IEnvironmentRead,
	ILogger,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import type { ISlashCommand } from '@rocket.chat/apps-engine/definition/slashcommands';

import * as main from '../../FeedbackApp';
import { SettingId } from '../../src/domain/settings';
import { ANNOUNCEMENT_PROCESSOR_ID } from '../../src/handlers/AnnouncementJob';
import { DIGEST_CHECK_PROCESSOR_ID } from '../../src/handlers/DigestJob';
import { FOLLOW_DIGEST_PROCESSOR_ID } from '../../src/handlers/FollowDigestJob';
import { PENDING_FORMS_PROCESSOR_ID } from '../../src/handlers/PendingFormsJob';
import { STATUS_NOTICE_PROCESSOR_ID } from '../../src/handlers/StatusNoticeJob';
import { SURVEY_ROUND_PROCESSOR_ID } from '../../src/handlers/SurveyRoundJob';
import { UPKEEP_PROCESSOR_ID } from '../../src/handlers/UpkeepJob';
import { VOTE_COUNT_PROCESSOR_ID } from '../../src/handlers/VoteCountJob';
import { WE_DID_PROCESSOR_ID } from '../../src/handlers/WeDidJob';
import { RecordingLogger } from '../support/TestWorld';

const ROOT = resolve(__dirname, '../../..');

interface Manifest {
	id: string;
	requiredApiVersion: string;
	classFile: string;
	implements: Array<string>;
	permissions: Array<{ name: string }>;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'app.json'), 'utf8')) as Manifest;

describe('FeedbackApp wiring', () => {
	it('the main file exports the app class and nothing else (the runtime takes the first export)', () => {
		assert.deepEqual(Object.keys(main), ['FeedbackApp']);
	});

	it('provides every setting, the /feedback command and its recurring jobs', async () => {
		const settings: Array<ISetting> = [];
		const commands: Array<ISlashCommand> = [];
		const processors: Array<IProcessor> = [];
		const configuration = {
			settings: { provideSetting: async (setting: ISetting) => void settings.push(setting) },
			slashCommands: {
				provideSlashCommand: async (command: ISlashCommand) => void commands.push(command),
			},
			scheduler: {
				registerProcessors: async (given: Array<IProcessor>) => void processors.push(...given),
			},
		} as unknown as IConfigurationExtend;
		const info = {
			...manifest,
			name: 'Feedback',
			version: '1.0.0',
			author: { name: 'test' },
		} as unknown as IAppInfo;
		const app = new main.FeedbackApp(
			info,
			new RecordingLogger().logger as ILogger,
			{} as IAppAccessors,
		);
		const extend = (
			app as unknown as {
				extendConfiguration(c: IConfigurationExtend, e: IEnvironmentRead): Promise<void>;
			}
		).extendConfiguration;
		await extend.call(app, configuration, {} as IEnvironmentRead);
		assert.deepEqual(settings.map((setting) => setting.id).sort(), Object.values(SettingId).sort());
		assert.deepEqual(
			commands.map((command) => command.command),
			['feedback'],
		);
		assert.equal(commands[0].i18nDescription, 'command_description');
		assert.deepEqual(
			processors.map((processor) => [processor.id, processor.startupSetting?.type]),
			[
				[ANNOUNCEMENT_PROCESSOR_ID, StartupType.RECURRING],
				[PENDING_FORMS_PROCESSOR_ID, StartupType.RECURRING],
				[DIGEST_CHECK_PROCESSOR_ID, StartupType.RECURRING],
				[UPKEEP_PROCESSOR_ID, StartupType.RECURRING],
				[STATUS_NOTICE_PROCESSOR_ID, StartupType.RECURRING],
				[FOLLOW_DIGEST_PROCESSOR_ID, StartupType.RECURRING],
				[SURVEY_ROUND_PROCESSOR_ID, StartupType.RECURRING],
				[VOTE_COUNT_PROCESSOR_ID, StartupType.RECURRING],
				[WE_DID_PROCESSOR_ID, StartupType.RECURRING],
			],
		);
	});
});

describe('app.json', () => {
	it('declares what the app implements and exactly the permissions it uses', () => {
		assert.match(
			manifest.id,
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		assert.equal(manifest.classFile, 'FeedbackApp.ts');
		assert.deepEqual([...manifest.implements].sort(), [
			'IPostMessageSent',
			'IUIKitInteractionHandler',
		]);
		// env.read: the survey secret (src/settings/surveySecret.ts).
		assert.deepEqual(manifest.permissions.map((permission) => permission.name).sort(), [
			'env.read',
			'message.read',
			'message.write',
			'persistence',
			'room.read',
			'room.write',
			'scheduler',
			'server-setting.read',
			'slashcommand',
			'ui.interact',
			'upload.write',
			'user.read',
		]);
	});

	it('asks for the Apps-Engine that introduced getMessages with options (1.44), not the one it is built with', () => {
		assert.equal(manifest.requiredApiVersion, '^1.44.0');
	});
});
