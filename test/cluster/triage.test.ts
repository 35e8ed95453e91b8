// Issue 11 on a cluster: two admins on two instances change the status of one feedback at the same
// time. Status changes are appended, never read-modified-written, so both are stored; every
// instance then reads the newest as the status, the statistics count the entry once, and the
// author was told of each change in their one direct room with the app.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import type { ClusterInstance } from '../../host/cluster';
import { Directory } from '../../host/directory';
import { SqlitePersistenceBridge } from '../../host/persistence-bridge';
import type { IOpenView } from '../../host/session-state';
import {
	buttonClick,
	hasButton,
	type IStoredFeedback,
	type IStoredStatusChange,
	SETTING,
	viewEntries,
	viewLines,
} from '../engine/app-fixture';
import { timed } from '../engine/timing';
import {
	type ITestCluster,
	settingBroadcastsSettled,
	withCluster,
	withDeadline,
} from '../support/cluster-harness';

/** A test's own deadline, cluster start and teardown included. */
const TEST_TIMEOUT_MS = 180_000;
const STATUS_CHANGES = new RocketChatAssociationRecord(
	RocketChatAssociationModel.MISC,
	'feedback-status',
);
const FEEDBACK = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'feedback');

/** The app's id, as the instances installed it in the shared database. */
function appIdOf(cluster: ITestCluster): string {
	const rows = cluster.database.prepare<[], { id: string }>('SELECT id FROM apps').all();
	assert.equal(rows.length, 1, 'one app installed');
	return rows[0].id;
}

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
	const bar = await withDeadline(instance.openContextualBar(username), 'the open bar');
	assert.equal(bar?.viewId, 'feedback-admin', `the admin view opened on ${instance.name}`);
	return bar;
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
	assert.equal(opened.view?.viewId, `feedback-status:${feedbackId}`, 'the status form opened');
	return opened.view;
}

/**
 * bruno sends a feedback; with `toldBefore`, an admin changes its status once first (so bruno
 * and the app already share a direct room); then admin and clara, on two instances, submit a
 * status change of it at the same time. Checks what must hold whatever the order they land in,
 * and returns the direct rooms bruno has with the app and the messages in them.
 */
