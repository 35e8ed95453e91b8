// One storage contract for every implementation of the app's persistence the tests use: the
// in-memory fake of the unit tests and the host's SQLite bridge. It encodes Rocket.Chat's server,
// read in RocketChat/Rocket.Chat:
// - apps/meteor/app/apps/server/bridges/persistence.ts (AppPersistenceBridge, the version that
//   imports IAppServerOrchestrator from '@rocket.chat/apps'):
//   create/createWithAssociations: `insertOne({ appId, associations?, data })`, never de-duplicated;
//   readById: `findOneById(id)` (no appId filter), answers `record?.data`;
//   readByAssociations: `find({ appId, associations: { $all: associations } })`, answers `r.data`;
//   remove(id): `findOne({ _id: id, appId })`, undefined when none, else `remove` and its data;
//   removeByAssociations: the same `$all` find, `if (!records?.length) return undefined`, else
//   `remove(query)` and the data of every match;
//   update(id): throws 'Not implemented.';
//   updateByAssociations: `update({ appId, associations }, { $set: { data } }, { upsert })`.
// - packages/models/src/models/AppsPersistence.ts: index `{ appId: 1, associations: 1 }`, not
//   unique; `remove(query)` is `deleteMany(query)` (it bypasses the trash collection).
// - MongoDB: `{ associations: { $all: [] } }` matches NO document (parsed as $alwaysFalse:
//   jira.mongodb.org SERVER-3337, SERVER-99098); `{ associations: [a, b] }` is an exact array
//   match (same elements, same order, same length); `updateOne` changes at most one document.
// What the server does not promise is not asserted: the order of read results (no sort) and the
// return value of updateByAssociations (an UpdateResult cast to string on current servers).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

/** One storage under test, seen as apps see it. */
export interface IPersistenceUnderTest {
	/** The IPersistence an app with this id is given. */
	writer(appId: string): IPersistence;
	/** The IPersistenceRead an app with this id is given. */
	reader(appId: string): IPersistenceRead;
	/** How many records an app has, associated or not (what no app accessor can tell). */
	countRecords(appId: string): number;
	/** Frees what the storage holds (a database connection). */
	close?(): void;
}

export type PersistenceFactory = () => IPersistenceUnderTest;

const APP = 'contract-app';
const OTHER_APP = 'contract-other-app';

const misc = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);
const user = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.USER, id);
const room = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, id);

/** Read results as a multiset: the server does not sort them. */
function sorted(items: ReadonlyArray<object> | undefined): string[] {
	return (items ?? []).map((item) => JSON.stringify(item)).sort();
}

/**
 * Registers the contract's tests for one implementation. Every test builds its own storage from
 * the factory, so any of them passes alone.
 */
