import { randomId } from '../random-id';

// The UIKit side of Rocket.Chat's web client, as apps/meteor/client/lib/ActionManager.ts does it
// (RocketChat/Rocket.Chat, develop): every member action (slash command, view submit, view close)
// gets a triggerId from `generateTriggerId`, which forgets it after TRIGGER_TIMEOUT (5 s);
// `handleServerInteraction` shows a view the server sends (a pushed `<uid>/uiInteraction`, see
// apps/meteor/client/hooks/useAppUiKitInteraction.ts, or the answer to an interaction) only when
// its triggerId is still in that map, and removes it on first use; `runWithTimeout` gives an
// interaction's answer the same 5 s, else toasts `UIKit_Interaction_Timeout` and disposes the view.
// REST `commands.run` (apps/meteor/client/lib/chats/flows/processSlashCommand.ts is the client
// path) may carry no triggerId at all.
//
// A member may use Rocket.Chat's mobile app instead (RocketChat/Rocket.Chat.ReactNative 4.71.2,
// app/lib/methods/actions.ts): `generateTriggerId` sets no timer, so a slash command's triggerId
// (app/containers/MessageComposer/MessageComposer.tsx) lives until it is used; `triggerAction`
// invalidates its own triggerId in `finally`, once the answer is handled; nothing has a deadline
// and nothing toasts. What it shows is in session-state.ts and view-interaction.ts.

/** Rocket.Chat's `ActionManager.TRIGGER_TIMEOUT`: a triggerId's life, and an answer's deadline. */
export const TRIGGER_TIMEOUT_MS = 5000;

/** The toast the web client shows when an interaction's answer is late (i18n `UIKit_Interaction_Timeout`). */
export const UIKIT_INTERACTION_TIMEOUT = {
	i18nKey: 'UIKit_Interaction_Timeout',
	text: 'App has failed to respond. Please try again or contact your admin',
} as const;

/** The time the client imitation reads: tests pass a ManualClock so no outcome depends on machine speed. */
export interface IClock {
	/** Milliseconds since the epoch. */
	now(): number;
	/** Calls back once, `delayMs` from now; returns a function that cancels it. */
	setTimer(callback: () => void, delayMs: number): () => void;
}

/** The machine's clock. */
export const systemClock: IClock = {
	now: () => Date.now(),
	setTimer(callback, delayMs) {
		const timer = setTimeout(callback, delayMs);
		// A trigger's expiry must not keep a finished process alive.
		timer.unref();
		return () => clearTimeout(timer);
	},
};

/** A clock that moves only when told: timers fire inside `advance`, in time order. */
export class ManualClock implements IClock {
	private current: number;

	private sequence = 0;

	private readonly timers = new Map<number, { at: number; callback: () => void }>();

	constructor(start = Date.now()) {
		this.current = start;
	}

	public now(): number {
		return this.current;
	}

	public setTimer(callback: () => void, delayMs: number): () => void {
		const id = this.sequence++;
		this.timers.set(id, { at: this.current + Math.max(0, delayMs), callback });
		return () => {
			this.timers.delete(id);
		};
	}

	/** Moves time forward, firing every timer that falls due (earliest first, then in order set). */
	public advance(milliseconds: number): void {
		if (!Number.isFinite(milliseconds) || milliseconds < 0) {
			throw new Error(`A clock moves forward only (got ${milliseconds} ms)`);
		}
		const target = this.current + milliseconds;
		for (;;) {
			let next: [number, { at: number; callback: () => void }] | undefined;
			for (const entry of this.timers) {
				if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) {
					next = entry;
				}
			}
			if (!next) {
				break;
			}
			this.timers.delete(next[0]);
			this.current = next[1].at;
			next[1].callback();
		}
		this.current = target;
	}
}

/** Which Rocket.Chat client a member uses: the web client, or the mobile app (React Native). */
export type ClientKind = 'web' | 'mobile';

/** Every client kind, for a switch or a command that names one. */
export const CLIENT_KINDS: readonly ClientKind[] = ['web', 'mobile'];

/** Why the client did not show what the app sent. */
export type RefusalReason =
	| 'no-trigger'
	| 'unknown-trigger'
	| 'expired-trigger'
	| 'used-trigger'
	| 'answered-trigger'
	| 'unsupported-type'
	| 'unknown-answer';

const REFUSAL_TEXT: Record<RefusalReason, string> = {
	'no-trigger': 'it carries no triggerId',
	'unknown-trigger': "this member's client never issued its triggerId",
	'expired-trigger': 'its triggerId is older than the client keeps one',
	'used-trigger': 'its triggerId was already used by an earlier interaction',
	'answered-trigger': 'its triggerId was given up when the answer to the action came',
	'unsupported-type': 'the mobile app shows only modals (modal.open, modal.update, errors)',
	'unknown-answer':
		'the mobile app takes no answer but modal.open, modal.update, modal.close or errors',
};

/** A view (or other interaction) the app sent that the member's client dropped. */
export interface IRefusedInteraction {
	username: string;
	/** The interaction type, e.g. `modal.open`. */
	type: string;
	appId: string;
	triggerId: string;
	viewId?: string;
	reason: RefusalReason;
	/** The reason in words, e.g. for the terminal host. */
	explanation: string;
	at: Date;
}

