// Three instances on one SQLite file, as a Rocket.Chat cluster. Every test builds its own cluster
// on a fresh database (withCluster), so any test passes alone (--test-name-pattern), and every
// wait ends at a deadline. No outcome depends on how fast the machine is: where a test needs
// reads during writes, it drives the writes in steps and reads inside each step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ClusterInstance, IMessageOrder, IOpenView } from '../../host';
import { timed } from '../engine/timing';
import { withCluster } from '../support/cluster-harness';
import { until, withDeadline } from '../support/until';

const USERS = ['alice', 'bruno', 'clara'];
const ROOMS = ['general', 'feedback'];
/** A test's own deadline, cluster start and teardown included. */
const TEST_TIMEOUT_MS = 180_000;

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

/** Delivers messages through an instance, with a deadline; resolves with the failure count. */
function deliver(instance: ClusterInstance, load: IMessageOrder[], concurrency: number) {
	return withDeadline(
		instance.deliver(load, concurrency),
		`${instance.name} to deliver ${load.length} messages`,
	);
}

/** A number an admin's /feedback stats reports, by the start of its line. */
async function statOf(instance: ClusterInstance, line: RegExp): Promise<number> {
	const text = (
		await withDeadline(
			instance.command('admin', 'general', '/feedback stats'),
			`/feedback stats on ${instance.name}`,
		)
	).join('\n');
	const match = new RegExp(`${line.source}\\s*(\\d+)`).exec(text);
	assert.ok(match, `no ${line.source} in ${text}`);
	return Number(match[1]);
}

const messagesCounted = (instance: ClusterInstance) =>
	statOf(instance, /Messages sent on the server:/);
const feedbackCounted = (instance: ClusterInstance) => statOf(instance, /Feedback received:/);

describe('message counting on three instances', () => {
	it(
		'counts several thousand messages sent to all instances at once exactly',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({}, async ({ instances }) => {
				const perInstance = 1200;
				const failures = await timed(`${perInstance * 3} messages, 64 at once per instance`, () =>
					Promise.all(instances.map((instance) => deliver(instance, orders(perInstance), 64))),
				);
				assert.deepEqual(failures, [0, 0, 0]);
				for (const instance of instances) {
					assert.equal(
						await messagesCounted(instance),
						perInstance * 3,
						`${instance.name} reports every message`,
					);
				}
			}),
	);

	it(
		'stats read on one instance while the others write never go backwards',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({}, async ({ instances }) => {
				const [reader, ...writers] = instances;
				// The writes go in steps; inside each step the reader reads at least once before the
				// step's writes are awaited, and once after. So the number of reads does not depend
				// on the machine's speed: at least 2 per step, whatever the interleaving.
				const STEPS = 6;
				const PER_WRITER_PER_STEP = 100;
				const reads: Array<{ step: number; value: number; during: boolean }> = [];
				let written = 0;
				for (let step = 1; step <= STEPS; step += 1) {
					let writing = true;
					const writes = Promise.all(
						writers.map((writer) => deliver(writer, orders(PER_WRITER_PER_STEP), 16)),
					).finally(() => {
						writing = false;
					});
					do {
						reads.push({ step, value: await messagesCounted(reader), during: true });
					} while (writing);
					assert.deepEqual(await writes, [0, 0]);
					const before = written;
					written += PER_WRITER_PER_STEP * writers.length;
					for (const read of reads.filter((entry) => entry.step === step && entry.during)) {
						assert.ok(
							read.value >= before && read.value <= written,
							`step ${step}: read ${read.value}, outside ${before}..${written}`,
						);
					}
					const settled = await messagesCounted(reader);
					assert.equal(settled, written, `after step ${step} every message is counted`);
					reads.push({ step, value: settled, during: false });
				}
				assert.ok(reads.length >= 2 * STEPS, `${reads.length} reads`);
				for (let index = 1; index < reads.length; index += 1) {
					assert.ok(
						reads[index].value >= reads[index - 1].value,
						`stats went from ${reads[index - 1].value} to ${reads[index].value} (read ${index})`,
					);
				}
				const between = reads.filter(
					(read) => read.during && read.value % (PER_WRITER_PER_STEP * writers.length) !== 0,
				).length;
				console.log(
					`# ${reads.length} reads over ${STEPS} steps; ${between} saw a step half written`,
				);
			}),
	);

	it(
		'an instance killed mid-load loses only its unfinished messages, counts nothing twice, and comes back',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({}, async (cluster) => {
				const { instances } = cluster;
				const victim = instances[2];
				// Far more than are delivered before the kill (300): however fast the machine,
				// the victim is still busy when it dies.
				const load = orders(6000);
				const survivors = Promise.all(
					instances.slice(0, 2).map((instance) => deliver(instance, orders(800), 32)),
				);
				const doomed = victim.deliver(load, 32).catch(() => -1);
				await until(() => victim.delivered.size >= 300, `${victim.name} to deliver 300 messages`, {
					everyMs: 1,
					describe: () => `${victim.delivered.size} delivered`,
				});
				await timed('SIGKILL an instance', () => victim.kill());
				assert.equal(
					await withDeadline(doomed, 'the killed instance to fail its delivery'),
					-1,
					'the killed instance never answered',
				);
				assert.deepEqual(await survivors, [0, 0]);
				const completedOnVictim = load.filter(
					(order) =>
						victim.delivered.has(order.seq) && victim.delivered.get(order.seq)?.error === undefined,
				).length;
				const restarted = await timed('restart the killed instance', () =>
					cluster.startInstance(victim.name),
				);
				instances[2] = restarted;
				assert.equal(await deliver(restarted, orders(100), 16), 0);
				const counted = await messagesCounted(instances[0]);
				const sureToCount = 2 * 800 + completedOnVictim + 100;
				assert.ok(
					counted >= sureToCount,
					`counted ${counted}, but ${sureToCount} handlers had completed`,
				);
				// Only messages in flight at the kill may be counted without their completion having been seen.
				assert.ok(counted <= sureToCount + 32, `counted ${counted}: more than were in flight`);
				assert.equal(await messagesCounted(restarted), counted);
			}),
	);
});

