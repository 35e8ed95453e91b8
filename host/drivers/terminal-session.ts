import { parseSubmitValues, splitWords } from './cli-input';
import type { IActionResult, LocalHost } from './local-host';
import type { INotification, IOpenView } from '../client/session-state';
import { parseAppSettingText, parseServerSettingText } from '../client/setting-values';
import { actionableElements, type IActionableElement } from '../client/view-fields';
import { FIXTURE_USERS, type ITimelineMessage } from '../server/directory';

/** The commands, with the workspace's members and rooms. */
export function helpText(members: string[], rooms: string[]): string {
	return `Commands (one per line):
  /feedback ...            run a slash command as the current user in the current room
  say <text>               send a message (fires IPostMessageSent)
  as <username>            act as another user (${members.join(', ')})
  in #<room>               act in another room (${rooms.map((room) => `#${room}`).join(', ')})
  submit key=value ...     submit the open modal; quote values with spaces: comment="so good"
                           an option field takes one of its options: category=Bug rating=4
                           a checkbox takes its option, or a JSON list: anonymous=anonymous,
                           anonymous=["anonymous"] (ticked), anonymous=[] (not ticked)
  close                    close the open modal
  view                     show the open modal
  bar                      show the open contextual bar
  close-bar                close the open contextual bar (its X)
  click <actionId> [value] click a button or pick a select's option (in the modal, else the
                           contextual bar, else the newest message with it): click page 2
  timeline                 show the current room's messages
  notifications            show the current user's ephemeral messages
  toasts                   show the current user's client toasts (e.g. an app that answered late)
  refused                  show what the current user's client dropped (views without a valid triggerId)
  settings                 show the app's settings
  set <setting> <value>    change an app setting (admins only): true/false, a whole number, or text;
                           quote text with spaces or use "" for empty: set feedback_announce_room ""
  server-settings          show the server's settings
  server-set <id> <value>  change a server setting (admins only): server-set Language pt-BR
  restart                  restart the engine on the same database
  help                     this text
  quit                     stop the host (and its Deno process) and exit`;
}

const ADMIN_ROLE = 'admin';

function plainText(value: unknown): string {
	if (typeof value === 'string') {
		return value;
	}
	if (
		typeof value === 'object' &&
		value !== null &&
		'text' in value &&
		typeof value.text === 'string'
	) {
		return value.text;
	}
	return '';
}

/** A button or a select of some blocks, as the terminal shows it: `[button page=2 "Next"]`. */
function describeElements(blocks: unknown): string[] {
	return actionableElements(blocks)
		.filter(({ element }) => element.type === 'button' || String(element.type).includes('select'))
		.map(({ actionId, element }) => {
			if (element.type === 'button') {
				const value = typeof element.value === 'string' ? `=${element.value}` : '';
				return `  [button ${actionId}${value} "${plainText(element.text)}"]`;
			}
			const options = Array.isArray(element.options)
				? element.options.map((entry) => String((entry as Record<string, unknown>).value))
				: [];
			return `  [select ${actionId}: ${options.join(', ')}]`;
		});
}

/** Renders an open view as text: title, fields with their action ids, buttons, inline errors. */
export function describeView(open: IOpenView): string {
	const surface = open.surface === 'contextual_bar' ? 'contextual bar' : 'modal';
	const lines = [`[${surface}] ${plainText(open.view.title)}  (view ${open.viewId})`];
	const blocks = Array.isArray(open.view.blocks) ? open.view.blocks : [];
	for (const block of blocks) {
		if (typeof block !== 'object' || block === null) {
			continue;
		}
		const record = block as Record<string, unknown>;
		const element = record.element as Record<string, unknown> | undefined;
		if (record.type === 'input' && element) {
			const actionId = String(element.actionId);
			const options = Array.isArray(element.options)
				? element.options.map((entry) => String((entry as Record<string, unknown>).value))
				: [];
			const choices = options.length > 0 ? ` one of: ${options.join(', ')}` : '';
			const initial =
				element.initialValue !== undefined ? ` (now ${JSON.stringify(element.initialValue)})` : '';
			lines.push(
				`  ${actionId}: ${plainText(record.label)} [${String(element.type)}]${choices}${initial}`,
			);
			if (open.errors[actionId]) {
				lines.push(`    ! ${open.errors[actionId]}`);
			}
		} else if (record.type === 'section' || record.type === 'context') {
			lines.push(`  ${plainText(record.text) || '(…)'}`);
		}
	}
	lines.push(...describeElements(open.view.blocks));
	const submit = plainText((open.view.submit as Record<string, unknown> | undefined)?.text);
	if (open.surface !== 'contextual_bar' || submit) {
		lines.push(`  submit: ${submit || 'Submit'} | close`);
	}
	return lines.join('\n');
}

function describeNotification(notification: INotification): string {
	return [`[only you] ${notification.text}`, ...describeElements(notification.blocks)].join('\n');
}

/** The element to click: by action id, and by value among buttons that share it. */
function elementFor(
	blocks: unknown,
	actionId: string,
	value: string | undefined,
): IActionableElement | undefined {
	const candidates = actionableElements(blocks).filter(
		(candidate) => candidate.actionId === actionId,
	);
	return (
		candidates.find(
			(candidate) =>
				candidate.element.type === 'button' && String(candidate.element.value) === value,
		) ??
		(candidates.length > 0 && (value !== undefined || candidates.length === 1)
			? candidates[0]
			: undefined)
	);
}

function describeMessage(message: ITimelineMessage): string {
	return `[#${message.room}] ${message.sender}: ${message.text}`;
}

