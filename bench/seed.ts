// Seeds stored feedback through the app's own write path: FeedbackRepository.create (day marker,
// then the record with its associations) and StatusLog.append on the host's persistence bridge, the same bridge
// that serves the app's calls. Only the transport differs: direct calls, batched in
// transactions, instead of one remote call from the Deno process per write.
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { type Database, openDatabase, seededRandom, SqlitePersistenceBridge } from '../host';
import { type ISeedBreakdown, SeedClock } from './seed-clock';
import { SeedReadCache } from './seed-reads';
import { newId } from '../src/domain/ids';
import { buildFeedbackRecord } from '../src/domain/record';
import { DEFAULT_CATEGORIES } from '../src/domain/settings';
import { FeedbackStatus, previousChange, STATUSES } from '../src/domain/status';
import { FeedbackRepository } from '../src/persistence/FeedbackRepository';
import { HourlyFiling } from '../src/persistence/HourlyFiling';
import { StatusLog } from '../src/persistence/StatusLog';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Records written per transaction: one commit per batch, not per record. */
const BATCH = 20_000;

/** IPersistence of one app on the host's bridge, as the engine's accessor calls it. */
export class BridgePersistence implements IPersistence {
	constructor(
		private readonly bridge: SqlitePersistenceBridge,
		private readonly appId: string,
	) {}

	public create(data: object): Promise<string> {
		return this.bridge.create(data, this.appId);
	}

	public createWithAssociation(
		data: object,
		association: RocketChatAssociationRecord,
	): Promise<string> {
		return this.bridge.createWithAssociations(data, [association], this.appId);
	}

	public createWithAssociations(
		data: object,
		associations: Array<RocketChatAssociationRecord>,
	): Promise<string> {
		return this.bridge.createWithAssociations(data, associations, this.appId);
	}

	public update(id: string, data: object, upsert = false): Promise<string> {
		return this.bridge.update(id, data, upsert, this.appId);
	}

	public updateByAssociation(
		association: RocketChatAssociationRecord,
		data: object,
		upsert = false,
	): Promise<string> {
		return this.bridge.updateByAssociations([association], data, upsert, this.appId);
	}

	public updateByAssociations(
		associations: Array<RocketChatAssociationRecord>,
		data: object,
		upsert = false,
	): Promise<string> {
		return this.bridge.updateByAssociations(associations, data, upsert, this.appId);
	}

	public async remove(id: string): Promise<object> {
		return (await this.bridge.remove(id, this.appId)) ?? {};
	}

	public removeByAssociation(association: RocketChatAssociationRecord): Promise<Array<object>> {
		return this.removeByAssociations([association]);
	}

	public async removeByAssociations(
		associations: Array<RocketChatAssociationRecord>,
	): Promise<Array<object>> {
		return (await this.bridge.removeByAssociations(associations, this.appId)) ?? [];
	}
}

/**
 * The app's writes as the seeding makes them, each bridge call timed (SeedClock), with one
 * shortcut: an `updateByAssociations` that repeats associations and data this seeding already
 * stored is skipped. The app upserts its day markers (`{ day }` under the day's associations)
 * before every feedback and status change, a thousand times a day; the record a repeat would
 * write is the one already there, so the store ends the same, record for record. Every write
 * tells the read cache which remembered answers it changes.
 */
class SeedingPersistence extends BridgePersistence {
	private readonly written = new Set<string>();

	constructor(
		bridge: SqlitePersistenceBridge,
		appId: string,
		private readonly clock: SeedClock,
		private readonly reads: SeedReadCache,
	) {
		super(bridge, appId);
	}

	public override async createWithAssociations(
		data: object,
		associations: Array<RocketChatAssociationRecord>,
	): Promise<string> {
		this.reads.written(associations);
		return this.clock.bridge('createWithAssociations', () =>
			super.createWithAssociations(data, associations),
		);
	}

	public override createWithAssociation(
		data: object,
		association: RocketChatAssociationRecord,
	): Promise<string> {
		return this.createWithAssociations(data, [association]);
	}