describe('feedback on three instances', () => {
	it(
		'stores every distinct submission once when one member submits on several instances and one view twice',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({}, async ({ instances }) => {
				const views: IOpenView[] = [];
				for (const instance of instances) {
					await withDeadline(
						instance.command('alice', 'general', '/feedback'),
						`/feedback on ${instance.name}`,
					);
					const view = await withDeadline(instance.openView('alice'), 'the open view');
					assert.ok(view, `${instance.name} opened the form`);
					views.push(view);
				}
				const submits = await timed('4 concurrent submits on 3 instances', () =>
					withDeadline(
						Promise.all([
							...instances.map((instance, index) =>
								instance.submit('alice', views[index], {
									comment: `from ${instance.name}`,
									category: 'Bug',
								}),
							),
							// The first form again, on another instance, at the same time (a double click).
							instances[1].submit('alice', views[0], {
								comment: `from ${instances[0].name}`,
								category: 'Bug',
							}),
						]),
						'4 concurrent submits',
					),
				);
				assert.ok(
					submits.every((submit) => submit.accepted && !submit.timedOut),
					JSON.stringify(submits),
				);
				assert.equal(await feedbackCounted(instances[2]), 3);
				const list = (
					await withDeadline(
						instances[1].command('alice', 'general', '/feedback list', { noTrigger: true }),
						'/feedback list',
					)
				).join('\n');
				for (const instance of instances) {
					assert.equal(
						list.split(`from ${instance.name}`).length - 1,
						1,
						`one entry from ${instance.name}`,
					);
				}
			}),
	);

	it(
		'with a share of persistence calls failing, members get clear errors and no count exceeds what is stored',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			// No scheduler loop (withCluster's default): only the calls this test makes draw from
			// the seeded fault sequences, so the run is the same on any machine.
			withCluster({}, async ({ instances }) => {
				await Promise.all(
					instances.map((instance, index) =>
						instance.setFaultInjection({ rate: 0.25, seed: 7 + index }),
					),
				);
				let accepted = 0;
				const outcomes: string[] = [];
				for (let round = 0; round < 12; round += 1) {
					const instance = instances[round % 3];
					const username = USERS[round % 3];
					const told = (
						await withDeadline(instance.command(username, 'general', '/feedback'), '/feedback')
					).join('\n');
					const view = await withDeadline(instance.openView(username), 'the open view');
					if (!view) {
						assert.match(
							told,
							/could not|Please try again|nicht|No se|não/i,
							'a failed open is explained',
						);
						outcomes.push('open failed');
						continue;
					}
					const result = await withDeadline(
						instance.submit(username, view, {
							comment: `faulty round ${round}`,
							category: 'Idea',
						}),
						'a submit',
					);
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
					instances.map((instance) => deliver(instance, orders(200), 16)),
				);
				await Promise.all(instances.map((instance) => instance.setFaultInjection({ rate: 0 })));
				const storedNow = await feedbackCounted(instances[0]);
				assert.ok(outcomes.includes('stored'), outcomes.join(', '));
				assert.ok(storedNow >= accepted, `${accepted} accepted, ${storedNow} counted`);
				// A submit refused after its record was written would be counted without being accepted;
				// faults here fail before the write, so every count is an accepted submit.
				assert.equal(storedNow, accepted, outcomes.join(', '));
				const messagesNow = await messagesCounted(instances[0]);
				assert.ok(messagesNow <= 600, `${messagesNow} counted of 600 sent`);
				// Increments whose write failed ride along with the next write of the same instance.
				await Promise.all(instances.map((instance) => deliver(instance, orders(1), 1)));
				assert.equal(
					await messagesCounted(instances[0]),
					603,
					`failures: ${messageFailures.join(', ')}`,
				);
			}),
	);
});
