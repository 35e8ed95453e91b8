import * as fs from 'fs';
import * as path from 'path';

import { type IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { UserType } from '@rocket.chat/apps-engine/definition/users';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { HttpError, isRecord } from './http';
import { effectiveAppSettings, PANEL_SERVER_SETTINGS, serverSettingDto } from './settings-view';
import { checkBlockAction, checkViewState } from './view-state';
import {
	checkAppSettingValue,
	checkServerSettingValue,
	FIXTURE_USERS,
	type INotification,
	type IOpenView,
	type ITimelineMessage,
	type LocalHost,
	MessageRefusedError,
	projectRoot,
	SettingValueError,
} from '../../host';
import type {
	ClientKindDto,
	IBlockActionResultDto,
	IMemberDto,
	IOpenViewDto,
	IRoomDto,
	ISettingDto,
	ISubmitViewResultDto,
	ITimelineDto,
	ITimelineEntryDto,
	IToastDto,
} from '../shared/protocol';

/** Rocket.Chat's default Message_MaxAllowedSize. */
export const MAX_MESSAGE_LENGTH = 5000;

const ADMIN_ROLE = 'admin';

/** The room the admin panel runs `/feedback stats` in (its reply is not shown in the timeline). */
const STATS_ROOM = 'general';

/** The app's English strings, for the settings' labels (i18n/en.json). */
function loadEnglish(): Record<string, string> {
	try {
		const parsed: unknown = JSON.parse(
			fs.readFileSync(path.join(projectRoot(), 'i18n', 'en.json'), 'utf8'),
		);
		return isRecord(parsed)
			? Object.fromEntries(
					Object.entries(parsed).filter(
						(entry): entry is [string, string] => typeof entry[1] === 'string',
					),
				)
			: {};
	} catch {
		return {};
	}
}

/** A language tag as Rocket.Chat names its languages (`en`, `pt-BR`, `zh-TW`), or '' for none. */
const LANGUAGE_TAG = /^([a-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$/;

/** A value that does not fit a setting is a bad request. */
function asBadRequest<T>(check: () => T): T {
	try {
		return check();
	} catch (error) {
		if (error instanceof SettingValueError) {
			throw new HttpError(400, error.message);
		}
		throw error;
	}
}

/** Runs one task at a time: the host reports what each action produced, so actions must not overlap. */
class SerialQueue {
	private tail: Promise<unknown> = Promise.resolve();

	public run<T>(task: () => Promise<T>): Promise<T> {
		const result = this.tail.then(task, task);
		this.tail = result.catch(() => undefined);
		return result;
	}
}

/**
 * The try-it page's view of a LocalHost: fixture members, room timelines with each member's
 * ephemeral messages, the open modal, the app's settings. Every request is checked here before
 * the host is touched, so a bad request changes nothing.
 */
export class Workspace {
	private readonly queue = new SerialQueue();

	private readonly english = loadEnglish();

	/** Ephemeral replies to the admin panel's own stats command: not part of the room. */
	private readonly hiddenNotifications = new WeakSet<INotification>();

	constructor(public readonly host: LocalHost) {}

	/** Calls back when a member's client changes on its own (a late answer's deadline, a dropped view). */
	public onChange(listener: () => void): () => void {
		return this.host.uikit.onChange(listener);
	}

	/** The toasts a member's client showed, oldest first. */
	public toasts(username: string): IToastDto[] {
		return this.host.toasts(username).map((toast) => ({
			id: toast.id,
			type: toast.type,
			message: toast.message,
			at: toast.at.toISOString(),
		}));
	}

	/** The client a member uses. */
	public clientOf(username: string): ClientKindDto {
		return this.host.clientOf(username);
	}

	/** Makes a member use the web client or the mobile app; anything else is a 400 naming both. */
	public setClient(username: string, kind: unknown): ClientKindDto {
		if (kind !== 'web' && kind !== 'mobile') {
			throw new HttpError(400, `kind must be "web" or "mobile", got ${JSON.stringify(kind)}`);
		}
		this.host.setClient(username, kind);
		return kind;
	}

	/** The fixture members, in their seeded order. */
	public members(): IMemberDto[] {
		return FIXTURE_USERS.map((fixture) => this.memberDto(this.host.user(fixture.username)));
	}

	/** A fixture member, or a 4xx naming the known ones. */
	public member(username: unknown, status = 404): IMemberDto {
		const known = FIXTURE_USERS.map((fixture) => fixture.username);
		if (typeof username !== 'string' || !known.includes(username)) {
			throw new HttpError(
				status,
				`Unknown user ${JSON.stringify(username)}; known users: ${known.join(', ')}`,
			);
		}
		return this.memberDto(this.host.user(username));
	}

	/** The channels, in their seeded order. */
	public channels(): string[] {
		return this.host.directory
			.allRooms()
			.filter((room) => room.type !== RoomType.DIRECT_MESSAGE)
			.map((room) => room.slugifiedName);
	}

	/**
	 * A member's rooms as the sidebar lists them: the channels, then the direct rooms they are in
	 * that are open for them (Rocket.Chat opens the subscription of the member who starts a
	 * direct room, and every member's once a message arrives: createDirectRoom.ts, and the
	 * message's notifications).
	 */
	public roomsOf(username: string): IRoomDto[] {
		const me = this.host.user(username);
		const channels: IRoomDto[] = this.channels().map((name) => ({
			name,
			kind: 'channel',
			label: name,
		}));
		const directs = this.host
			.directRooms(username)
			.filter(
				(room) =>
					this.host.directory.rooms.directCreatorId(room.id) === me.id ||
					this.host.timeline(room.id).length > 0,
			)
			.map((room) => this.directRoomDto(room, username));
		return [...channels, ...directs];
	}

	/** Whether a member may see a room's files: any channel, or a direct room of theirs. */
	public canSeeRoom(username: string, roomId: string): boolean {
		const room = this.host.directory.roomById(roomId);
		if (!room) {
			return false;
		}
		return (
			room.type !== RoomType.DIRECT_MESSAGE ||
			this.host.directRooms(username).some((direct) => direct.id === roomId)
		);
	}

	/**
	 * A room the member may open: a channel by name, or a direct room of theirs by id; else a
	 * 404 naming the ones they have.
	 */
	public room(key: string, username: string): string {
		const room = this.host.directory.roomByName(key);
		const isDirect = room?.type === RoomType.DIRECT_MESSAGE;
		const mine = isDirect && (room.userIds ?? []).includes(this.host.user(username).id);
		if (!room || (isDirect && !mine)) {
			const known = this.roomsOf(username).map((entry) => entry.name);
			throw new HttpError(404, `Unknown room "${key}"; rooms: ${known.join(', ')}`);
		}
		return key;
	}

	/** A room's messages with the member's own ephemeral messages in it, oldest first. */
	public timeline(username: string, room: string): ITimelineDto {
		const roomId = this.host.directory.requireRoom(room).id;
		const messages = this.host.timeline(room).map((message) => this.messageEntry(message));
		const ephemeral = this.host
			.notifications(username)
			.filter(
				(notification) =>
					notification.roomId === roomId && !this.hiddenNotifications.has(notification),
			)
			.map((notification) => this.ephemeralEntry(notification));
		const entries = [...messages, ...ephemeral]
			.map((entry, order) => ({ entry, order }))
			.sort(
				(a, b) =>
					Date.parse(a.entry.createdAt) - Date.parse(b.entry.createdAt) || a.order - b.order,
			)
			.map(({ entry }) => entry);
		return { room, entries };
	}

	/** The modal the member has open. */
	public openView(username: string): IOpenViewDto | null {
		const open = this.host.openView(username);
		return open ? viewDto(open) : null;
	}

	/** The contextual bar the member has open beside the room. */
	public openContextualBar(username: string): IOpenViewDto | null {
		const open = this.host.openContextualBar(username);
		return open ? viewDto(open) : null;
	}

	/** Sends a message, or runs a slash command when the text starts with `/`. */
	public async send(
		username: string,
		room: string,
		text: string,
	): Promise<{ kind: 'message' | 'command'; replies: ITimelineEntryDto[] }> {
		const trimmed = text.trim();
		if (trimmed === '') {
			throw new HttpError(400, 'The message is empty');
		}
		if ([...trimmed].length > MAX_MESSAGE_LENGTH) {
			throw new HttpError(400, `The message is longer than ${MAX_MESSAGE_LENGTH} characters`);
		}
		if (!trimmed.startsWith('/')) {
			try {
				await this.queue.run(() => this.host.sendMessage(username, room, trimmed));
			} catch (error) {
				// The server's refusal (a read-only room, a room the member is not in) is the member's to read.
				if (error instanceof MessageRefusedError) {
					throw new HttpError(403, error.message);
				}
				throw error;
			}
			return { kind: 'message', replies: [] };
		}
		return this.queue.run(async () => {
			const before = this.host.notifications(username).length;
			try {
				await this.host.runSlashCommand(username, room, trimmed);
			} catch (error) {
				// The host checks the command before running anything.
				if (error instanceof Error && /^No slash command/.test(error.message)) {
					throw new HttpError(400, error.message);
				}
				throw error;
			}
			const replies = this.host
				.notifications(username)
				.slice(before)
				.map((notification) => this.ephemeralEntry(notification));
			return { kind: 'command' as const, replies };
		});
	}

	/**
	 * Submits the member's open modal, or their contextual bar (whose client closes it first:
	 * UiKitContextualBar's handleSubmit), with the view state the page collected.
	 */
	public async submitView(
		username: string,
		viewId: string,
		state: unknown,
	): Promise<ISubmitViewResultDto> {
		return this.queue.run(async () => {
			const open = this.requireOpenView(username, viewId);
			// The state goes to the app as the client sent it (checked against the open view).
			const checked = checkViewState(open.view, state, open.fieldsShown);
			if (open.surface === 'contextual_bar') {
				this.host.session.closeView(username, open.viewId);
			}
			const result = await this.host.submitViewStateAs(username, open, checked);
			return {
				accepted: result.accepted,
				errors: result.errors,
				view: result.view ? viewDto(result.view) : null,
				contextualBar: result.contextualBar ? viewDto(result.contextualBar) : null,
				timedOut: result.timedOut,
			};
		});
	}

	/**
	 * Closes the member's open modal or contextual bar; the app gets view-closed (a contextual
	 * bar's X is `cleared`, its close button is not).
	 */
	public async closeView(username: string, viewId: string, cleared = true): Promise<void> {
		await this.queue.run(async () => {
			const open = this.requireOpenView(username, viewId);
			await (open.surface === 'contextual_bar'
				? this.host.closeContextualBar(username, cleared)
				: this.host.closeView(username));
		});
	}

	/**
	 * A click or a change the page sends as a blockAction: on the member's open modal or
	 * contextual bar (by view id), or on a message of the room the page shows (by id).
	 */
	public async blockAction(username: string, body: unknown): Promise<IBlockActionResultDto> {
		const request = checkBlockAction(body);
		const roomName = request.room === undefined ? undefined : this.room(request.room, username);
		return this.queue.run(async () => {
			const action = {
				blockId: request.blockId,
				actionId: request.actionId,
				value: request.value,
			};
			let result;
			if (request.container.type === 'view') {
				const open = this.requireOpenView(username, request.container.id);
				result = await this.host.blockAction(username, open.surface, action, { roomName });
			} else {
				const messageId = request.container.id;
				const stored = this.host.directory.messageById(messageId);
				const mine = this.host
					.notifications(username)
					.some((notification) => notification.id === messageId);
				if (!stored && !mine) {
					throw new HttpError(404, `${username} sees no message "${messageId}"`);
				}
				try {
					result = await this.host.blockAction(username, { messageId }, action, { roomName });
				} catch (error) {
					// A button that is not in the message, or that names no app.
					throw new HttpError(400, error instanceof Error ? error.message : String(error));
				}
			}
			return {
				view: result.view ? viewDto(result.view) : null,
				contextualBar: result.contextualBar ? viewDto(result.contextualBar) : null,
				timedOut: result.timedOut,
			};
		});
	}

	/** The app's settings with their English labels and what the app uses, in the app's order. */
	public settings(): ISettingDto[] {
		return Object.values(this.host.settings()).map((setting) => this.settingDto(setting));
	}

	/** The server settings the admin panel edits (the language, message custom fields). */
	public serverSettings(): ISettingDto[] {
		return this.host
			.serverSettings()
			.filter((setting) => setting.id in PANEL_SERVER_SETTINGS)
			.map(serverSettingDto);
	}

	/** Changes a server setting as an admin would; the app reads it on its next call. */
	public async updateServerSetting(id: string, value: unknown): Promise<ISettingDto> {
		return this.queue.run(async () => {
			const setting = this.host.serverSettings().find((candidate) => candidate.id === id);
			if (!setting || !(id in PANEL_SERVER_SETTINGS)) {
				throw new HttpError(
					404,
					`No server setting "${id}" here; settings: ${Object.keys(PANEL_SERVER_SETTINGS).join(
						', ',
					)}`,
				);
			}
			const checked = asBadRequest(() => checkServerSettingValue(setting, value));
			if (setting.type === 'language' && !LANGUAGE_TAG.test(String(checked))) {
				throw new HttpError(
					400,
					`Server setting "Language" needs a language tag such as en or pt-BR, or "" for none; got ${JSON.stringify(
						checked,
					)}`,
				);
			}
			this.host.setServerSetting(id, checked);
			return this.serverSettings().find((candidate) => candidate.id === id) as ISettingDto;
		});
	}

	/** Changes one setting through the host's settings manager (the app's onSettingUpdated runs). */
	public async updateSetting(id: string, value: unknown): Promise<ISettingDto> {
		return this.queue.run(async () => {
			const setting = this.host.settings()[id];
			if (!setting) {
				throw new HttpError(
					404,
					`The app has no setting "${id}"; settings: ${Object.keys(this.host.settings()).join(
						', ',
					)}`,
				);
			}
			const checked = asBadRequest(() => checkAppSettingValue(setting, value));
			await this.host.setSetting(id, checked);
			return this.settingDto(this.host.settings()[id]);
		});
	}

	/** Runs `/feedback stats` as the admin and returns the app's answer, kept out of the timeline. */
	public async stats(username: string): Promise<string> {
		return this.queue.run(async () => {
			const result = await this.host.runSlashCommand(username, STATS_ROOM, '/feedback stats');
			for (const notification of result.notifications) {
				this.hiddenNotifications.add(notification);
			}
			return result.notifications.map((notification) => notification.text).join('\n');
		});
	}

	private requireOpenView(username: string, viewId: string): IOpenView {
		const open = [this.host.openView(username), this.host.openContextualBar(username)].find(
			(candidate) => candidate?.viewId === viewId,
		);
		if (!open) {
			throw new HttpError(404, `${username} has no open view "${viewId}"`);
		}
		return open;
	}

	private directRoomDto(room: IRoom, username: string): IRoomDto {
		const others = (room.usernames ?? []).filter((member) => member !== username);
		const names = others.map(
			(member) => this.host.directory.userByUsername(member)?.name || member,
		);
		return {
			name: room.id,
			kind: 'direct',
			label: names.join(', ') || username,
			members: others.length > 0 ? others : [username],
		};
	}

	private memberDto(user: IUser): IMemberDto {
		const roles = [...(user.roles ?? [])];
		return { username: user.username, name: user.name, roles, isAdmin: roles.includes(ADMIN_ROLE) };
	}

	private sender(user: IUser | undefined, username: string): ITimelineEntryDto['sender'] {
		return {
			username: user?.username ?? username,
			name: user?.name || user?.username || username,
			isApp: user?.type === UserType.APP || Boolean(user?.appId),
		};
	}

	private messageEntry(message: ITimelineMessage): ITimelineEntryDto {
		const user = this.host.directory.userByUsername(message.sender);
		return {
			id: message.id,
			kind: 'message',
			sender: this.sender(user, message.sender),
			text: message.text,
			createdAt: new Date(message.createdAt).toISOString(),
			...(message.blocks ? { blocks: message.blocks } : {}),
			...(message.threadId ? { threadId: message.threadId } : {}),
			...fileLinks(message.attachments),
		};
	}

	private ephemeralEntry(notification: INotification): ITimelineEntryDto {
		const sender = notification.message.sender as IUser | undefined;
		return {
			// The id the server's converter gave it: a button in it is clicked with this id.
			id: notification.id,
			kind: 'ephemeral',
			sender: this.sender(sender, sender?.username ?? 'rocket.cat'),
			text: notification.text,
			createdAt: new Date(notification.createdAt).toISOString(),
			...(notification.blocks ? { blocks: notification.blocks } : {}),
		};
	}

	private settingDto(setting: ISetting): ISettingDto {
		const translate = (key: string | undefined) => (key ? (this.english[key] ?? key) : '');
		const stored = this.host.settings();
		const inEffect = effectiveAppSettings(
			(id) => stored[id]?.value ?? stored[id]?.packageValue,
			(name) => this.host.directory.roomByName(name),
		)[setting.id];
		return {
			...(inEffect ? { inEffect } : {}),
			id: setting.id,
			type: setting.type,
			value: setting.value ?? setting.packageValue,
			packageValue: setting.packageValue,
			required: setting.required,
			label: translate(setting.i18nLabel) || setting.id,
			description: translate(setting.i18nDescription),
			...(setting.values
				? {
						values: setting.values.map((entry) => ({
							key: entry.key,
							label: translate(entry.i18nLabel) || entry.key,
						})),
					}
				: {}),
		};
	}
}

function viewDto(open: IOpenView): IOpenViewDto {
	return {
		viewId: open.viewId,
		appId: open.appId,
		surface: open.surface,
		view: open.view,
		errors: { ...open.errors },
		errorsVersion: open.errorsVersion ?? 0,
	};
}

/** The files of a file message's attachments (host/bridges/upload.ts stores them so). */
function fileLinks(attachments: unknown[] | undefined): Pick<ITimelineEntryDto, 'files'> {
	const files: NonNullable<ITimelineEntryDto['files']> = [];
	for (const attachment of attachments ?? []) {
		const { type, title, size } = attachment as {
			type?: unknown;
			title?: { value?: unknown; link?: unknown };
			size?: unknown;
		};
		if (type === 'file' && typeof title?.value === 'string' && typeof title.link === 'string') {
			files.push({ name: title.value, url: title.link, size: typeof size === 'number' ? size : 0 });
		}
	}
	return files.length > 0 ? { files } : {};
}
