import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { ServerSettingBridge } from '@rocket.chat/apps-engine/server/bridges';

import { SERVER_SETTING_IDS, type ServerSettings } from '../server/server-settings';

/** The server settings bridge as Rocket.Chat's (apps/meteor/app/apps/server/bridges/settings.ts). */
export class LocalServerSettingBridge extends ServerSettingBridge {
	constructor(private readonly settings: ServerSettings) {
		super();
	}

	// The server returns every setting that is not secret; none of the local ones is.
	protected async getAll(): Promise<Array<ISetting>> {
		return SERVER_SETTING_IDS.map((id) => this.settings.toApp(id) as ISetting);
	}

	// An unknown (or secret) id throws, as on the server; ServerSettingRead passes the error on.
	protected async getOneById(id: string): Promise<ISetting> {
		const setting = this.settings.toApp(id);
		if (!setting) {
			throw new Error(`The setting "${id}" is not readable.`);
		}
		return setting;
	}

	protected async hideGroup(): Promise<void> {
		throw new Error('Method not implemented.');
	}

	protected async hideSetting(id: string): Promise<void> {
		this.requireReadable(id);
		throw new Error('Method not implemented.');
	}

	protected async isReadableById(id: string): Promise<boolean> {
		return this.settings.has(id);
	}

	protected async updateOne(setting: ISetting & { id: string }): Promise<void> {
		this.requireReadable(setting.id);
		this.settings.write(setting.id, setting.value);
	}

	protected async incrementValue(id: string, value: number): Promise<void> {
		this.requireReadable(id);
		const current = this.settings.value(id);
		if (typeof current !== 'number') {
			// What MongoDB's $inc answers for a value that is not a number.
			throw new Error('Cannot apply $inc to a value of non-numeric type');
		}
		this.settings.write(id, current + value);
	}

	private requireReadable(id: string): void {
		if (!this.settings.has(id)) {
			throw new Error(`The setting "${id}" is not readable.`);
		}
	}
}
