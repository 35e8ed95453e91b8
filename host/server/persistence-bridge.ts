import { EventEmitter } from 'events';

import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { PersistenceBridge } from '@rocket.chat/apps-engine/server/bridges/PersistenceBridge';
import type BetterSqlite3 from 'better-sqlite3';

import { type Database, parseJson } from './database';
import { type IHostClock, SharedClock } from './host-clock';
import { type ObjectIdSource, processObjectIds } from './object-id';

/** One association as Rocket.Chat stores it: `{ model, id }`. */
export interface IStoredAssociation {
	model: string;
	id: string;
}

/** Makes a configurable share of persistence calls fail, to test how the app copes. */
export interface IFaultInjectionOptions {
	/** Share of calls that fail, from 0 (none) to 1 (all). */
	rate: number;
	/** Seed of the pseudo-random sequence, so a failing run can be replayed. */
	seed?: number;
	/** Only these bridge methods fail (all of them when absent). */
	methods?: PersistenceMethod[];
}

export type PersistenceMethod =
	| 'create'
	| 'createWithAssociations'
	| 'readById'
	| 'readByAssociations'
	| 'remove'
	| 'removeByAssociations'
	| 'update'
	| 'updateByAssociations'
	| 'purge';

/** Emitted after every persistence call, successful or not. */
export interface IPersistenceCallEvent {
	method: PersistenceMethod;
	appId: string;
	error?: Error;
}

/** Thrown by an injected fault; the app sees it as a failed bridge call. */
export class InjectedPersistenceFault extends Error {
	constructor(method: PersistenceMethod) {
		super(`Injected persistence fault in ${method}`);
		this.name = 'InjectedPersistenceFault';
	}
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a run can be replayed. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let mixed = state;
		mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
		mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
	};
}

/** Reads `{ model, id }` from a RocketChatAssociationRecord or its JSON form (what the Deno runtime sends). */
export function toStoredAssociation(association: unknown): IStoredAssociation {
	if (
		typeof association === 'object' &&
		association !== null &&
		'model' in association &&
		'id' in association
	) {
		const { model, id } = association;
		if (typeof model === 'string' && typeof id === 'string') {
			return { model, id };
		}
	}
	throw new Error(`Invalid association: ${JSON.stringify(association)}`);
}

/** Key of one association in the side table; JSON keeps model and id unambiguous. */
function associationKey(association: IStoredAssociation): string {
	return JSON.stringify([association.model, association.id]);
}

/** Key of a whole association array, for Mongo's exact-array equality (same elements, same order). */
function exactKey(associations: IStoredAssociation[]): string {
	return JSON.stringify(associations.map((association) => [association.model, association.id]));
}

/** Where a bridge takes its records' ids and times from. */
export interface IPersistenceStamps {
	/** The clock of `_updatedAt` and of an id's seconds (default: the database's shared host clock). */
	clock?: IHostClock;
	/** The ids' source (default: this process's, as each server process has its own). */
	objectIds?: ObjectIdSource;
}

/** How many rows of an association are counted when choosing the most selective one. */
const SELECTIVITY_PROBE_LIMIT = 1000;

/**
 * Persistence bridge on SQLite that follows Rocket.Chat's server bridge
 * (apps/meteor/app/apps/server/bridges/persistence.ts) rule by rule:
 * - create / createWithAssociations always insert, never de-duplicate;
 * - readByAssociations returns the data of every record of this app holding AT LEAST
 *   the given associations (Mongo `$all`), in insertion order, no paging;
 * - readById has no app filter (Rocket.Chat's `findOneById`);
 * - updateByAssociations matches the association array EXACTLY (same elements, same
 *   order) and replaces the whole data of ONE record; with upsert it inserts when none
 *   matches, without a unique constraint;
 * - update(id) throws 'Not implemented.';
 * - every record gets what `BaseRaw.insertOne` gives it (packages/models/src/models/BaseRaw.ts):
 *   an ObjectId as its id (`new ObjectId().toHexString()`, see object-id.ts) and `_updatedAt`
 *   (column updated_at, ISO to the millisecond; packages/models/src/models/setUpdatedAt.ts,
 *   AppsPersistenceModel does not prevent it), both from the host's clock;
 *   updateByAssociations stamps `_updatedAt` again (`BaseRaw.updateOne` sets it on every update,
 *   and gives an upserted record an ObjectId too).
 * - remove(id) deletes one record of this app; removeByAssociations deletes every
 *   record holding at least the given associations.
 * Associations also live in a side table (one row per record and association) so
 * `$all` reads use an index instead of scanning every record.
 */
