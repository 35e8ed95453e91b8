// Benchmark only: the message counter of Rocket.Chat's docs ("Managing Internal State"), as
// published. Nothing here is imported from the Feedback app.
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
import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';
import type {
	ISlashCommand,
	SlashCommandContext,
} from '@rocket.chat/apps-engine/definition/slashcommands';

const association = new RocketChatAssociationRecord(
	RocketChatAssociationModel.MISC,
	'message-count',
);

/** The count fields of the stored records, whatever they hold. */
function countsOf(records: ReadonlyArray<object>): number[] {
	return records.map((record) => {
		const { count } = record as { count?: unknown };
		return typeof count === 'number' ? count : 0;
	});
}

/** `/count`: what is stored, in the words the benchmark parses. */
class CountCommand implements ISlashCommand {
	public readonly command = 'count';

	public readonly i18nParamsExample = '';

	public readonly i18nDescription = 'Reports the stored message count';

	public readonly providesPreview = false;

	public async executor(
		context: SlashCommandContext,
		read: IRead,
		modify: IModify,
		_http: IHttp,
		_persistence: IPersistence,
	): Promise<void> {
		const records = await read.getPersistenceReader().readByAssociation(association);
		const counts = countsOf(records);
		// What the recipe's own read gives: `record?.count` on the array.
		const recipeRead = (records as { count?: unknown }).count;
		const text = [
			`Records: ${records.length}`,
			`Largest count: ${counts.length > 0 ? Math.max(...counts) : 0}`,
			`First record's count: ${counts[0] ?? 0}`,
			`The recipe reads: ${String(recipeRead)}`,
		].join('\n');
		const notifier = modify.getNotifier();
		const message = notifier
			.getMessageBuilder()
			.setRoom(context.getRoom())
			.setText(text)
			.getMessage();
		await notifier.notifyUser(context.getSender(), message);
	}
}

export class CounterDocsRecipeApp extends App implements IPostMessageSent {
	// The docs' handler, line for line; only its console.log is left out (it changes no state).
	public async executePostMessageSent(
		_message: IMessage,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
		_modify: IModify,
	): Promise<void> {
		const persis = read.getPersistenceReader();
		try {
			let count = 0;
			// The docs treat the array readByAssociation returns as one record.
			const record = (await persis.readByAssociation(association)) as { count?: number };
			if (record?.count) count = record.count;
			await persistence.createWithAssociation({ count: ++count || 0 }, association);
		} catch (err) {
			return this.getLogger().error(err);
		}
	}

	protected async extendConfiguration(
		configuration: IConfigurationExtend,
		_environmentRead: IEnvironmentRead,
	): Promise<void> {
		await configuration.slashCommands.provideSlashCommand(new CountCommand());
	}
}
