// One simulated Rocket.Chat instance in its own process (its own AppManager and Deno app
// process), driven by cluster.ts over IPC in the messages of instance-protocol.ts. Several share
// one SQLite database file.
import type {
	IClusterBlockActionResult,
	IInstanceEnvelope,
	IMessageOrder,
	InstanceAnswerOf,
	InstanceEvent,
	InstanceMethod,
	InstanceRequestOf,
	InstanceResult,
} from './instance-protocol';
import { LocalHost } from './local-host';
import type { IBlockActionResult } from './local-host-types';

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
function send(message: InstanceAnswerOf<InstanceMethod> | InstanceEvent): void {
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

/** How an instance answers each request, type-checked against the protocol per method. */
const handlers: {
	[M in InstanceMethod]: (
		request: InstanceRequestOf<M>,
	) => Promise<InstanceResult<M>> | InstanceResult<M>;
} = {
	start: async (request) => {
		const started = await LocalHost.start({
			databasePath: request.databasePath,
			zipPath: request.zipPath,
			instanceId: request.instanceId,
			schedulerProcessEveryMs: request.schedulerProcessEveryMs,
			failAppInitialize: request.failAppInitialize,
			environment: request.environment,
		});
		host = started;
		started.persistence.onCall(() => {
			persistenceCalls += 1;
		});
		// The server broadcasts every app setting change ('apps.settingUpdated').
		started.onAppSettingChanged((appId, setting) =>
			send({ event: 'appSettingChanged', appId, setting }),
		);
		return started.getAppId();
	},
	runSlashCommand: async (request) => {
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
	},
	openView: (request) => requireHost().openView(request.username),
	openContextualBar: (request) => requireHost().openContextualBar(request.username),
	blockActionOn: async (request) =>
		clusterResultOf(
			await requireHost().blockActionOn(request.username, request.view, request.action, {
				roomName: request.roomName,
			}),
		),
	blockActionInMessage: async (request) =>
		clusterResultOf(
			await requireHost().blockAction(
				request.username,
				{ messageId: request.messageId },
				request.action,
				{ roomName: request.roomName },
			),
		),
	submitViewAs: async (request) => {
		const result = await requireHost().submitViewAs(request.username, request.view, request.values);
		return { accepted: result.accepted, errors: result.errors, timedOut: result.timedOut };
	},
	deliverMessages: (request) => deliverMessages(request.orders, request.concurrency),
	setFaultInjection: (request) => requireHost().setFaultInjection(request.options),
	loseMessageAnswers: (request) => requireHost().loseMessageAnswers(request.count),
	holdPosts: (request) => requireHost().holdPosts(request.count),
	heldPosts: () => requireHost().heldPosts(),
	releaseHeldPosts: () => requireHost().releaseHeldPosts(),
	persistenceCalls: () => persistenceCalls,
	denoPid: () => requireHost().denoPid(),
	setSetting: (request) => requireHost().setSetting(request.id, request.value),
	appSettings: () => requireHost().settings(),
	applyAppSetting: (request) =>
		requireHost().receiveAppSettingChange(request.appId, request.setting),
	setServerSetting: (request) => requireHost().setServerSetting(request.id, request.value),
	serverSettings: () => requireHost().serverSettings(),
	runDueJobs: () => requireHost().runDueJobs(),
	timeline: (request) => requireHost().timeline(request.roomName),
	stop: async () => {
		await requireHost().stop();
		host = undefined;
	},
};

/** Runs one request and sends its answer, naming the request's method. */
function answer<M extends InstanceMethod>(id: number, request: InstanceRequestOf<M>): void {
	const handler = handlers[request.method];
	// A handler that throws at once is answered like one whose promise rejects.
	new Promise<InstanceResult<M>>((resolve) => resolve(handler(request))).then(
		(result) => send({ id, method: request.method, ok: true, result }),
		(error: unknown) =>
			send({
				id,
				method: request.method,
				ok: false,
				error: error instanceof Error ? error.message : String(error),
			}),
	);
}

process.on('message', (message: IInstanceEnvelope) => answer(message.id, message.request));
process.on('disconnect', () => {
	// The driver is gone: stop the app's Deno process with this one.
	void (host?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
