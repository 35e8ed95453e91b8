import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ClusterInstance, startCluster } from '../../host/cluster';
import type { IMessageOrder } from '../../host/instance-process';
import { defaultZipPath } from '../../host/paths';
import type { IOpenView } from '../../host/session-state';
import { timed } from '../engine/timing';

const zipPath = process.env.LOCAL_HOST_ZIP ?? defaultZipPath();
const USERS = ['alice', 'bruno', 'clara'];
const ROOMS = ['general', 'feedback'];

let nextSeq = 0;
/** Numbered messages from several users in several rooms. */
function orders(count: number): IMessageOrder[] {
	return Array.from({ length: count }, () => {
		nextSeq += 1;
		return {
			seq: nextSeq,
			username: USERS[nextSeq % USERS.length],
			roomName: ROOMS[nextSeq % ROOMS.length],
			text: `message ${nextSeq}`,
		};
	});
}

/** A number an admin's /feedback stats reports, by the start of its line. */
async function statOf(instance: ClusterInstance, line: RegExp): Promise<number> {
	const text = (await instance.command('admin', 'general', '/feedback stats')).join('\n');
	const match = new RegExp(`${line.source}\\s*(\\d+)`).exec(text);
	assert.ok(match, `no ${line.source} in ${text}`);
	return Number(match[1]);
}

const messagesCounted = (instance: ClusterInstance) =>
	statOf(instance, /Messages sent on the server:/);
const feedbackCounted = (instance: ClusterInstance) => statOf(instance, /Feedback received:/);

