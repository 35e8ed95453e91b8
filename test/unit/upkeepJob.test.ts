import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { dayOf } from '../../src/domain/days';
import { FeedbackStatus, previousChange } from '../../src/domain/status';
import type { IStatusChange } from '../../src/domain/status';
import { UPKEEP_PROCESSOR_ID } from '../../src/handlers/UpkeepJob';
import { adminPage } from '../../src/persistence/adminPage';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { storesFor } from '../../src/persistence/stores';
import { APP_ID, TestWorld } from '../support/TestWorld';

const DAY = 24 * 60 * 60 * 1000;

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
		.map((record) => (record.data as { throughDay: string }).throughDay);
}

function runUpkeep(world: TestWorld) {
	return world.instance.handlers.upkeep.run(
		world.read(),
		world.writer(),
		world.instance.log.logger,
	);
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
		assert.deepEqual(storedTotal(world, RecordScope.FeedbackTotal), [firstDay]);
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
		const [three, two, one] = (await stores.feedback.newest(3)).items;
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
				await adminPage(stores, { page: 1, category: null, status: FeedbackStatus.Planned }, 10)
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
});