export class SqlitePersistenceBridge extends PersistenceBridge {
	private readonly events = new EventEmitter();

	private faultRate = 0;

	private faultMethods: Set<PersistenceMethod> | undefined;

	private random: () => number = Math.random;

	/** While set, reads wait for its gate: a store as slow as a test wants it. */
	private readHold: { gate: Promise<void>; waiting: number; release: () => void } | undefined;

	private readonly statements = new Map<string, BetterSqlite3.Statement>();

	/** Inserts a record and its association rows atomically (built once: building a transaction is costly). */
	private readonly insertTransaction: BetterSqlite3.Transaction<
		(
			id: string,
			appId: string,
			associations: IStoredAssociation[] | undefined,
			data: object,
			updatedAt: string,
		) => void
	>;

	private readonly clock: IHostClock;

	private readonly objectIds: ObjectIdSource;

	constructor(
		private readonly database: Database,
		stamps: IPersistenceStamps = {},
	) {
		super();
		this.clock = stamps.clock ?? new SharedClock(database);
		this.objectIds = stamps.objectIds ?? processObjectIds;
		this.insertTransaction = database.transaction(
			(
				id: string,
				appId: string,
				associations: IStoredAssociation[] | undefined,
				data: object,
				updatedAt: string,
			) => {
				const { lastInsertRowid } = this.statement(
					'INSERT INTO persistence_records (id, app_id, associations, associations_key, data, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
				).run(
					id,
					appId,
					associations ? JSON.stringify(associations) : null,
					associations ? exactKey(associations) : null,
					JSON.stringify(data),
					updatedAt,
				);
				const addAssociation = this.statement(
					'INSERT OR IGNORE INTO persistence_associations (app_id, association, record_seq) VALUES (?, ?, ?)',
				);
				for (const association of associations ?? []) {
					addAssociation.run(appId, associationKey(association), lastInsertRowid);
				}
			},
		);
	}

	/** Starts (rate > 0) or stops (rate 0) failing a share of calls. */
	public setFaultInjection(options: IFaultInjectionOptions): void {
		if (!(options.rate >= 0 && options.rate <= 1)) {
			throw new Error(`Fault rate must be between 0 and 1, got ${options.rate}`);
		}
		this.faultRate = options.rate;
		this.faultMethods = options.methods ? new Set(options.methods) : undefined;
		this.random = options.seed === undefined ? Math.random : seededRandom(options.seed);
	}

	/**
	 * Holds every read (readById, readByAssociations) until the returned function is called: a
	 * store so large or so far away that no read answers in time. Writes go on.
	 */
	public holdReads(): () => void {
		if (!this.readHold) {
			let open!: () => void;
			const gate = new Promise<void>((resolve) => {
				open = resolve;
			});
			const hold = {
				gate,
				waiting: 0,
				release: () => {
					if (this.readHold === hold) {
						this.readHold = undefined;
					}
					open();
				},
			};
			this.readHold = hold;
		}
		return this.readHold.release;
	}

	/** How many reads wait for a hold now. */
	public heldReads(): number {
		return this.readHold?.waiting ?? 0;
	}

	private async waitIfReadsHeld(): Promise<void> {
		const hold = this.readHold;
		if (!hold) {
			return;
		}
		hold.waiting++;
		try {
			await hold.gate;
		} finally {
			hold.waiting--;
		}
	}

