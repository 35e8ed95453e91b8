// One simulated Rocket.Chat instance in its own process (its own AppManager and Deno app
// process), driven by host/cluster.ts over IPC. Several share one SQLite database file.
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';

import type { IClusterBlockActionResult } from './cluster';
import { LocalHost } from './local-host';
import type { IBlockActionResult } from './local-host-types';
import type { IOpenView } from '../client/session-state';
import type { IBlockAction } from '../client/view-interaction';
import type { IFaultInjectionOptions } from '../server/persistence-bridge';

/** A message to deliver, numbered by the driver. */
export interface IMessageOrder {
	readonly seq: number;
	readonly username: string;
	readonly roomName: string;
	readonly text: string;
}

/** What the driver asks of an instance. */
export type InstanceRequest =
	| {
			method: 'start';
			databasePath: string;
			zipPath: string;
			instanceId: string;
			schedulerProcessEveryMs?: number | false;
			failAppInitialize?: boolean;
	  }
	| { method: 'runDueJobs' }
	| { method: 'timeline'; roomName: string }
	| {
			method: 'runSlashCommand';
			username: string;
			roomName: string;
			text: string;
			/** Run without a triggerId, as REST commands.run may (text answers instead of views). */
			noTrigger?: boolean;
	  }
	| { method: 'openView'; username: string }
	| { method: 'openContextualBar'; username: string }
	| {
			method: 'blockActionOn';
			username: string;
			view: IOpenView;
			action: IBlockAction;
			roomName?: string;
	  }
	| {
			method: 'blockActionInMessage';
			username: string;
			messageId: string;
			action: IBlockAction;
			roomName?: string;
	  }
	| { method: 'submitViewAs'; username: string; view: IOpenView; values: Record<string, unknown> }
	| { method: 'deliverMessages'; orders: IMessageOrder[]; concurrency: number }
	| { method: 'setFaultInjection'; options: IFaultInjectionOptions }
	| { method: 'loseMessageAnswers'; count: number }
	| { method: 'holdPosts'; count: number }
	| { method: 'heldPosts' }
	| { method: 'releaseHeldPosts' }
	| { method: 'persistenceCalls' }
	| { method: 'denoPid' }
	| { method: 'setSetting'; id: string; value: unknown }
	| { method: 'appSettings' }
	| { method: 'applyAppSetting'; appId: string; setting: ISetting }
	| { method: 'setServerSetting'; id: string; value: unknown }
	| { method: 'serverSettings' }
	| { method: 'stop' };

/** A delivered message, reported as soon as its handler returned. */
export interface IDeliveredEvent {
	readonly event: 'delivered';
	readonly seq: number;
	readonly milliseconds: number;
	readonly error?: string;
}

/** An app setting changed on this instance: the driver broadcasts it to every instance. */
export interface IAppSettingEvent {
	readonly event: 'appSettingChanged';
	readonly appId: string;
	readonly setting: ISetting;
}

/** What an instance reports without being asked. */
export type InstanceEvent = IDeliveredEvent | IAppSettingEvent;

/** The answer to one request. */
export type InstanceResponse =
	| { readonly id: number; readonly ok: true; readonly result: unknown }
	| { readonly id: number; readonly ok: false; readonly error: string };

let host: LocalHost | undefined;
let persistenceCalls = 0;

function requireHost(): LocalHost {
	if (!host) {
		throw new Error('The instance is not started');
	}
	return host;
}

let lostMessages = 0;

/**
 * Sends an answer or an event to the driver. Once the driver is gone (the channel closed, or a
 * write to it failed with EPIPE), nothing can reach it and the 'disconnect' handler below ends the
 * instance: a send then is dropped, and logged once. Without a callback, a failed send would emit
 * 'error' on process and end the instance with a crash instead, before it stopped its Deno process.
 */
function send(message: InstanceResponse | InstanceEvent): void {
	if (!process.connected) {
		return;
	}
	process.send?.(message, undefined, {}, (error) => {
		if (error) {
			lostMessages += 1;
			if (lostMessages === 1) {
				console.error(`[instance] messages to the driver are lost: ${error.message}`);
			}
		}
	});
}

