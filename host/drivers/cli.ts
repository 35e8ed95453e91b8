import * as readline from 'readline';

import { LocalHost } from './local-host';
import { defaultDatabasePath, defaultZipPath } from '../paths';
import { TerminalSession } from './terminal-session';

/** Reads `--name value` options from the command line. */
function option(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index !== -1 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

/** The terminal host: one line per command (host/drivers/terminal-session.ts), until quit or end of input. */
async function main(): Promise<void> {
	const databasePath = option('db', defaultDatabasePath());
	const zipPath = option('zip', defaultZipPath());
	const started = Date.now();
	// Alone on its database: a restart (or the next start) need not wait out its own job locks.
	const host = await LocalHost.start({ databasePath, zipPath, releaseJobLocksOnStop: true });
	console.log(
		`Local host ready in ${Date.now() - started} ms (database ${databasePath}). Type help for commands.`,
	);
	const session = new TerminalSession(
		host,
		host.user(option('user', 'alice')).username,
		option('room', 'general').replace(/^#/, ''),
	);

	const input = readline.createInterface({
		input: process.stdin,
		output: process.stdout,
		terminal: process.stdin.isTTY,
	});
	input.setPrompt(session.prompt());
	input.prompt();
	for await (const line of input) {
		if (['quit', 'exit'].includes(line.trim())) {
			break;
		}
		const output = await session.run(line);
		if (output) {
			console.log(output);
		}
		input.setPrompt(session.prompt());
		input.prompt();
	}
	input.close();
	await host.stop();
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
