// The unit tests' in-memory persistence against the storage contract of Rocket.Chat's server.
import { InMemoryPersistence } from '../support/InMemoryPersistence';
import { persistenceContract } from '../support/persistenceContract';

persistenceContract('InMemoryPersistence (test/support)', () => {
	const store = new InMemoryPersistence();
	return {
		writer: (appId) => store.writer(appId),
		reader: (appId) => store.reader(appId),
		countRecords: (appId) => store.records.filter((record) => record.appId === appId).length,
	};
});
