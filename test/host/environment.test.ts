import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import { appEnvironmentPrefix } from '../../host/bridges/environment';
import { LocalHost } from '../../host/drivers/local-host';
import { projectRoot } from '../../host/paths';
import { type IBlocksFixture, startBlocksApp, stopBlocksApp } from '../support/test-apps';

// The environment variables an app reads, as Rocket.Chat's
// apps/meteor/app/apps/server/bridges/environmental.ts answers them: NODE_ENV, ROOT_URL,
// INSTANCE_IP and the app's own RC_APPS_<ID>… names, behind the engine's `env.read` permission.

const BLOCKS_APP_ID = '5b1f3c9e-7a42-4d1e-9c3b-0f6a2e8d4b17';
const SCHEDULER_APP_ID = '9d2e6f41-3c8a-4b7e-a1f5-6e0c2d9b8a34';
const SCHEDULER_APP_ZIP = path.join(projectRoot(), 'dist', 'test-apps', 'scheduler-test_1.0.0.zip');
const OWN_SECRET = `${appEnvironmentPrefix(BLOCKS_APP_ID)}_SECRET`;
const SCHEDULER_OWN_SECRET = `${appEnvironmentPrefix(SCHEDULER_APP_ID)}_SECRET`;
// Set in the test process's own environment: the host must not hand it to the app.
const MACHINE_ONLY = `${appEnvironmentPrefix(BLOCKS_APP_ID)}_FROM_MACHINE`;

/** What a read answered: its value, or the error the app caught. */
type Outcome = { answer: unknown } | { error: string };

/** What the test app logged for one name: isReadable, isSet and getValueByName. */
interface IEnvironmentRead {
	name: string;
	readable: Outcome;
	set: Outcome;
	value: Outcome;
}

const notReadable = (name: string): Outcome => ({
	error: `The environmental variable "${name}" is not readable.`,
});

/** Runs `/blocks env <name>` and returns what the blocks app read and told alice. */
async function readAs(host: LocalHost, name: string): Promise<IEnvironmentRead> {
	const { notifications } = await host.runSlashCommand('alice', 'general', `/blocks env ${name}`);
	const texts = notifications.map((notification) => notification.message.text ?? '');
	const [told] = texts.filter((text) => text.startsWith('env '));
	assert.ok(told, `the app told its read of ${name}: ${JSON.stringify(texts)}`);
	return JSON.parse(told.slice('env '.length)) as IEnvironmentRead;
}

describe('environment variables an app reads (blocks test app, with env.read)', () => {
	let fixture: IBlocksFixture;

	before(async () => {
		process.env[MACHINE_ONLY] = 'machine';
		fixture = await startBlocksApp({
			environment: {
				[OWN_SECRET]: 'own secret',
				[SCHEDULER_OWN_SECRET]: 'other secret',
				ROOT_URL: 'https://chat.example.com',
				MONGO_URL: 'mongodb://secret',
			},
		});
	});

	after(async () => {
		delete process.env[MACHINE_ONLY];
		await stopBlocksApp(fixture);
	});

	it('builds the prefix as the server does: the id uppercased, dashes as underscores', () => {
		assert.equal(
			appEnvironmentPrefix(BLOCKS_APP_ID),
			'RC_APPS_5B1F3C9E_7A42_4D1E_9C3B_0F6A2E8D4B17',
		);
	});

	it('reads the app’s own variable that the operator set', async () => {
		assert.deepEqual(await readAs(fixture.host, OWN_SECRET), {
			name: OWN_SECRET,
			readable: { answer: true },
			set: { answer: true },
			value: { answer: 'own secret' },
		});
	});

	it('lets the app read any name under its prefix, in any case, looked up as given', async () => {
		// The server compares names uppercased but reads process.env by the name as given.
		const lowerCase = OWN_SECRET.toLowerCase();
		assert.deepEqual(await readAs(fixture.host, lowerCase), {
			name: lowerCase,
			readable: { answer: true },
			set: { answer: false },
			value: { answer: null },
		});
		// No `_` after the id is needed: the server matches the prefix alone.
		const unset = `${appEnvironmentPrefix(BLOCKS_APP_ID)}UNSET`;
		assert.deepEqual(await readAs(fixture.host, unset), {
			name: unset,
			readable: { answer: true },
			set: { answer: false },
			value: { answer: null },
		});
	});

	it('never hands the app the machine’s own environment', async () => {
		assert.deepEqual(await readAs(fixture.host, MACHINE_ONLY), {
			name: MACHINE_ONLY,
			readable: { answer: true },
			set: { answer: false },
			value: { answer: null },
		});
	});

	it('refuses another app’s variable as the server does, even when it is set', async () => {
		assert.deepEqual(await readAs(fixture.host, SCHEDULER_OWN_SECRET), {
			name: SCHEDULER_OWN_SECRET,
			readable: { answer: false },
			set: notReadable(SCHEDULER_OWN_SECRET),
			value: notReadable(SCHEDULER_OWN_SECRET),
		});
	});

	it('refuses a name outside the allow-list as the server does, even when it is set', async () => {
		assert.deepEqual(await readAs(fixture.host, 'MONGO_URL'), {
			name: 'MONGO_URL',
			readable: { answer: false },
			set: notReadable('MONGO_URL'),
			value: notReadable('MONGO_URL'),
		});
	});

	it('reads the allow-list: the operator’s ROOT_URL, the host’s NODE_ENV and INSTANCE_IP', async () => {
		const answers: Record<string, unknown> = {};
		for (const name of ['ROOT_URL', 'NODE_ENV', 'INSTANCE_IP']) {
			const read = await readAs(fixture.host, name);
			assert.deepEqual(read.readable, { answer: true }, name);
			assert.deepEqual(read.set, { answer: true }, name);
			answers[name] = read.value;
		}
		assert.deepEqual(answers, {
			ROOT_URL: { answer: 'https://chat.example.com' },
			NODE_ENV: { answer: 'development' },
			INSTANCE_IP: { answer: '127.0.0.1' },
		});
	});
});

describe('environment variables an app without env.read reads (scheduler test app)', () => {
	let host: LocalHost;
	let folder: string;

	before(async () => {
		assert.ok(fs.existsSync(SCHEDULER_APP_ZIP), `no package at ${SCHEDULER_APP_ZIP}`);
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'environment-'));
		host = await LocalHost.start({
			databasePath: path.join(folder, 'host.sqlite'),
			zipPath: SCHEDULER_APP_ZIP,
			schedulerProcessEveryMs: false,
			environment: { [SCHEDULER_OWN_SECRET]: 'scheduler secret' },
		});
	});

	after(async () => {
		await host.stop();
		fs.rmSync(folder, { recursive: true, force: true });
	});

	it('gets nothing back, even for its own variable: the engine checks env.read first', async () => {
		for (const name of [SCHEDULER_OWN_SECRET, 'NODE_ENV']) {
			await host.runSlashCommand('alice', 'general', `/scheduler-test env ${name}`);
		}
		const reads = (await host.persistence.readByAssociations(
			[new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'env')],
			SCHEDULER_APP_ID,
		)) as IEnvironmentRead[];
		const nothing = { answer: null };
		assert.deepEqual(
			reads.map((read) => read.name).sort(),
			[SCHEDULER_OWN_SECRET, 'NODE_ENV'].sort(),
		);
		for (const read of reads) {
			assert.deepEqual(read, { name: read.name, readable: nothing, set: nothing, value: nothing });
		}
	});
});
