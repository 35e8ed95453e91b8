import * as readline from 'readline';

import { splitCommandArguments } from './command-arguments';
import type { ITimelineMessage } from './directory';
import { type IActionResult, LocalHost } from './local-host';
import { defaultDatabasePath, defaultZipPath } from './paths';
import type { INotification, IOpenView } from './session-state';

const HELP = `Commands (one per line):
  /feedback ...            run a slash command as the current user in the current room
  say <text>               send a message (fires IPostMessageSent)
  as <username>            act as another user (admin, alice, bruno, clara)
  in #<room>               act in another room (#general, #feedback)
  submit key=value ...     submit the open modal; quote values with spaces: comment="so good"
                           a value starting with [ or { is read as JSON (e.g. anonymous=["yes"])
  close                    close the open modal
  view                     show the open modal
  timeline                 show the current room's messages
  notifications            show the current user's ephemeral messages
  set <setting> <value>    change an app setting as an admin
  restart                  restart the engine on the same database
  help                     this text
  quit                     stop the host (and its Deno process) and exit`;

/** Reads `--name value` options from the command line. */
function option(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index !== -1 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

/** Parses `submit` arguments `key=value` into values by action id. */
export function parseSubmitValues(text: string): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const argument of splitCommandArguments(text)) {
		const equals = argument.indexOf('=');
		if (equals <= 0) {
			throw new Error(`Expected key=value, got "${argument}"`);
		}
		const raw = argument.slice(equals + 1);
		values[argument.slice(0, equals)] = /^[[{]/.test(raw) ? JSON.parse(raw) : raw;
	}
	return values;
}

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

/** Renders an open view as text: title, fields with their action ids, inline errors. */
export function describeView(open: IOpenView): string {
	const lines = [`[modal] ${plainText(open.view.title)}  (view ${open.viewId})`];
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
	const submit = plainText((open.view.submit as Record<string, unknown> | undefined)?.text);
	lines.push(`  submit: ${submit || 'Submit'} | close`);
	return lines.join('\n');
}

function describeNotification(notification: INotification): string {
	return `[only you] ${notification.text}`;
}

function describeMessage(message: ITimelineMessage): string {
	return `[#${message.room}] ${message.sender}: ${message.text}`;
}

function printResult(result: IActionResult): void {
	for (const notification of result.notifications) {
		console.log(describeNotification(notification));
	}
	for (const message of result.messages) {
		console.log(describeMessage(message));
	}
	if (result.view) {
		console.log(describeView(result.view));
	}
}

async function main(): Promise<void> {
	const databasePath = option('db', defaultDatabasePath());
	const zipPath = option('zip', defaultZipPath());
	let username = option('user', 'alice');
	let roomName = option('room', 'general').replace(/^#/, '');
	const started = Date.now();
	const host = await LocalHost.start({ databasePath, zipPath });
	console.log(
		`Local host ready in ${Date.now() - started} ms (database ${databasePath}). Type help for commands.`,
	);

	const prompt = () => `${username}@#${roomName}> `;
	const input = readline.createInterface({
		input: process.stdin,
		output: process.stdout,
		terminal: process.stdin.isTTY,
	});
	input.setPrompt(prompt());
	input.prompt();
	let stopping = false;
	const stop = async () => {
		if (stopping) {
			return;
		}
		stopping = true;
		await host.stop();
	};

	for await (const rawLine of input) {
		const line = rawLine.trim();
		try {
			if (line === '' || line.startsWith('#!')) {
				// nothing to do
			} else if (line === 'quit' || line === 'exit') {
				break;
			} else if (line === 'help') {
				console.log(HELP);
			} else if (line.startsWith('/')) {
				printResult(await host.runSlashCommand(username, roomName, line));
			} else if (line.startsWith('say ')) {
				await host.sendMessage(username, roomName, line.slice(4));
				console.log(`[#${roomName}] ${username}: ${line.slice(4)}`);
			} else if (line.startsWith('as ')) {
				username = host.user(line.slice(3).trim()).username;
			} else if (line.startsWith('in ')) {
				roomName = host.directory.requireRoom(line.slice(3).trim()).slugifiedName;
			} else if (line === 'submit' || line.startsWith('submit ')) {
				const result = await host.submitView(username, parseSubmitValues(line.slice(6)));
				printResult(result);
				console.log(result.accepted ? '(submitted)' : '(the form has errors)');
			} else if (line === 'close') {
				await host.closeView(username);
				console.log('(closed)');
			} else if (line === 'view') {
				const open = host.openView(username);
				console.log(open ? describeView(open) : '(no open view)');
			} else if (line === 'timeline') {
				host.timeline(roomName).forEach((message) => console.log(describeMessage(message)));
			} else if (line === 'notifications') {
				host
					.notifications(username)
					.forEach((notification) => console.log(describeNotification(notification)));
			} else if (line.startsWith('set ')) {
				const [id, ...rest] = splitCommandArguments(line.slice(4));
				await host.setSetting(id, rest.join(' '));
				console.log(`(setting ${id} changed)`);
			} else if (line === 'restart') {
				const restartStarted = Date.now();
				await host.restart();
				console.log(`(restarted in ${Date.now() - restartStarted} ms)`);
			} else {
				console.log(`Unknown command "${line}". Type help.`);
			}
		} catch (error) {
			console.log(`error: ${error instanceof Error ? error.message : String(error)}`);
		}
		input.setPrompt(prompt());
		input.prompt();
	}
	input.close();
	await stop();
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
