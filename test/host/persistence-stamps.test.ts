// What Rocket.Chat's BaseRaw puts on every app record beside its data (packages/models/src/models/
// BaseRaw.ts, setUpdatedAt.ts): an ObjectId (seconds, a random part per process, a counter per id)
// and `_updatedAt`, stamped at the insert and again at every update. A reader of the database sees
// both, so the host keeps both.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';
import BetterSqlite3 from 'better-sqlite3';

import { openDatabase } from '../../host/server/database';
import { MovableClock, SharedClock } from '../../host/server/host-clock';
import { objectIdParts, ObjectIdSource } from '../../host/server/object-id';
import { SqlitePersistenceBridge } from '../../host/server/persistence-bridge';

const APP = 'app-under-test';
const T0 = Date.UTC(2024, 4, 17, 9, 41, 12, 345);
const PROCESS_PART = Buffer.from('a1b2c3d4e5', 'hex');

const misc = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);

/** The stored row of a record, as a reader of the database sees it. */
function storedRow(
	database: BetterSqlite3.Database,
	id: string,
): { id: string; updated_at: string | null } | undefined {
	return database.prepare('SELECT id, updated_at FROM persistence_records WHERE id = ?').get(id) as
		| { id: string; updated_at: string | null }
		| undefined;
}

describe('record ids are ObjectIds, as BaseRaw.insertOne draws them', () => {
	it('holds the second, the process part and the next step of the counter', () => {
		const source = new ObjectIdSource(PROCESS_PART, 41);
		const id = source.next(T0);
		assert.match(id, /^[0-9a-f]{24}$/);
		assert.equal(
			id.slice(0, 8),
			Math.floor(T0 / 1000)
				.toString(16)
				.padStart(8, '0'),
		);
		assert.deepEqual(objectIdParts(id), {
			seconds: Math.floor(T0 / 1000),
			processUnique: 'a1b2c3d4e5',
			counter: 42,
		});
	});

	it('orders the ids of one process by insert: the counter steps by one, within a second too', () => {
		const source = new ObjectIdSource(PROCESS_PART, 7);
		const ids = [source.next(T0), source.next(T0), source.next(T0 + 1500)];
		assert.deepEqual(
			ids.map((id) => objectIdParts(id)?.counter),
			[8, 9, 10],
		);
		assert.deepEqual([...ids].sort(), ids, 'sorted by id is sorted by insert');
	});

	it('wraps its 3-byte counter at 0xffffff, as bson does', () => {
		const source = new ObjectIdSource(PROCESS_PART, 0xfffffe);
		assert.deepEqual(
			[source.next(T0), source.next(T0)].map((id) => objectIdParts(id)?.counter),
			[0, 1],
		);
	});

	it('refuses a process part, a counter or a time an ObjectId cannot hold', () => {
		assert.throws(() => new ObjectIdSource(Buffer.alloc(4)), /process part is 5 bytes, got 4/);
		assert.throws(() => new ObjectIdSource(PROCESS_PART, 0xffffff), /counter starts in/);
		assert.throws(() => new ObjectIdSource(PROCESS_PART, -1), /counter starts in/);
		assert.throws(() => new ObjectIdSource(PROCESS_PART).next(-1000), /seconds from 1970 to 2106/);
		assert.throws(
			() => new ObjectIdSource(PROCESS_PART).next(2 ** 32 * 1000),
			/seconds from 1970 to 2106/,
		);
	});

	it('takes apart only an ObjectId', () => {
		assert.equal(objectIdParts('3f8a2c1e-6b4d-4e2a-9f10-7c5d3b2a1e0f'), undefined);
		assert.equal(objectIdParts('ABCDEF0123456789abcdef01'), undefined);
		assert.equal(objectIdParts('abcdef0123456789abcdef0'), undefined);
	});

	it('gives each process its own random part and counter, as each server instance has', () => {
		const moduleFile = path.join(__dirname, '../../host/server/object-id.js');
		const draw = () =>
			JSON.parse(
				execFileSync(process.execPath, [
					'-e',
					`const { processObjectIds, objectIdParts } = require(${JSON.stringify(moduleFile)});
					const ids = [processObjectIds.next(Date.now()), processObjectIds.next(Date.now())];
					process.stdout.write(JSON.stringify(ids.map(objectIdParts)));`,
				]).toString(),
			) as Array<{ processUnique: string; counter: number }>;
		const [first, second] = [draw(), draw()];
		assert.equal(first[0].processUnique, first[1].processUnique, 'one part within a process');
		assert.equal(first[1].counter, (first[0].counter + 1) % 0xffffff);
		assert.notEqual(first[0].processUnique, second[0].processUnique, 'another part per process');
	});
});