	public override updateByAssociation(
		association: RocketChatAssociationRecord,
		data: object,
		upsert = false,
	): Promise<string> {
		return this.updateByAssociations([association], data, upsert);
	}

	public override async updateByAssociations(
		associations: Array<RocketChatAssociationRecord>,
		data: object,
		upsert = false,
	): Promise<string> {
		const key = JSON.stringify([associations, data, upsert]);
		if (this.written.has(key)) {
			this.clock.add(`${this.clock.kind}: day marker upserts skipped (already stored)`, 0);
			return '';
		}
		this.reads.written(associations);
		const id = await this.clock.bridge('updateByAssociations', () =>
			super.updateByAssociations(associations, data, upsert),
		);
		this.written.add(key);
		return id;
	}

	public override remove(id: string): Promise<object> {
		this.reads.clear();
		return super.remove(id);
	}

	public override removeByAssociations(
		associations: Array<RocketChatAssociationRecord>,
	): Promise<Array<object>> {
		this.reads.clear();
		return super.removeByAssociations(associations);
	}
}

/** IPersistenceRead of one app on the host's bridge. */
export class BridgePersistenceRead implements IPersistenceRead {
	constructor(
		private readonly bridge: SqlitePersistenceBridge,
		private readonly appId: string,
	) {}

	public read(id: string): Promise<object> {
		return this.bridge.readById(id, this.appId);
	}

	public readByAssociation(association: RocketChatAssociationRecord): Promise<Array<object>> {
		return this.bridge.readByAssociations([association], this.appId);
	}

	public readByAssociations(
		associations: Array<RocketChatAssociationRecord>,
	): Promise<Array<object>> {
		return this.bridge.readByAssociations(associations, this.appId);
	}
}

/** The app's reads while seeding: timed, and answered from the cache when it knows the answer. */
class SeedingRead extends BridgePersistenceRead {
	constructor(
		bridge: SqlitePersistenceBridge,
		appId: string,
		private readonly clock: SeedClock,
		private readonly reads: SeedReadCache,
	) {
		super(bridge, appId);
	}

	public override async readByAssociations(
		associations: Array<RocketChatAssociationRecord>,
	): Promise<Array<object>> {
		const known = this.reads.get(associations);
		if (known) {
			this.clock.add(`${this.clock.kind}: reads answered from what the seeding wrote`, 0);
			return known;
		}
		const records = await this.clock.bridge('readByAssociations', () =>
			super.readByAssociations(associations),
		);
		this.reads.remember(associations, records);
		return records;
	}

	public override readByAssociation(
		association: RocketChatAssociationRecord,
	): Promise<Array<object>> {
		return this.readByAssociations([association]);
	}
}

const WORDS = [
	'search',
	'is',
	'slow',
	'when',
	'the',
	'channel',
	'list',
	'grows',
	'please',
	'add',
	'dark',
	'mode',
	'to',
	'mobile',
	'notifications',
	'arrive',
	'late',
	'great',
	'release',
	'thanks',
];

/** A fixture member with entries of their own (the one whose list is timed, the one who deletes). */
export interface ISeedMember {
	readonly id: string;
	readonly username: string;
	readonly name: string;
	readonly entries: number;
}

/** What to seed. */
export interface ISeedOptions {
	readonly databasePath: string;
	readonly appId: string;
	readonly count: number;
	/** The feedback's times are spread evenly from `from` to `to` (ending half a step before it). */
	readonly from: Date;
	readonly to: Date;
	/** Fixture members with entries of their own, spread evenly over the span; never anonymous. */
	readonly members: ReadonlyArray<ISeedMember>;
	/**
	 * Share of the feedback, in percent, whose status an admin changed once: a day after it came,
	 * or halfway to now for feedback of the last day.
	 */
	readonly triagedPercent: number;
	readonly now: Date;
	/** Seed of the random texts, ratings and members (another one for each store added to). */
	readonly seed: number;
}

