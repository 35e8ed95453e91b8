// Benchmark only: a message counter that reads the count, then writes count + 1 with
// updateByAssociation and upsert, the pattern of Rocket.Chat's demo app and of most published
// apps. Nothing here is imported from the Feedback app.
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
		const text = [
			`Records: ${records.length}`,
			`Largest count: ${counts.length > 0 ? Math.max(...counts) : 0}`,
			`First record's count: ${counts[0] ?? 0}`,
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

export class CounterReadUpdateApp extends App implements IPostMessageSent {
	public async executePostMessageSent(
		_message: IMessage,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
		_modify: IModify,
	): Promise<void> {
		try {
			const [record] = await read.getPersistenceReader().readByAssociation(association);
			const { count } = (record ?? {}) as { count?: unknown };
			const current = typeof count === 'number' ? count : 0;
			// Upsert: the first message creates the record, later ones replace its data.
			await persistence.updateByAssociation(association, { count: current + 1 }, true);
		} catch (err) {
			this.getLogger().error(err);
		}
	}

	protected async extendConfiguration(
		configuration: IConfigurationExtend,
		_environmentRead: IEnvironmentRead,
	): Promise<void> {
		await configuration.slashCommands.provideSlashCommand(new CountCommand());
	}
}