describe('three instances on one database', () => {
	let folder: string;
	let cluster: ClusterInstance[];
	let databasePath: string;
	let sent = 0;

	before(async () => {
		assert.ok(fs.existsSync(zipPath), `no package at ${zipPath}: run npm run package first`);
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-test-'));
		databasePath = path.join(folder, 'cluster.sqlite');
		cluster = await timed('cluster start (3 instances)', () =>
			startCluster(3, databasePath, zipPath),
		);
	});

	after(async () => {
		await Promise.all((cluster ?? []).map((instance) => instance.stop()));
		fs.rmSync(folder, { recursive: true, force: true });
	});

	it('counts several thousand messages sent to all instances at once exactly', async () => {
		const perInstance = 1200;
		const failures = await timed(`${perInstance * 3} messages, 64 at once per instance`, () =>
			Promise.all(cluster.map((instance) => instance.deliver(orders(perInstance), 64))),
		);
		sent += perInstance * 3;
		assert.deepEqual(failures, [0, 0, 0]);
		for (const instance of cluster) {
			assert.equal(await messagesCounted(instance), sent, `${instance.name} reports every message`);
		}
	});

	it('stats read on one instance while the others write never go backwards', async () => {
		const seen: number[] = [];
		let loading = true;
		const load = Promise.all(cluster.slice(1).map((instance) => instance.deliver(orders(600), 32)));
		void load.finally(() => {
			loading = false;
		});
		while (loading) {
			seen.push(await messagesCounted(cluster[0]));
		}
		assert.deepEqual(await load, [0, 0]);
		sent += 1200;
		seen.push(await messagesCounted(cluster[0]));
		assert.ok(seen.length > 3, `stats were read ${seen.length} times during the load`);
		for (let index = 1; index < seen.length; index += 1) {
			assert.ok(
				seen[index] >= seen[index - 1],
				`stats went from ${seen[index - 1]} to ${seen[index]}`,
			);
		}
		assert.equal(seen[seen.length - 1], sent);
	});

	it('stores every distinct submission once when one member submits on several instances and one view twice', async () => {
		const before = await feedbackCounted(cluster[0]);
		const views: IOpenView[] = [];
		for (const instance of cluster) {
			await instance.command('alice', 'general', '/feedback');
			const view = await instance.openView('alice');
			assert.ok(view, `${instance.name} opened the form`);
			views.push(view);
		}
		const submits = await timed('4 concurrent submits on 3 instances', () =>
			Promise.all([
				...cluster.map((instance, index) =>
					instance.submit('alice', views[index], {
						comment: `from ${instance.name}`,
						category: 'Bug',
					}),
				),
				// The first form again, on another instance, at the same time (a double click).
				cluster[1].submit('alice', views[0], {
					comment: `from ${cluster[0].name}`,
					category: 'Bug',
				}),
			]),
		);
		assert.ok(
			submits.every((submit) => submit.accepted),
			JSON.stringify(submits),
		);
		assert.equal(await feedbackCounted(cluster[2]), before + 3);
		const list = (await cluster[1].command('alice', 'general', '/feedback list')).join('\n');
		for (const instance of cluster) {
			assert.equal(
				list.split(`from ${instance.name}`).length - 1,
				1,
				`one entry from ${instance.name}`,
			);
		}
	});

	it('an instance killed mid-load loses only its unfinished messages, counts nothing twice, and comes back', async () => {
		const before = await messagesCounted(cluster[0]);
		const victim = cluster[2];
		const load = orders(1500);
		const survivors = Promise.all(
			cluster.slice(0, 2).map((instance) => instance.deliver(orders(800), 32)),
		);
		const doomed = victim.deliver(load, 32).catch(() => -1);
		while (victim.delivered.size < 300) {
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		await timed('SIGKILL an instance', () => victim.kill());
		assert.equal(await doomed, -1, 'the killed instance never answered');
		assert.deepEqual(await survivors, [0, 0]);
		const completedOnVictim = load.filter(
			(order) =>
				victim.delivered.get(order.seq)?.error === undefined && victim.delivered.has(order.seq),
		).length;
		const restarted = await timed('restart the killed instance', () =>
			ClusterInstance.start(victim.name, databasePath, zipPath),
		);
		cluster[2] = restarted;
		assert.equal(await restarted.deliver(orders(100), 16), 0);
		const counted = (await messagesCounted(cluster[0])) - before;
		const sureToCount = 2 * 800 + completedOnVictim + 100;
		assert.ok(
			counted >= sureToCount,
			`counted ${counted}, but ${sureToCount} handlers had completed`,
		);
		// Only messages in flight at the kill may be counted without their completion having been seen.
		assert.ok(counted <= sureToCount + 32, `counted ${counted}: more than were in flight`);
		sent += counted;
		assert.equal(await messagesCounted(restarted), sent);
	});

	it('with a share of persistence calls failing, members get clear errors and no count exceeds what is stored', async () => {
		const feedbackBefore = await feedbackCounted(cluster[0]);
		const messagesBefore = await messagesCounted(cluster[0]);
		await Promise.all(
			cluster.map((instance, index) => instance.setFaultInjection({ rate: 0.25, seed: 7 + index })),
		);
		let accepted = 0;
		const outcomes: string[] = [];
		for (let round = 0; round < 12; round += 1) {
			const instance = cluster[round % 3];
			const username = USERS[round % 3];
			const told = (await instance.command(username, 'general', '/feedback')).join('\n');
			const view = await instance.openView(username);
			if (!view) {
				assert.match(
					told,
					/could not|Please try again|nicht|No se|não/i,
					'a failed open is explained',
				);
				outcomes.push('open failed');
				continue;
			}
			const result = await instance.submit(username, view, {
				comment: `faulty round ${round}`,
				category: 'Idea',
			});
			if (result.accepted) {
				accepted += 1;
				outcomes.push('stored');
			} else {
				assert.ok(
					Object.values(result.errors).every((text) => text.length > 0),
					'an inline error says why',
				);
				outcomes.push('refused');
			}
		}
		const messageFailures = await Promise.all(
			cluster.map((instance) => instance.deliver(orders(200), 16)),
		);
		await Promise.all(cluster.map((instance) => instance.setFaultInjection({ rate: 0 })));
		const storedNow = (await feedbackCounted(cluster[0])) - feedbackBefore;
		assert.ok(outcomes.includes('stored'), outcomes.join(', '));
		assert.ok(storedNow >= accepted, `${accepted} accepted, ${storedNow} counted`);
		// A submit refused after its record was written would be counted without being accepted;
		// faults here fail before the write, so every count is an accepted submit.
		assert.equal(storedNow, accepted, outcomes.join(', '));
		const messagesNow = (await messagesCounted(cluster[0])) - messagesBefore;
		assert.ok(messagesNow <= 600, `${messagesNow} counted of 600 sent`);
		// Increments whose write failed ride along with the next write of the same instance.
		await Promise.all(cluster.map((instance) => instance.deliver(orders(1), 1)));
		assert.equal(
			(await messagesCounted(cluster[0])) - messagesBefore,
			603,
			`failures: ${messageFailures.join(', ')}`,
		);
	});
});