export function persistenceContract(name: string, factory: PersistenceFactory): void {
	/** Runs a test body on a fresh storage and frees it afterwards. */
	const withStorage =
		(body: (storage: IPersistenceUnderTest) => Promise<void>) => async (): Promise<void> => {
			const storage = factory();
			try {
				await body(storage);
			} finally {
				storage.close?.();
			}
		};

	void describe(`persistence contract (Rocket.Chat's server rules): ${name}`, () => {
		void describe('create', () => {
			void it(
				'always inserts: identical data under identical associations makes two records with two ids',
				withStorage(async (storage) => {
					const writer = storage.writer(APP);
					const first = await writer.createWithAssociations({ n: 1 }, [misc('counter')]);
					const second = await writer.createWithAssociations({ n: 1 }, [misc('counter')]);
					assert.equal(typeof first, 'string');
					assert.notEqual(first, second);
					assert.equal(storage.countRecords(APP), 2);
					assert.deepEqual(await storage.reader(APP).readByAssociation(misc('counter')), [
						{ n: 1 },
						{ n: 1 },
					]);
				}),
			);

			void it(
				'stores a record without associations, readable by id and by no association read',
				withStorage(async (storage) => {
					const id = await storage.writer(APP).create({ bare: true });
					assert.equal(storage.countRecords(APP), 1);
					assert.deepEqual(await storage.reader(APP).read(id), { bare: true });
					assert.deepEqual(await storage.reader(APP).readByAssociations([misc('bare')]), []);
				}),
			);

			void it(
				'createWithAssociation stores one association',
				withStorage(async (storage) => {
					await storage.writer(APP).createWithAssociation({ n: 1 }, misc('a'));
					assert.deepEqual(await storage.reader(APP).readByAssociation(misc('a')), [{ n: 1 }]);
				}),
			);
		});

		void describe('readByAssociations ($all)', () => {
			void it(
				'returns every record holding AT LEAST the associations, whatever their order in the query',
				withStorage(async (storage) => {
					const writer = storage.writer(APP);
					await writer.createWithAssociations({ n: 1 }, [misc('feedback'), user('alice')]);
					await writer.createWithAssociations({ n: 2 }, [
						user('alice'),
						misc('feedback'),
						room('general'),
					]);
					await writer.createWithAssociations({ n: 3 }, [misc('feedback'), user('bruno')]);
					await writer.createWithAssociations({ n: 4 }, [user('alice')]);
					const reader = storage.reader(APP);
					assert.deepEqual(
						sorted(await reader.readByAssociations([misc('feedback'), user('alice')])),
						sorted([{ n: 1 }, { n: 2 }]),
					);
					assert.deepEqual(
						sorted(await reader.readByAssociations([user('alice'), misc('feedback')])),
						sorted([{ n: 1 }, { n: 2 }]),
						'the order of the query does not matter',
					);
					assert.deepEqual(
						sorted(await reader.readByAssociations([misc('feedback')])),
						sorted([{ n: 1 }, { n: 2 }, { n: 3 }]),
					);
					assert.deepEqual(
						sorted(await reader.readByAssociations([misc('feedback'), misc('feedback')])),
						sorted([{ n: 1 }, { n: 2 }, { n: 3 }]),
						'a repeated association asks for nothing more',
					);
					assert.deepEqual(
						await reader.readByAssociations([misc('feedback'), user('clara')]),
						[],
						'a record must hold every association asked for',
					);
				}),
			);

			void it(
				'matches on model and id together',
				withStorage(async (storage) => {
					await storage.writer(APP).createWithAssociations({ n: 1 }, [user('same-id')]);
					assert.deepEqual(await storage.reader(APP).readByAssociation(misc('same-id')), []);
					assert.deepEqual(await storage.reader(APP).readByAssociation(user('same-id')), [
						{ n: 1 },
					]);
				}),
			);

			void it(
				'returns the data only (no id, app or associations) and copies of it',
				withStorage(async (storage) => {
					await storage
						.writer(APP)
						.createWithAssociations({ text: 'hello', nested: { n: 1 } }, [misc('a')]);
					const [found] = (await storage.reader(APP).readByAssociation(misc('a'))) as Array<{
						text: string;
						nested: { n: number };
					}>;
					assert.deepEqual(found, { text: 'hello', nested: { n: 1 } });
					found.nested.n = 99;
					assert.deepEqual(
						await storage.reader(APP).readByAssociation(misc('a')),
						[{ text: 'hello', nested: { n: 1 } }],
						'changing what was read changes nothing stored',
					);
				}),
			);

			void it(
				'an empty association list matches NO record (Mongo parses `$all: []` as always false)',
				withStorage(async (storage) => {
					await storage.writer(APP).createWithAssociations({ n: 1 }, [misc('a')]);
					await storage.writer(APP).create({ n: 2 });
					assert.deepEqual(await storage.reader(APP).readByAssociations([]), []);
				}),
			);
		});

		void describe('readById', () => {
			void it(
				'returns the data of the record, and undefined for an unknown id',
				withStorage(async (storage) => {
					const id = await storage.writer(APP).createWithAssociations({ n: 1 }, [misc('a')]);
					assert.deepEqual(await storage.reader(APP).read(id), { n: 1 });
					assert.equal(await storage.reader(APP).read('no-such-record'), undefined);
				}),
			);

			void it(
				"has no app filter: the server's findOneById reads another app's record",
				withStorage(async (storage) => {
					const id = await storage.writer(OTHER_APP).create({ owner: 'other' });
					assert.deepEqual(await storage.reader(APP).read(id), { owner: 'other' });
				}),
			);
		});

		void describe('updateByAssociations (exact array, one record)', () => {
			void it(
				'matches the association array EXACTLY: same elements, same order, same length',
				withStorage(async (storage) => {
					const writer = storage.writer(APP);
					await writer.createWithAssociations({ n: 1 }, [misc('a'), misc('b')]);
					await writer.updateByAssociations([misc('b'), misc('a')], { n: 2 });
					await writer.updateByAssociations([misc('a')], { n: 3 });
					await writer.updateByAssociations([misc('a'), misc('b'), misc('c')], { n: 4 });
					assert.deepEqual(await storage.reader(APP).readByAssociation(misc('a')), [{ n: 1 }]);
					await writer.updateByAssociations([misc('a'), misc('b')], { n: 5 });
					assert.deepEqual(await storage.reader(APP).readByAssociation(misc('a')), [{ n: 5 }]);
					assert.equal(storage.countRecords(APP), 1, 'no update inserted anything');
				}),
			);

			void it(
				'changes ONE record when several match, and replaces its whole data ($set: { data })',
				withStorage(async (storage) => {
					const writer = storage.writer(APP);
					await writer.createWithAssociations({ n: 1, kept: 'no' }, [misc('twin')]);
					await writer.createWithAssociations({ n: 1, kept: 'no' }, [misc('twin')]);
					await writer.updateByAssociation(misc('twin'), { n: 2 });
					assert.deepEqual(
						sorted(await storage.reader(APP).readByAssociation(misc('twin'))),
						sorted([{ n: 2 }, { n: 1, kept: 'no' }]),
					);
				}),
			);

			void it(
				'without upsert, inserts nothing when no record matches',
				withStorage(async (storage) => {
					await storage.writer(APP).updateByAssociations([misc('none')], { n: 1 });
					await storage.writer(APP).updateByAssociations([misc('none')], { n: 1 }, false);
					assert.equal(storage.countRecords(APP), 0);
				}),
			);

			void it(
				'with upsert, inserts a record holding exactly those associations when none matches, then updates it',
				withStorage(async (storage) => {
					const writer = storage.writer(APP);
					await writer.updateByAssociations([misc('total'), misc('total:2030')], { n: 1 }, true);
					assert.equal(storage.countRecords(APP), 1);
					await writer.updateByAssociations([misc('total'), misc('total:2030')], { n: 2 }, true);
					assert.equal(storage.countRecords(APP), 1, 'the second upsert found the first');
					assert.deepEqual(await storage.reader(APP).readByAssociation(misc('total:2030')), [
						{ n: 2 },
					]);
				}),
			);

			void it(
				'upsert has no unique index behind it: it never merges copies that exist',
				withStorage(async (storage) => {
					const writer = storage.writer(APP);
					await writer.createWithAssociations({ n: 1 }, [misc('copy')]);
					await writer.createWithAssociations({ n: 1 }, [misc('copy')]);
					await writer.updateByAssociation(misc('copy'), { n: 2 }, true);
					assert.equal(storage.countRecords(APP), 2);
					assert.deepEqual(
						sorted(await storage.reader(APP).readByAssociation(misc('copy'))),
						sorted([{ n: 2 }, { n: 1 }]),
					);
				}),
			);

			void it(
				'an empty association list touches no record that has associations or none',
				withStorage(async (storage) => {
					const writer = storage.writer(APP);
					const bare = await writer.create({ n: 1 });
					await writer.createWithAssociations({ n: 1 }, [misc('a')]);
					await writer.updateByAssociations([], { n: 2 });
					assert.deepEqual(await storage.reader(APP).read(bare), { n: 1 });
					assert.deepEqual(await storage.reader(APP).readByAssociation(misc('a')), [{ n: 1 }]);
					assert.equal(storage.countRecords(APP), 2);
				}),
			);
		});

		void describe('update(id)', () => {
			void it(
				"throws 'Not implemented.' and changes nothing",
				withStorage(async (storage) => {
					const id = await storage.writer(APP).create({ n: 1 });
					await assert.rejects(storage.writer(APP).update(id, { n: 2 }), /Not implemented\./);
					assert.deepEqual(await storage.reader(APP).read(id), { n: 1 });
				}),
			);
		});

		void describe('remove(id)', () => {
			void it(
				"deletes one record of this app and returns its data; undefined for an unknown id or another app's",
				withStorage(async (storage) => {
					const writer = storage.writer(APP);
					const id = await writer.createWithAssociations({ n: 1 }, [misc('a')]);
					await writer.createWithAssociations({ n: 2 }, [misc('a')]);
					assert.equal(await storage.writer(OTHER_APP).remove(id), undefined);
					assert.equal(storage.countRecords(APP), 2, "another app's remove deleted nothing");
					assert.deepEqual(await writer.remove(id), { n: 1 });
					assert.deepEqual(await storage.reader(APP).readByAssociation(misc('a')), [{ n: 2 }]);
					assert.equal(await writer.remove(id), undefined, 'a second remove finds nothing');
					assert.equal(await writer.remove('no-such-record'), undefined);
				}),
			);
		});

		void describe('removeByAssociations (deleteMany of every $all match)', () => {
			void it(
				'deletes EVERY record holding at least the associations and returns their data',
				withStorage(async (storage) => {
					const writer = storage.writer(APP);
					await writer.createWithAssociations({ n: 1 }, [misc('feedback'), misc('id:1')]);
					await writer.createWithAssociations({ n: 2 }, [misc('feedback'), misc('id:2')]);
					await writer.createWithAssociations({ n: 3 }, [misc('feedback'), misc('id:2')]);
					await writer.createWithAssociations({ n: 4 }, [misc('other')]);
					const removed = await writer.removeByAssociations([misc('id:2'), misc('feedback')]);
					assert.deepEqual(sorted(removed), sorted([{ n: 2 }, { n: 3 }]));
					assert.deepEqual(await storage.reader(APP).readByAssociation(misc('feedback')), [
						{ n: 1 },
					]);
					// Removing by the shared association alone takes every feedback with it.
					assert.deepEqual(await writer.removeByAssociation(misc('feedback')), [{ n: 1 }]);
					assert.equal(storage.countRecords(APP), 1);
				}),
			);

			void it(
				'returns undefined when nothing matched (`if (!records?.length) return undefined`)',
				withStorage(async (storage) => {
					await storage.writer(APP).createWithAssociations({ n: 1 }, [misc('a')]);
					assert.equal(await storage.writer(APP).removeByAssociation(misc('b')), undefined);
					assert.equal(storage.countRecords(APP), 1);
				}),
			);

			void it(
				'an empty association list deletes NOTHING and returns undefined',
				withStorage(async (storage) => {
					await storage.writer(APP).createWithAssociations({ n: 1 }, [misc('a')]);
					await storage.writer(APP).create({ n: 2 });
					assert.equal(await storage.writer(APP).removeByAssociations([]), undefined);
					assert.equal(storage.countRecords(APP), 2);
				}),
			);
		});

		void describe('app isolation (every query but findOneById carries appId)', () => {
			void it(
				"reads, exact updates, upserts and removes by association never touch another app's records",
				withStorage(async (storage) => {
					await storage
						.writer(OTHER_APP)
						.createWithAssociations({ owner: 'other' }, [misc('shared')]);
					await storage.writer(APP).createWithAssociations({ owner: 'mine' }, [misc('shared')]);
					const mine = storage.writer(APP);
					assert.deepEqual(await storage.reader(APP).readByAssociation(misc('shared')), [
						{ owner: 'mine' },
					]);
					await mine.updateByAssociation(misc('shared'), { owner: 'changed' });
					await mine.updateByAssociation(misc('upserted'), { owner: 'mine' }, true);
					await storage
						.writer(OTHER_APP)
						.createWithAssociations({ owner: 'other' }, [misc('only-other')]);
					await mine.updateByAssociation(misc('only-other'), { owner: 'mine' }, true);
					assert.deepEqual(
						await storage.reader(OTHER_APP).readByAssociation(misc('only-other')),
						[{ owner: 'other' }],
						"an upsert matching only another app's record inserts for this app",
					);
					assert.deepEqual(await mine.removeByAssociation(misc('shared')), [{ owner: 'changed' }]);
					assert.deepEqual(await storage.reader(OTHER_APP).readByAssociation(misc('shared')), [
						{ owner: 'other' },
					]);
					assert.equal(storage.countRecords(OTHER_APP), 2);
					assert.equal(storage.countRecords(APP), 2, 'the two upserts of this app');
				}),
			);
		});
	});
}
