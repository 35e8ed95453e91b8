import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import { openDatabase } from '../../host/server/database';
import {
	InjectedPersistenceFault,
	SqlitePersistenceBridge,
} from '../../host/server/persistence-bridge';

const APP = 'app-under-test';
const OTHER_APP = 'another-app';

const misc = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);
const user = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.USER, id);
const room = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, id);

function newBridge(): SqlitePersistenceBridge {
	return new SqlitePersistenceBridge(openDatabase(':memory:'));
}

describe('SQLite persistence bridge follows Rocket.Chat server rules', () => {
	it('isolates apps: reads, exact updates and removals never touch another app', async () => {
		const bridge = newBridge();
		await bridge.createWithAssociations({ owner: 'other' }, [misc('feedback')], OTHER_APP);
		const mineId = await bridge.createWithAssociations({ owner: 'mine' }, [misc('feedback')], APP);

		assert.deepEqual(await bridge.readByAssociations([misc('feedback')], APP), [{ owner: 'mine' }]);
		await bridge.updateByAssociations([misc('feedback')], { owner: 'changed' }, false, APP);
		assert.deepEqual(await bridge.readByAssociations([misc('feedback')], OTHER_APP), [
			{ owner: 'other' },
		]);
		assert.equal(await bridge.remove(mineId, OTHER_APP), undefined);
		await bridge.removeByAssociations([misc('feedback')], APP);
		assert.deepEqual(await bridge.readByAssociations([misc('feedback')], OTHER_APP), [
			{ owner: 'other' },
		]);
	});

	it('create always inserts a new record, never de-duplicating', async () => {
		const bridge = newBridge();
		const first = await bridge.createWithAssociations({ count: 1 }, [misc('counter')], APP);
		const second = await bridge.createWithAssociations({ count: 1 }, [misc('counter')], APP);
		await bridge.create({ count: 1 }, APP);

		assert.notEqual(first, second);
		assert.equal(bridge.countRecords(APP), 3);
		assert.deepEqual(await bridge.readByAssociations([misc('counter')], APP), [
			{ count: 1 },
			{ count: 1 },
		]);
	});

	it('readByAssociations returns the data of every record holding AT LEAST the associations ($all)', async () => {
		const bridge = newBridge();
		await bridge.createWithAssociations({ n: 1 }, [misc('feedback'), user('alice')], APP);
		await bridge.createWithAssociations(
			{ n: 2 },
			[user('alice'), misc('feedback'), room('general')],
			APP,
		);
		await bridge.createWithAssociations({ n: 3 }, [misc('feedback'), user('bruno')], APP);
		await bridge.createWithAssociations({ n: 4 }, [user('alice')], APP);

		assert.deepEqual(await bridge.readByAssociations([misc('feedback'), user('alice')], APP), [
			{ n: 1 },
			{ n: 2 },
		]);
		assert.deepEqual(
			await bridge.readByAssociations([user('alice'), misc('feedback')], APP),
			[{ n: 1 }, { n: 2 }],
			'order of the query does not matter',
		);
		assert.deepEqual(await bridge.readByAssociations([misc('feedback')], APP), [
			{ n: 1 },
			{ n: 2 },
			{ n: 3 },
		]);
		assert.deepEqual(await bridge.readByAssociations([], APP), [], 'an empty $all matches nothing');
	});

	it('reads return data only: no record id is added', async () => {
		const bridge = newBridge();
		const id = await bridge.createWithAssociations({ text: 'hi' }, [misc('feedback')], APP);
		const [record] = await bridge.readByAssociations([misc('feedback')], APP);
		assert.deepEqual(record, { text: 'hi' });
		assert.deepEqual(await bridge.readById(id, APP), { text: 'hi' });
		assert.equal(await bridge.readById('no-such-id', APP), undefined);
	});

	it('accepts associations in their JSON form, as the Deno runtime sends them', async () => {
		const bridge = newBridge();
		const plain = [{ model: 'misc', id: 'feedback' }] as unknown as RocketChatAssociationRecord[];
		await bridge.createWithAssociations({ ok: true }, plain, APP);
		assert.deepEqual(await bridge.readByAssociations([misc('feedback')], APP), [{ ok: true }]);
	});

	it('updateByAssociations matches the association array EXACTLY (same elements, same order, same length)', async () => {
		const bridge = newBridge();
		await bridge.createWithAssociations({ v: 'ab' }, [misc('a'), misc('b')], APP);

		await bridge.updateByAssociations([misc('b'), misc('a')], { v: 'reordered' }, false, APP);
		await bridge.updateByAssociations([misc('a')], { v: 'subset' }, false, APP);
		await bridge.updateByAssociations(
			[misc('a'), misc('b'), misc('c')],
			{ v: 'superset' },
			false,
			APP,
		);
		assert.deepEqual(await bridge.readByAssociations([misc('a')], APP), [{ v: 'ab' }]);

		await bridge.updateByAssociations([misc('a'), misc('b')], { v: 'exact' }, false, APP);
		assert.deepEqual(await bridge.readByAssociations([misc('a')], APP), [{ v: 'exact' }]);
	});

	it('updateByAssociations replaces the whole data of ONE record only', async () => {
		const bridge = newBridge();
		await bridge.createWithAssociations({ count: 1, extra: 'kept?' }, [misc('counter')], APP);
		await bridge.createWithAssociations({ count: 1, extra: 'second' }, [misc('counter')], APP);

		await bridge.updateByAssociations([misc('counter')], { count: 2 }, false, APP);
		assert.deepEqual(await bridge.readByAssociations([misc('counter')], APP), [
			{ count: 2 },
			{ count: 1, extra: 'second' },
		]);
	});

	it('upsert inserts when no record matches, and there is no unique constraint', async () => {
		const bridge = newBridge();
		assert.equal(
			await bridge.updateByAssociations([misc('counter')], { count: 1 }, false, APP),
			'',
		);
		assert.equal(bridge.countRecords(APP), 0, 'without upsert nothing is inserted');

		await bridge.updateByAssociations([misc('counter')], { count: 1 }, true, APP);
		await bridge.updateByAssociations([misc('counter')], { count: 2 }, true, APP);
		assert.deepEqual(await bridge.readByAssociations([misc('counter')], APP), [{ count: 2 }]);

		await bridge.createWithAssociations({ count: 99 }, [misc('counter')], APP);
		assert.equal(
			bridge.countRecords(APP, [misc('counter')]),
			2,
			'a duplicate of the upserted key is accepted',
		);
	});

	it('update(id) throws Not implemented.', async () => {
		const bridge = newBridge();
		const id = await bridge.create({ a: 1 }, APP);
		await assert.rejects(bridge.update(id, { a: 2 }, false, APP), { message: 'Not implemented.' });
	});

	it('removeByAssociations deletes EVERY record holding at least the associations and returns their data', async () => {
		const bridge = newBridge();
		await bridge.createWithAssociations({ n: 1 }, [misc('feedback'), user('alice')], APP);
		await bridge.createWithAssociations({ n: 2 }, [misc('feedback'), user('bruno')], APP);
		await bridge.createWithAssociations({ n: 3 }, [misc('counter')], APP);

		assert.deepEqual(await bridge.removeByAssociations([misc('feedback')], APP), [
			{ n: 1 },
			{ n: 2 },
		]);
		assert.deepEqual(await bridge.readByAssociations([misc('feedback')], APP), []);
		assert.equal(
			await bridge.removeByAssociations([misc('feedback')], APP),
			undefined,
			'nothing left to remove',
		);
		assert.equal(bridge.countRecords(APP), 1);
	});

	it('remove(id) deletes one record of this app and returns its data', async () => {
		const bridge = newBridge();
		const first = await bridge.createWithAssociations({ n: 1 }, [misc('feedback')], APP);
		await bridge.createWithAssociations({ n: 2 }, [misc('feedback')], APP);

		assert.deepEqual(await bridge.remove(first, APP), { n: 1 });
		assert.equal(await bridge.remove(first, APP), undefined);
		assert.deepEqual(await bridge.readByAssociations([misc('feedback')], APP), [{ n: 2 }]);
	});

	it('purge removes every record of one app', async () => {
		const bridge = newBridge();
		await bridge.createWithAssociations({ n: 1 }, [misc('feedback')], APP);
		await bridge.createWithAssociations({ n: 2 }, [misc('feedback')], OTHER_APP);
		await bridge.purge(APP);
		assert.equal(bridge.countRecords(APP), 0);
		assert.equal(bridge.countRecords(OTHER_APP), 1);
	});

	it('fails a configurable share of calls when fault injection is on', async () => {
		const bridge = newBridge();
		bridge.setFaultInjection({ rate: 1 });
		await assert.rejects(bridge.create({ a: 1 }, APP), InjectedPersistenceFault);

		bridge.setFaultInjection({ rate: 1, methods: ['updateByAssociations'] });
		await bridge.create({ a: 1 }, APP);
		await assert.rejects(
			bridge.updateByAssociations([misc('x')], {}, true, APP),
			InjectedPersistenceFault,
		);

		const outcomes = async (seed: number) => {
			bridge.setFaultInjection({ rate: 0.3, seed });
			const results: boolean[] = [];
			for (let call = 0; call < 200; call++) {
				results.push(
					await bridge.readByAssociations([misc('x')], APP).then(
						() => true,
						() => false,
					),
				);
			}
			return results;
		};
		const first = await outcomes(42);
		const failures = first.filter((ok) => !ok).length;
		assert.ok(failures > 30 && failures < 90, `about 30% of 200 calls fail (got ${failures})`);
		assert.deepEqual(await outcomes(42), first, 'the same seed fails the same calls');

		bridge.setFaultInjection({ rate: 0 });
		await bridge.create({ a: 2 }, APP);
	});

	it('reports every call, failed ones included, to subscribers', async () => {
		const bridge = newBridge();
		const seen: string[] = [];
		const unsubscribe = bridge.onCall((event) =>
			seen.push(`${event.method}:${event.error ? 'failed' : 'ok'}`),
		);
		await bridge.create({ a: 1 }, APP);
		await bridge.update('x', {}, false, APP).catch(() => undefined);
		unsubscribe();
		await bridge.create({ a: 2 }, APP);
		assert.deepEqual(seen, ['create:ok', 'update:failed']);
	});

	it('shares one WAL database file between host processes', async () => {
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'persistence-wal-'));
		const file = path.join(folder, 'shared.sqlite');
		try {
			const firstDatabase = openDatabase(file);
			const secondDatabase = openDatabase(file);
			assert.equal(firstDatabase.pragma('journal_mode', { simple: true }), 'wal');
			const first = new SqlitePersistenceBridge(firstDatabase);
			const second = new SqlitePersistenceBridge(secondDatabase);

			await first.createWithAssociations({ from: 'first' }, [misc('feedback')], APP);
			await second.createWithAssociations({ from: 'second' }, [misc('feedback')], APP);
			assert.deepEqual(await first.readByAssociations([misc('feedback')], APP), [
				{ from: 'first' },
				{ from: 'second' },
			]);
			firstDatabase.close();
			secondDatabase.close();
		} finally {
			fs.rmSync(folder, { recursive: true, force: true });
		}
	});

	// Speed itself is measured by npm run bench; here, that reads go through the index.
	it('reads by associations through the association index, not a scan of every record', async () => {
		const database = openDatabase(':memory:');
		const bridge = new SqlitePersistenceBridge(database);
		for (let index = 0; index < 20_000; index++) {
			await bridge.createWithAssociations(
				{ index },
				[misc('feedback'), user(`user-${index % 1000}`)],
				APP,
			);
		}
		const rows = await bridge.readByAssociations([misc('feedback'), user('user-7')], APP);
		assert.equal(rows.length, 20);

		const plan = database
			.prepare(
				'EXPLAIN QUERY PLAN SELECT r.seq, r.data FROM persistence_associations d JOIN persistence_records r ON r.seq = d.record_seq WHERE d.app_id = ? AND d.association = ? ORDER BY d.record_seq',
			)
			.all(APP, '["misc","feedback"]') as Array<{ detail: string }>;
		assert.ok(
			!plan.some((step) => /^SCAN (r|persistence_records)\b/.test(step.detail)),
			JSON.stringify(plan),
		);
		database.close();
	});
});
