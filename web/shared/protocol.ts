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

/** POST /api/views/:viewId/submit. */
export interface ISubmitViewRequestDto {
	state: ViewStateDto;
}

/** The answer to a submit: accepted (the modal closes) or inline errors (it stays open). */
export interface ISubmitViewResultDto {
	accepted: boolean;
	errors: Record<string, string>;
	view: IOpenViewDto | null;
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

/** An app setting as Administration > Apps > Feedback > Settings shows it. */
export interface ISettingDto {
	id: string;
	type: string;
	value: unknown;
	packageValue: unknown;
	required: boolean;
	label: string;
	description: string;
	values?: Array<{ key: string; label: string }>;
}

export interface ISettingsDto {
	settings: ISettingDto[];
}

/** PUT /api/settings/:id. */
export interface IUpdateSettingRequestDto {
	value: unknown;
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
export type ServerEventName = 'timeline' | 'view' | 'settings' | 'changed';

/** The `changed` event: something happened in the workspace (a message, a submit, a setting). */
export interface IChangedEventDto {
	version: number;
}