async function raceTwoAdmins(
	cluster: ITestCluster,
	toldBefore: boolean,
): Promise<{ rooms: string[]; messages: string[] }> {
	const [first, second, third] = cluster.instances;
	// A second admin: clara holds the `user` role (host/directory/fixtures.ts).
	await withDeadline(
		first.setSetting(SETTING.adminRoles, 'admin, user'),
		'the admin roles setting',
	);
	await settingBroadcastsSettled();
	for (const instance of cluster.instances) {
		const roles = (await withDeadline(instance.appSettings(), 'the app settings'))[
			SETTING.adminRoles
		];
		assert.equal(roles?.value, 'admin, user', `${instance.name} has the admin roles`);
	}

	// bruno (pt-BR) sends one feedback through the first instance.
	await withDeadline(first.command('bruno', 'general', '/feedback'), '/feedback');
	const feedbackForm = await withDeadline(first.openView('bruno'), 'the feedback form');
	assert.ok(feedbackForm, 'bruno got the form');
	const sent = await withDeadline(
		first.submit('bruno', feedbackForm, { comment: 'Falta o modo escuro', category: 'Idea' }),
		'the feedback submit',
	);
	assert.equal(sent.accepted, true);
	const [feedback, ...others] = await recordsOf<IStoredFeedback>(cluster, FEEDBACK);
	assert.deepEqual(others, [], 'one feedback stored');

	const expectedNotes: Array<[string, string]> = [];
	if (toldBefore) {
		const form = await openStatusForm(third, 'admin', feedback.id);
		const told = await withDeadline(
			third.submit('admin', form, { status: 'acknowledged', note: 'seen' }),
			'the first status change',
		);
		assert.deepEqual(told, { accepted: true, errors: {}, timedOut: false });
		expectedNotes.push(['Recebido', 'seen']);
	}

	// Each admin opens the status form on an instance of their own, then both submit at once.
	const adminForm = await openStatusForm(first, 'admin', feedback.id);
	const claraForm = await openStatusForm(second, 'clara', feedback.id);
	const answers = await timed('two status changes at once on two instances', () =>
		withDeadline(
			Promise.all([
				first.submit('admin', adminForm, { status: 'planned', note: 'from admin' }),
				second.submit('clara', claraForm, { status: 'declined', note: 'from clara' }),
			]),
			'the two status submits',
		),
	);
	for (const answer of answers) {
		assert.deepEqual(answer, { accepted: true, errors: {}, timedOut: false });
	}
	expectedNotes.push(['Planejado', 'from admin'], ['Recusado', 'from clara']);

	const changes = await recordsOf<IStoredStatusChange>(cluster, STATUS_CHANGES);
	const raced = changes.filter((change) => change.note !== 'seen');
	assert.equal(changes.length, toldBefore ? 3 : 2, 'one record per change');
	assert.deepEqual(
		raced.map((change) => [change.status, change.note, change.feedbackId, change.adminId]).sort(),
		[
			['declined', 'from clara', feedback.id, 'user-clara'],
			['planned', 'from admin', feedback.id, 'user-admin'],
		],
		'both simultaneous changes are stored',
	);
	const newest = changes.reduce((kept, change) => (isLater(change, kept) ? change : kept));
	assert.notEqual(newest.note, 'seen', 'a raced change is the newest');
	const label = newest.status === 'planned' ? 'Planned' : 'Declined';

	// A third instance reads the newest as the status, and counts the entry once.
	const view = await openAdminView(third, 'admin');
	assert.deepEqual(
		viewEntries(view).map((entry) => [entry.shortId, entry.status]),
		[[feedback.id.slice(0, 8), label]],
	);
	const expected = `By status: New 0, Acknowledged 0, Planned ${
		label === 'Planned' ? 1 : 0
	}, Done 0, Declined ${label === 'Declined' ? 1 : 0}`;
	assert.ok(viewLines(view).includes(expected), JSON.stringify(viewLines(view)));
	assert.ok(viewLines(view).includes('Feedback received: 1'));
	const stats = (
		await withDeadline(third.command('admin', 'general', '/feedback stats'), 'stats')
	).join('\n');
	assert.ok(stats.split('\n').includes(expected), stats);

	// bruno was told of each change, in Portuguese, by the app's user.
	const directory = new Directory(cluster.database);
	const bot = directory.appUser(appIdOf(cluster));
	assert.ok(bot, 'the app user exists');
	const rooms = directory.rooms.directRoomsOf(directory.requireUser('bruno').id);
	const messages: string[] = [];
	for (const room of rooms) {
		assert.deepEqual([...(room.usernames ?? [])].sort(), ['bruno', bot.username].sort());
		for (const message of await withDeadline(third.timeline(room.id), 'the direct room')) {
			assert.equal(message.sender, bot.username);
			messages.push(message.text);
		}
	}
	assert.deepEqual(
		messages
			.map((text) => {
				assert.match(text, /^Seu feedback [0-9a-f]{8} \(`Falta o modo escuro`\)/);
				return /agora está: (\S+)\.\nNota da equipe: `(.*)`$/.exec(text)?.slice(1);
			})
			.sort(),
		expectedNotes.sort(),
		'one message per change',
	);
	return { rooms: rooms.map((room) => room.id), messages };
}

describe('status changes on a cluster', () => {
	it(
		'keeps both of two admins’ simultaneous changes of one feedback; the newest is its status everywhere',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ size: 3 }, async (cluster) => {
				const { rooms, messages } = await raceTwoAdmins(cluster, true);
				assert.equal(rooms.length, 1, 'bruno is told in his one direct room with the app');
				assert.equal(messages.length, 3);
			}),
	);

	it(
		'tells an author never told before of both changes when two admins change at once',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ size: 3 }, async (cluster) => {
				// The app looks the direct room up, then creates it; Rocket.Chat's createDirectRoom
				// also finds, then inserts, so two first notices at once may open two rooms. What
				// must hold is that the author hears of both changes.
				const { rooms, messages } = await raceTwoAdmins(cluster, false);
				assert.ok(rooms.length >= 1 && rooms.length <= 2, `${rooms.length} direct rooms`);
				assert.equal(messages.length, 2, 'one message per change');
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
				assert.equal(opened.contextualBar?.viewId, 'feedback-admin');
			}),
	);
});
