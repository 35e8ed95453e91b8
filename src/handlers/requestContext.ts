// What one request works with, built in one place for each kind of entry point the platform
// calls: a command, a view's submit or close, a block action, a scheduled job, an event. A
// handler gets its request whole and asks it for what it needs; the settings, the translator and
// the stores are read or built on first use, once, so a request that needs none pays for none.

import type {
	ILogger,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import type {
	IUIKitSurface,
	UIKitBlockInteractionContext,
	UIKitViewCloseInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import type { UIKitInteractionResponder } from '@rocket.chat/apps-engine/definition/uikit/UIKitInteractionResponder';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { LayoutBlock } from '@rocket.chat/ui-kit';

import { AppPoster } from './AppPoster';
import { languageForMember } from './language';
import { isFeedbackAdmin } from '../domain/settings';
import type { IFeedbackSettings } from '../domain/settings';
import { translatorFor } from '../i18n/translate';
import type { Translator } from '../i18n/translate';
import { storesFor } from '../persistence/stores';
import type { IFeedbackStores } from '../persistence/stores';
import { readSettings } from '../settings/settings';

/** What every request works with: its accessors, its stores and its logger. */
export interface IRequest {
	readonly read: IRead;
	readonly persistence: IPersistence;
	/** This request's logger: the runtime keeps only its lines (logging.ts). */
	readonly logger: ILogger;
	/** The stores over this request's persistence reader, built on first use. */
	readonly stores: IFeedbackStores;
	/** The app's settings (the form, the admin roles, announcements), read once on first use. */
	settings(): Promise<IFeedbackSettings>;
}

/** A request that may act beyond the app's store: post, open views, create rooms, schedule. */
export interface IModifyingRequest extends IRequest {
	readonly modify: IModify;
	/** Everything the app posts or tells goes through it, as the app's user. */
	readonly poster: AppPoster;
}

/** A scheduled job's run. */
export type IJobRequest = IModifyingRequest;

/** What a member did, answered in their language. */
export interface IMemberRequest extends IModifyingRequest {
	readonly user: IUser;
	/** The member's language (language.ts), read once on first use. */
	translator(): Promise<Translator>;
	/** Whether the member holds an admin role the settings name (reads the settings). */
	isAdmin(): Promise<boolean>;
}

/** A run of `/feedback`. */
export interface ICommandRequest extends IMemberRequest {
	/** The member's language: every run answers in it, so it is read before the run starts. */
	readonly t: Translator;
	readonly room: IRoom;
	readonly threadId?: string;
	/** Absent when the command did not come from a client (REST commands.run): no view can open. */
	readonly triggerId?: string;
	readonly args: ReadonlyArray<string>;
	/** Tells the member privately, where the command ran. */
	reply(text: string, blocks?: Array<LayoutBlock>): Promise<void>;
}

/** A submit or a close of one of the app's views. */
export interface IViewRequest extends IMemberRequest {
	readonly appId: string;
	readonly view: IUIKitSurface;
	readonly responder: UIKitInteractionResponder;
}

/** A submit of a view: what closeModal.ts needs besides the view. */
export interface IViewSubmitRequest extends IViewRequest {
	readonly triggerId: string;
}

/** A button or select of one of the app's views or messages. */
export interface IBlockActionRequest extends IMemberRequest {
	readonly actionId: string;
	readonly value: unknown;
	/** The room of the message or view it came from, when there is one. */
	readonly room?: IRoom;
	/**
	 * The stored message it came from, as the server read it by the id the client sent
	 * (ee/server/apps/communication/uikit.ts `messages.convertById(mid)`): absent for a view or
	 * an ephemeral message. Its content is the server's, only which message is the member's choice.
	 */
	readonly message?: IMessage;
	/** The click's own id: a click delivered twice carries the same one. */
	readonly triggerId: string;
	readonly responder: UIKitInteractionResponder;
}

/** Returns a reader that reads once, on first use; a failed read fails every use of it. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
	let value: Promise<T> | undefined;
	return () => {
		value ??= read();
		return value;
	};
}

class Request implements IRequest {
	private builtStores: IFeedbackStores | undefined;

	public readonly settings = once(() => readSettings(this.read));

	constructor(
		public readonly read: IRead,
		public readonly persistence: IPersistence,
		public readonly logger: ILogger,
	) {}

	public get stores(): IFeedbackStores {
		this.builtStores ??= storesFor(this.read.getPersistenceReader(), this.logger);
		return this.builtStores;
	}
}

class ModifyingRequest extends Request implements IModifyingRequest {
	private builtPoster: AppPoster | undefined;

	constructor(
		read: IRead,
		public readonly modify: IModify,
		persistence: IPersistence,
		logger: ILogger,
	) {
		super(read, persistence, logger);
	}

	public get poster(): AppPoster {
		this.builtPoster ??= new AppPoster(this.read, this.modify, this.logger);
		return this.builtPoster;
	}
}

class MemberRequest extends ModifyingRequest implements IMemberRequest {
	public readonly translator = once(
		async () =>
			this.knownTranslator ??
			translatorFor(await languageForMember(this.read, this.user, this.logger)),
	);

	public readonly isAdmin = async (): Promise<boolean> =>
		isFeedbackAdmin(this.user.roles, await this.settings());

	constructor(
		public readonly user: IUser,
		read: IRead,
		modify: IModify,
		persistence: IPersistence,
		logger: ILogger,
		private readonly knownTranslator?: Translator,
	) {
		super(read, modify, persistence, logger);
	}
}

/** Builds the request of an event (a message sent): no member, nothing to post. */
export function eventRequest(read: IRead, persistence: IPersistence, logger: ILogger): IRequest {
	return new Request(read, persistence, logger);
}

/** Builds the request of a scheduled job's run. */
export function jobRequest(
	read: IRead,
	modify: IModify,
	persistence: IPersistence,
	logger: ILogger,
): IJobRequest {
	return new ModifyingRequest(read, modify, persistence, logger);
}

class CommandRequest extends MemberRequest implements ICommandRequest {
	public readonly room: IRoom;

	public readonly threadId?: string;

	public readonly triggerId?: string;

	public readonly args: ReadonlyArray<string>;

	constructor(
		context: SlashCommandContext,
		public readonly t: Translator,
		read: IRead,
		modify: IModify,
		persistence: IPersistence,
		logger: ILogger,
	) {
		super(context.getSender(), read, modify, persistence, logger, t);
		this.room = context.getRoom();
		this.threadId = context.getThreadId();
		this.triggerId = context.getTriggerId();
		this.args = context.getArguments();
	}

	public readonly reply = (text: string, blocks?: Array<LayoutBlock>): Promise<void> =>
		this.poster.replyPrivately(this.user, this.room, text, { threadId: this.threadId, blocks });
}

/** Builds the request of a run of `/feedback`, with the member's translator. */
export async function commandRequest(
	context: SlashCommandContext,
	read: IRead,
	modify: IModify,
	persistence: IPersistence,
	logger: ILogger,
): Promise<ICommandRequest> {
	const t = translatorFor(await languageForMember(read, context.getSender(), logger));
	return new CommandRequest(context, t, read, modify, persistence, logger);
}

class ViewRequest extends MemberRequest implements IViewSubmitRequest {
	public readonly appId: string;

	public readonly view: IUIKitSurface;

	/** A close carries none; only a submit's is read (closeModal.ts). */
	public readonly triggerId: string;

	public readonly responder: UIKitInteractionResponder;

	constructor(
		context: UIKitViewSubmitInteractionContext | UIKitViewCloseInteractionContext,
		read: IRead,
		modify: IModify,
		persistence: IPersistence,
		logger: ILogger,
	) {
		const { appId, user, view, triggerId } = context.getInteractionData();
		super(user, read, modify, persistence, logger);
		this.appId = appId;
		this.view = view;
		this.triggerId = triggerId ?? '';
		this.responder = context.getInteractionResponder();
	}
}

/** Builds the request of a submit of one of the app's views. */
export function viewSubmitRequest(
	context: UIKitViewSubmitInteractionContext,
	read: IRead,
	modify: IModify,
	persistence: IPersistence,
	logger: ILogger,
): IViewSubmitRequest {
	return new ViewRequest(context, read, modify, persistence, logger);
}

/** Builds the request of a close of one of the app's views. */
export function viewCloseRequest(
	context: UIKitViewCloseInteractionContext,
	read: IRead,
	modify: IModify,
	persistence: IPersistence,
	logger: ILogger,
): IViewRequest {
	return new ViewRequest(context, read, modify, persistence, logger);
}

class BlockActionRequest extends MemberRequest implements IBlockActionRequest {
	public readonly actionId: string;

	public readonly value: unknown;

	public readonly room?: IRoom;

	public readonly message?: IMessage;

	public readonly triggerId: string;

	public readonly responder: UIKitInteractionResponder;

	constructor(
		context: UIKitBlockInteractionContext,
		read: IRead,
		modify: IModify,
		persistence: IPersistence,
		logger: ILogger,
	) {
		const { actionId, value, user, room, message, triggerId } = context.getInteractionData();
		super(user, read, modify, persistence, logger);
		this.actionId = actionId;
		this.value = value;
		this.room = room;
		this.message = message;
		this.triggerId = triggerId ?? '';
		this.responder = context.getInteractionResponder();
	}
}

/** Builds the request of a button or select. */
export function blockActionRequest(
	context: UIKitBlockInteractionContext,
	read: IRead,
	modify: IModify,
	persistence: IPersistence,
	logger: ILogger,
): IBlockActionRequest {
	return new BlockActionRequest(context, read, modify, persistence, logger);
}
