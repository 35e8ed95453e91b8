// Seeds stored feedback through the app's own write path: FeedbackRepository.create (day marker,
// then the record with its associations) and StatusLog.append on the host's persistence bridge, the same bridge
// that serves the app's calls. Only the transport differs: direct calls, batched in
// transactions, instead of one remote call from the Deno process per write.
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { type Database, openDatabase, seededRandom, SqlitePersistenceBridge } from '../host';
import { newId } from '../src/domain/ids';
import { buildFeedbackRecord } from '../src/domain/record';
import { DEFAULT_CATEGORIES } from '../src/domain/settings';
import { FeedbackStatus, previousChange, STATUSES } from '../src/domain/status';
import { FeedbackRepository } from '../src/persistence/FeedbackRepository';
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
 * The app's writes as the seeding makes them, with one shortcut: an `updateByAssociations` that
 * repeats associations and data this seeding already stored is skipped. The app upserts its day
 * markers (`{ day }` under the day's associations) before every feedback and status change, 5,000
 * times a day at 1M; the record a repeat would write is the one already there, so the store ends
 * the same, record for record.
 */
class SeedingPersistence extends BridgePersistence {
	private readonly written = new Set<string>();

	public override async updateByAssociations(
		associations: Array<RocketChatAssociationRecord>,
		data: object,
		upsert = false,
	): Promise<string> {
		const key = JSON.stringify([associations, data, upsert]);
		if (this.written.has(key)) {
			return '';
		}
		const id = await super.updateByAssociations(associations, data, upsert);
		this.written.add(key);
		return id;
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
	/** Feedback is spread evenly over this many days, ending now. */
	readonly days: number;
	/** Fixture members with entries of their own, spread evenly over the days; never anonymous. */
	readonly members: ReadonlyArray<ISeedMember>;
	/** Share of the feedback, in percent, whose status an admin changed once, a day after it came. */
	readonly triagedPercent: number;
	readonly now: Date;
}

/** What was seeded: the fixture members' own feedback ids, oldest first. */
export interface ISeeded {
	readonly idsOf: ReadonlyMap<string, ReadonlyArray<string>>;
	readonly statusChanges: number;
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

/**
 * Stores `count` feedback records as the app would have written them over `days` days, and the
 * status changes of the triaged share through the app's StatusLog.
 */
export async function seedFeedback(options: ISeedOptions): Promise<ISeeded> {
	const database: Database = openDatabase(options.databasePath);
	const idsOf = new Map<string, string[]>(options.members.map((member) => [member.username, []]));
	let statusChanges = 0;
	try {
		// A large page cache for this one connection: the indexes outgrow the default 2 MB at 100k records.
		database.pragma('cache_size = -262144');
		// A fresh file nobody else opens while it is seeded, and thrown away when seeding fails: no
		// rollback journal (kept in memory, it held a copy of every page a transaction changed).
		database.pragma('journal_mode = OFF');
		database.pragma('synchronous = OFF');
		// The association rows first go to a temporary table of the same name, which this connection
		// (the bridge's statements included) sees instead of the real one, and are copied into the real
		// one sorted by its key at the end. Two of each feedback's rows have random keys (its id and
		// short id): inserted one by one into the real table's ordered key, at 1M each lands on a page
		// of its own, far beyond the page cache. The rows and the table are the same in the end.
		database.exec(
			'CREATE TEMP TABLE persistence_associations (app_id TEXT NOT NULL, association TEXT NOT NULL, record_seq INTEGER NOT NULL)',
		);
		const bridge = new SqlitePersistenceBridge(database);
		const persistence = new SeedingPersistence(bridge, options.appId);
		const reader = new BridgePersistenceRead(bridge, options.appId);
		const store = new FeedbackRepository(reader);
		const statuses = new StatusLog(reader);
		const random = seededRandom(options.count);
		const spanMs = options.days * DAY_MS;
		const slots = memberSlots(options.count, options.members);
		// Oldest first, as the app would have written them.
		for (let start = options.count - 1; start >= 0; start -= BATCH) {
			database.exec('BEGIN IMMEDIATE');
			try {
				for (let index = start; index > start - BATCH && index >= 0; index -= 1) {
					const createdAt = new Date(
						options.now.getTime() - ((index + 0.5) * spanMs) / options.count,
					);
					const member = slots.get(index);
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
					const record = buildFeedbackRecord(
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
					await store.create(persistence, record);
					if (member) {
						idsOf.get(member.username)?.push(record.id);
					}
					if (random() * 100 < options.triagedPercent) {
						// A day later (never in the future), as an admin triaging would.
						const at = new Date(Math.min(createdAt.getTime() + DAY_MS, options.now.getTime()));
						await statuses.append(persistence, {
							id: newId(),
							feedbackId: record.id,
							feedbackCreatedAt: record.createdAt,
							status: TRIAGE[Math.floor(random() * TRIAGE.length)],
							note: '',
							adminId: 'user-admin',
							at: at.toISOString(),
							// Its first change: what the app's status form records it read before it.
							previous: previousChange([], at),
						});
						statusChanges += 1;
					}
				}
				database.exec('COMMIT');
			} catch (error) {
				database.exec('ROLLBACK');
				throw error;
			}
		}
		database.exec(
			'INSERT OR IGNORE INTO main.persistence_associations (app_id, association, record_seq) ' +
				'SELECT app_id, association, record_seq FROM temp.persistence_associations ORDER BY app_id, association, record_seq',
		);
		database.exec('DROP TABLE temp.persistence_associations');
	} finally {
		database.close();
	}
	return { idsOf, statusChanges };
}
