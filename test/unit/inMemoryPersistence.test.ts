import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import { InMemoryPersistence } from '../support/InMemoryPersistence';

const misc = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);

// The server's rules are checked by the storage contract (persistenceContract.test.ts), which runs
// against this fake and the SQLite bridge alike. Here: what only the fake does, for the tests.
describe('the in-memory persistence: what the fake adds for tests', () => {
	it('an upsert that inserts can be told to store two copies, as racing instances can', async () => {
		const store = new InMemoryPersistence();
		await store.writer('app').updateByAssociations([misc('a')], { n: 1 }, true);
		assert.equal(store.records.length, 1);
		store.duplicateUpserts = true;
		await store.writer('app').updateByAssociations([misc('b')], { n: 1 }, true);
		assert.equal(store.records.length, 3);
	});

	it('injected failures throw before anything is written', async () => {
		const store = new InMemoryPersistence();
		store.failNext('create');
		await assert.rejects(store.writer('app').create({ n: 1 }), /injected create failure/);
		assert.equal(store.records.length, 0);
		await store.writer('app').create({ n: 1 });
		assert.equal(store.records.length, 1);
	});

	it('a lost answer throws after the call took effect', async () => {
		const store = new InMemoryPersistence();
		store.loseAnswerOfNext('create');
		await assert.rejects(
			store.writer('app').createWithAssociations({ n: 1 }, [misc('a')]),
			/injected lost answer of create/,
		);
		assert.deepEqual(await store.reader('app').readByAssociation(misc('a')), [{ n: 1 }]);
	});

	it('records every call by method, for assertions on how much was read or written', async () => {
		const store = new InMemoryPersistence();
		await store.writer('app').createWithAssociations({ n: 1 }, [misc('a')]);
		await store.reader('app').readByAssociation(misc('a'));
		await store.writer('app').removeByAssociation(misc('a'));
		assert.deepEqual(store.calls, ['create', 'readByAssociations', 'removeByAssociations']);
	});

	it('matching() finds what a read would, an empty list included', async () => {
		const store = new InMemoryPersistence();
		await store.writer('app').createWithAssociations({ n: 1 }, [misc('a'), misc('b')]);
		assert.equal(store.matching('app', [misc('b')]).length, 1);
		assert.equal(store.matching('other', [misc('b')]).length, 0);
		assert.deepEqual(store.matching('app', []), []);
	});
});
