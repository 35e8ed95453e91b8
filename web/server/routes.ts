import type { IncomingMessage, ServerResponse } from 'http';
import * as path from 'path';

import { EventHub } from './events';
import type { EventSnapshot } from './events';
import { HttpError, readCookie, readJsonObject, requireString, sendError, sendJson } from './http';
import { sendStaticFile } from './static-files';
import type { Workspace } from './workspace';
import type {
	IBlockActionResultDto,
	IMemberDto,
	IRoomsDto,
	ISendResultDto,
	ISessionDto,
	ISettingsDto,
	IStatsDto,
	IToastsDto,
	IUpdateSettingResultDto,
	IViewEnvelopeDto,
	ServerEventName,
} from '../shared/protocol';

/** The cookie that says which fixture member the page acts as. */
export const USER_COOKIE = 'feedback_try_user';

/** Who a page acts as before it switches. */
const DEFAULT_USER = 'alice';

type RouteHandler = (context: IRouteContext) => Promise<void>;

interface IRouteContext {
	req: IncomingMessage;
	res: ServerResponse;
	params: string[];
	url: URL;
}

interface IRoute {
	method: string;
	pattern: RegExp;
	/** Whether it can change the workspace: open pages hear about it afterwards. */
	changes: boolean;
	handler: RouteHandler;
}

/** Where the page's files are. */
export interface IRoutesOptions {
	publicDir: string;
	appIconPath: string;
	appName: string;
}

/** The try-it page's HTTP API, event stream and files. */
export class Routes {
	public readonly events = new EventHub();

	private readonly routes: IRoute[] = [];

	private allowedHosts = new Set<string>();

	private version = 0;

	constructor(
		private readonly workspace: Workspace,
		private readonly options: IRoutesOptions,
	) {
		this.add('GET', /^\/api\/session$/, false, (context) => this.getSession(context));
		this.add('POST', /^\/api\/session$/, false, (context) => this.switchUser(context));
		this.add('POST', /^\/api\/client$/, true, (context) => this.switchClient(context));
		this.add('GET', /^\/api\/rooms\/([^/]+)\/timeline$/, false, (context) =>
			this.getTimeline(context),
		);
		this.add('POST', /^\/api\/rooms\/([^/]+)\/messages$/, true, (context) => this.send(context));
		this.add('GET', /^\/api\/view$/, false, (context) => this.getView(context));
		this.add('POST', /^\/api\/views\/([^/]+)\/submit$/, true, (context) =>
			this.submitView(context),
		);
		this.add('POST', /^\/api\/views\/([^/]+)\/close$/, true, (context) => this.closeView(context));
		this.add('POST', /^\/api\/block-actions$/, true, (context) => this.blockAction(context));
		this.add('GET', /^\/api\/settings$/, false, (context) => this.getSettings(context));
		this.add('PUT', /^\/api\/settings\/([^/]+)$/, true, (context) => this.updateSetting(context));
		this.add('PUT', /^\/api\/server-settings\/([^/]+)$/, true, (context) =>
			this.updateServerSetting(context),
		);
		this.add('GET', /^\/api\/toasts$/, false, (context) => this.getToasts(context));
		this.add('GET', /^\/api\/stats$/, false, (context) => this.getStats(context));
		this.add('GET', /^\/api\/events$/, false, (context) => this.openEvents(context));
		// Where Rocket.Chat serves an upload (FileUpload.getPath): the file message links here.
		this.add('GET', /^\/file-upload\/([^/]+)\/([^/]+)$/, false, (context) =>
			this.download(context),
		);
		// A member's client can change on its own (a deadline passes, a late view is dropped).
		workspace.onChange(() => this.publish());
		this.add('GET', /^\/$/, false, async ({ res }) =>
			sendStaticFile(res, this.options.publicDir, 'index.html'),
		);
		this.add('GET', /^\/assets\/(.+)$/, false, async ({ res, params }) =>
			sendStaticFile(res, path.join(this.options.publicDir, 'assets'), params[0]),
		);
		this.add('GET', /^\/app-icon\.png$/, false, async ({ res }) =>
			sendStaticFile(
				res,
				path.dirname(this.options.appIconPath),
				path.basename(this.options.appIconPath),
			),
		);
	}

	/** The port is known once the server listens: only 127.0.0.1 and localhost on it are answered. */
	public setPort(port: number): void {
		this.allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
	}

