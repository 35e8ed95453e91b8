import type { AppStatus } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';
import { AppActivationBridge } from '@rocket.chat/apps-engine/server/bridges';

/** One app lifecycle event the engine reported. */
export interface IActivationEvent {
	event: string;
	appId?: string;
	status?: AppStatus;
}

/** App lifecycle events (the server would notify clients); kept for inspection. */
export class LocalAppActivationBridge extends AppActivationBridge {
	public readonly events: IActivationEvent[] = [];

	protected async appAdded(app: ProxiedApp): Promise<void> {
		this.events.push({ event: 'added', appId: app.getID() });
	}

	protected async appUpdated(app: ProxiedApp): Promise<void> {
		this.events.push({ event: 'updated', appId: app.getID() });
	}

	protected async appRemoved(app: ProxiedApp): Promise<void> {
		this.events.push({ event: 'removed', appId: app.getID() });
	}

	protected async appStatusChanged(app: ProxiedApp, status: AppStatus): Promise<void> {
		this.events.push({ event: 'status', appId: app.getID(), status });
	}

	protected async actionsChanged(): Promise<void> {
		this.events.push({ event: 'actions' });
	}
}
