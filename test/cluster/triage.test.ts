// Issue 11 on a cluster: one status form submitted on two instances stores one change; two admins
// on two instances changing one feedback at once both store theirs, the newest is the status, and
// the author hears of it once, from the notice job (duplicated on three instances), naming the
// status that won, in their one direct room with the app. A burst of 50 saves on three instances,
// re-saves among them, gives each author one message per window, naming the final status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import {
	type ClusterInstance,
	Directory,
	type IOpenView,
	SqlitePersistenceBridge,
} from '../../host';
import { NOTICE_QUIET_MS } from '../../src/domain/statusNotice';
import { STATUS_NOTICE_PROCESSOR_ID } from '../../src/handlers/StatusNoticeJob';
import {
	buttonClick,
	hasButton,
	type IStoredFeedback,
	type IStoredStatusChange,
	SETTING,
	statusFormActions,
	viewLines,
} from '../engine/app-fixture';
import { timed } from '../engine/timing';
import { appIdOf } from '../support/cluster-app';
import {
	type ITestCluster,
	settingBroadcastsSettled,
	withCluster,
} from '../support/cluster-harness';
import { duplicateRecurringJob } from '../support/duplicate-jobs';
import { ageStatusNotices } from '../support/status-notices';
import { withDeadline } from '../support/until';

/** Where the shared clock stands still (the scheduler's time; the app's own keeps real time). */
const START = Date.parse('2026-03-02T10:00:00Z');
/** A test's own deadline, cluster start and teardown included. */
const TEST_TIMEOUT_MS = 180_000;
const STATUS_CHANGES = new RocketChatAssociationRecord(
	RocketChatAssociationModel.MISC,
	'feedback-status',
);
const FEEDBACK = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'feedback');

async function recordsOf<T>(
	cluster: ITestCluster,
	association: RocketChatAssociationRecord,
): Promise<T[]> {
	const bridge = new SqlitePersistenceBridge(cluster.database);
	return (await bridge.readByAssociations([association], appIdOf(cluster))) as T[];
}

/** Whether change `a` is newer than `b`: later, then the larger id (src/domain/status.ts). */
function isLater(a: IStoredStatusChange, b: IStoredStatusChange): boolean {
	return a.at !== b.at ? a.at > b.at : a.id > b.id;
}

/** `/feedback admin` through an instance: the admin view the member then has open there. */
async function openAdminView(instance: ClusterInstance, username: string): Promise<IOpenView> {
	const replies = await withDeadline(
		instance.command(username, 'general', '/feedback admin'),
		`/feedback admin on ${instance.name}`,
	);
	assert.deepEqual(replies, [], `${username} is an admin on ${instance.name}`);
	const view = await withDeadline(instance.openView(username), 'the open view');
	assert.equal(view?.viewId, 'feedback-admin', `the admin view opened on ${instance.name}`);
	return view;
}

/** The status form of one feedback, opened from the admin view through an instance. */
async function openStatusForm(
	instance: ClusterInstance,
	username: string,
	feedbackId: string,
): Promise<IOpenView> {
	const bar = await openAdminView(instance, username);
	const opened = await withDeadline(
		instance.blockAction(
			username,
			bar,
			buttonClick(bar, 'admin-change-status', { valueHolds: feedbackId }),
		),
		`Change status on ${instance.name}`,
	);
	assert.equal(opened.error, undefined);
	const form = opened.view;
	assert.ok(form, 'a view is open');
	assert.equal(form.viewId, 'feedback-admin', 'the admin view, now the status form');
	assert.match(JSON.stringify(form.view.blocks), new RegExp(`status-form:status:${feedbackId}:`));
	return form;
}

/** A status and a note as values of the status form the admin view shows (its own action ids). */
function statusValues(form: IOpenView, values: { status: string; note: string }) {
	const fields = statusFormActions(form);
	return { [fields.status]: values.status, [fields.note]: values.note };
}

/** The messages the app sent a member, per direct room of theirs with the app. */
async function directRoomsOf(
	cluster: ITestCluster,
	username: string,
): Promise<Array<{ id: string; texts: string[] }>> {
	const directory = new Directory(cluster.database);
	const bot = directory.appUser(appIdOf(cluster));
	assert.ok(bot, 'the app user exists');
	const rooms = directory.rooms.directRoomsOf(directory.requireUser(username).id);
	const found: Array<{ id: string; texts: string[] }> = [];
	for (const room of rooms) {
		assert.deepEqual([...(room.usernames ?? [])].sort(), [username, bot.username].sort());
		const timeline = await withDeadline(cluster.instances[0].timeline(room.id), 'the direct room');
		assert.ok(timeline.every((message) => message.sender === bot.username));
		found.push({ id: room.id, texts: timeline.map((message) => message.text) });
	}
	return found;
}

