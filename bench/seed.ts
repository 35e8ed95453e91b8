// Seeds stored feedback through the app's own write path: FeedbackRepository.create (day marker,
// then the record with its associations) on the host's persistence bridge, the same bridge
// that serves the app's calls. Only the transport differs: direct calls, batched in
// transactions, instead of one remote call from the Deno process per write.
import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { type Database, openDatabase } from '../host/database';
import { seededRandom, SqlitePersistenceBridge } from '../host/persistence-bridge';
import { newId } from '../src/domain/ids';
import { buildFeedbackRecord } from '../src/domain/record';
import { DEFAULT_CATEGORIES } from '../src/domain/settings';
import { FeedbackRepository } from '../src/persistence/FeedbackRepository';

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 2000;

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

/** What to seed. */
export interface ISeedOptions {
	readonly databasePath: string;
	readonly appId: string;
	readonly count: number;
	/** Feedback is spread evenly over this many days, ending now. */
	readonly days: number;
	/** The fixture member whose own list is timed, and how many entries are theirs. */
	readonly member: { readonly id: string; readonly username: string; readonly name: string };
	readonly memberEntries: number;
	readonly now: Date;
}

/** Other members: enough of them that contributors are counted over many keys. */
const OTHER_MEMBERS = 500;

/** Stores `count` feedback records as the app would have written them over `days` days. */
export async function seedFeedback(options: ISeedOptions): Promise<void> {
	const database: Database = openDatabase(options.databasePath);
	try {
		// A large page cache for this one connection: the indexes outgrow the default 2 MB at 100k records.
		database.pragma('cache_size = -262144');
		database.pragma('journal_mode = DELETE');
		database.pragma('synchronous = OFF');
		const bridge = new SqlitePersistenceBridge(database);
		const persistence = new BridgePersistence(bridge, options.appId);
		const store = new FeedbackRepository(new BridgePersistenceRead(bridge, options.appId));
		const random = seededRandom(options.count);
		const spanMs = options.days * DAY_MS;
		const memberEvery = Math.max(1, Math.floor(options.count / Math.max(1, options.memberEntries)));
		let memberLeft = Math.min(options.memberEntries, options.count);
		// Oldest first, as the app would have written them.
		for (let start = options.count - 1; start >= 0; start -= BATCH) {
			database.exec('BEGIN IMMEDIATE');
			try {
				for (let index = start; index > start - BATCH && index >= 0; index -= 1) {
					const createdAt = new Date(
						options.now.getTime() - ((index + 0.5) * spanMs) / options.count,
					);
					const isMember = memberLeft > 0 && index % memberEvery === 0;
					if (isMember) {
						memberLeft -= 1;
					}
					const other = Math.floor(random() * OTHER_MEMBERS);
					const user = (
						isMember
							? options.member
							: { id: `bench-member-${other}`, username: `member${other}`, name: `Member ${other}` }
					) as IUser;
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
							anonymous: !isMember && random() < 0.15,
						},
						user,
						'GENERAL',
						createdAt,
					);
					await store.create(persistence, record);
				}
				database.exec('COMMIT');
			} catch (error) {
				database.exec('ROLLBACK');
				throw error;
			}
		}
	} finally {
		database.close();
	}
}
