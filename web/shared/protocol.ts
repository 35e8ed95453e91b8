// The JSON the try-it page's server and its browser code exchange (web/server.ts, web/client/).

/** A fixture member the page can act as. */
export interface IMemberDto {
	username: string;
	name: string;
	roles: string[];
	/** Holds the workspace admin role: sees the app's settings and stats. */
	isAdmin: boolean;
}

/** A room of the local workspace, as the sidebar lists it for a member. */
export interface IRoomDto {
	/** What addresses it in the API: a channel's name, a direct room's id (it has no name). */
	name: string;
	kind: 'channel' | 'direct';
	/** What the sidebar shows: the channel's name, or the other members' names. */
	label: string;
	/** A direct room's other members (for their avatars). */
	members?: string[];
}

/** The `rooms` event: the member's rooms, channels first, then their direct rooms. */
export interface IRoomsDto {
	rooms: IRoomDto[];
}

/** Which Rocket.Chat client the page imitates for a member (host/client/uikit-client.ts `ClientKind`). */
export type ClientKindDto = 'web' | 'mobile';

/** POST /api/client: the acting member's client from now on. */
export interface IClientRequestDto {
	kind: ClientKindDto;
}

/** GET/POST /api/session: who the page acts as, and who it could switch to. */
export interface ISessionDto {
	me: IMemberDto;
	/**
	 * The client the member uses: `web` follows Rocket.Chat's web client (modals, a contextual
	 * bar, the 5 s deadline), `mobile` its mobile app (modals only, no deadline).
	 */
	client: ClientKindDto;
	members: IMemberDto[];
	rooms: IRoomDto[];
	appName: string;
}

/** One line of a room's timeline as the acting member sees it. */
export interface ITimelineEntryDto {
	id: string;
	/** `ephemeral`: sent to this member only (notifyUser), never stored in the room. */
	kind: 'message' | 'ephemeral';
	sender: { username: string; name: string; isApp: boolean };
	text: string;
	createdAt: string;
	/** The message's UIKit blocks as the app sent them (buttons can be clicked). */
	blocks?: unknown[];
	/** The thread it belongs to. */
	threadId?: string;
	/** False when the message must never be grouped with the one before it. */
	groupable?: boolean;
	/** Files the message carries (an upload's file message), with where to download them. */
	files?: Array<{ name: string; url: string; size: number }>;
}

/** GET /api/rooms/:room/timeline and the `timeline` event. */
export interface ITimelineDto {
	room: string;
	entries: ITimelineEntryDto[];
}

/** A view the member has open (a modal, or a contextual bar), exactly as the app sent it. */
export interface IOpenViewDto {
	viewId: string;
	appId: string;
	surface: 'modal' | 'contextual_bar';
	/** The UIKit view (title, blocks, submit, close) as the app built it. */
	view: Record<string, unknown>;
	/** Inline errors the app answered, by action id. */
	errors: Record<string, string>;
	/**
	 * Grows each time the app answers errors (0: none yet): a page shows only errors that
	 * arrived while it was open, as Rocket.Chat's client keeps them in its memory only.
	 */
	errorsVersion: number;
}

/** GET /api/view and the `view` event: the modal and, beside the room, the contextual bar. */
export interface IViewEnvelopeDto {
	view: IOpenViewDto | null;
	contextualBar: IOpenViewDto | null;
}

/**
 * POST /api/block-actions: a click or a change on an element, as Rocket.Chat's client sends a
 * blockAction (LocalHost.blockAction): in the open modal or contextual bar (`view`, by view id)
 * or in a message the member sees (`message`, by message id).
 */
export interface IBlockActionRequestDto {
	container: { type: 'view' | 'message'; id: string };
	/** The room the page shows (a contextual bar's action carries it). */
	room?: string;
	blockId: string;
	actionId: string;
	value?: unknown;
}

/** What the member sees after a block action. */
export interface IBlockActionResultDto {
	view: IOpenViewDto | null;
	contextualBar: IOpenViewDto | null;
	/** The app answered after the client's deadline: a toast, its view dropped. */
	timedOut: boolean;
}

/** `view.state` as Rocket.Chat's client sends it: values by block id, then action id. */
export type ViewStateDto = Record<string, Record<string, unknown>>;

/** POST /api/views/:viewId/submit: the state reaches the app as sent (LocalHost.submitViewState). */
export interface ISubmitViewRequestDto {
	state: ViewStateDto;
}

/** The answer to a submit: accepted (the modal closes) or inline errors (it stays open). */
export interface ISubmitViewResultDto {
	accepted: boolean;
	errors: Record<string, string>;
	view: IOpenViewDto | null;
	contextualBar: IOpenViewDto | null;
	/** The app answered after the client's deadline: the modal closed with a timeout toast. */
	timedOut: boolean;
}

/** POST /api/rooms/:room/messages: a message, or a slash command when it starts with `/`. */
export interface ISendRequestDto {
	text: string;
}

export interface ISendResultDto {
	kind: 'message' | 'command';
	/** Ephemeral replies the member received meanwhile. */
	replies: ITimelineEntryDto[];
	view: IOpenViewDto | null;
	contextualBar: IOpenViewDto | null;
}

/** What the app actually uses for a setting's stored value, as its readSettings normalises it. */
export interface IEffectiveValueDto {
	/** The value in use, as text (e.g. `2000`, `General, Bug`, `#feedback`, `no announcements`). */
	value: string;
	/** True when the stored value is not used as typed (a default or a limit applies, a room is missing). */
	ignored?: boolean;
	/** Why, when it is ignored. */
	note?: string;
}

/** A setting as Administration shows it: an app setting, or a server setting (the language, custom fields). */
export interface ISettingDto {
	id: string;
	/** boolean, int, string, select or code. */
	type: string;
	value: unknown;
	packageValue: unknown;
	required: boolean;
	label: string;
	description: string;
	values?: Array<{ key: string; label: string }>;
	/** App settings only: what the app will use, and why when it differs. */
	inEffect?: IEffectiveValueDto;
}

/** GET /api/settings and the `settings` event (admins): the app's settings and the server's. */
export interface ISettingsDto {
	settings: ISettingDto[];
	serverSettings: ISettingDto[];
}

/** PUT /api/settings/:id and PUT /api/server-settings/:id. */
export interface IUpdateSettingRequestDto {
	value: unknown;
}

/** The answer to a setting change: the setting as stored now (with what the app uses of it). */
export interface IUpdateSettingResultDto {
	setting: ISettingDto;
}

/** A toast the member's client shows, e.g. UIKit_Interaction_Timeout when the app answered late. */
export interface IToastDto {
	id: number;
	type: 'error';
	message: string;
	at: string;
}

/** The `toasts` event: every toast the member's client showed, oldest first. */
export interface IToastsDto {
	toasts: IToastDto[];
}

/** GET /api/stats: the app's own answer to `/feedback stats`, run as the admin. */
export interface IStatsDto {
	text: string;
	at: string;
}

/** Every error answer. */
export interface IErrorDto {
	error: string;
}

/** Names of the server-sent events on GET /api/events. */
export type ServerEventName = 'timeline' | 'view' | 'rooms' | 'settings' | 'toasts' | 'changed';

/** The `changed` event: something happened in the workspace (a message, a submit, a setting). */
export interface IChangedEventDto {
	version: number;
}
