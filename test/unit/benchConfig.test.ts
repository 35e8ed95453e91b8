// The bench's options for its two axes (the daily volume of the history, the busy day's steps),
// the cache that answers the app's reads while seeding, and how a first admin view is classified.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { adminViewState } from '../../bench/admin-first';
import { DEFAULT_DAILY, MILLION, readConfig } from '../../bench/config';
import { seedFeedback } from '../../bench/seed';
import { SeedReadCache } from '../../bench/seed-reads';
import { openDatabase } from '../../host';
import { ADMIN_VIEW_ID } from '../../src/domain/actions';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';

describe('bench options for the two axes', () => {
	it('defaults to a thousand feedback a day and a busy day of 5,000 then 50,000', () => {
		const config = readConfig([]);
		assert.equal(config.daily, DEFAULT_DAILY);
		assert.deepEqual(config.busy, [5000, 50_000]);
		assert.equal(config.million, false);
		assert.equal(config.millionSize, MILLION);
	});

	it('takes a scaled-down million and busy day for a quick try', () => {
		const config = readConfig([
			'--million',
			'--million-size',
			'20000',
			'--busy=500,2k',
			'--daily',
			'250',
		]);
		assert.equal(config.million, true);
		assert.equal(config.millionSize, 20_000);
		assert.deepEqual(config.busy, [500, 2000]);
		assert.equal(config.daily, 250);
	});

	it('refuses busy-day steps that do not grow, a daily volume that is not a positive integer, and --days', () => {
		assert.throws(() => readConfig(['--busy', '5000,500']), /--busy takes growing totals/);
		assert.throws(() => readConfig(['--daily', '0']), /--daily must be a positive integer/);
		assert.throws(() => readConfig(['--days', '200']), /Unknown argument --days/);
	});
});

describe("the seeding's read cache", () => {
	const mark = (userId: string) => buildAssociations({ userId, scope: RecordScope.Contributor });

	it('keeps an answer across writes that cannot change it, and forgets it on one that can', () => {
		const cache = new SeedReadCache();
		cache.remember(mark('u1'), []);
		// The member's feedback holds USER u1 but not the contributor scope: the marks read the same.
		cache.written(buildAssociations({ userId: 'u1', scope: RecordScope.Feedback, keys: ['id:a'] }));
		assert.deepEqual(cache.get(mark('u1')), []);
		// Another member's mark holds the contributor scope but not USER u1.
		cache.written(mark('u2'));
		assert.deepEqual(cache.get(mark('u1')), []);
		// Their own mark: the read would now find it.
		cache.written(mark('u1'));
		assert.equal(cache.get(mark('u1')), undefined);
	});

	it('forgets everything on a removal', () => {
		const cache = new SeedReadCache();
		cache.remember(mark('u1'), [{ userId: 'u1' }]);
		cache.clear();
		assert.equal(cache.get(mark('u1')), undefined);
	});
});

describe('seeding through the app with the read cache', () => {
	it('stores one contributor mark per named author and one marker per day, as the app would', async () => {
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-seed-test-'));
		try {
			const databasePath = path.join(folder, 'store.sqlite');
			const now = new Date('2026-03-10T12:00:00Z');
			const options = {
				databasePath,
				appId: 'app',
				count: 600,
				from: new Date('2026-03-07T12:00:00Z'),
				to: now,
				members: [],
				triagedPercent: 20,
				now,
				seed: 1,
			};
			await seedFeedback(options);
			// Onto a store in use (the busy day): rows written in place, the earlier marks read there.
			const added = await seedFeedback({
				...options,
				count: 300,
				from: new Date('2026-03-10T00:00:00Z'),
				seed: 2,
			});
			assert.equal(added.breakdown.feedback, 300);
			const database = openDatabase(databasePath);
			try {
				const rows = (scope: RecordScope) =>
					database
						.prepare(
							'SELECT data FROM persistence_records WHERE app_id = ? AND associations LIKE ?',
						)
						.all('app', `%"misc","id":"${scope}"}%`)
						.map((row) => JSON.parse((row as { data: string }).data) as Record<string, unknown>);
				const feedback = rows(RecordScope.Feedback);
				assert.equal(feedback.length, 900);
				const named = new Set(
					feedback
						.map((record) => (record.author as { id?: string } | undefined)?.id)
						.filter((id): id is string => id !== undefined),
				);
				const marks = rows(RecordScope.Contributor).map((record) => record.userId);
				assert.equal(marks.length, named.size);
				assert.deepEqual(new Set(marks), named);
				const days = rows(RecordScope.FeedbackDay).map((record) => record.day);
				assert.deepEqual([...days].sort(), [
					'2026-03-07',
					'2026-03-08',
					'2026-03-09',
					'2026-03-10',
				]);
			} finally {
				database.close();
			}
		} finally {
			fs.rmSync(folder, { recursive: true, force: true });
		}
	});
});

describe("the first admin view's state", () => {
	it('tells statistics shown from "still being counted" and "still being prepared"', () => {
		assert.equal(adminViewState(ADMIN_VIEW_ID, [{ text: 'Feedback received: 12' }]), 'complete');
		assert.equal(
			adminViewState(ADMIN_VIEW_ID, [
				{ text: 'The statistics and this page are still being counted.' },
			]),
			'counting',
		);
		assert.equal(
			adminViewState(ADMIN_VIEW_ID, [{ text: 'Statistics are still being prepared: 3 of 9 days' }]),
			'preparing',
		);
		assert.equal(adminViewState('another-view', []), 'failed');
	});
});
