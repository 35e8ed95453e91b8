import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { dayOf } from '../../src/domain/days';
import { TOTALS_PROCESSOR_ID } from '../../src/handlers/TotalsJob';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
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

describe('the job that folds closed days', () => {
	it('runs once a minute for the cluster and folds the days that closed, none still open', async () => {
		const world = new TestWorld();
		const processor = world.instance.handlers.totals.processor();
		assert.equal(processor.id, TOTALS_PROCESSOR_ID);
		assert.deepEqual(processor.startupSetting, {
			type: StartupType.RECURRING,
			interval: '1 minute',
		});

		await sendFeedback(world, world.alice, 'first day');
		const firstDay = dayOf(world.now().toISOString());
		world.advance(3 * DAY);
		await sendFeedback(world, world.bruno, 'today');
		const run = () =>
			world.instance.handlers.totals.run(world.read(), world.writer(), world.instance.log.logger);
		assert.equal(await run(), undefined, 'nothing left to fold');
		assert.deepEqual(storedTotal(world, RecordScope.FeedbackTotal), [firstDay]);
		assert.deepEqual(world.instance.log.errors, []);
	});
});
