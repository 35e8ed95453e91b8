import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { AppDetailChangesBridge } from '@rocket.chat/apps-engine/server/bridges';

import type { IHostHooks } from './hooks';

/**
 * App setting changes reported by the engine. Like the server's (app/apps/server/bridges/details.ts
 * → AppServerNotifier.appSettingsChange), it broadcasts each change to every instance.
 */
export class LocalAppDetailChangesBridge extends AppDetailChangesBridge {
	public readonly changes: Array<{ appId: string; setting: ISetting }> = [];

	constructor(private readonly hooks: IHostHooks) {
		super();
	}

	protected onAppSettingsChange(appId: string, setting: ISetting): void {
		this.changes.push({ appId, setting });
		this.hooks.appSettingChanged(appId, setting);
	}
}