describe('the persistence bridge stamps records as Rocket.Chat does', () => {
	it('create and createWithAssociations return an ObjectId of the insert and stamp _updatedAt', async () => {
		const database = openDatabase(':memory:');
		const clock = new MovableClock(T0);
		const bridge = new SqlitePersistenceBridge(database, {
			clock,
			objectIds: new ObjectIdSource(PROCESS_PART, 100),
		});
		const plain = await bridge.create({ a: 1 }, APP);
		clock.advance(2_000);
		const associated = await bridge.createWithAssociations({ a: 2 }, [misc('x')], APP);

		assert.deepEqual(objectIdParts(plain), {
			seconds: Math.floor(T0 / 1000),
			processUnique: 'a1b2c3d4e5',
			counter: 101,
		});
		assert.deepEqual(objectIdParts(associated), {
			seconds: Math.floor(T0 / 1000) + 2,
			processUnique: 'a1b2c3d4e5',
			counter: 102,
		});
		assert.deepEqual(storedRow(database, plain), {
			id: plain,
			updated_at: '2024-05-17T09:41:12.345Z',
		});
		assert.equal(storedRow(database, associated)?.updated_at, '2024-05-17T09:41:14.345Z');
		assert.deepEqual(await bridge.readById(associated, APP), { a: 2 });
		assert.deepEqual(await bridge.remove(plain, APP), { a: 1 });
		database.close();
	});

	it('updateByAssociations stamps _updatedAt again and keeps the id; a miss stamps nothing', async () => {
		const database = openDatabase(':memory:');
		const clock = new MovableClock(T0);
		const bridge = new SqlitePersistenceBridge(database, { clock });
		const id = await bridge.createWithAssociations({ v: 1 }, [misc('one')], APP);
		const other = await bridge.createWithAssociations({ v: 1 }, [misc('other')], APP);
		clock.advance(61_001);

		assert.equal(await bridge.updateByAssociations([misc('one')], { v: 2 }, false, APP), id);
		assert.deepEqual(storedRow(database, id), { id, updated_at: '2024-05-17T09:42:13.346Z' });
		assert.equal(await bridge.updateByAssociations([misc('none')], { v: 3 }, false, APP), '');
		assert.equal(storedRow(database, other)?.updated_at, '2024-05-17T09:41:12.345Z');
		database.close();
	});

	it('an upsert that inserts gives the record an ObjectId and _updatedAt, as BaseRaw.updateOne', async () => {
		const database = openDatabase(':memory:');
		const clock = new MovableClock(T0);
		const bridge = new SqlitePersistenceBridge(database, {
			clock,
			objectIds: new ObjectIdSource(PROCESS_PART, 5),
		});
		const id = await bridge.updateByAssociations([misc('new')], { v: 1 }, true, APP);
		assert.deepEqual(objectIdParts(id), {
			seconds: Math.floor(T0 / 1000),
			processUnique: 'a1b2c3d4e5',
			counter: 6,
		});
		assert.equal(storedRow(database, id)?.updated_at, '2024-05-17T09:41:12.345Z');
		database.close();
	});

	it('reads the host clock of its database when given none: a frozen or moved clock stamps', async () => {
		const database = openDatabase(':memory:');
		const shared = new SharedClock(database);
		shared.freeze(T0);
		shared.advance(3_600_000);
		const bridge = new SqlitePersistenceBridge(database);
		const id = await bridge.create({}, APP);
		assert.equal(storedRow(database, id)?.updated_at, '2024-05-17T10:41:12.345Z');
		assert.equal(objectIdParts(id)?.seconds, Math.floor(T0 / 1000) + 3600);
		database.close();
	});
});

describe('a database of an older host', () => {
	it('gets the updated_at column once, its rows keeping theirs empty, and takes new records', async () => {
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'persistence-migrate-'));
		const file = path.join(folder, 'old.sqlite');
		try {
			const old = new BetterSqlite3(file);
			old.exec(`CREATE TABLE persistence_records (
				seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, app_id TEXT NOT NULL,
				associations TEXT, associations_key TEXT, data TEXT NOT NULL)`);
			old
				.prepare(
					`INSERT INTO persistence_records (id, app_id, associations, associations_key, data)
					VALUES ('3f8a2c1e-6b4d-4e2a-9f10-7c5d3b2a1e0f', ?, NULL, NULL, '{"old":true}')`,
				)
				.run(APP);
			old.close();

			const first = openDatabase(file);
			const second = openDatabase(file);
			const columns = (
				first.prepare('PRAGMA table_info(persistence_records)').all() as Array<{
					name: string;
				}>
			).map((column) => column.name);
			assert.equal(columns.filter((name) => name === 'updated_at').length, 1);
			assert.deepEqual(storedRow(first, '3f8a2c1e-6b4d-4e2a-9f10-7c5d3b2a1e0f'), {
				id: '3f8a2c1e-6b4d-4e2a-9f10-7c5d3b2a1e0f',
				updated_at: null,
			});
			const bridge = new SqlitePersistenceBridge(second, { clock: new MovableClock(T0) });
			const id = await bridge.create({ fresh: true }, APP);
			assert.equal(storedRow(first, id)?.updated_at, '2024-05-17T09:41:12.345Z');
			assert.deepEqual(await bridge.readById('3f8a2c1e-6b4d-4e2a-9f10-7c5d3b2a1e0f', APP), {
				old: true,
			});
			first.close();
			second.close();
		} finally {
			fs.rmSync(folder, { recursive: true, force: true });
		}
	});
});