/** The messages the app sent bruno, per direct room of his with the app. */
function brunoRooms(cluster: ITestCluster): Promise<Array<{ id: string; texts: string[] }>> {
	return directRoomsOf(cluster, 'bruno');
}

/** bruno sends one feedback through an instance; resolves with it as stored. */
function brunoSends(cluster: ITestCluster, comment: string): Promise<IStoredFeedback> {
	return memberSends(cluster, 'bruno', comment);
}

/** A member sends one feedback through the first instance; resolves with it as stored. */
async function memberSends(
	cluster: ITestCluster,
	username: string,
	comment: string,
): Promise<IStoredFeedback> {
	const [first] = cluster.instances;
	await withDeadline(first.command(username, 'general', '/feedback'), '/feedback');
	const form = await withDeadline(first.openView(username), 'the feedback form');
	assert.ok(form, `${username} got the form`);
	const sent = await withDeadline(
		first.submit(username, form, { comment, category: 'Idea' }),
		'the feedback submit',
	);
	assert.equal(sent.accepted, true);
	const stored = await recordsOf<IStoredFeedback>(cluster, FEEDBACK);
	const found = stored.find((record) => record.comment === comment);
	assert.ok(found, 'the feedback is stored');
	return found;
}

/**
 * Lets the quiet time pass (the records are aged: the app's clock keeps real time) and the
 * job's period come, then runs what is due on every instance at once; resolves with how many runs
 * of the notice job (one per job document) were made.
 */
async function runNoticesEverywhere(cluster: ITestCluster): Promise<number> {
	ageStatusNotices(cluster.database, appIdOf(cluster), NOTICE_QUIET_MS);
	cluster.clock.advance(30_000);
	const runs = await withDeadline(
		Promise.all(cluster.instances.map((instance) => instance.runDueJobs())),
		'the due jobs to run',
	);
	const notices = runs.flat().filter((run) => run.name.startsWith(STATUS_NOTICE_PROCESSOR_ID));
	assert.ok(notices.length >= 1, `the notice job ran: ${JSON.stringify(runs)}`);
	assert.ok(
		notices.every((run) => run.ok),
		JSON.stringify(notices),
	);
	return notices.length;
}

/** Makes clara (role `user`) an admin on every instance. */
async function claraIsAdmin(cluster: ITestCluster): Promise<void> {
	await withDeadline(
		cluster.instances[0].setSetting(SETTING.adminRoles, 'admin, user'),
		'the admin roles setting',
	);
	await settingBroadcastsSettled();
	for (const instance of cluster.instances) {
		const roles = (await withDeadline(instance.appSettings(), 'the app settings'))[
			SETTING.adminRoles
		];
		assert.equal(roles?.value, 'admin, user', `${instance.name} has the admin roles`);
	}
}

const PORTUGUESE: Record<string, string> = {
	acknowledged: 'Recebido',
	planned: 'Planejado',
	done: 'Concluído',
	declined: 'Recusado',
};
const ENGLISH: Record<string, string> = {
	acknowledged: 'Acknowledged',
	planned: 'Planned',
	done: 'Done',
	declined: 'Declined',
};
const CYCLE = ['acknowledged', 'planned', 'done', 'declined'];

/** One feedback of the burst, with the status and note the test expects it to have. */
interface IBurstEntry {
	readonly feedback: IStoredFeedback;
	readonly author: string;
	status: string;
	note: string;
}

/** What one save of the burst sends: the next status and a new note, or what the entry has. */
function nextSave(entry: IBurstEntry, save: number, unchanged: boolean) {
	if (!unchanged) {
		entry.status = CYCLE[(CYCLE.indexOf(entry.status) + 1) % CYCLE.length];
		entry.note = `save ${save}`;
	}
	return { status: entry.status, note: entry.note };
}

/** The line of a notice that names an entry's expected status and note, in its author's language. */
function namedLine(entry: IBurstEntry): RegExp {
	const { comment } = entry.feedback;
	return entry.author === 'bruno'
		? new RegExp(
				`\\(\`${comment}\`\\) agora está: ${PORTUGUESE[entry.status]}\\.\nNota da equipe: \`${
					entry.note
				}\``,
			)
		: new RegExp(
				`\\(\`${comment}\`\\) is now: ${ENGLISH[entry.status]}\\.\nNote from the team: \`${
					entry.note
				}\``,
			);
}

