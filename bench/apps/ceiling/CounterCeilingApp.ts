// Benchmark only: an IPostMessageSent listener that does nothing. Run on the same cluster, stream
// and concurrency as the counters, its events/s is what the platform itself allows (the engine
// handing each message to the app's Deno process and waiting for its answer), the ceiling any
// counter is compared with. Nothing here is imported from the Feedback app.
import { App } from '@rocket.chat/apps-engine/definition/App';
import type {
	IConfigurationExtend,
	IEnvironmentRead,
	IHttp,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage, IPostMessageSent } from '@rocket.chat/apps-engine/definition/messages';
import type {
	ISlashCommand,
	SlashCommandContext,
} from '@rocket.chat/apps-engine/definition/slashcommands';

/** `/ceiling`: answers at once; the benchmark runs it to warm each instance up, as the counters' reads. */
class CeilingCommand implements ISlashCommand {
	public readonly command = 'ceiling';

	public readonly i18nParamsExample = '';

	public readonly i18nDescription = 'Answers that the ceiling app is running';

	public readonly providesPreview = false;

	public async executor(
		context: SlashCommandContext,
		_read: IRead,
		modify: IModify,
		_http: IHttp,
		_persistence: IPersistence,
	): Promise<void> {
		const notifier = modify.getNotifier();
		const message = notifier
			.getMessageBuilder()
			.setRoom(context.getRoom())
			.setText('The ceiling app counts nothing.')
			.getMessage();
		await notifier.notifyUser(context.getSender(), message);
	}
}

export class CounterCeilingApp extends App implements IPostMessageSent {
	public async executePostMessageSent(
		_message: IMessage,
		_read: IRead,
		_http: IHttp,
		_persistence: IPersistence,
		_modify: IModify,
	): Promise<void> {
		// Nothing: the time of this call is the platform's alone.
	}

	protected async extendConfiguration(
		configuration: IConfigurationExtend,
		_environmentRead: IEnvironmentRead,
	): Promise<void> {
		await configuration.slashCommands.provideSlashCommand(new CeilingCommand());
	}
}