	/** Subscribes to every persistence call; returns the unsubscribe function. */
	public onCall(listener: (event: IPersistenceCallEvent) => void): () => void {
		this.events.on('call', listener);
		return () => this.events.off('call', listener);
	}

	public async purge(appId: string): Promise<void> {
		this.run('purge', appId, () => {
			this.database
				.transaction(() => {
					this.statement('DELETE FROM persistence_associations WHERE app_id = ?').run(appId);
					this.statement('DELETE FROM persistence_records WHERE app_id = ?').run(appId);
				})
				.immediate();
		});
	}

	public async create(data: object, appId: string): Promise<string> {
		return this.run('create', appId, () => this.insert(appId, undefined, data));
	}

	public async createWithAssociations(
		data: object,
		associations: Array<RocketChatAssociationRecord>,
		appId: string,
	): Promise<string> {
		return this.run('createWithAssociations', appId, () =>
			this.insert(appId, associations.map(toStoredAssociation), data),
		);
	}

	public async readById(id: string, appId: string): Promise<object> {
		await this.waitIfReadsHeld();
		return this.run('readById', appId, () => {
			const row = this.statement('SELECT data FROM persistence_records WHERE id = ?').get(id) as
				| { data: string }
				| undefined;
			// Rocket.Chat answers `record?.data`: undefined for an unknown id.
			return (row ? parseJson<object>(row.data, 'persistence_records.data') : undefined) as object;
		});
	}

	public async readByAssociations(
		associations: Array<RocketChatAssociationRecord>,
		appId: string,
	): Promise<Array<object>> {
		await this.waitIfReadsHeld();
		return this.run('readByAssociations', appId, () =>
			this.findSupersetRows(appId, associations.map(toStoredAssociation)).map((row) =>
				parseJson<object>(row.data, 'persistence_records.data'),
			),
		);
	}

	public async remove(id: string, appId: string): Promise<object | undefined> {
		return this.run('remove', appId, () =>
			this.database
				.transaction(() => {
					const row = this.statement(
						'SELECT seq, data FROM persistence_records WHERE id = ? AND app_id = ?',
					).get(id, appId) as { seq: number; data: string } | undefined;
					if (!row) {
						return undefined;
					}
					this.deleteRecords([row.seq]);
					return parseJson<object>(row.data, 'persistence_records.data');
				})
				.immediate(),
		);
	}

	public async removeByAssociations(
		associations: Array<RocketChatAssociationRecord>,
		appId: string,
	): Promise<Array<object> | undefined> {
		return this.run('removeByAssociations', appId, () =>
			this.database
				.transaction(() => {
					const rows = this.findSupersetRows(appId, associations.map(toStoredAssociation));
					if (rows.length === 0) {
						return undefined;
					}
					this.deleteRecords(rows.map((row) => row.seq));
					return rows.map((row) => parseJson<object>(row.data, 'persistence_records.data'));
				})
				.immediate(),
		);
	}

	public async update(
		_id: string,
		_data: object,
		_upsert: boolean,
		appId: string,
	): Promise<string> {
		return this.run('update', appId, () => {
			throw new Error('Not implemented.');
		});
	}

	public async updateByAssociations(
		associations: Array<RocketChatAssociationRecord>,
		data: object,
		upsert: boolean,
		appId: string,
	): Promise<string> {
		return this.run('updateByAssociations', appId, () => {
			const stored = associations.map(toStoredAssociation);
			const match = this.statement(
				'SELECT seq, id FROM persistence_records WHERE app_id = ? AND associations_key = ? ORDER BY seq LIMIT 1',
			).get(appId, exactKey(stored)) as { seq: number; id: string } | undefined;
			if (match) {
				// `$set: { data }` plus the `_updatedAt` BaseRaw.updateOne adds to every update.
				this.statement('UPDATE persistence_records SET data = ?, updated_at = ? WHERE seq = ?').run(
					JSON.stringify(data),
					new Date(this.clock.now()).toISOString(),
					match.seq,
				);
				return match.id;
			}
			if (!upsert) {
				return '';
			}
			// Deliberately not in one transaction with the lookup above: like a Mongo upsert
			// without a unique index, two processes upserting at once may both insert.
			return this.insert(appId, stored, data);
		});
	}

