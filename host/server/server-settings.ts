// The workspace's server settings as Rocket.Chat defines and hands them to apps, stored in
// SQLite so every host process of a cluster reads the same values.
// Defaults: apps/meteor/server/settings/general.ts (Language), message.ts (Message_*),
// file-upload.ts (FileUpload_*) and e2e.ts (E2E_*).
// Shape handed to apps: apps/meteor/app/apps/server/converters/settings.ts.
// The bridge apps read them through: host/bridges/server-setting.ts.
import type { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';

import { type Database, parseJson } from './database';

/** A server setting's type as Rocket.Chat stores it ('language' reaches apps unconverted). */
export type ServerSettingType = 'boolean' | 'code' | 'int' | 'string' | 'language';

/** How the server defines a setting: its type, default (packageValue) and visibility. */
interface IServerSettingDefinition {
	readonly type: ServerSettingType;
	readonly packageValue: boolean | number | string;
	readonly public: boolean;
	/** The local workspace's own value where it is not the server's default (its name, its URL). */
	readonly initialValue?: string;
}

/** What a terminal or page shows of a server setting. */
export interface IServerSettingInfo {
	readonly id: string;
	readonly type: ServerSettingType;
	readonly value: boolean | number | string;
	readonly packageValue: boolean | number | string;
	/** True when the value was set through the host's API (else it is the default). */
	readonly changed: boolean;
}

/**
 * The server's default `Message_CustomFields` schema, character for character
 * (apps/meteor/server/settings/message.ts): a required `priority` of low, medium or high.
 */
export const DEFAULT_MESSAGE_CUSTOM_FIELDS = `
{
	"properties": {
		"priority": {
			"type": "string",
			"nullable": false,
			"enum": ["low", "medium", "high"]
		}
	},
	"required": ["priority"]
}
		`;

/** The settings the local workspace has, with the server's defaults. */
const DEFINITIONS: Readonly<Record<string, IServerSettingDefinition>> = {
	// general.ts: '' means "no workspace language chosen" (the client then falls back to English).
	Language: { type: 'language', packageValue: '', public: true },
	Site_Name: {
		type: 'string',
		packageValue: 'Rocket.Chat',
		public: true,
		initialValue: 'Local Host',
	},
	Site_Url: {
		type: 'string',
		packageValue: 'http://localhost:3000',
		public: true,
	},
	uniqueID: { type: 'string', packageValue: 'local-host-workspace', public: true },
	Message_MaxAllowedSize: { type: 'int', packageValue: 5000, public: true },
	// file-upload.ts: the largest upload in bytes, 100 MiB; -1 means no limit (FileUpload.ts
	// validateFileUpload refuses `size > max` whenever `max > -1`: 0 refuses every file).
	FileUpload_MaxFileSize: { type: 'int', packageValue: 104857600, public: true },
	// file-upload.ts: uploads on; in direct rooms too (FileUpload.ts validateFileUpload refuses
	// with error-file-upload-disabled / error-direct-message-file-upload-not-allowed when off).
	FileUpload_Enabled: { type: 'boolean', packageValue: true, public: true },
	FileUpload_Enabled_Direct: { type: 'boolean', packageValue: true, public: true },
	// file-upload.ts: comma-separated media types, `type/*` wildcards (app/utils/lib/restrictions.ts);
	// an empty (or `*`) white list accepts every type, the black list wins over it.
	FileUpload_MediaTypeWhiteList: { type: 'string', packageValue: '', public: true },
	FileUpload_MediaTypeBlackList: { type: 'string', packageValue: 'image/svg+xml', public: true },
	// e2e.ts: all off. With E2E_Enable and E2E_Enabled_Default_DirectRooms a new direct room is
	// created `encrypted` (app/e2e/server/beforeCreateRoom.ts); in an encrypted room
	// executeSendMessage refuses a plain message unless E2E_Allow_Unencrypted_Messages is on.
	E2E_Enable: { type: 'boolean', packageValue: false, public: true },
	E2E_Allow_Unencrypted_Messages: { type: 'boolean', packageValue: false, public: true },
	E2E_Enabled_Default_DirectRooms: { type: 'boolean', packageValue: false, public: true },
	Message_CustomFields_Enabled: { type: 'boolean', packageValue: false, public: false },
	Message_CustomFields: {
		type: 'code',
		packageValue: DEFAULT_MESSAGE_CUSTOM_FIELDS,
		public: false,
	},
	// message.ts: off. On, every edit first copies the message as it was into a hidden history
	// row (functions/updateMessage.ts → Messages.cloneAndSaveAsHistoryById).
	Message_KeepHistory: { type: 'boolean', packageValue: false, public: true },
};

/** The ids of every server setting the local workspace has. */
export const SERVER_SETTING_IDS: readonly string[] = Object.keys(DEFINITIONS);

/** Whether a value has the JavaScript type a setting of this type stores. */
function fitsType(type: ServerSettingType, value: unknown): value is boolean | number | string {
	switch (type) {
		case 'boolean':
			return typeof value === 'boolean';
		case 'int':
			return typeof value === 'number' && Number.isInteger(value);
		default:
			return typeof value === 'string';
	}
}

/** Server settings on the host database: the defaults above, overridden by stored values. */
export class ServerSettings {
	constructor(private readonly database: Database) {}

	/** Whether the workspace has a setting with this id. */
	public has(id: string): boolean {
		return Object.prototype.hasOwnProperty.call(DEFINITIONS, id);
	}

	/** A setting's current value (stored, else the local default); undefined for an unknown id. */
	public value(id: string): unknown {
		return this.has(id) ? this.info(id).value : undefined;
	}

	/** Every setting with its value, for the terminal and the page's admin panel. */
	public list(): IServerSettingInfo[] {
		return SERVER_SETTING_IDS.map((id) => this.info(id));
	}

	/** Stores a value after checking the id and the value's type; every process sees it at once. */
	public set(id: string, value: unknown): void {
		const definition = this.definition(id);
		if (!fitsType(definition.type, value)) {
			throw new Error(
				`Server setting ${id} is of type ${definition.type}: ${JSON.stringify(value)} does not fit`,
			);
		}
		this.write(id, value);
	}

	/** Stores a value as an app's write does on the server: any JSON value, no type check. */
	public write(id: string, value: unknown): void {
		this.definition(id);
		this.database
			.prepare(
				`INSERT INTO server_settings (id, value, updated_at) VALUES (?, ?, ?)
				 ON CONFLICT (id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			)
			.run(id, JSON.stringify(value), new Date().toISOString());
	}

	/** Forgets a stored value, so the setting is back at its default. */
	public reset(id: string): void {
		this.definition(id);
		this.database.prepare('DELETE FROM server_settings WHERE id = ?').run(id);
	}

	/** The setting as the server's settings converter hands it to apps, or undefined. */
	public toApp(id: string): ISetting | undefined {
		if (!this.has(id)) {
			return undefined;
		}
		const definition = DEFINITIONS[id];
		const { value, updatedAt } = this.stored(id);
		return {
			id,
			// The converter maps boolean/code/int/string to SettingType and passes others through.
			type: definition.type as SettingType,
			packageValue: definition.packageValue,
			value: value ?? definition.initialValue ?? definition.packageValue,
			public: definition.public,
			i18nLabel: id,
			...(updatedAt ? { updatedAt } : {}),
		} as ISetting;
	}

	private info(id: string): IServerSettingInfo {
		const definition = DEFINITIONS[id];
		const { value } = this.stored(id);
		const current = value ?? definition.initialValue ?? definition.packageValue;
		return {
			id,
			type: definition.type,
			// A value an app wrote may have any type: show it as text rather than hide it.
			value: fitsType(definition.type, current) ? current : JSON.stringify(current),
			packageValue: definition.packageValue,
			changed: value !== undefined,
		};
	}

	private definition(id: string): IServerSettingDefinition {
		if (!this.has(id)) {
			throw new Error(`Unknown server setting "${id}"; known: ${SERVER_SETTING_IDS.join(', ')}`);
		}
		return DEFINITIONS[id];
	}

	private stored(id: string): { value?: unknown; updatedAt?: Date } {
		const row = this.database
			.prepare('SELECT value, updated_at FROM server_settings WHERE id = ?')
			.get(id) as { value: string; updated_at: string } | undefined;
		return row
			? {
					value: parseJson<unknown>(row.value, 'server_settings.value'),
					updatedAt: new Date(row.updated_at),
				}
			: {};
	}
}