/** What was seeded: the fixture members' own feedback ids, oldest first, and where the time went. */
export interface ISeeded {
	readonly idsOf: ReadonlyMap<string, ReadonlyArray<string>>;
	readonly statusChanges: number;
	readonly breakdown: ISeedBreakdown;
}

/** Other members: enough of them that contributors are counted over many keys. */
const OTHER_MEMBERS = 500;

/** Statuses an admin moves feedback to (a seeded change never sets it back to new). */
const TRIAGE: ReadonlyArray<FeedbackStatus> = STATUSES.filter(
	(status) => status !== FeedbackStatus.New,
);

/**
 * Which seeded indexes are the fixture members' own: each member's entries spread evenly over
 * the range (so over the days), offset from the other members' and never sharing an index.
 */
function memberSlots(count: number, members: ReadonlyArray<ISeedMember>): Map<number, ISeedMember> {
	const slots = new Map<number, ISeedMember>();
	for (const [slot, member] of members.entries()) {
		const entries = Math.min(member.entries, count - slots.size);
		const offset = (slot + 1) / (members.length + 1);
		for (let entry = 0; entry < entries; entry += 1) {
			let index = Math.floor(((entry + offset) * count) / entries) % count;
			while (slots.has(index)) {
				index = (index + 1) % count;
			}
			slots.set(index, member);
		}
	}
	return slots;
}

/** Whether the database file holds no association row yet (a store seeded from nothing). */
function isEmptyStore(database: Database): boolean {
	return database.prepare('SELECT 1 FROM persistence_associations LIMIT 1').get() === undefined;
}

/**
 * Stores `count` feedback records as the app would have written them over the span, and the
 * status changes of the triaged share through the app's StatusLog. On an empty store the
 * association rows are sorted once at the end; onto a store that has records (the busy day),
 * they go straight into their table, where the app's reads of marks and markers find them.
 */
