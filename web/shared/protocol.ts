// The JSON the try-it page's server and its browser code exchange (web/server.ts, web/client/).

/** A fixture member the page can act as. */
export interface IMemberDto {
	username: string;
	name: string;
	roles: string[];
	/** Holds the workspace admin role: sees the app's settings and stats. */
	isAdmin: boolean;
}

/** A room of the local workspace. */
export interface IRoomDto {
	name: string;
}

/** GET/POST /api/session: who the page acts as, and who it could switch to. */
export interface ISessionDto {
	me: IMemberDto;
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
}

/** GET /api/rooms/:room/timeline and the `timeline` event. */
export interface ITimelineDto {
	room: string;
	entries: ITimelineEntryDto[];
}

/** The modal the member has open, exactly as the app sent it. */
export interface IOpenViewDto {
	viewId: string;
	appId: string;
	/** The UIKit view (title, blocks, submit, close) as the app built it. */
	view: Record<string, unknown>;
	/** Inline errors the app answered to the last submit, by action id. */
	errors: Record<string, string>;
}

/** GET /api/view and the `view` event. */
export interface IViewEnvelopeDto {
	view: IOpenViewDto | null;
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
export type ServerEventName = 'timeline' | 'view' | 'settings' | 'toasts' | 'changed';

/** The `changed` event: something happened in the workspace (a message, a submit, a setting). */
export interface IChangedEventDto {
	version: number;
}
