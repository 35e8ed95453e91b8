import { randomUUID } from 'crypto';

import type { AppStatus } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import type { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';
import type { IMarketplaceInfo } from '@rocket.chat/apps-engine/server/marketplace';
import {
	AppLogStorage,
	AppMetadataStorage,
	type IAppLogStorageFindOptions,
	type IAppStorageItem,
} from '@rocket.chat/apps-engine/server/storage';
import { AppSourceStorage } from '@rocket.chat/apps-engine/server/storage/AppSourceStorage';
import { AppInstallationSource } from '@rocket.chat/apps-engine/server/storage/IAppStorageItem';

import { type Database, parseJson } from './database';

const ENGINE_NAME = 'sqlite';

/** Installed apps' metadata (status, settings, info) in the `apps` table, keyed by app id. */
export class SqliteMetadataStorage extends AppMetadataStorage {
	constructor(private readonly database: Database) {
		super(ENGINE_NAME);
	}

	public async create(item: IAppStorageItem): Promise<IAppStorageItem> {
		const now = new Date();
		const stored: IAppStorageItem = {
			...item,
			_id: item._id ?? randomUUID(),
			createdAt: now,
			updatedAt: now,
		};
		const inserted = this.database
			.prepare('INSERT OR IGNORE INTO apps (id, item) VALUES (?, ?)')
			.run(stored.id, JSON.stringify(stored));
		if (inserted.changes === 0) {
			throw new Error(`App ${stored.id} is already installed`);
		}
		return stored;
	}

	public async retrieveOne(id: string): Promise<IAppStorageItem | null> {
		return this.read(id) ?? null;
	}

	public async retrieveAll(): Promise<Map<string, IAppStorageItem>> {
		const rows = this.database.prepare('SELECT item FROM apps ORDER BY id').all() as Array<{
			item: string;
		}>;
		const items = rows.map((row) => parseJson<IAppStorageItem>(row.item, 'apps.item'));
		return new Map(items.map((item) => [item.id, item]));
	}

	public async retrieveAllPrivate(): Promise<Map<string, IAppStorageItem>> {
		const all = await this.retrieveAll();
		return new Map(
			[...all].filter(([, item]) => item.installationSource === AppInstallationSource.PRIVATE),
		);
	}

	public async remove(id: string): Promise<{ success: boolean }> {
		const removed = this.database.prepare('DELETE FROM apps WHERE id = ?').run(id);
		return { success: removed.changes > 0 };
	}

	public async updatePartialAndReturnDocument(
		item: Partial<IAppStorageItem>,
		options?: { unsetPermissionsGranted?: boolean },
	): Promise<IAppStorageItem> {
		const current = this.findByStorageId(item._id) ?? (item.id ? this.read(item.id) : undefined);
		if (!current) {
			throw new Error(`No stored app matches ${item._id ?? item.id}`);
		}
		const updated: IAppStorageItem = {
			...current,
			...item,
			id: current.id,
			_id: current._id,
			updatedAt: new Date(),
		};
		if (options?.unsetPermissionsGranted) {
			delete updated.permissionsGranted;
		}
		this.write(updated);
		return updated;
	}

	public async updateStatus(storageId: string, status: AppStatus): Promise<boolean> {
		return this.modify(storageId, (item) => ({ ...item, status }));
	}

	public async updateSetting(storageId: string, setting: ISetting): Promise<boolean> {
		return this.modify(storageId, (item) => ({
			...item,
			settings: { ...item.settings, [setting.id]: setting },
		}));
	}

	public async updateAppInfo(storageId: string, info: IAppInfo): Promise<boolean> {
		return this.modify(storageId, (item) => ({ ...item, info }));
	}

	public async updateMarketplaceInfo(
		storageId: string,
		marketplaceInfo: IMarketplaceInfo[],
	): Promise<boolean> {
		return this.modify(storageId, (item) => ({ ...item, marketplaceInfo }));
	}

	private read(id: string): IAppStorageItem | undefined {
		const row = this.database.prepare('SELECT item FROM apps WHERE id = ?').get(id) as
			| { item: string }
			| undefined;
		return row ? parseJson<IAppStorageItem>(row.item, 'apps.item') : undefined;
	}

	private findByStorageId(storageId: string | undefined): IAppStorageItem | undefined {
		if (!storageId) {
			return undefined;
		}
		const row = this.database
			.prepare("SELECT item FROM apps WHERE json_extract(item, '$._id') = ?")
			.get(storageId) as { item: string } | undefined;
		return row ? parseJson<IAppStorageItem>(row.item, 'apps.item') : undefined;
	}

	private modify(storageId: string, change: (item: IAppStorageItem) => IAppStorageItem): boolean {
		return this.database
			.transaction(() => {
				const current = this.findByStorageId(storageId) ?? this.read(storageId);
				if (!current) {
					return false;
				}
				this.write({ ...change(current), updatedAt: new Date() });
				return true;
			})
			.immediate();
	}

	private write(item: IAppStorageItem): void {
		this.database
			.prepare('UPDATE apps SET item = ? WHERE id = ?')
			.run(JSON.stringify(item), item.id);
	}
}

/** The installed app packages (zip files) in the `app_sources` table. */
export class SqliteSourceStorage extends AppSourceStorage {
	constructor(private readonly database: Database) {
		super();
	}

	public async store(item: IAppStorageItem, zip: Buffer): Promise<string> {
		this.database
			.prepare('INSERT OR REPLACE INTO app_sources (app_id, zip) VALUES (?, ?)')
			.run(item.id, zip);
		return `sqlite:app_sources/${item.id}`;
	}

	public async fetch(item: IAppStorageItem): Promise<Buffer> {
		const row = this.database
			.prepare('SELECT zip FROM app_sources WHERE app_id = ?')
			.get(item.id) as { zip: Buffer } | undefined;
		if (!row) {
			throw new Error(`No stored package for app ${item.id}`);
		}
		return row.zip;
	}

	public async update(item: IAppStorageItem, zip: Buffer): Promise<string> {
		return this.store(item, zip);
	}

	public async remove(item: IAppStorageItem): Promise<void> {
		this.database.prepare('DELETE FROM app_sources WHERE app_id = ?').run(item.id);
	}
}

/** The apps' log entries (what `this.getLogger()` writes) in the `app_logs` table. */
export class SqliteLogStorage extends AppLogStorage {
	constructor(private readonly database: Database) {
		super(ENGINE_NAME);
	}

	public async findPaginated(
		query: { [field: string]: unknown },
		options?: IAppLogStorageFindOptions,
	): Promise<{ logs: ILoggerStorageEntry[]; total: number }> {
		const appId = typeof query.appId === 'string' ? query.appId : undefined;
		const all = appId ? await this.getEntriesFor(appId) : this.readAll();
		const newestFirst = options?.sort ? Object.values(options.sort)[0] === -1 : false;
		const ordered = newestFirst ? [...all].reverse() : all;
		const skip = options?.skip ?? 0;
		const limit = options?.limit ?? ordered.length;
		return { logs: ordered.slice(skip, skip + limit), total: all.length };
	}

	public async storeEntries(logEntry: ILoggerStorageEntry): Promise<ILoggerStorageEntry> {
		const stored = { ...logEntry, _createdAt: logEntry._createdAt ?? new Date() };
		this.database
			.prepare('INSERT INTO app_logs (app_id, entry) VALUES (?, ?)')
			.run(stored.appId, JSON.stringify(stored));
		return stored;
	}

	public async getEntriesFor(appId: string): Promise<Array<ILoggerStorageEntry>> {
		const rows = this.database
			.prepare('SELECT entry FROM app_logs WHERE app_id = ? ORDER BY seq')
			.all(appId) as Array<{ entry: string }>;
		return rows.map((row) => parseJson<ILoggerStorageEntry>(row.entry, 'app_logs.entry'));
	}

	public async removeEntriesFor(appId: string): Promise<void> {
		this.database.prepare('DELETE FROM app_logs WHERE app_id = ?').run(appId);
	}

	private readAll(): ILoggerStorageEntry[] {
		const rows = this.database.prepare('SELECT entry FROM app_logs ORDER BY seq').all() as Array<{
			entry: string;
		}>;
		return rows.map((row) => parseJson<ILoggerStorageEntry>(row.entry, 'app_logs.entry'));
	}
}