/** A toast the client showed a member. */
export interface IToast {
	id: number;
	type: 'error';
	i18nKey: string;
	message: string;
	/** The view the late interaction belonged to. */
	viewId?: string;
	at: Date;
}

/** What the app sent to a member's client, as far as the trigger check needs it. */
export interface IServerInteraction {
	type: string;
	triggerId?: unknown;
	appId: string;
	viewId?: string;
}

/** What a member's interaction (submit, close) came to. */
export interface IInteractionOutcome<T> {
	/** The answer came after the deadline: the view was closed with a timeout toast. */
	timedOut: boolean;
	answer: T;
}

/** How a member's client is imitated. */
export interface IUiKitClientOptions {
	clock?: IClock;
	/** TRIGGER_TIMEOUT_MS unless a test wants a shorter one. */
	timeoutMs?: number;
}

interface IIssuedTrigger {
	username: string;
	appId: string | undefined;
	state: 'live' | 'used' | 'expired' | 'answered';
}

/** Keeps this many issued triggerIds for the refusal reasons; older ones are "unknown". */
const REMEMBERED_TRIGGERS = 10_000;

/**
 * The web clients of a host's members: the triggerIds each one issued, the interactions it
 * dropped, its toasts, and the deadline on answers.
 */
export class UiKitClient {
	public readonly clock: IClock;

	public readonly timeoutMs: number;

	private readonly triggers = new Map<string, IIssuedTrigger>();

	private readonly kinds = new Map<string, ClientKind>();

	private readonly refused: IRefusedInteraction[] = [];

	private readonly toastsByUser = new Map<string, IToast[]>();

	private readonly listeners = new Set<() => void>();

	private readonly failedDeliveries: Error[] = [];

	private toastSequence = 0;

	private inFlight = 0;

	private held: { gate: Promise<void>; waiting: number; release: () => void } | undefined;