	/** Counts records of an app (all of them, or those holding at least the associations). */
	public countRecords(
		appId: string,
		associations?: Array<RocketChatAssociationRecord | IStoredAssociation>,
	): number {
		if (!associations) {
			const row = this.statement(
				'SELECT COUNT(*) AS count FROM persistence_records WHERE app_id = ?',
			).get(appId) as { count: number };
			return row.count;
		}
		return this.findSupersetRows(appId, associations.map(toStoredAssociation)).length;
	}

	/** Applies fault injection, runs the operation and reports the call. */
	private run<T>(method: PersistenceMethod, appId: string, operation: () => T): T {
		try {
			if (
				this.faultRate > 0 &&
				(!this.faultMethods || this.faultMethods.has(method)) &&
				this.random() < this.faultRate
			) {
				throw new InjectedPersistenceFault(method);
			}
			const result = operation();
			this.events.emit('call', { method, appId } satisfies IPersistenceCallEvent);
			return result;
		} catch (error) {
			const failure = error instanceof Error ? error : new Error(String(error));
			this.events.emit('call', { method, appId, error: failure } satisfies IPersistenceCallEvent);
			throw failure;
		}
	}

	private insert(
		appId: string,
		associations: IStoredAssociation[] | undefined,
		data: object,
	): string {
		// One reading of the clock for both, as the server's id and `_updatedAt` fall in one moment.
		const now = this.clock.now();
		const id = this.objectIds.next(now);
		this.insertTransaction.immediate(id, appId, associations, data, new Date(now).toISOString());
		return id;
	}

	/** Records of the app holding every given association (Mongo `$all`); none for an empty list, as Mongo. */
	private findSupersetRows(
		appId: string,
		associations: IStoredAssociation[],
	): Array<{ seq: number; data: string }> {
		const keys = [...new Set(associations.map(associationKey))];
		if (keys.length === 0) {
			return [];
		}
		// Walk the rarest association's index range and probe the others, so a read
		// touches only candidate records, not every record of the app.
		const probe = this.statement(
			'SELECT COUNT(*) AS count FROM (SELECT 1 FROM persistence_associations WHERE app_id = ? AND association = ? LIMIT ?)',
		);
		const ordered = keys
			.map((key) => ({
				key,
				count: (probe.get(appId, key, SELECTIVITY_PROBE_LIMIT) as { count: number }).count,
			}))
			.sort((left, right) => left.count - right.count)
			.map((entry) => entry.key);
		const [driving, ...others] = ordered;
		const conditions = others.map(
			() =>
				'EXISTS (SELECT 1 FROM persistence_associations o WHERE o.app_id = d.app_id AND o.association = ? AND o.record_seq = d.record_seq)',
		);
		const sql = [
			'SELECT r.seq AS seq, r.data AS data FROM persistence_associations d',
			'JOIN persistence_records r ON r.seq = d.record_seq',
			'WHERE d.app_id = ? AND d.association = ?',
			...conditions.map((condition) => `AND ${condition}`),
			'ORDER BY d.record_seq',
		].join(' ');
		return this.statement(sql).all(appId, driving, ...others) as Array<{
			seq: number;
			data: string;
		}>;
	}

	/** Prepares a statement once per bridge; preparing dominates the cost of small queries. */
	private statement(sql: string): BetterSqlite3.Statement {
		let prepared = this.statements.get(sql);
		if (!prepared) {
			prepared = this.database.prepare(sql);
			this.statements.set(sql, prepared);
		}
		return prepared;
	}

	private deleteRecords(seqs: number[]): void {
		const deleteAssociations = this.statement(
			'DELETE FROM persistence_associations WHERE record_seq = ?',
		);
		const deleteRecord = this.statement('DELETE FROM persistence_records WHERE seq = ?');
		for (const seq of seqs) {
			deleteAssociations.run(seq);
			deleteRecord.run(seq);
		}
	}
}
