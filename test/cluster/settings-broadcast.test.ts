// An app setting change reaches every instance of a cluster, as Rocket.Chat broadcasts it
// ('apps.settingUpdated' → updateAppSetting, and so onSettingUpdated, on each instance).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { type ClusterInstance, defaultZipPath, startCluster, viewFields } from '../../host';
import { timed } from '../engine/timing';
import { settingBroadcastsSettled } from '../support/cluster-harness';

const zipPath = process.env.LOCAL_HOST_ZIP ?? defaultZipPath();
const MAX_LENGTH = 'feedback_max_comment_length';
/** The value of an app setting as one instance holds it in memory (its default until set). */
async function settingOn(instance: ClusterInstance, id: string): Promise<unknown> {
	const setting = (await instance.appSettings())[id];
	return setting?.value ?? setting?.packageValue;
}

/** The comment field's maxLength in the form the app opens for a member on an instance. */
async function formMaxLength(instance: ClusterInstance, username: string): Promise<unknown> {
	await instance.command(username, 'general', '/feedback');
	const open = await instance.openView(username);
	assert.ok(open, `${instance.name} opened the form for ${username}`);
	const comment = viewFields(open.view).find((field) => field.actionId === 'comment');
	assert.ok(comment, 'the form has a comment field');
	return comment.element.maxLength;
}

describe('app settings on a cluster of three instances', () => {
	let folder: string;
	let cluster: ClusterInstance[];

	before(async () => {
		assert.ok(fs.existsSync(zipPath), `no package at ${zipPath}: run npm run package first`);
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-broadcast-test-'));
		cluster = await timed('cluster start (3 instances)', () =>
			startCluster(3, path.join(folder, 'cluster.sqlite'), zipPath),
		);
	});

	after(async () => {
		await Promise.all((cluster ?? []).map((instance) => instance.stop()));
		fs.rmSync(folder, { recursive: true, force: true });
	});

	it('a change through one instance runs updateAppSetting on every other instance', async () => {
		const [first, second, third] = cluster;
		for (const instance of cluster) {
			assert.equal(
				await settingOn(instance, MAX_LENGTH),
				2000,
				`${instance.name} starts at the default`,
			);
		}
		await first.setSetting(MAX_LENGTH, 1234);
		await settingBroadcastsSettled();
		for (const instance of cluster) {
			assert.equal(
				await settingOn(instance, MAX_LENGTH),
				1234,
				`${instance.name} holds the new value`,
			);
			assert.deepEqual(instance.broadcastErrors, []);
		}
		// The others applied it (the engine's updateAppSetting, which calls onSettingUpdated);
		// the instance that made the change skipped its own broadcast, as the server does.
		// An echo can reach an instance still applying the first delivery, which then applies
		// the same value again: the server's check-then-update has the same race.
		const applied = (instance: ClusterInstance) =>
			instance.appliedSettings
				.filter((change) => change.id === MAX_LENGTH)
				.map((change) => change.value);
		assert.deepEqual(applied(first), []);
		for (const other of [second, third]) {
			assert.ok(applied(other).length >= 1, `${other.name} ran updateAppSetting`);
			assert.ok(applied(other).every((value) => value === 1234));
		}
		// And the app on another instance acts on it: its form allows 1234 characters.
		assert.equal(await formMaxLength(third, 'alice'), 1234);
	});

	it('a change through another instance reaches the first as well', async () => {
		const [first, second, third] = cluster;
		await second.setSetting(MAX_LENGTH, 900);
		await settingBroadcastsSettled();
		for (const instance of cluster) {
			assert.equal(
				await settingOn(instance, MAX_LENGTH),
				900,
				`${instance.name} holds the new value`,
			);
		}
		const appliedCount = (instance: ClusterInstance) =>
			instance.appliedSettings.filter((change) => change.value === 900).length;
		assert.equal(appliedCount(second), 0, 'the instance that made the change skips its echo');
		assert.ok(appliedCount(first) >= 1 && appliedCount(third) >= 1, 'the others applied it');
		assert.equal(await formMaxLength(first, 'bruno'), 900);
	});

	it('server settings live in the shared database: every instance reads a change at once', async () => {
		const [first, second, third] = cluster;
		await first.setServerSetting('Language', 'pt-BR');
		for (const instance of [second, third]) {
			const language = (await instance.serverSettings()).find(
				(setting) => setting.id === 'Language',
			);
			assert.equal(language?.value, 'pt-BR', `${instance.name} reads the new workspace language`);
		}
	});
});
