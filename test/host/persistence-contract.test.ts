// The host's SQLite persistence bridge against the storage contract of Rocket.Chat's server, on a
// fresh in-memory database per test, called as the engine calls it (the bridge's methods with the
// calling app's id).
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { openDatabase } from '../../host/server/database';
import { SqlitePersistenceBridge } from '../../host/server/persistence-bridge';
import { persistenceContract } from '../support/persistenceContract';

persistenceContract('SqlitePersistenceBridge (host/server/persistence-bridge.ts)', () => {
	const database = openDatabase(':memory:');
	const bridge = new SqlitePersistenceBridge(database);
	const writer = (appId: string): IPersistence => ({
		create: (data) => bridge.create(data, appId),
		createWithAssociation: (data, association) =>
			bridge.createWithAssociations(data, [association], appId),
		createWithAssociations: (data, associations) =>
			bridge.createWithAssociations(data, associations, appId),
		update: (id, data, upsert = false) => bridge.update(id, data, upsert, appId),
		updateByAssociation: (association, data, upsert = false) =>
			bridge.updateByAssociations([association], data, upsert, appId),
		updateByAssociations: (associations, data, upsert = false) =>
			bridge.updateByAssociations(associations, data, upsert, appId),
		// The bridge answers undefined where nothing was removed, as the server does; the
		// engine's accessor types promise more than the server gives.
		remove: (id) => bridge.remove(id, appId) as Promise<object>,
		removeByAssociation: (association) =>
			bridge.removeByAssociations([association], appId) as Promise<Array<object>>,
		removeByAssociations: (associations) =>
			bridge.removeByAssociations(associations, appId) as Promise<Array<object>>,
	});
	const reader = (appId: string): IPersistenceRead => ({
		read: (id) => bridge.readById(id, appId),
		readByAssociation: (association) => bridge.readByAssociations([association], appId),
		readByAssociations: (associations) => bridge.readByAssociations(associations, appId),
	});
	return {
		writer,
		reader,
		countRecords: (appId) => bridge.countRecords(appId),
		close: () => database.close(),
	};
});
