import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/** A stored document, shaped like Rocket.Chat's rocketchat_apps_persistence collection. */
export interface IStoredRecord {
	readonly _id: string;
	readonly appId: string;
	readonly associations: ReadonlyArray<{ readonly model: string; readonly id: string }>;
	/**
	 * Made by create(): the server's document has no `associations` field at all, so not even an
	 * exact match on `[]` finds it (`associations` is then empty here).
	 */
	readonly withoutAssociations?: true;
	data: object;
}

export type PersistenceMethod =
	| 'create'
	| 'readById'
	| 'readByAssociations'
	| 'updateByAssociations'
	| 'removeById'
	| 'removeByAssociations';

type Association = { model: string; id: string };

function toPlain(associations: ReadonlyArray<RocketChatAssociationRecord>): Array<Association> {
	return associations.map((association) => ({
		model: association.getModel(),
		id: association.getID(),
	}));
}

function sameAssociation(a: Association, b: Association): boolean {
	return a.model === b.model && a.id === b.id;
}

function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Rocket.Chat's persistence bridge, in memory, rule for rule: creates always insert;
 * reads return the data of every record holding AT LEAST the associations ($all);
 * updates match the EXACT association array and change ONE record; upsert inserts
 * without any unique index; update(id) throws; removes delete every superset match.
 * An empty association list matches nothing (Mongo's `$all: []`), and a remove that
 * matched nothing answers undefined. test/support/persistenceContract.ts holds these
 * rules, with the server files they come from, and checks this class and the SQLite
 * bridge against them (test/unit/persistenceContract.test.ts).
 * It can duplicate upserts (as racing instances do) and fail calls on demand.
 */
export class InMemoryPersistence {
	public readonly records: Array<IStoredRecord> = [];

	public readonly calls: Array<PersistenceMethod> = [];

	/** How many records each readByAssociations answered, in call order. */
	public readonly readSizes: Array<number> = [];

	/** When set, an upsert that inserts stores two copies, as two racing instances would. */
	public duplicateUpserts = false;

	/** Awaited inside every call before it takes effect, to let tests interleave calls. */
	public pause: () => Promise<void> = () => Promise.resolve();

	private failures: Array<{ method: PersistenceMethod | 'any'; remaining: number; error: Error }> =
		[];

	private lostAnswers: Array<{ method: PersistenceMethod; remaining: number; skip: number }> = [];

	private nextId = 1;

	/** Makes the next `times` calls of `method` throw (after nothing was written). */
	public failNext(
		method: PersistenceMethod | 'any',
		times = 1,
		message = `injected ${method} failure`,
	): void {
		this.failures.push({ method, remaining: times, error: new Error(message) });
	}

	/**
	 * Makes the next `times` calls of `method` (after `skip` calls of it answered) take effect,
	 * then throw: the answer is lost.
	 */
	public loseAnswerOfNext(method: PersistenceMethod, times = 1, skip = 0): void {
		this.lostAnswers.push({ method, remaining: times, skip });
	}

	/** Forgets failures that were asked for but not used. */
	public clearFailures(): void {
		this.failures = [];
	}

	/** Forgets lost answers that were asked for but not used. */
	public clearLostAnswers(): void {
		this.lostAnswers = [];
	}

	/** The IPersistence accessor an app with this id receives. */
	public writer(appId: string): IPersistence {
		const create = (
			data: object,
			associations: ReadonlyArray<RocketChatAssociationRecord> | undefined,
		) => this.answer('create', this.create(appId, data, associations));
		const update = (
			associations: ReadonlyArray<RocketChatAssociationRecord>,
			data: object,
			upsert?: boolean,
		) =>
			this.answer(
				'updateByAssociations',
				this.updateByAssociations(appId, associations, data, upsert),
			);
		const remove = (associations: ReadonlyArray<RocketChatAssociationRecord>) =>
			this.answer('removeByAssociations', this.removeByAssociations(appId, associations));
		return {
			create: (data) => create(data, undefined),
			createWithAssociation: (data, association) => create(data, [association]),
			createWithAssociations: (data, associations) => create(data, associations),
			update: () => Promise.reject(new Error('Not implemented.')),
			updateByAssociation: (association, data, upsert) => update([association], data, upsert),
			updateByAssociations: (associations, data, upsert) => update(associations, data, upsert),
			remove: (id) => this.answer('removeById', this.removeById(appId, id)),
			removeByAssociation: (association) => remove([association]),
			removeByAssociations: (associations) => remove(associations),
		};
	}

	/** The call's result, or an error after it took effect when its answer is to be lost. */
	private async answer<T>(method: PersistenceMethod, call: Promise<T>): Promise<T> {
		const result = await call;
		const lost = this.lostAnswers.find((candidate) => candidate.method === method);
		if (lost && lost.skip > 0) {
			lost.skip -= 1;
		} else if (lost) {
			lost.remaining -= 1;
			this.lostAnswers = this.lostAnswers.filter((candidate) => candidate.remaining > 0);
			throw new Error(`injected lost answer of ${method}`);
		}
		return result;
	}

	/** The IPersistenceRead accessor an app with this id receives. */
	public reader(appId: string): IPersistenceRead {
		return {
			read: (id) => this.readById(id),
			readByAssociation: (association) => this.readByAssociations(appId, [association]),
			readByAssociations: (associations) => this.readByAssociations(appId, associations),
		};
	}

	/**
	 * Records of an app holding at least these associations (Mongo's `$all`, also for
	 * assertions). An empty list matches none: Mongo parses `{ $all: [] }` as always false.
	 */
	public matching(
		appId: string,
		associations: ReadonlyArray<RocketChatAssociationRecord>,
	): Array<IStoredRecord> {
		const wanted = toPlain(associations);
		if (wanted.length === 0) {
			return [];
		}
		return this.records.filter(
			(record) =>
				record.appId === appId &&
				wanted.every((association) =>
					record.associations.some((held) => sameAssociation(held, association)),
				),
		);
	}

	private async enter(method: PersistenceMethod): Promise<void> {
		this.calls.push(method);
		await this.pause();
		const failure = this.failures.find(
			(candidate) =>
				candidate.remaining > 0 && (candidate.method === method || candidate.method === 'any'),
		);
		if (failure) {
			failure.remaining -= 1;
			this.failures = this.failures.filter((candidate) => candidate.remaining > 0);
			throw failure.error;
		}
	}

	private insert(
		appId: string,
		data: object,
		associations: Array<Association> | undefined,
	): string {
		const _id = `record-${this.nextId++}`;
		this.records.push(
			associations
				? { _id, appId, associations, data: clone(data) }
				: { _id, appId, associations: [], withoutAssociations: true, data: clone(data) },
		);
		return _id;
	}

	private async create(
		appId: string,
		data: object,
		associations: ReadonlyArray<RocketChatAssociationRecord> | undefined,
	): Promise<string> {
		await this.enter('create');
		return this.insert(appId, data, associations && toPlain(associations));
	}

	private async readById(id: string): Promise<object> {
		await this.enter('readById');
		// The server looks the id up without an appId filter.
		const record = this.records.find((candidate) => candidate._id === id);
		return record ? clone(record.data) : (undefined as unknown as object);
	}

	private async readByAssociations(
		appId: string,
		associations: ReadonlyArray<RocketChatAssociationRecord>,
	): Promise<Array<object>> {
		await this.enter('readByAssociations');
		const found = this.matching(appId, associations);
		this.readSizes.push(found.length);
		return found.map((record) => clone(record.data));
	}

	private async updateByAssociations(
		appId: string,
		associations: ReadonlyArray<RocketChatAssociationRecord>,
		data: object,
		upsert = false,
	): Promise<string> {
		await this.enter('updateByAssociations');
		const wanted = toPlain(associations);
		const record = this.records.find(
			(candidate) =>
				candidate.appId === appId &&
				!candidate.withoutAssociations &&
				candidate.associations.length === wanted.length &&
				candidate.associations.every((held, index) => sameAssociation(held, wanted[index])),
		);
		if (record) {
			record.data = clone(data);
			return record._id;
		}
		if (!upsert) {
			return '';
		}
		const id = this.insert(appId, data, wanted);
		if (this.duplicateUpserts) {
			this.insert(appId, data, wanted);
		}
		return id;
	}

	private async removeById(appId: string, id: string): Promise<object> {
		await this.enter('removeById');
		const index = this.records.findIndex((record) => record._id === id && record.appId === appId);
		if (index < 0) {
			return undefined as unknown as object;
		}
		const [removed] = this.records.splice(index, 1);
		return clone(removed.data);
	}

	/** Every superset match goes (deleteMany); undefined when none matched, as the server answers. */
	private async removeByAssociations(
		appId: string,
		associations: ReadonlyArray<RocketChatAssociationRecord>,
	): Promise<Array<object>> {
		await this.enter('removeByAssociations');
		const doomed = new Set(this.matching(appId, associations));
		if (doomed.size === 0) {
			return undefined as unknown as Array<object>;
		}
		const removed = this.records.filter((record) => doomed.has(record));
		for (let index = this.records.length - 1; index >= 0; index -= 1) {
			if (doomed.has(this.records[index])) {
				this.records.splice(index, 1);
			}
		}
		return removed.map((record) => clone(record.data));
	}
}
