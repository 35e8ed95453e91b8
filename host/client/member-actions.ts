import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';

import type { IOpenView, SessionState } from './session-state';
import type { IInteractionOutcome } from './uikit-client';
import { findElement, type ViewState } from './view-fields';
import {
	type IBlockAction,
	type IBlockActionSource,
	interact,
	type MemberInteraction,
	submitVerdict,
} from './view-interaction';
import type { Engine } from '../drivers/engine';
import type {
	BlockActionTarget,
	IActionResult,
	IBlockActionOptions,
	IBlockActionResult,
	ISlashCommandOptions,
	IViewSubmitResult,
} from '../drivers/local-host-types';
import { splitCommandArguments } from '../server/command-arguments';
import type { Directory, ITimelineMessage } from '../server/directory';
import type { MemberMessages } from '../server/member-messages';

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
		// The member's client is in this room now (a contextual bar's actions carry its id).
		session.enterRoom(username, room.id);
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
		const { observed, outcome } = await this.viewAction(engine, username, {
			kind: 'submit',
			open,
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

	/**
	 * Closes a view and resolves with the app's answer: a modal's X or Cancel (`isCleared`
	 * false), a contextual bar's X (`isCleared` true, UiKitContextualBar's handleClose).
	 */
	public async closeView(
		engine: Engine,
		username: string,
		open: IOpenView,
		isCleared = false,
	): Promise<unknown> {
		const { outcome } = await this.viewAction(engine, username, { kind: 'close', open, isCleared });
		return outcome.answer;
	}

	/**
	 * A member clicks a button or changes a select in their open modal, their open contextual
	 * bar, or a message they see (a room message or one of their ephemeral messages): the client
	 * sends a blockAction with a fresh triggerId (see view-interaction.ts for the payload) and
	 * applies the answer. Only an element that is there can be clicked; `blockActionOn` sends
	 * any ids, as a forged request can.
	 */
	public async blockAction(
		engine: Engine,
		username: string,
		target: BlockActionTarget,
		action: IBlockAction,
		options: IBlockActionOptions,
	): Promise<IBlockActionResult> {
		const source =
			typeof target === 'string'
				? this.viewSource(username, this.requireSurface(username, target), action, options)
				: this.messageSource(username, target.messageId, action);
		// What the app posts meanwhile in the room of a message or of a contextual bar is reported.
		const roomId = target === 'modal' ? undefined : source.room?.id;
		const modal = target === 'modal' ? this.context.session.openView(username) : undefined;
		const result = await this.sendBlockAction(engine, username, source, action, roomId);
		if (modal && this.context.session.client.kindOf(username) === 'mobile') {
			// ModalBlockView.action ends with changeState: the mobile app keeps every element's
			// value, a button's too, and sends it with the next submit (the web client keeps only
			// input fields' values: fuselage-ui-kit's useUiKitState hands other elements `action`).
			modal.values = {
				...modal.values,
				[action.actionId]: { blockId: action.blockId, value: action.value },
			};
		}
		return result;
	}

	/**
	 * Sends a blockAction for a given view, e.g. one opened through another instance of a
	 * cluster, or a view the member never had (a forged request): no check that the element is
	 * there, as the server makes none.
	 */
	public async blockActionOn(
		engine: Engine,
		username: string,
		open: IOpenView,
		action: IBlockAction,
		options: IBlockActionOptions,
	): Promise<IBlockActionResult> {
		return this.sendBlockAction(
			engine,
			username,
			this.sourceOfView(username, open, open.appId, options),
			action,
		);
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
		this.context.session.enterRoom(username, room.id);
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
			contextualBar: username ? session.openContextualBar(username) : undefined,
			toasts: username ? client.toasts(username).slice(toastsBefore) : [],
			refused: username ? client.refusedInteractions(username).slice(refusedBefore) : [],
		};
	}

	/**
	 * A member's interaction, sent as the client does, observed until the app is idle. With
	 * `keepFailure`, a failing handler is reported rather than thrown (the client of a block action
	 * shows nothing for it).
	 */
	private async viewAction(
		engine: Engine,
		username: string,
		interaction: MemberInteraction,
		options: { roomId?: string; keepFailure?: boolean } = {},
	): Promise<{
		observed: IActionResult;
		outcome: IInteractionOutcome<unknown>;
		failure?: string;
	}> {
		const user = this.context.directory.requireUser(username);
		let outcome: IInteractionOutcome<unknown> = { timedOut: false, answer: undefined };
		let failure: string | undefined;
		const observed = await this.observe(engine, username, options.roomId, async () => {
			try {
				outcome = await interact(
					this.context.session,
					(incoming) =>
						engine.listeners.executeListener(AppInterface.IUIKitInteractionHandler, incoming),
					username,
					user,
					interaction,
				);
			} catch (error) {
				if (!options.keepFailure) {
					throw error;
				}
				// The server answers 500; ActionManager.runWithTimeout swallows anything but a timeout.
				failure = error instanceof Error ? error.message : String(error);
			}
		});
		return { observed, outcome, ...(failure !== undefined ? { failure } : {}) };
	}

	/** Sends a block action; a failing handler is reported, as the client shows nothing for it. */
	private async sendBlockAction(
		engine: Engine,
		username: string,
		source: IBlockActionSource,
		action: IBlockAction,
		roomId?: string,
	): Promise<IBlockActionResult> {
		const { observed, outcome, failure } = await this.viewAction(
			engine,
			username,
			{ kind: 'block', source, action },
			{ roomId, keepFailure: true },
		);
		return {
			...observed,
			response: outcome.answer,
			timedOut: outcome.timedOut,
			...(failure !== undefined ? { error: failure } : {}),
		};
	}

	private requireSurface(username: string, surface: 'modal' | 'contextual_bar'): IOpenView {
		const { session } = this.context;
		const open =
			surface === 'modal' ? session.openView(username) : session.openContextualBar(username);
		if (!open) {
			throw new Error(
				`${username} has no open ${surface === 'modal' ? 'modal' : 'contextual bar'}`,
			);
		}
		return open;
	}

	/** A click in a view the member has open: the element must be there. */
	private viewSource(
		username: string,
		open: IOpenView,
		action: IBlockAction,
		options: IBlockActionOptions,
	): IBlockActionSource {
		const element = findElement(open.view.blocks, action);
		if (!element) {
			throw new Error(
				`${username}'s ${open.surface === 'modal' ? 'modal' : 'contextual bar'} ${open.viewId} has no element ${action.blockId}/${action.actionId}`,
			);
		}
		// fuselage-ui-kit's useUiKitState: `appId || appIdFromContext` (the view's app).
		return this.sourceOfView(username, open, element.appId ?? open.appId, options);
	}

	/**
	 * The container and room of a view's block action. A contextual bar sends the room its
	 * client shows; a modal sends no `rid`, and the server's `rooms.convertById(undefined)`
	 * finds any room (RocketChat/Rocket.Chat.Apps-engine#788 reports the general room): here the
	 * workspace's first room, so an app must never take the room of a modal's action.
	 */
	private sourceOfView(
		username: string,
		open: IOpenView,
		appId: string,
		options: IBlockActionOptions,
	): IBlockActionSource {
		const { directory, session } = this.context;
		let room;
		if (open.surface === 'contextual_bar') {
			const current = session.currentRoom(username);
			room = options.roomName
				? directory.requireRoom(options.roomName)
				: current && directory.roomById(current.id);
		}
		return {
			appId,
			container: { type: 'view', id: open.viewId },
			room: room ?? directory.allRooms()[0],
		};
	}

	/**
	 * A click in a message the member sees: a stored message of a room they can read, or one of
	 * their ephemeral messages (never stored, so the server's `messages.convertById(mid)` finds
	 * nothing and the app gets no `message`). The app id comes from the element or its block
	 * (`appId`), as fuselage-ui-kit reads it: a stored message's blocks get it from the engine
	 * (UIHelper.assignIds in the runtime's ModifyCreator), an ephemeral message's only from the app.
	 */
	private messageSource(
		username: string,
		messageId: string,
		action: IBlockAction,
	): IBlockActionSource {
		const { directory, session } = this.context;
		const stored = directory.messageById(messageId);
		const notification = stored ? undefined : session.notification(username, messageId);
		if (!stored && !notification) {
			throw new Error(`${username} sees no message ${messageId}`);
		}
		const roomId = stored ? stored.room.id : notification?.roomId;
		const room = roomId ? directory.roomById(roomId) : undefined;
		if (stored && !this.canRead(username, stored.room.id)) {
			throw new Error(`${username} cannot read the room of message ${messageId}`);
		}
		const blocks = stored ? stored.blocks : notification?.blocks;
		const element = findElement(blocks, action);
		if (!element) {
			throw new Error(`message ${messageId} has no element ${action.blockId}/${action.actionId}`);
		}
		if (!element.appId) {
			throw new Error(
				`the element ${action.blockId}/${action.actionId} of message ${messageId} has no appId: Rocket.Chat's client would post it to /api/apps/ui.interaction/undefined and no app would hear of it (notifyUser does not add one: give each block its appId)`,
			);
		}
		return {
			appId: element.appId,
			container: { type: 'message', id: messageId },
			room,
			message: stored,
		};
	}

	/** Whether a member sees a room's messages: a member of it, or any public channel. */
	private canRead(username: string, roomId: string): boolean {
		const { directory } = this.context;
		const room = directory.roomById(roomId);
		const user = directory.requireUser(username);
		return Boolean(
			room && ((room.userIds ?? []).includes(user.id) || room.type === RoomType.CHANNEL),
		);
	}
}
