import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { dayOf } from '../../src/domain/days';
import { FeedbackStatus, previousChange } from '../../src/domain/status';
import type { IStatusChange } from '../../src/domain/status';
import { UPKEEP_PROCESSOR_ID } from '../../src/handlers/UpkeepJob';
import { StatusLog } from '../../src/persistence/StatusLog';
import { adminPage } from '../../src/persistence/adminPage';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { storesFor } from '../../src/persistence/stores';
import { APP_ID, TestWorld } from '../support/TestWorld';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function sendFeedback(world: TestWorld, user: IUser, comment: string) {
	await world.instance.run(user, '');
	const response = await world.instance.submit(user, world.lastView(user), {
		comment,
		category: 'Bug',
	});
	assert.equal(response.success, true);
}

function storedTotal(world: TestWorld, scope: RecordScope) {
	return world.persistence
		.matching(APP_ID, buildAssociations({ scope }))
		.map((record) => (record.data as { reach: string }).reach);
}

function recordsOf(world: TestWorld, scope: RecordScope) {
	return world.persistence.matching(APP_ID, buildAssociations({ scope }));
}

function runUpkeep(world: TestWorld) {
	return world.instance.handlers.upkeep.run(world.instance.jobRequest());
}

describe('the upkeep job', () => {
	it('runs once a minute for the cluster and folds the days that closed, none still open', async () => {
		const world = new TestWorld();
		const processor = world.instance.handlers.upkeep.processor();
		assert.equal(processor.id, UPKEEP_PROCESSOR_ID);
		assert.deepEqual(processor.startupSetting, {
			type: StartupType.RECURRING,
			interval: '1 minute',
		});

		await sendFeedback(world, world.alice, 'first day');
		const firstDay = dayOf(world.now().toISOString());
		world.advance(3 * DAY);
		await sendFeedback(world, world.bruno, 'today');
		assert.deepEqual(await runUpkeep(world), { filed: true }, 'nothing left to do');
		assert.deepEqual(storedTotal(world, RecordScope.FeedbackTotal), [`${firstDay}T23`]);
		assert.deepEqual(world.instance.log.errors, []);
	});

	it('files status changes an earlier version stored, so a status filter reads day by day, counting each once', async () => {
		const world = new TestWorld();
		for (const [user, comment] of [
			[world.alice, 'one'],
			[world.bruno, 'two'],
			[world.clara, 'three'],
		] as const) {
			await sendFeedback(world, user, comment);
			world.advance(DAY);
		}
		const stores = storesFor(world.read().getPersistenceReader(), world.instance.log.logger);
		const [three, two, one] = (await stores.feedback.newest(3, world.now())).items;
		// As an earlier version stored them: filed under the feedback and the day of the change only.
		const writer = world.writer();
		const legacy = (record: typeof one, status: FeedbackStatus, at: Date): IStatusChange => ({
			id: `legacy-${record.id}-${status}`,
			feedbackId: record.id,
			feedbackCreatedAt: record.createdAt,
			status,
			note: '',
			adminId: world.admin.id,
			at: at.toISOString(),
		});
		for (const change of [
			legacy(one, FeedbackStatus.Planned, world.now()),
			legacy(two, FeedbackStatus.Done, world.now()),
		]) {
			await writer.createWithAssociations(
				change,
				buildAssociations({
					scope: RecordScope.StatusChange,
					keys: [`feedback:${change.feedbackId}`, `day:${dayOf(change.at)}`],
				}),
			);
		}
		// And one the app stores now.
		await stores.statuses.append(writer, {
			...legacy(three, FeedbackStatus.Planned, world.now()),
			id: 'current',
			previous: previousChange([], world.now()),
		});
		const planned = async () =>
			(
				await adminPage(
					stores,
					{ page: 1, category: null, status: FeedbackStatus.Planned, sort: 'newest' },
					10,
					world.now(),
				)
			).entries
				.map((entry) => entry.record.comment)
				.sort();
		assert.equal(await stores.statuses.isFiledByCreation(), false);
		assert.deepEqual(await planned(), ['one', 'three'], 'before filing: every change read');

		assert.deepEqual(await runUpkeep(world), { filed: true });
		assert.equal(await stores.statuses.isFiledByCreation(), true);
		// Filed: the filter never reads every change again.
		const readEveryChange = stores.statuses.allChanges.bind(stores.statuses);
		stores.statuses.allChanges = () => Promise.reject(new Error('every change read'));
		assert.deepEqual(await planned(), ['one', 'three'], 'after filing: by creation day');
		stores.statuses.allChanges = readEveryChange;
		// The copies are the same changes: every count and status stays as it was.
		assert.equal((await stores.statuses.allChanges()).length, 3);
		assert.equal((await stores.statuses.changesOf(one.id)).length, 1);
		world.advance(5 * DAY);
		const counts = await stores.statusTotals.refresh(writer, world.now());
		assert.deepEqual(Object.fromEntries(counts.byStatus), { planned: 2, done: 1 });
		assert.deepEqual(await runUpkeep(world), { filed: true }, 'filed once, for good');
		assert.equal(
			world.persistence.matching(APP_ID, buildAssociations({ scope: RecordScope.StatusChange }))
				.length,
			5,
			'three changes, two of them copied once',
		);
	});

	it('files a long history over several calls, a few days of changes each, every change copied once', async () => {
		const world = new TestWorld();
		const writer = world.writer();
		const statuses = new StatusLog(world.read().getPersistenceReader());
		// Legacy changes over four days, two a day, stored without their feedback's day.
		for (let day = 0; day < 4; day += 1) {
			for (let index = 0; index < 2; index += 1) {
				const at = new Date(Date.parse('2026-03-01T10:00:00Z') + day * DAY + index);
				await writer.createWithAssociations(
					{
						id: `legacy-${day}-${index}`,
						feedbackId: `feedback-${day}-${index}`,
						feedbackCreatedAt: '2026-02-20T10:00:00.000Z',
						status: FeedbackStatus.Done,
						note: '',
						adminId: 'admin',
						at: at.toISOString(),
					},
					buildAssociations({
						scope: RecordScope.StatusChange,
						keys: [`feedback:feedback-${day}-${index}`, `day:${dayOf(at.toISOString())}`],
					}),
				);
				await writer.updateByAssociations(
					buildAssociations({ scope: RecordScope.StatusDay, keys: [dayOf(at.toISOString())] }),
					{ day: dayOf(at.toISOString()) },
					true,
				);
			}
		}
		// A budget of 3 changes a call: two days (4 changes) in the first, two in the second.
		assert.equal(await statuses.fileByCreation(writer, 3), false);
		assert.equal(await statuses.isFiledByCreation(), false);
		assert.equal((await statuses.statusesOfCreatedDay('2026-02-20')).size, 4);
		assert.equal(await statuses.fileByCreation(writer, 3), true);
		assert.equal(await statuses.isFiledByCreation(), true);
		assert.equal((await statuses.statusesOfCreatedDay('2026-02-20')).size, 8);
		assert.equal(await statuses.fileByCreation(writer, 3), true, 'done for good');
		assert.equal(
			world.persistence.matching(APP_ID, buildAssociations({ scope: RecordScope.StatusChange }))
				.length,
			16,
			'eight changes, each copied once',
		);
		assert.equal((await statuses.allChanges()).length, 8);
	});

	it('after an upgrade, marks earlier authors and takes their keys out of the notes and the total', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, 'kept');
		await sendFeedback(world, world.bruno, 'to delete');
		const [kept, deleted] = ['kept', 'to delete'].map((comment) =>
			world.persistence.records.find(
				(record) => (record.data as { comment?: unknown }).comment === comment,
			),
		);
		assert.ok(kept && deleted);
		const day = dayOf(world.now().toISOString());
		const earlierKey = (userId: string) => `earlier-key-of-${userId}`;
		// What the earlier version had stored: keys of authors in the total and a deletion note, no marks.
		const writer = world.writer();
		await writer.removeByAssociations(buildAssociations({ scope: RecordScope.Contributor }));
		const deletedId = String((deleted.data as { id: unknown }).id);
		await writer.removeByAssociations(
			buildAssociations({ scope: RecordScope.Feedback, keys: [`id:${deletedId}`] }),
		);
		await writer.createWithAssociations(
			{ id: deletedId, day, category: 'Bug', rating: null, contributor: earlierKey('bruno') },
			buildAssociations({
				scope: RecordScope.FeedbackDeletedEarlier,
				keys: [`id:${deletedId}`, `day:${day}`],
			}),
		);
		world.advance(3 * DAY);
		await writer.updateByAssociations(
			buildAssociations({ scope: RecordScope.FeedbackTotal }),
			{
				version: 2,
				throughDay: day,
				tally: {
					total: 2,
					anonymous: 0,
					categories: [['Bug', 2]],
					ratingSum: 0,
					ratingCount: 0,
					contributors: [
						[earlierKey('alice'), 1],
						[earlierKey('bruno'), 1],
					],
				},
				deletedIds: [],
			},
			true,
		);
		assert.deepEqual(await runUpkeep(world), { filed: true });
		const everything = JSON.stringify(world.persistence.records);
		assert.ok(!everything.includes('earlier-key-of'), everything);
		const stores = storesFor(world.read().getPersistenceReader(), world.instance.log.logger);
		const counts = await stores.totals.counts(world.writer(), world.now());
		assert.equal(counts.contributors, 1, 'alice, whose feedback is left');
		assert.equal(counts.tally.total, 1, 'the note of the earlier version is still taken in');
		assert.equal(counts.preparing, undefined);
		assert.deepEqual(world.instance.log.errors, []);
	});

	it('retires the message-counter shards of instances gone for a day, keeping the count exact', async () => {
		const world = new TestWorld();
		const shardRecords = () => recordsOf(world, RecordScope.MessageCounter).length;
		// Three app starts, each counting on its own shard.
		for (const instance of [world.instance, world.newInstance(), world.newInstance()]) {
			await instance.sendMessage(world.alice);
			await instance.sendMessage(world.bruno);
		}
		const counted = () => world.instance.counter.total(world.persistence.reader(APP_ID));
		assert.equal(shardRecords(), 3);
		world.advance(2 * DAY);
		await runUpkeep(world);
		assert.equal(await counted(), 6);
		world.advance(2 * HOUR);
		await runUpkeep(world);
		assert.equal(shardRecords(), 0, 'absorbed, then removed after the margin');
		assert.equal(recordsOf(world, RecordScope.MessageCounterRetired).length, 1);
		assert.equal(await counted(), 6);
		await world.instance.sendMessage(world.clara);
		assert.equal(await counted(), 7);
		assert.deepEqual(world.instance.log.errors, []);
	});

	it('logs a failed retirement of message-counter shards and does the rest of the upkeep', async () => {
		const world = new TestWorld();
		await world.instance.sendMessage(world.alice);
		await sendFeedback(world, world.alice, 'first day');
		const firstDay = dayOf(world.now().toISOString());
		world.advance(3 * DAY);
		// The retirement's first read is the upkeep's first persistence call.
		world.persistence.failNext('readByAssociations');
		assert.deepEqual(await runUpkeep(world), { filed: true });
		assert.deepEqual(
			storedTotal(world, RecordScope.FeedbackTotal),
			[`${firstDay}T23`],
			'folded all the same',
		);
		assert.deepEqual(
			world.instance.log.errors.map(([message]) => message),
			['retiring message-counter shards failed'],
		);
		assert.equal(recordsOf(world, RecordScope.MessageCounterRetired).length, 0);
		await runUpkeep(world);
		assert.equal(
			recordsOf(world, RecordScope.MessageCounterRetired).length,
			1,
			'the next run does it',
		);
		assert.equal(await world.instance.counter.total(world.persistence.reader(APP_ID)), 1);
	});
});