	/** Answers one request; never throws. */
	public async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		let route: IRoute | undefined;
		try {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			this.checkOrigin(req);
			const matching = this.routes.filter((candidate) => candidate.pattern.test(url.pathname));
			route = matching.find((candidate) => candidate.method === req.method);
			if (!route) {
				if (matching.length > 0) {
					res.setHeader('Allow', matching.map((candidate) => candidate.method).join(', '));
					throw new HttpError(405, `${req.method ?? '?'} is not allowed on ${url.pathname}`);
				}
				throw new HttpError(404, `No route ${req.method ?? '?'} ${url.pathname}`);
			}
			const match = route.pattern.exec(url.pathname) ?? [];
			const params = match.slice(1).map((param) => decodePathParam(param));
			await route.handler({ req, res, params, url });
			if (route.changes) {
				this.publish();
			}
		} catch (error) {
			if (error instanceof HttpError) {
				sendError(res, error.status, error.message);
				return;
			}
			console.error(`${req.method ?? '?'} ${req.url ?? '?'} failed:`, error);
			sendError(res, 500, error instanceof Error ? error.message : String(error));
			if (route?.changes) {
				// The app may have done part of its work: show open pages what it did.
				this.publish();
			}
		}
	}

	/** An uploaded file, to a member who may see its room. */
	private async download({ req, res, params }: IRouteContext): Promise<void> {
		const me = this.me(req);
		const upload = this.workspace.host.upload(params[0]);
		if (!upload || !this.workspace.canSeeRoom(me.username, upload.roomId)) {
			throw new HttpError(404, 'No such file');
		}
		res.writeHead(200, {
			'Content-Type': upload.type,
			'Content-Length': upload.content.length,
			'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(upload.name)}`,
			'X-Content-Type-Options': 'nosniff',
		});
		res.end(upload.content);
	}

	/** Sends every open page what changed. */
	public publish(): void {
		this.version++;
		this.events.publish(this.snapshots());
	}

	private add(method: string, pattern: RegExp, changes: boolean, handler: RouteHandler): void {
		this.routes.push({ method, pattern, changes, handler });
	}

	/**
	 * Answers only requests addressed to 127.0.0.1 or localhost (no DNS rebinding), and changes
	 * only from this page's own origin.
	 */
	private checkOrigin(req: IncomingMessage): void {
		const host = (req.headers.host ?? '').toLowerCase();
		if (!this.allowedHosts.has(host)) {
			throw new HttpError(403, `This server answers only http://${[...this.allowedHosts][0]}/`);
		}
		const { origin } = req.headers;
		if (req.method !== 'GET' && origin !== undefined && origin !== `http://${host}`) {
			throw new HttpError(403, `Requests from ${origin} are not allowed`);
		}
	}

	/** The member the request acts as (the cookie, else the default member). */
	private me(req: IncomingMessage): IMemberDto {
		const username = readCookie(req, USER_COOKIE) ?? DEFAULT_USER;
		return this.workspace.member(username, 401);
	}

	private session(me: IMemberDto): ISessionDto {
		return {
			me,
			client: this.workspace.clientOf(me.username),
			members: this.workspace.members(),
			rooms: this.workspace.roomsOf(me.username),
			appName: this.options.appName,
		};
	}

	private async getSession({ req, res }: IRouteContext): Promise<void> {
		sendJson(res, 200, this.session(this.me(req)));
	}

	private async switchUser({ req, res }: IRouteContext): Promise<void> {
		const body = await readJsonObject(req);
		const me = this.workspace.member(requireString(body, 'username'), 404);
		res.setHeader(
			'Set-Cookie',
			`${USER_COOKIE}=${encodeURIComponent(me.username)}; Path=/; HttpOnly; SameSite=Strict`,
		);
		sendJson(res, 200, this.session(me));
	}

	/** The acting member switches between the web client and the mobile app. */
	private async switchClient({ req, res }: IRouteContext): Promise<void> {
		const me = this.me(req);
		this.workspace.setClient(me.username, (await readJsonObject(req)).kind);
		sendJson(res, 200, this.session(me));
	}

	private async getTimeline({ req, res, params }: IRouteContext): Promise<void> {
		const me = this.me(req);
		sendJson(
			res,
			200,
			this.workspace.timeline(me.username, this.workspace.room(params[0], me.username)),
		);
	}

	private async send({ req, res, params }: IRouteContext): Promise<void> {
		const me = this.me(req);
		const room = this.workspace.room(params[0], me.username);
		const text = requireString(await readJsonObject(req), 'text');
		const result = await this.workspace.send(me.username, room, text);
		const body: ISendResultDto = {
			...result,
			view: this.workspace.openView(me.username),
			contextualBar: this.workspace.openContextualBar(me.username),
		};
		sendJson(res, 200, body);
	}

	private async getView({ req, res }: IRouteContext): Promise<void> {
		sendJson(res, 200, this.views(this.me(req).username));
	}

	private views(username: string): IViewEnvelopeDto {
		return {
			view: this.workspace.openView(username),
			contextualBar: this.workspace.openContextualBar(username),
		};
	}

	private async blockAction({ req, res }: IRouteContext): Promise<void> {
		const me = this.me(req);
		const body: IBlockActionResultDto = await this.workspace.blockAction(
			me.username,
			await readJsonObject(req),
		);
		sendJson(res, 200, body);
	}

	private async submitView({ req, res, params }: IRouteContext): Promise<void> {
		const me = this.me(req);
		const body = await readJsonObject(req);
		sendJson(res, 200, await this.workspace.submitView(me.username, params[0], body.state));
	}

	private async closeView({ req, res, params }: IRouteContext): Promise<void> {
		const me = this.me(req);
		const body = await readJsonObject(req).catch(() => ({}) as Record<string, unknown>);
		await this.workspace.closeView(me.username, params[0], body.cleared !== false);
		sendJson(res, 200, { closed: true });
	}

	private requireAdmin(req: IncomingMessage): IMemberDto {
		const me = this.me(req);
		if (!me.isAdmin) {
			throw new HttpError(403, `${me.username} is not a workspace admin`);
		}
		return me;
	}

	private async getSettings({ req, res }: IRouteContext): Promise<void> {
		this.requireAdmin(req);
		sendJson(res, 200, this.settingsDto());
	}

	private settingsDto(): ISettingsDto {
		return {
			settings: this.workspace.settings(),
			serverSettings: this.workspace.serverSettings(),
		};
	}

	private async updateServerSetting({ req, res, params }: IRouteContext): Promise<void> {
		this.requireAdmin(req);
		const body = await readJsonObject(req);
		if (!('value' in body)) {
			throw new HttpError(400, 'The body needs a field "value"');
		}
		const result: IUpdateSettingResultDto = {
			setting: await this.workspace.updateServerSetting(params[0], body.value),
		};
		sendJson(res, 200, result);
	}

	private async getToasts({ req, res }: IRouteContext): Promise<void> {
		const body: IToastsDto = { toasts: this.workspace.toasts(this.me(req).username) };
		sendJson(res, 200, body);
	}

	private async updateSetting({ req, res, params }: IRouteContext): Promise<void> {
		this.requireAdmin(req);
		const body = await readJsonObject(req);
		if (!('value' in body)) {
			throw new HttpError(400, 'The body needs a field "value"');
		}
		sendJson(res, 200, { setting: await this.workspace.updateSetting(params[0], body.value) });
	}

	private async getStats({ req, res }: IRouteContext): Promise<void> {
		const me = this.requireAdmin(req);
		const body: IStatsDto = {
			text: await this.workspace.stats(me.username),
			at: new Date().toISOString(),
		};
		sendJson(res, 200, body);
	}

	private async openEvents({ req, res, url }: IRouteContext): Promise<void> {
		const me = this.me(req);
		const room = this.workspace.room(url.searchParams.get('room') ?? 'general', me.username);
		this.events.open(res, { username: me.username, room, isAdmin: me.isAdmin }, this.snapshots());
	}

	private snapshots(): Map<ServerEventName, EventSnapshot> {
		return new Map<ServerEventName, EventSnapshot>([
			['timeline', (subscriber) => this.workspace.timeline(subscriber.username, subscriber.room)],
			['view', (subscriber): IViewEnvelopeDto => this.views(subscriber.username)],
			[
				'rooms',
				(subscriber): IRoomsDto => ({ rooms: this.workspace.roomsOf(subscriber.username) }),
			],
			[
				'settings',
				(subscriber): ISettingsDto | undefined =>
					subscriber.isAdmin ? this.settingsDto() : undefined,
			],
			[
				'toasts',
				(subscriber): IToastsDto => ({ toasts: this.workspace.toasts(subscriber.username) }),
			],
			['changed', () => ({ version: this.version })],
		]);
	}
}

function decodePathParam(param: string): string {
	try {
		return decodeURIComponent(param);
	} catch {
		throw new HttpError(400, `Bad path segment "${param}"`);
	}
}
