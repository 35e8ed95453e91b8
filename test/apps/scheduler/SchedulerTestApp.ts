// The tests' scheduler app: a slash command (see `command`) and one recurring job, `slow`, due at once when registered, every minute.
// Each run writes `started`, then waits until the test stores a `release` record (or a minute
// passed), then writes `finished`, all under MISC associations the test reads from the database.
import { App } from '@rocket.chat/apps-engine/definition/App';
import type {
	IConfigurationExtend,
	IEnvironmentRead,
	IHttp,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import {
	RocketChatAssociationModel,
	RocketChatAssociationRecord,
} from '@rocket.chat/apps-engine/definition/metadata';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IJobContext } from '@rocket.chat/apps-engine/definition/scheduler';
import type {
	ISlashCommand,
	SlashCommandContext,
} from '@rocket.chat/apps-engine/definition/slashcommands';

// The runtime takes the first export of this file as the App class: export nothing else.

const MAX_WAIT_MS = 60_000;
const POLL_MS = 50;

function misc(id: string): RocketChatAssociationRecord {
	return new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);
}

async function slowRun(
	context: IJobContext,
	read: IRead,
	_modify: IModify,
	_http: IHttp,
	persistence: IPersistence,
): Promise<void> {
	const run = `${String(context.jobId)}:${Date.now()}:${Math.random().toString(36).slice(2)}`;
	await persistence.createWithAssociation({ run, jobId: context.jobId }, misc('started'));
	const until = Date.now() + MAX_WAIT_MS;
	while (Date.now() < until) {
		const release = await read.getPersistenceReader().readByAssociation(misc('release'));
		if (release.length > 0) {
			break;
		}
		await new Promise((resolve) => setTimeout(resolve, POLL_MS));
	}
	await persistence.createWithAssociation({ run, jobId: context.jobId }, misc('finished'));
}

// The command is there so the host can make its registration, part of the app's initialization,
// fail (LocalHost option failAppInitialize). `/scheduler-test env <name>` stores (MISC association
// `env`) what reading that environment variable answers to an app without the `env.read`
// permission (test/host/environment.test.ts); anything else does nothing.
const command: ISlashCommand = {
	command: 'scheduler-test',
	i18nParamsExample: 'env <name>',
	i18nDescription: 'Scheduler test',
	providesPreview: false,
	executor: async (
		context: SlashCommandContext,
		read: IRead,
		_modify: IModify,
		_http: IHttp,
		persistence: IPersistence,
	) => {
		const [sub = '', name = ''] = context.getArguments();
		if (sub !== 'env') {
			return;
		}
		const variables = read.getEnvironmentReader().getEnvironmentVariables();
		const outcome = async (call: () => Promise<unknown>) => {
			try {
				return { answer: (await call()) ?? null };
			} catch (error) {
				return { error: error instanceof Error ? error.message : String(error) };
			}
		};
		const result = {
			name,
			readable: await outcome(() => variables.isReadable(name)),
			set: await outcome(() => variables.isSet(name)),
			value: await outcome(() => variables.getValueByName(name)),
		};
		await persistence.createWithAssociation(result, misc('env'));
	},
};

export class SchedulerTestApp extends App {
	protected async extendConfiguration(
		configuration: IConfigurationExtend,
		_environmentRead: IEnvironmentRead,
	): Promise<void> {
		await configuration.slashCommands.provideSlashCommand(command);
		await configuration.scheduler.registerProcessors([
			{
				id: 'slow',
				processor: slowRun,
				startupSetting: { type: StartupType.RECURRING, interval: '1 minute' },
			},
		]);
	}
}
