import type { DenoRuntimeKind } from './deno-runtime';
import type { INotification, IOpenView } from '../client/session-state';
import type { ClientKind, IClock, IRefusedInteraction, IToast } from '../client/uikit-client';
import type { ITimelineMessage } from '../server/directory';
import type { IFaultInjectionOptions } from '../server/persistence-bridge';

// The shapes LocalHost takes and answers (host/drivers/local-host.ts re-exports them).

/** How a LocalHost is started. */
export interface ILocalHostOptions {
	/** SQLite file shared by every host process of one simulated workspace, or ':memory:'. */
	databasePath: string;
	/** The packaged app (`npm run package` writes dist/feedback_1.0.0.zip). */
	zipPath: string;
	/** Fail a share of persistence calls from the start. */
	faultInjection?: IFaultInjectionOptions;
	/** How long a database write waits for another process's lock. */
	busyTimeoutMs?: number;
	/** How long to wait for the app's work to finish after each action. */
	settleTimeoutMs?: number;
	/** The members' clients' clock (triggerId life, answer deadline); a ManualClock in tests. */
	clock?: IClock;
	/** Rocket.Chat's TRIGGER_TIMEOUT, 5000 ms; shorter in tests. */
	interactionTimeoutMs?: number;
	/** Members who use Rocket.Chat's mobile app rather than the web client (see setClient). */
	clients?: Readonly<Record<string, ClientKind>>;
	/** `as-shipped` (default), or `with-uuid` where the app's require('uuid') works (host/drivers/deno-runtime.ts). */
	denoRuntime?: DenoRuntimeKind;
	/**
	 * The server process's environment variables as apps read them (host/bridges/environment.ts),
	 * e.g. `{ RC_APPS_<app id uppercased, '-' as '_'>_SECRET: '…' }` for the app's own, or ROOT_URL.
	 * Only these and the host's defaults exist: the machine's own environment is never read.
	 */
	environment?: Readonly<Record<string, string>>;
	/** This server's name in a cluster (who holds a job's lock). */
	instanceId?: string;
	/**
	 * How often the scheduler looks for due jobs (Rocket.Chat: 5000 ms); `false` runs no loop,
	 * and tests run due jobs themselves with runDueJobs.
	 */
	schedulerProcessEveryMs?: number | false;
	/**
	 * Whether stop() and restart() unlock the scheduler jobs this host holds. Off by default: a
	 * Rocket.Chat instance that stops or crashes leaves its locks for their 10-minute lifetime
	 * (host/server/scheduler/job-runner.ts). Only a tool that runs one host alone (the terminal session,
	 * the web page) turns it on, so its own restart does not hold its jobs back.
	 */
	releaseJobLocksOnStop?: boolean;
	/**
	 * Fault injection: registering the app's slash commands throws (host/bridges/command.ts), so
	 * AppManager.initializeApp fails here and the engine purges the app's jobs for the whole
	 * cluster (cancelAllJobs). Needs an app with a slash command.
	 */
	failAppInitialize?: boolean;
}

/** How runSlashCommand sends the command. */
export interface ISlashCommandOptions {
	threadId?: string;
	/**
	 * By default the member's client issues a triggerId. `false` runs the command with none, as
	 * REST `commands.run` may; a string is sent as is (one the client never issued).
	 */
	triggerId?: false | string;
}

/** What the app did in answer to a command or message. */
export interface IActionResult {
	/** Ephemeral messages the acting user received meanwhile. */
	notifications: INotification[];
	/** Messages appended meanwhile to the room the action happened in. */
	messages: ITimelineMessage[];
	/** The modal the acting user has open afterwards. */
	view?: IOpenView;
	/** The contextual bar the acting user has open afterwards (Rocket.Chat shows it beside a modal). */
	contextualBar?: IOpenView;
	/** Toasts the acting user's client showed meanwhile (an answer past the deadline). */
	toasts: IToast[];
	/** What the acting user's client dropped meanwhile (e.g. a view without a valid triggerId). */
	refused: IRefusedInteraction[];
}

/** The app's answer to a modal submit. */
export interface IViewSubmitResult extends IActionResult {
	/** False when the app answered inline errors (the modal stays open). */
	accepted: boolean;
	/** Inline errors by action id. */
	errors: Record<string, string>;
	/** The raw response of executeViewSubmitHandler. */
	response: unknown;
	/** The answer came after the client's deadline: the form closed with a timeout toast. */
	timedOut: boolean;
}

/**
 * Where a member clicks or changes an element: the modal or the contextual bar they have open,
 * or a message (a room message or one of their ephemeral messages) by id.
 */
export type BlockActionTarget = 'modal' | 'contextual_bar' | { messageId: string };

/** How a block action is sent. */
export interface IBlockActionOptions {
	/**
	 * The room the member's client shows (a contextual bar's block action carries its id); by
	 * default the room of the member's last command or message.
	 */
	roomName?: string;
}

/** What the member sees after a block action, and the app's answer. */
export interface IBlockActionResult extends IActionResult {
	/** The raw answer of executeBlockActionHandler. */
	response: unknown;
	/** The answer came after the client's deadline: a timeout toast, the answer's view dropped. */
	timedOut: boolean;
	/**
	 * The app's handler failed (the server answers 500): Rocket.Chat's client swallows it and
	 * shows nothing, so this is all that tells.
	 */
	error?: string;
}
