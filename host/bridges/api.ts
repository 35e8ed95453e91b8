import { ApiBridge } from '@rocket.chat/apps-engine/server/bridges';
import type { AppApi } from '@rocket.chat/apps-engine/server/managers/AppApi';

import { NotSupportedByLocalHostError } from './unsupported';

/** REST endpoints of apps: none can be registered; unregistering (done on disable) is a no-op. */
export class LocalApiBridge extends ApiBridge {
	protected async registerApi(_api: AppApi): Promise<void> {
		throw new NotSupportedByLocalHostError('ApiBridge', 'registerApi');
	}

	protected unregisterApis(): Promise<void> {
		return Promise.resolve();
	}
}