/** Delivers messages with at most `concurrency` handlers running, reporting each completion. */
async function deliverMessages(orders: IMessageOrder[], concurrency: number): Promise<number> {
	const running = requireHost();
	let next = 0;
	let failures = 0;
	const worker = async (): Promise<void> => {
		while (next < orders.length) {
			const order = orders[next];
			next += 1;
			try {
				const milliseconds = await running.deliverMessage(
					order.username,
					order.roomName,
					order.text,
				);
				send({ event: 'delivered', seq: order.seq, milliseconds });
			} catch (error) {
				failures += 1;
				send({ event: 'delivered', seq: order.seq, milliseconds: 0, error: String(error) });
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
	return failures;
}

/** A block action's result as the driver gets it: the member's messages as texts. */
function clusterResultOf(result: IBlockActionResult): IClusterBlockActionResult {
	return {
		response: result.response,
		timedOut: result.timedOut,
		error: result.error,
		notifications: result.notifications.map((notification) => notification.text),
		view: result.view,
		contextualBar: result.contextualBar,
	};
}

async function handle(request: InstanceRequest): Promise<unknown> {
	switch (request.method) {
		case 'start':
			host = await LocalHost.start({
				databasePath: request.databasePath,
				zipPath: request.zipPath,
				instanceId: request.instanceId,
				schedulerProcessEveryMs: request.schedulerProcessEveryMs,
				failAppInitialize: request.failAppInitialize,
			});
			host.persistence.onCall(() => {
				persistenceCalls += 1;
			});
			// The server broadcasts every app setting change ('apps.settingUpdated').
			host.onAppSettingChanged((appId, setting) =>
				send({ event: 'appSettingChanged', appId, setting }),
			);
			return host.getAppId();
		case 'runSlashCommand': {
			const result = await requireHost().runSlashCommand(
				request.username,
				request.roomName,
				request.text,
				request.noTrigger ? { triggerId: false } : {},
			);
			return {
				notifications: result.notifications.map((notification) => notification.text),
				messages: result.notifications.map(({ id, text, blocks }) => ({ id, text, blocks })),
			};
		}
		case 'openView':
			return requireHost().openView(request.username);
		case 'openContextualBar':
			return requireHost().openContextualBar(request.username);
		case 'blockActionOn': {
			const result = await requireHost().blockActionOn(
				request.username,
				request.view,
				request.action,
				{ roomName: request.roomName },
			);
			return clusterResultOf(result);
		}
		case 'blockActionInMessage': {
			const result = await requireHost().blockAction(
				request.username,
				{ messageId: request.messageId },
				request.action,
				{ roomName: request.roomName },
			);
			return clusterResultOf(result);
		}
		case 'submitViewAs': {
			const result = await requireHost().submitViewAs(
				request.username,
				request.view,
				request.values,
			);
			return { accepted: result.accepted, errors: result.errors, timedOut: result.timedOut };
		}
		case 'deliverMessages':
			return deliverMessages(request.orders, request.concurrency);
		case 'setFaultInjection':
			requireHost().setFaultInjection(request.options);
			return undefined;
		case 'loseMessageAnswers':
			requireHost().loseMessageAnswers(request.count);
			return undefined;
		case 'holdPosts':
			requireHost().holdPosts(request.count);
			return undefined;
		case 'heldPosts':
			return requireHost().heldPosts();
		case 'releaseHeldPosts':
			return requireHost().releaseHeldPosts();
		case 'persistenceCalls':
			return persistenceCalls;
		case 'denoPid':
			return requireHost().denoPid();
		case 'setSetting':
			await requireHost().setSetting(request.id, request.value);
			return undefined;
		case 'appSettings':
			return requireHost().settings();
		case 'applyAppSetting':
			return requireHost().receiveAppSettingChange(request.appId, request.setting);
		case 'setServerSetting':
			requireHost().setServerSetting(request.id, request.value);
			return undefined;
		case 'serverSettings':
			return requireHost().serverSettings();
		case 'runDueJobs':
			return requireHost().runDueJobs();
		case 'timeline':
			return requireHost().timeline(request.roomName);
		case 'stop':
			await requireHost().stop();
			host = undefined;
			return undefined;
	}
}

process.on('message', (message: { id: number; request: InstanceRequest }) => {
	handle(message.request).then(
		(result) => send({ id: message.id, ok: true, result }),
		(error: unknown) =>
			send({
				id: message.id,
				ok: false,
				error: error instanceof Error ? error.message : String(error),
			}),
	);
});
process.on('disconnect', () => {
	// The driver is gone: stop the app's Deno process with this one.
	void (host?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
