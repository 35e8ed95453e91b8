// What the cluster driver (cluster.ts) and an instance process (instance-process.ts) say to each
// other over IPC. Each request names its method, its parameters and the result it answers with, so
// both sides are type-checked per request; the two files share this module and nothing else.
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';

import type { IOpenView } from '../client/session-state';
import type { IBlockAction } from '../client/view-interaction';
import type { ITimelineMessage } from '../server/directory';
import type { IFaultInjectionOptions } from '../server/persistence-bridge';
import type { IJobRun } from '../server/scheduler/job-runner';
import type { IServerSettingInfo } from '../server/server-settings';

/** A message to deliver, numbered by the driver. */
export interface IMessageOrder {
	readonly seq: number;
	readonly username: string;
	readonly roomName: string;
	readonly text: string;
}

/** What a block action sent through a cluster instance came to. */
export interface IClusterBlockActionResult {
	/** The raw answer of executeBlockActionHandler. */
	response: unknown;
	timedOut: boolean;
	/** The app's handler failed (the member sees nothing). */
	error?: string;
	/** Texts of the ephemeral messages the member received meanwhile. */
	notifications: string[];
	/** The modal the member has open afterwards on that instance. */
	view?: IOpenView;
	/** The contextual bar the member has open afterwards on that instance. */
	contextualBar?: IOpenView;
}

/** A message a member was told through a cluster instance. */
export interface IClusterMessage {
	readonly id: string;
	readonly text: string;
	readonly blocks?: unknown[];
}

/** What a view submitted through a cluster instance came to. */
export interface IClusterSubmitResult {
	accepted: boolean;
	errors: Record<string, string>;
	/** The answer came after the web client's deadline (it closed the form). */
	timedOut: boolean;
}

/** Every request an instance answers: the parameters it takes and the result it answers with. */
interface IInstanceCalls {
	start: {
		params: {
			databasePath: string;
			zipPath: string;
			instanceId: string;
			schedulerProcessEveryMs?: number | false;
			failAppInitialize?: boolean;
			environment?: Readonly<Record<string, string>>;
		};
		/** The app's id. */
		result: string;
	};
	runDueJobs: { params: object; result: IJobRun[] };
	timeline: { params: { roomName: string }; result: ITimelineMessage[] };
	runSlashCommand: {
		params: {
			username: string;
			roomName: string;
			text: string;
			/** Run without a triggerId, as REST commands.run may (text answers instead of views). */
			noTrigger?: boolean;
		};
		result: { notifications: string[]; messages: IClusterMessage[] };
	};
	openView: { params: { username: string }; result: IOpenView | undefined };
	openContextualBar: { params: { username: string }; result: IOpenView | undefined };
	blockActionOn: {
		params: { username: string; view: IOpenView; action: IBlockAction; roomName?: string };
		result: IClusterBlockActionResult;
	};
	blockActionInMessage: {
		params: { username: string; messageId: string; action: IBlockAction; roomName?: string };
		result: IClusterBlockActionResult;
	};
	submitViewAs: {
		params: { username: string; view: IOpenView; values: Record<string, unknown> };
		result: IClusterSubmitResult;
	};
	/** Resolves with the number of deliveries that failed. */
	deliverMessages: { params: { orders: IMessageOrder[]; concurrency: number }; result: number };
	setFaultInjection: { params: { options: IFaultInjectionOptions }; result: void };
	loseMessageAnswers: { params: { count: number }; result: void };
	holdPosts: { params: { count: number }; result: void };
	heldPosts: { params: object; result: number };
	releaseHeldPosts: { params: object; result: number };
	persistenceCalls: { params: object; result: number };
	denoPid: { params: object; result: number | undefined };
	setSetting: { params: { id: string; value: unknown }; result: void };
	appSettings: { params: object; result: Record<string, ISetting> };
	/** Resolves true when the instance changed its value (false: it already had it). */
	applyAppSetting: { params: { appId: string; setting: ISetting }; result: boolean };
	setServerSetting: { params: { id: string; value: unknown }; result: void };
	serverSettings: { params: object; result: IServerSettingInfo[] };
	stop: { params: object; result: void };
}

/** The name of a request. */
export type InstanceMethod = keyof IInstanceCalls;

/** One request of a method: the method's name and its parameters. */
export type InstanceRequestOf<M extends InstanceMethod> = {
	method: M;
} & IInstanceCalls[M]['params'];

/** What the driver asks of an instance, told apart by `method`. */
export type InstanceRequest = { [M in InstanceMethod]: InstanceRequestOf<M> }[InstanceMethod];

/** What an instance answers to a request of a method. */
export type InstanceResult<M extends InstanceMethod> = IInstanceCalls[M]['result'];

/** A request as it travels: numbered, so its answer finds it. */
export interface IInstanceEnvelope {
	readonly id: number;
	readonly request: InstanceRequest;
}

/** The answer to one request of a method: its result, or why it failed. */
export type InstanceAnswerOf<M extends InstanceMethod> =
	| {
			readonly id: number;
			readonly method: M;
			readonly ok: true;
			readonly result: InstanceResult<M>;
	  }
	| { readonly id: number; readonly method: M; readonly ok: false; readonly error: string };

/** The answer to any request, told apart by `method`. */
export type InstanceAnswer = { [M in InstanceMethod]: InstanceAnswerOf<M> }[InstanceMethod];

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

/** Everything an instance sends the driver. */
export type InstanceMessage = InstanceAnswer | InstanceEvent;