describe('status changes on a cluster', () => {
	it(
		'one status form submitted on two instances at once: one change, one message',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ size: 2, frozenAt: START }, async (cluster) => {
				const [first, second] = cluster.instances;
				const feedback = await brunoSends(cluster, 'Falta o modo escuro');
				const form = await openStatusForm(first, 'admin', feedback.id);
				const answers = await withDeadline(
					Promise.all([
						first.submit('admin', form, statusValues(form, { status: 'planned', note: 'soon' })),
						second.submit('admin', form, statusValues(form, { status: 'planned', note: 'soon' })),
					]),
					'the two submits',
				);
				for (const answer of answers) {
					assert.deepEqual(answer, { accepted: true, errors: {}, timedOut: false });
				}
				const stored = await recordsOf<IStoredStatusChange>(cluster, STATUS_CHANGES);
				assert.equal(new Set(stored.map((change) => change.id)).size, 1, 'one change');
				const view = await openAdminView(second, 'admin');
				assert.ok(
					viewLines(view).includes(
						'By status: New 0, Acknowledged 0, Planned 1, Done 0, Declined 0',
					),
				);
				await runNoticesEverywhere(cluster);
				await runNoticesEverywhere(cluster);
				const rooms = await brunoRooms(cluster);
				assert.equal(rooms.length, 1);
				assert.equal(rooms[0].texts.length, 1, JSON.stringify(rooms));
				assert.match(rooms[0].texts[0], /agora está: Planejado\.\nNota da equipe: `soon`$/);
			}),
	);

	it(
		'two admins at once on two instances, 8 rounds, the notice job duplicated on three instances: one message a round, naming the winner, in one room',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ size: 3, frozenAt: START }, async (cluster) => {
				const [first, second] = cluster.instances;
				await claraIsAdmin(cluster);
				duplicateRecurringJob(cluster.database, STATUS_NOTICE_PROCESSOR_ID, 2);
				for (let round = 0; round < 8; round += 1) {
					const feedback = await brunoSends(cluster, `round ${round}`);
					const adminForm = await openStatusForm(first, 'admin', feedback.id);
					const claraForm = await openStatusForm(second, 'clara', feedback.id);
					await timed(`round ${round}: two status changes at once`, () =>
						withDeadline(
							Promise.all([
								first.submit(
									'admin',
									adminForm,
									statusValues(adminForm, { status: 'planned', note: 'from admin' }),
								),
								second.submit(
									'clara',
									claraForm,
									statusValues(claraForm, { status: 'declined', note: 'from clara' }),
								),
							]),
							'the two status submits',
						),
					);
					const changes = (await recordsOf<IStoredStatusChange>(cluster, STATUS_CHANGES)).filter(
						(change) => change.feedbackId === feedback.id,
					);
					assert.equal(changes.length, 2, 'both changes are stored');
					const newest = changes.reduce((kept, change) => (isLater(change, kept) ? change : kept));
					await runNoticesEverywhere(cluster);
					const rooms = await brunoRooms(cluster);
					assert.equal(rooms.length, 1, `round ${round}: one direct room`);
					const { texts } = rooms[0];
					assert.equal(texts.length, round + 1, `round ${round}: one message a round`);
					const last = texts[texts.length - 1];
					assert.match(
						last,
						new RegExp(`\\(\`round ${round}\`\\) agora está: ${PORTUGUESE[newest.status]}\\.`),
					);
				}
			}),
	);

	it(
		'50 saves by admins on three instances, re-saves among them, the notice job duplicated and run everywhere at once: one message per author per window, naming the final status',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ size: 3, frozenAt: START }, async (cluster) => {
				const { instances } = cluster;
				const entries: IBurstEntry[] = [];
				for (const [author, comment] of [
					['bruno', 'burst one'],
					['bruno', 'burst two'],
					['alice', 'burst three'],
				]) {
					const feedback = await memberSends(cluster, author, comment);
					entries.push({ feedback, author, status: 'new', note: '' });
				}
				duplicateRecurringJob(cluster.database, STATUS_NOTICE_PROCESSOR_ID, 2);
				let saves = 0;
				let stores = 0;
				/**
				 * One round: each instance saves another entry at once (one entry per instance, so
				 * what each entry has is known); `unchanged(entry)` makes a save re-send what it has.
				 */
				const round = async (picked: IBurstEntry[], unchanged: (entry: IBurstEntry) => boolean) => {
					const forms = await Promise.all(
						picked.map((entry, index) =>
							openStatusForm(instances[index], 'admin', entry.feedback.id),
						),
					);
					const values = picked.map((entry) => {
						saves += 1;
						const same = unchanged(entry);
						stores += same ? 0 : 1;
						return nextSave(entry, saves, same);
					});
					const answers = await withDeadline(
						Promise.all(
							picked.map((_, index) =>
								instances[index].submit(
									'admin',
									forms[index],
									statusValues(forms[index], values[index]),
								),
							),
						),
						'the status submits',
					);
					for (const answer of answers) {
						assert.deepEqual(answer, { accepted: true, errors: {}, timedOut: false });
					}
				};
				const storedChanges = async () =>
					new Set(
						(await recordsOf<IStoredStatusChange>(cluster, STATUS_CHANGES)).map(
							(change) => change.id,
						),
					).size;
				const messagesOf = async (username: string) => {
					const rooms = await directRoomsOf(cluster, username);
					assert.ok(rooms.length <= 1, `${username} has one direct room with the app`);
					return rooms[0]?.texts ?? [];
				};

				// Window one, 30 saves: every entry moves; every fourth save of an entry re-sends what it has.
				const savesOf = new Map<IBurstEntry, number>();
				const everyFourth = (entry: IBurstEntry) => {
					const count = (savesOf.get(entry) ?? 0) + 1;
					savesOf.set(entry, count);
					return count % 4 === 0;
				};
				for (let turn = 0; turn < 10; turn += 1) {
					// Each instance takes another entry each turn.
					await round(
						instances.map((_, index) => entries[(turn + index) % entries.length]),
						everyFourth,
					);
				}
				assert.equal(saves, 30);
				assert.equal(await storedChanges(), stores, 'a re-save stores nothing');
				assert.equal(await runNoticesEverywhere(cluster), 3, 'every copy of the job ran');
				const [bruno, alice] = [await messagesOf('bruno'), await messagesOf('alice')];
				assert.equal(bruno.length, 1, JSON.stringify(bruno));
				assert.equal(alice.length, 1, JSON.stringify(alice));
				for (const entry of entries) {
					assert.match(entry.author === 'bruno' ? bruno[0] : alice[0], namedLine(entry));
				}

				// Window two, 20 saves: bruno's entries move; alice's only gets re-saves.
				const [brunoOne, brunoTwo, aliceOne] = entries;
				for (let turn = 0; turn < 7; turn += 1) {
					await round(
						turn < 6 ? [brunoOne, brunoTwo, aliceOne] : [brunoOne, brunoTwo],
						(entry) => entry === aliceOne,
					);
				}
				assert.equal(saves, 50);
				assert.equal(await storedChanges(), stores, 'the re-saves stored nothing');
				assert.equal(await runNoticesEverywhere(cluster), 3, 'every copy of the job ran');
				assert.equal(await runNoticesEverywhere(cluster), 3, 'and again, with nothing left');
				const [brunoAfter, aliceAfter] = [await messagesOf('bruno'), await messagesOf('alice')];
				assert.equal(brunoAfter.length, 2, 'one more message for bruno');
				assert.match(brunoAfter[1], namedLine(brunoOne));
				assert.match(brunoAfter[1], namedLine(brunoTwo));
				assert.deepEqual(aliceAfter, alice, 're-saves told alice nothing');
				assert.deepEqual(
					await recordsOf(
						cluster,
						new RocketChatAssociationRecord(
							RocketChatAssociationModel.MISC,
							'status-notice-pending',
						),
					),
					[],
					'nothing is left pending',
				);
			}),
	);

	it(
		'opens the admin view from the button under the stats reply, clicked through an instance',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ size: 1 }, async (cluster) => {
				const [instance] = cluster.instances;
				const messages = await withDeadline(
					instance.commandMessages('admin', 'general', '/feedback stats'),
					'/feedback stats',
				);
				const withButton = messages.filter((message) => hasButton(message, 'admin-open'));
				assert.equal(withButton.length, 1, JSON.stringify(messages));
				assert.match(withButton[0].text, /Feedback received: 0/);
				const opened = await withDeadline(
					instance.blockActionInMessage(
						'admin',
						withButton[0].id,
						buttonClick(withButton[0], 'admin-open'),
						'general',
					),
					'the Open admin view button',
				);
				assert.equal(opened.error, undefined);
				assert.equal(opened.view?.viewId, 'feedback-admin');
			}),
	);
});