export async function seedFeedback(options: ISeedOptions): Promise<ISeeded> {
	const started = performance.now();
	const clock = new SeedClock();
	const database: Database = clock.time('opening the database', () =>
		openDatabase(options.databasePath),
	);
	const idsOf = new Map<string, string[]>(options.members.map((member) => [member.username, []]));
	let statusChanges = 0;
	try {
		const sorted = clock.time('opening the database', () => {
			// A large page cache for this one connection: the indexes outgrow the default 2 MB at 100k records.
			database.pragma('cache_size = -262144');
			// A file nobody else opens while it is seeded, and thrown away when seeding fails: no
			// rollback journal (kept in memory, it held a copy of every page a transaction changed).
			database.pragma('journal_mode = OFF');
			database.pragma('synchronous = OFF');
			if (!isEmptyStore(database)) {
				return false;
			}
			// The association rows first go to a temporary table of the same name and key, in memory,
			// which this connection (the bridge's statements included) sees instead of the real one, and
			// are copied into the real one in its key's order at the end. Two of each feedback's rows have
			// random keys (its id and short id): inserted one by one into the real table's ordered key, at
			// 1M each lands on a page of its own, far beyond the page cache; in memory that costs nothing.
			// The key also serves the app's reads while seeding (its contributor marks, twice per named
			// feedback): without it each read scanned every row stored so far. The rows and the table are
			// the same in the end.
			database.pragma('temp_store = MEMORY');
			database.exec(
				'CREATE TEMP TABLE persistence_associations (app_id TEXT NOT NULL, association TEXT NOT NULL, ' +
					'record_seq INTEGER NOT NULL, PRIMARY KEY (app_id, association, record_seq)) WITHOUT ROWID',
			);
			return true;
		});
		const bridge = new SqlitePersistenceBridge(database);
		const reads = new SeedReadCache();
		const persistence = new SeedingPersistence(bridge, options.appId, clock, reads);
		const reader = new SeedingRead(bridge, options.appId, clock, reads);
		const store = new FeedbackRepository(reader);
		const statuses = new StatusLog(reader);
		if (sorted) {
			// Every record of this store is written by this version, with its hour: it is filed by the
			// hour from before its first day, as a store this version wrote from the start.
			const since = new Date(options.from.getTime() - DAY_MS);
			await HourlyFiling.markSince(persistence, since);
			// Its day markers are filed under their month from the start too.
			const firstMonth = since.toISOString().slice(0, 7);
			await store.dayMarkers.markFiled(persistence, firstMonth);
			await statuses.dayMarkers.markFiled(persistence, firstMonth);
			// Its authors are marked as their feedback is stored, and its status changes filed under
			// their feedback's creation day as they are appended: nothing to do afterwards.
			await store.contributors.markBackfilled(persistence);
			await statuses.markFiledByCreation(persistence);
		}
		const random = seededRandom(options.seed);
		const spanMs = options.to.getTime() - options.from.getTime();
		const nowMs = options.now.getTime();
		const slots = memberSlots(options.count, options.members);
		// Oldest first, as the app would have written them.
		for (let start = options.count - 1; start >= 0; start -= BATCH) {
			database.exec('BEGIN IMMEDIATE');
			try {
				for (let index = start; index > start - BATCH && index >= 0; index -= 1) {
					const createdAt = new Date(
						options.to.getTime() - ((index + 0.5) * spanMs) / options.count,
					);
					const member = slots.get(index);
					const record = clock.time('building records (texts, buildFeedbackRecord)', () =>
						buildRecord(random, createdAt, member),
					);
					await clock.write('feedback', 'FeedbackRepository.create', () =>
						store.create(persistence, record),
					);
					if (member) {
						idsOf.get(member.username)?.push(record.id);
					}
					if (random() * 100 < options.triagedPercent) {
						const createdMs = createdAt.getTime();
						// A day later, as an admin triaging would; halfway to now when that is in the future.
						const at = new Date(createdMs + Math.min(DAY_MS, (nowMs - createdMs) / 2));
						const status = TRIAGE[Math.floor(random() * TRIAGE.length)];
						await clock.write('status change', 'StatusLog.append', () =>
							statuses.append(persistence, {
								id: newId(),
								feedbackId: record.id,
								feedbackCreatedAt: record.createdAt,
								status,
								note: '',
								adminId: 'user-admin',
								at: at.toISOString(),
								// Its first change: what the app's status form records it read before it.
								previous: previousChange([], at),
							}),
						);
						statusChanges += 1;
					}
				}
				clock.time('SQLite commits (one per 20,000 feedback)', () => database.exec('COMMIT'));
			} catch (error) {
				database.exec('ROLLBACK');
				throw error;
			}
		}
		if (sorted) {
			clock.time('association rows: copied into their table, in its key order', () => {
				database.exec(
					'INSERT OR IGNORE INTO main.persistence_associations (app_id, association, record_seq) ' +
						'SELECT app_id, association, record_seq FROM temp.persistence_associations ORDER BY app_id, association, record_seq',
				);
				database.exec('DROP TABLE temp.persistence_associations');
			});
		}
	} finally {
		clock.time('closing the database', () => database.close());
	}
	const breakdown = clock.breakdown(performance.now() - started, options.count, statusChanges);
	return { idsOf, statusChanges, breakdown };
}

/** One feedback as a member sends it: a few words, a category, a rating (or none). */
function buildRecord(random: () => number, createdAt: Date, member: ISeedMember | undefined) {
	const other = Math.floor(random() * OTHER_MEMBERS);
	const user = (member ?? {
		id: `bench-member-${other}`,
		username: `member${other}`,
		name: `Member ${other}`,
	}) as IUser;
	const words = 6 + Math.floor(random() * 30);
	const comment = Array.from(
		{ length: words },
		() => WORDS[Math.floor(random() * WORDS.length)],
	).join(' ');
	const rated = random() < 0.7;
	return buildFeedbackRecord(
		newId(),
		{
			comment,
			category: DEFAULT_CATEGORIES[Math.floor(random() * DEFAULT_CATEGORIES.length)],
			rating: rated ? 1 + Math.floor(random() * 5) : null,
			anonymous: !member && random() < 0.15,
		},
		user,
		'GENERAL',
		createdAt,
	);
}
