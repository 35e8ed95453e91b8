import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';

import { InMemoryPersistence } from '../support/InMemoryPersistence';

const user = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.USER, id);
const misc = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);

// The handler tests are only as good as this stand-in: each rule of the server's bridge is checked here.
describe('the in-memory persistence follows the server rules', () => {
	it('create always inserts, even identical data under identical associations', async () => {
		const store = new InMemoryPersistence();
		await store.writer('app').createWithAssociations({ n: 1 }, [misc('a')]);
		await store.writer('app').createWithAssociations({ n: 1 }, [misc('a')]);
		assert.equal(store.records.length, 2);
	});

	it('reads return the data of every record holding at least the associations, and only data', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer('app');
		await writer.createWithAssociations({ n: 1 }, [user('u'), misc('a')]);
		await writer.createWithAssociations({ n: 2 }, [misc('a')]);
		await writer.createWithAssociations({ n: 3 }, [misc('b')]);
		const found = await store.reader('app').readByAssociations([misc('a')]);
		assert.deepEqual(found, [{ n: 1 }, { n: 2 }]);
		assert.deepEqual(await store.reader('app').readByAssociations([misc('a'), user('u')]), [
			{ n: 1 },
		]);
	});

	it("apps never see each other's records", async () => {
		const store = new InMemoryPersistence();
		await store.writer('one').createWithAssociations({ n: 1 }, [misc('a')]);
		assert.deepEqual(await store.reader('two').readByAssociations([misc('a')]), []);
	});

	it('updates match the exact association array, in order, and change one record', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer('app');
		await writer.createWithAssociations({ n: 1 }, [misc('a'), misc('b')]);
		await writer.createWithAssociations({ n: 1 }, [misc('a'), misc('b')]);
		await writer.updateByAssociations([misc('b'), misc('a')], { n: 9 });
		await writer.updateByAssociations([misc('a')], { n: 9 });
		assert.deepEqual(
			store.records.map((record) => record.data),
			[{ n: 1 }, { n: 1 }],
		);
		await writer.updateByAssociations([misc('a'), misc('b')], { n: 2 });
		assert.deepEqual(
			store.records.map((record) => record.data),
			[{ n: 2 }, { n: 1 }],
		);
	});

	it('upsert inserts when nothing matches exactly, and can be told to duplicate like racing instances', async () => {
		const store = new InMemoryPersistence();
		await store.writer('app').updateByAssociations([misc('a')], { n: 1 }, true);
		assert.equal(store.records.length, 1);
		store.duplicateUpserts = true;
		await store.writer('app').updateByAssociations([misc('b')], { n: 1 }, true);
		assert.equal(store.records.length, 3);
	});

	it('update by id is not implemented, as on the server', async () => {
		const store = new InMemoryPersistence();
		await assert.rejects(store.writer('app').update('x', {}), /Not implemented\./);
	});

	it('remove by associations deletes every record that has at least them', async () => {
		const store = new InMemoryPersistence();
		const writer = store.writer('app');
		await writer.createWithAssociations({ n: 1 }, [misc('feedback'), misc('id:1')]);
		await writer.createWithAssociations({ n: 2 }, [misc('feedback'), misc('id:2')]);
		const removed = await writer.removeByAssociations([misc('feedback')]);
		assert.equal(removed.length, 2);
		assert.equal(store.records.length, 0);
	});

	it('remove by id deletes one record of the app', async () => {
		const store = new InMemoryPersistence();
		const id = await store.writer('app').create({ n: 1 });
		await store.writer('other').remove(id);
		assert.equal(store.records.length, 1);
		await store.writer('app').remove(id);
		assert.equal(store.records.length, 0);
	});

	it('injected failures throw before anything is written', async () => {
		const store = new InMemoryPersistence();
		store.failNext('create');
		await assert.rejects(store.writer('app').create({ n: 1 }), /injected create failure/);
		assert.equal(store.records.length, 0);
		await store.writer('app').create({ n: 1 });
		assert.equal(store.records.length, 1);
	});
});