	constructor(options: IUiKitClientOptions = {}) {
		this.clock = options.clock ?? systemClock;
		this.timeoutMs = options.timeoutMs ?? TRIGGER_TIMEOUT_MS;
		if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) {
			throw new Error(`The UIKit timeout must be a positive number of ms, got ${this.timeoutMs}`);
		}
	}

	/** The client a member uses (web unless set). */
	public kindOf(username: string): ClientKind {
		return this.kinds.get(username) ?? 'web';
	}

	/** Makes a member use the web client or the mobile app from their next action on. */
	public setKind(username: string, kind: ClientKind): void {
		if (!CLIENT_KINDS.includes(kind)) {
			throw new Error(`A client is one of ${CLIENT_KINDS.join(', ')}, got ${String(kind)}`);
		}
		this.kinds.set(username, kind);
		this.changed();
	}

	/**
	 * Issues a triggerId for a member's action, for one use (`generateTriggerId`): the web client
	 * forgets it after timeoutMs (ActionManager's setTimeout), the mobile app sets no timer.
	 */
	public issueTriggerId(username: string, appId: string | undefined): string {
		const triggerId = randomId();
		const trigger: IIssuedTrigger = { username, appId, state: 'live' };
		this.triggers.set(triggerId, trigger);
		if (this.triggers.size > REMEMBERED_TRIGGERS) {
			const [oldest] = this.triggers.keys();
			this.triggers.delete(oldest);
		}
		if (this.kindOf(username) === 'web') {
			this.clock.setTimer(() => {
				if (trigger.state === 'live') {
					trigger.state = 'expired';
				}
			}, this.timeoutMs);
		}
		return triggerId;
	}

	/**
	 * Whether the member's client takes what the app sent (`handleServerInteraction`): its
	 * triggerId must be live, issued by this member's client for an app; it is used up.
	 * A refusal is recorded with its reason, unless `quiet` (nothing would have been shown).
	 */
	public accept(
		username: string,
		interaction: IServerInteraction,
		options: { quiet?: boolean } = {},
	): boolean {
		const triggerId = typeof interaction.triggerId === 'string' ? interaction.triggerId : '';
		const trigger = triggerId ? this.triggers.get(triggerId) : undefined;
		let reason: RefusalReason | undefined;
		if (!triggerId) {
			reason = 'no-trigger';
		} else if (trigger?.username !== username || !trigger.appId) {
			reason = 'unknown-trigger';
		} else if (trigger.state === 'expired') {
			reason = 'expired-trigger';
		} else if (trigger.state === 'used') {
			reason = 'used-trigger';
		} else if (trigger.state === 'answered') {
			reason = 'answered-trigger';
		}
		if (!reason) {
			(trigger as IIssuedTrigger).state = 'used';
			return true;
		}
		if (!options.quiet) {
			this.drop(username, interaction, reason);
		}
		return false;
	}

	/** Records something the member's client took in but did not show, with the reason. */
	public drop(username: string, interaction: IServerInteraction, reason: RefusalReason): void {
		const triggerId = typeof interaction.triggerId === 'string' ? interaction.triggerId : '';
		this.refused.push({
			username,
			type: interaction.type,
			appId: interaction.appId,
			triggerId,
			...(interaction.viewId ? { viewId: interaction.viewId } : {}),
			reason,
			explanation: `${username}'s client dropped ${interaction.type}: ${REFUSAL_TEXT[reason]}`,
			at: new Date(this.clock.now()),
		});
		this.changed();
	}

	/**
	 * Runs a member's interaction as `emitInteraction` does: issues its triggerId, sends it, and
	 * gives the answer timeoutMs. A late answer makes `onTimeout` run (close the view) and toasts
	 * UIKIT_INTERACTION_TIMEOUT when the deadline passes; the answer is still handed to `handle`
	 * when it comes, where the expired triggerId makes the client drop any view in it. The mobile
	 * app (`triggerAction`) sets no deadline and gives the triggerId up once the answer is handled.
	 */
	public async emitInteraction<T>(
		username: string,
		details: { appId: string; viewId?: string; onTimeout: () => void },
		send: (triggerId: string) => Promise<T>,
		handle: (answer: T) => void,
	): Promise<IInteractionOutcome<T>> {
		const triggerId = this.issueTriggerId(username, details.appId);
		const mobile = this.kindOf(username) === 'mobile';
		let timedOut = false;
		let answered = false;
		this.inFlight++;
		const cancel = mobile
			? () => undefined
			: this.clock.setTimer(() => {
					if (answered) {
						return;
					}
					timedOut = true;
					details.onTimeout();
					this.toast(username, details.viewId);
				}, this.timeoutMs);
		try {
			const answer = await send(triggerId);
			await this.waitIfHeld();
			answered = true;
			handle(answer);
			return { timedOut, answer };
		} finally {
			answered = true;
			cancel();
			if (mobile) {
				this.giveUp(triggerId);
			}
			this.inFlight--;
		}
	}

	/**
	 * Delivers something the server sent to the member's client: at once, or when released if
	 * delivery is held (a slow network), so a test can move the clock in between.
	 */
	public deliver(apply: () => void): void {
		if (!this.held) {
			apply();
			return;
		}
		this.inFlight++;
		void this.waitIfHeld()
			.then(apply)
			.catch((error: unknown) => {
				// Nobody awaits a held push: keep its failure for deliveryErrors().
				this.failedDeliveries.push(error instanceof Error ? error : new Error(String(error)));
			})
			.finally(() => {
				this.inFlight--;
				this.changed();
			});
	}

	/** The mobile app's `finally { invalidateTriggerId(triggerId) }`: a later push is dropped. */
	private giveUp(triggerId: string): void {
		const trigger = this.triggers.get(triggerId);
		if (trigger?.state === 'live') {
			trigger.state = 'answered';
		}
	}

	/** Failures of pushes delivered after a hold (at once, they throw to the bridge instead). */
	public deliveryErrors(): Error[] {
		return [...this.failedDeliveries];
	}

	/** Holds every answer and push to members' clients until the returned function is called. */
	public holdDelivery(): () => void {
		if (!this.held) {
			let open!: () => void;
			const gate = new Promise<void>((resolve) => {
				open = resolve;
			});
			const held = {
				gate,
				waiting: 0,
				release: () => {
					if (this.held === held) {
						this.held = undefined;
					}
					open();
				},
			};
			this.held = held;
		}
		return this.held.release;
	}

	/** How many answers or pushes wait for a held delivery. */
	public heldDeliveries(): number {
		return this.held?.waiting ?? 0;
	}

	/** Interactions sent and not answered yet, plus pushes not delivered yet. */
	public pending(): number {
		return this.inFlight;
	}

	/** What members' clients dropped (one member's, or everyone's), oldest first. */
	public refusedInteractions(username?: string): IRefusedInteraction[] {
		return this.refused.filter((entry) => username === undefined || entry.username === username);
	}

	/** The toasts a member's client showed, oldest first. */
	public toasts(username: string): IToast[] {
		return [...(this.toastsByUser.get(username) ?? [])];
	}

	/** A stored message the clients show changed (an app's edit): they render it again. */
	public messageChanged(): void {
		this.changed();
	}

	/** Calls back whenever a client's state changes outside a request (a deadline, a late delivery). */
	public onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private toast(username: string, viewId: string | undefined): void {
		const list = this.toastsByUser.get(username) ?? [];
		list.push({
			id: ++this.toastSequence,
			type: 'error',
			i18nKey: UIKIT_INTERACTION_TIMEOUT.i18nKey,
			message: UIKIT_INTERACTION_TIMEOUT.text,
			...(viewId ? { viewId } : {}),
			at: new Date(this.clock.now()),
		});
		this.toastsByUser.set(username, list);
		this.changed();
	}

	private async waitIfHeld(): Promise<void> {
		const { held } = this;
		if (!held) {
			return;
		}
		held.waiting++;
		try {
			await held.gate;
		} finally {
			held.waiting--;
		}
	}

	private changed(): void {
		for (const listener of [...this.listeners]) {
			listener();
		}
	}
}
