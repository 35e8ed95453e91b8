import type { ISlashCommand } from '@rocket.chat/apps-engine/definition/slashcommands';
import { CommandBridge } from '@rocket.chat/apps-engine/server/bridges';

/** A registered slash command and the app it belongs to. */
export interface IRegisteredCommand {
	appId: string;
	command: ISlashCommand;
}

/** The slash command registry, with the server's errors for a missing or disabled command. */
export class LocalCommandBridge extends CommandBridge {
	/** Enabled commands by lower-case name. */
	public readonly commands = new Map<string, IRegisteredCommand>();

	private readonly disabled = new Map<string, IRegisteredCommand>();

	/**
	 * Fault injection: registering a command throws, as the server's would on a database error.
	 * AppManager.initializeApp (apps-engine 1.62) registers the app's commands after its
	 * initialize, so the app's initialization fails here, and the engine then purges the app's
	 * config without keeping jobs: cancelAllJobs, for the whole cluster. (An error thrown inside the
	 * app's initialize would not do: ProxiedApp.call logs and swallows it.)
	 */
	public failRegistrations = false;

	protected async doesCommandExist(command: string): Promise<boolean> {
		const name = command.toLowerCase();
		return this.commands.has(name) || this.disabled.has(name);
	}

	protected async enableCommand(command: string): Promise<void> {
		const name = command.toLowerCase();
		const entry = this.disabled.get(name);
		if (!entry) {
			throw new Error(`The command is not currently disabled: "${name}"`);
		}
		this.commands.set(name, entry);
		this.disabled.delete(name);
	}

	protected async disableCommand(command: string): Promise<void> {
		const name = command.toLowerCase();
		if (this.disabled.has(name)) {
			return;
		}
		const entry = this.commands.get(name);
		if (!entry) {
			throw new Error(`Command does not exist in the system currently: "${name}"`);
		}
		this.disabled.set(name, entry);
		this.commands.delete(name);
	}

	protected async modifyCommand(command: ISlashCommand, appId: string): Promise<void> {
		const name = command.command.toLowerCase();
		if (!this.commands.has(name)) {
			throw new Error(
				`Command does not exist in the system currently (or it is disabled): "${name}"`,
			);
		}
		this.commands.set(name, { appId, command });
	}

	protected async registerCommand(command: ISlashCommand, appId: string): Promise<void> {
		if (this.failRegistrations) {
			throw new Error('Injected fault: registering the slash command failed');
		}
		if (typeof command?.command !== 'string') {
			throw new Error(
				'Invalid Slash Command parameter provided, it must be a valid ISlashCommand object.',
			);
		}
		this.commands.set(command.command.toLowerCase(), { appId, command });
	}

	protected async unregisterCommand(command: string): Promise<void> {
		const name = command.toLowerCase();
		this.commands.delete(name);
		this.disabled.delete(name);
	}
}
