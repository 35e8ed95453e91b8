import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { fixturePerTest, reply } from './app-fixture';
import { timed } from './timing';
import { BridgePersistence, BridgePersistenceRead } from '../../bench/seed';
import { newId } from '../../src/domain/ids';
import { buildFeedbackRecord } from '../../src/domain/record';
import { FeedbackRepository } from '../../src/persistence/FeedbackRepository';
import { FOLD_BUDGET_RECORDS } from '../../src/persistence/RunningTotal';

const DAY = 24 * 60 * 60 * 1000;

describe('a store larger than one call can fold (an app installed onto many entries)', () => {
	const fixture = fixturePerTest('large store');

	it('answers that the statistics are being prepared, then counts every entry', async () => {
		const { host } = fixture();
		const appId = host.getAppId();
		const persistence = new BridgePersistence(host.persistence, appId);
		const repository = new FeedbackRepository(new BridgePersistenceRead(host.persistence, appId));
		// One day more than the budget folds in a call, each day of a thousand entries, all closed.
		const perDay = 1000;
		const days = FOLD_BUDGET_RECORDS / perDay + 1;
		// At noon of days at least two days back: every day closed, whatever the time now.
		const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
		const author = { id: 'user-alice', username: 'alice', name: 'Alice' } as IUser;
		await timed(`seed ${days * perDay} entries`, async () => {
			for (let day = days; day >= 1; day -= 1) {
				for (let index = 0; index < perDay; index += 1) {
					const record = buildFeedbackRecord(
						newId(),
						{ comment: `entry ${day}/${index}`, category: 'Bug', rating: null, anonymous: false },
						author,
						'GENERAL',
						new Date(today - (day + 1) * DAY + index),
					);
					await repository.create(persistence, record);
				}
			}
		});

		// The first call folds as far as its budget goes, stores that, and says so.
		const preparing = await reply(host, 'admin', '/feedback stats');
		assert.equal(
			preparing,
			`Statistics are still being prepared: ${
				days - 1
			} of ${days} days of feedback and status changes counted so far. Ask again in a moment.`,
		);
		// The next one folds the rest: every entry is counted, here and in the list's total.
		const listed = await reply(host, 'admin', '/feedback list all');
		assert.equal(
			listed.split('\n')[0],
			`All feedback, page 1 of ${(days * perDay) / 10} (${days * perDay} entries):`,
		);
		const stats = await reply(host, 'admin', '/feedback stats');
		assert.ok(stats.split('\n').includes(`Feedback received: ${days * perDay}`), stats);
	});
});