/** The value a setting would be typed as. */
function shown(value: unknown): string {
	return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * One member at a terminal: who acts, in which room, and what each typed line does. `run`
 * answers a line with the text to print; errors come back as `error: …` lines.
 */
export class TerminalSession {
	constructor(
		private readonly host: LocalHost,
		public username: string,
		public roomName: string,
	) {}

	/** The prompt: who acts where. */
	public prompt(): string {
		return `${this.username}@#${this.roomName}> `;
	}

	/** Runs one typed line and returns what to print (empty for nothing). */
	public async run(rawLine: string): Promise<string> {
		try {
			return await this.dispatch(rawLine.trim());
		} catch (error) {
			return `error: ${error instanceof Error ? error.message : String(error)}`;
		}
	}

	private async dispatch(line: string): Promise<string> {
		const { host } = this;
		const [word = ''] = line.split(/\s+/, 1);
		const rest = line.slice(word.length).trim();
		if (line === '' || line.startsWith('#!')) {
			return '';
		}
		if (line.startsWith('/')) {
			return this.describeResult(await host.runSlashCommand(this.username, this.roomName, line));
		}
		switch (word) {
			case 'help':
				return helpText(
					FIXTURE_USERS.map((fixture) => fixture.username),
					host.directory.allRooms().map((room) => room.slugifiedName),
				);
			case 'say':
				await host.sendMessage(this.username, this.roomName, rest);
				return `[#${this.roomName}] ${this.username}: ${rest}`;
			case 'as':
				this.username = host.user(rest).username;
				return '';
			case 'in':
				this.roomName = host.directory.requireRoom(rest.replace(/^#/, '')).slugifiedName;
				return '';
			case 'submit':
				return this.submit(rest);
			case 'close':
				await host.closeView(this.username);
				return '(closed)';
			case 'view': {
				const open = host.openView(this.username);
				return open ? describeView(open) : '(no open view)';
			}
			case 'bar': {
				const open = host.openContextualBar(this.username);
				return open ? describeView(open) : '(no open contextual bar)';
			}
			case 'close-bar':
				await host.closeContextualBar(this.username);
				return '(closed)';
			case 'click':
				return this.click(rest);
			case 'timeline':
				return host.timeline(this.roomName).map(describeMessage).join('\n') || '(no messages)';
			case 'notifications':
				return host.notifications(this.username).map(describeNotification).join('\n');
			case 'toasts':
				return (
					host
						.toasts(this.username)
						.map((toast) => `[toast] ${toast.message}`)
						.join('\n') || '(no toasts)'
				);
			case 'refused':
				return (
					host
						.refusedViews(this.username)
						.map((entry) => `[dropped] ${entry.explanation}`)
						.join('\n') || '(nothing dropped)'
				);
			case 'settings':
				return Object.values(host.settings())
					.map((setting) => `${setting.id} (${setting.type}) = ${shown(setting.value)}`)
					.join('\n');
			case 'set':
				return this.setAppSetting(rest);
			case 'server-settings':
				return host
					.serverSettings()
					.map((setting) => `${setting.id} (${setting.type}) = ${shown(setting.value)}`)
					.join('\n');
			case 'server-set':
				return this.setServerSetting(rest);
			case 'restart': {
				const started = Date.now();
				await host.restart();
				return `(restarted in ${Date.now() - started} ms)`;
			}
			default:
				return `Unknown command "${line}". Type help.`;
		}
	}

	private async submit(text: string): Promise<string> {
		const open = this.host.openView(this.username);
		if (!open) {
			throw new Error(`${this.username} has no open form: type /feedback first`);
		}
		const result = await this.host.submitView(this.username, parseSubmitValues(text, open));
		let outcome = result.accepted ? '(submitted)' : '(the form has errors)';
		if (result.timedOut) {
			outcome = '(the app answered too late: the form closed)';
		}
		return [this.describeResult(result), outcome].filter(Boolean).join('\n');
	}

	/** Clicks a button or picks an option: in the modal, else the bar, else the newest message with it. */
	private async click(text: string): Promise<string> {
		const [actionId, value] = splitWords(text);
		if (!actionId) {
			throw new Error('Usage: click <actionId> [value]');
		}
		const { host, username } = this;
		const surfaces = [
			['modal', host.openView(username)],
			['contextual_bar', host.openContextualBar(username)],
		] as const;
		for (const [surface, open] of surfaces) {
			const element = open && elementFor(open.view.blocks, actionId, value);
			if (element) {
				const result = await host.blockAction(username, surface, {
					blockId: element.blockId,
					actionId,
					value: value ?? element.element.value,
				});
				return this.describeResult(result);
			}
		}
		const room = host.directory.requireRoom(this.roomName);
		const messages = [
			...host.directory.messagesOf(room.id).map((message) => ({
				id: message.id ?? '',
				blocks: message.blocks,
			})),
			...host.notifications(username).filter((notification) => notification.roomId === room.id),
		].reverse();
		for (const message of messages) {
			const element = elementFor(message.blocks, actionId, value);
			if (element) {
				const result = await host.blockAction(
					username,
					{ messageId: message.id },
					{ blockId: element.blockId, actionId, value: value ?? element.element.value },
				);
				return this.describeResult(result);
			}
		}
		throw new Error(
			`Nothing to click with action id "${actionId}"${value ? ` and value ${value}` : ''}`,
		);
	}

	private async setAppSetting(text: string): Promise<string> {
		this.requireAdmin('set');
		const [id, value] = this.idAndValue(text, 'set <setting> <value>');
		const setting = this.host.settings()[id];
		if (!setting) {
			throw new Error(
				`The app has no setting "${id}"; settings: ${Object.keys(this.host.settings()).join(', ')}`,
			);
		}
		const parsed = parseAppSettingText(setting, value);
		await this.host.setSetting(id, parsed);
		return `(setting ${id} is now ${shown(this.host.settings()[id]?.value)})`;
	}

	private setServerSetting(text: string): string {
		this.requireAdmin('server-set');
		const [id, value] = this.idAndValue(text, 'server-set <id> <value>');
		const settings = this.host.serverSettings();
		const setting = settings.find((candidate) => candidate.id === id);
		if (!setting) {
			throw new Error(
				`The server has no setting "${id}"; settings: ${settings.map((entry) => entry.id).join(', ')}`,
			);
		}
		this.host.setServerSetting(id, parseServerSettingText(setting, value));
		const now = this.host.serverSettings().find((candidate) => candidate.id === id);
		return `(server setting ${id} is now ${shown(now?.value)})`;
	}

	/** `<id> <value…>`: the value is the rest of the words (quotes keep spaces; "" is empty). */
	private idAndValue(text: string, usage: string): [string, string] {
		const [id, ...words] = splitWords(text);
		if (!id || words.length === 0) {
			throw new Error(`Usage: ${usage} (quote a value with spaces; "" is empty)`);
		}
		return [id, words.join(' ')];
	}

	private requireAdmin(command: string): void {
		const roles = this.host.user(this.username).roles ?? [];
		if (!roles.includes(ADMIN_ROLE)) {
			throw new Error(
				`${command} is for workspace admins and ${this.username} is not one: type "as admin" first`,
			);
		}
	}

	private describeResult(result: IActionResult): string {
		return [
			...result.notifications.map(describeNotification),
			...result.messages.map(describeMessage),
			...(result.view ? [describeView(result.view)] : []),
			...(result.contextualBar ? [describeView(result.contextualBar)] : []),
			...result.toasts.map((toast) => `[toast] ${toast.message}`),
			...result.refused.map((entry) => `[dropped] ${entry.explanation}`),
		].join('\n');
	}
}
