import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';

import { splitCommandArguments } from './command-arguments';
import type { Directory, ITimelineMessage } from './directory';
import type { Engine } from './engine';
import type { IActionResult, ISlashCommandOptions, IViewSubmitResult } from './local-host-types';
import type { MemberMessages } from './member-messages';
import type { IOpenView, SessionState } from './session-state';
import type { IInteractionOutcome } from './uikit-client';
import type { ViewState } from './view-fields';
import { interact, submitVerdict, type ViewAction } from './view-interaction';

/** What member actions need of the host around them. */
export interface IMemberActionsContext {
	directory: Directory;
	session: SessionState;
	messages: MemberMessages;
	/** How long an action waits for the app to be idle afterwards. */
	settleTimeoutMs: number;
	/** A message was stored: the server runs the post-save listeners without awaiting them. */
	messageStored(engine: Engine, message: IMessage): void;
}

/**
 * What a member does through their client (a slash command, a message, a view submit or close),
 * each run on the engine and observed until the app is idle: what the app answered meanwhile.
 */
export class MemberActions {
	constructor(private readonly context: IMemberActionsContext) {}

	/** Runs `/command args` typed by a member in a room (see LocalHost.runSlashCommand). */
	public async slashCommand(
		engine: Engine,
		username: string,
		roomName: string,
		text: string,
		options: ISlashCommandOptions,
	): Promise<IActionResult> {
		const { directory, session } = this.context;
		const user = directory.requireUser(username);
		const room = directory.requireRoom(roomName);
		const trimmed = text.trim().replace(/^\//, '');
		const [command = ''] = trimmed.split(/\s+/, 1);
		const registered = engine.bridges.command.commands;
		const entry = registered.get(command.toLowerCase());
		if (!entry) {
			throw new Error(
				`No slash command /${command}; registered: ${[...registered.keys()].map((name) => `/${name}`).join(', ') || 'none'}`,
			);
		}
		const params = splitCommandArguments(trimmed.slice(command.length));
		// Issued before anything is awaited, so a test's clock.advance() right after the call counts.
		const triggerId =
			options.triggerId === undefined
				? session.client.issueTriggerId(username, entry.appId)
				: options.triggerId || undefined;
		const context = new SlashCommandContext(
			Object.freeze(user),
			Object.freeze(room),
			Object.freeze(params) as string[],
			options.threadId,
			triggerId,
		);
		return this.observe(engine, username, room.id, () =>
			engine.commands.executeCommand(command, context),
		);
	}

	/** Submits a view with a raw `view.state`, as the member's client does. */
	public async submitView(
		engine: Engine,
		username: string,
		open: IOpenView,
		state: ViewState,
	): Promise<IViewSubmitResult> {
		const { observed, outcome } = await this.viewAction(engine, username, open, {
			kind: 'submit',
			state,
		});
		return {
			...observed,
			view: this.context.session.openView(username),
			...submitVerdict(outcome.answer),
			response: outcome.answer,
			timedOut: outcome.timedOut,
		};
	}

	/** Closes a view (the X button) and resolves with the app's answer. */
	public async closeView(engine: Engine, username: string, open: IOpenView): Promise<unknown> {
		const { outcome } = await this.viewAction(engine, username, open, { kind: 'close' });
		return outcome.answer;
	}

	/** Sends a member's message through the server's flow; resolves once the app handled it. */
	public async sendMessage(
		engine: Engine,
		username: string,
		roomName: string,
		text: string,
	): Promise<ITimelineMessage | undefined> {
		const { directory, messages } = this.context;
		const sender = directory.requireUser(username);
		const room = directory.requireRoom(roomName);
		let stored: IMessage | undefined;
		await this.observe(engine, username, room.id, async () => {
			stored = await messages.send(engine.listeners, {
				room,
				sender,
				text,
				createdAt: new Date(),
			});
			if (stored) {
				this.context.messageStored(engine, stored);
			}
		});
		return stored
			? directory.timeline(room.id).find((entry) => entry.id === stored?.id)
			: undefined;
	}

	/** Runs an action, waits until the app is idle and reports what it produced. */
	public async observe(
		engine: Engine,
		username: string | undefined,
		roomId: string | undefined,
		action: () => Promise<unknown>,
	): Promise<IActionResult> {
		const { directory, session } = this.context;
		const { client } = session;
		const notificationsBefore = username ? session.notifications(username).length : 0;
		const messagesBefore = roomId ? directory.timeline(roomId).length : 0;
		const toastsBefore = username ? client.toasts(username).length : 0;
		const refusedBefore = username ? client.refusedInteractions(username).length : 0;
		await action();
		await engine.whenIdle(this.context.settleTimeoutMs);
		return {
			notifications: username ? session.notifications(username).slice(notificationsBefore) : [],
			messages: roomId ? directory.timeline(roomId).slice(messagesBefore) : [],
			view: username ? session.openView(username) : undefined,
			toasts: username ? client.toasts(username).slice(toastsBefore) : [],
			refused: username ? client.refusedInteractions(username).slice(refusedBefore) : [],
		};
	}

	/** A member's submit or close of a view, sent as the client does, observed until the app is idle. */
	private async viewAction(
		engine: Engine,
		username: string,
		open: IOpenView,
		action: ViewAction,
	): Promise<{ observed: IActionResult; outcome: IInteractionOutcome<unknown> }> {
		const user = this.context.directory.requireUser(username);
		let outcome: IInteractionOutcome<unknown> = { timedOut: false, answer: undefined };
		const observed = await this.observe(engine, username, undefined, async () => {
			outcome = await interact(
				this.context.session,
				(interaction) =>
					engine.listeners.executeListener(AppInterface.IUIKitInteractionHandler, interaction),
				username,
				user,
				open,
				action,
			);
		});
		return { observed, outcome };
	}
}
