// Tests only: a tiny app that exercises the local host's block actions and direct rooms
// (test/host/block-actions.test.ts, test/host/direct-rooms.test.ts, test/host/message-updates.test.ts,
// test/host/environment.test.ts, test/web/blocks-page.test.ts)
// without depending on the Feedback app. Nothing here is imported from the Feedback app.
import { App } from '@rocket.chat/apps-engine/definition/App';
import type {
	IHttp,
	IModify,
	IPersistence,
	IRead,
	IUIKitSurfaceViewParam,
	IConfigurationExtend,
	IEnvironmentRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type {
	ISlashCommand,
	SlashCommandContext,
} from '@rocket.chat/apps-engine/definition/slashcommands';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type {
	IUIKitResponse,
	UIKitBlockInteractionContext,
	UIKitViewCloseInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { LayoutBlock } from '@rocket.chat/ui-kit';

// The runtime takes the first export of this file as the App class: export nothing else.

/** The view ids: one modal, one contextual bar. */
const MODAL_ID = 'blocks-modal';
const BAR_ID = 'blocks-bar';

function plain(text: string) {
	return { type: 'plain_text' as const, text, emoji: false };
}

function button(appId: string, actionId: string, text: string, value: string) {
	return { type: 'button' as const, appId, blockId: actionId, actionId, text: plain(text), value };
}

function select(appId: string, actionId: string, values: string[]) {
	return {
		type: 'static_select' as const,
		appId,
		blockId: actionId,
		actionId,
		placeholder: plain('Choose'),
		options: values.map((value) => ({ text: plain(value), value })),
	};
}

/** The modal: a page number with previous/next buttons, a select, a text input. */
function modalView(appId: string, page: number, picked?: string): IUIKitSurfaceViewParam {
	const blocks: LayoutBlock[] = [
		{ type: 'section', blockId: 'page-text', text: plain(`Page ${page}`) },
		{
			type: 'actions',
			blockId: 'paging',
			elements: [
				button(appId, 'page', 'Previous', String(page - 1)),
				button(appId, 'page', 'Next', String(page + 1)),
			],
		},
		{
			type: 'actions',
			blockId: 'picking',
			elements: [select(appId, 'pick', ['red', 'green', 'blue'])],
		},
		{ type: 'section', blockId: 'picked-text', text: plain(`Picked: ${picked ?? 'nothing'}`) },
		{
			type: 'input',
			blockId: 'note',
			label: plain('Note'),
			optional: true,
			element: { type: 'plain_text_input', appId, blockId: 'note', actionId: 'note' },
		},
	] as LayoutBlock[];
	return {
		id: MODAL_ID,
		type: UIKitSurfaceType.MODAL,
		title: plain('Blocks modal'),
		blocks,
		submit: { type: 'button', actionId: 'submit', text: plain('Save'), blockId: 'submit', appId },
		close: { type: 'button', actionId: 'close', text: plain('Cancel'), blockId: 'close', appId },
	} as IUIKitSurfaceViewParam;
}

/** The contextual bar: a click counter, a filter select, buttons that open a modal or push an update. */
function barView(appId: string, count: number, filter: string, note = ''): IUIKitSurfaceViewParam {
	const blocks = [
		{ type: 'section', blockId: 'count-text', text: plain(`Clicks: ${count}`) },
		{ type: 'section', blockId: 'filter-text', text: plain(`Filter: ${filter}`) },
		...(note ? [{ type: 'section', blockId: 'note-text', text: plain(note) }] : []),
		{
			type: 'actions',
			blockId: 'bar-actions',
			elements: [
				button(appId, 'count', 'Count', String(count)),
				button(appId, 'open-modal', 'Open modal', 'open'),
				button(appId, 'push', 'Push update', String(count)),
			],
		},
		{
			type: 'actions',
			blockId: 'filtering',
			elements: [select(appId, 'filter', ['all', 'bug', 'idea'])],
		},
	] as LayoutBlock[];
	return {
		id: BAR_ID,
		type: UIKitSurfaceType.CONTEXTUAL_BAR,
		title: plain('Blocks bar'),
		blocks,
	} as IUIKitSurfaceViewParam;
}

/** A room message with a "Me too" button counting its clicks: each click edits the message. */
function voteBlocks(count: number): LayoutBlock[] {
	return [
		{
			type: 'actions',
			blockId: 'vote-actions',
			elements: [
				{
					type: 'button',
					actionId: 'vote',
					text: plain(`Me too (${count})`),
					value: String(count),
				},
			],
		},
	] as unknown as LayoutBlock[];
}

/** What the app received in a block action, logged as JSON for the tests to read. */
function describeAction(data: ReturnType<UIKitBlockInteractionContext['getInteractionData']>) {
	return {
		actionId: data.actionId,
		blockId: data.blockId,
		value: data.value ?? null,
		container: data.container,
		room: data.room ? { id: data.room.id, type: data.room.type } : null,
		message: data.message ? { id: data.message.id, text: data.message.text } : null,
		user: data.user.username,
		triggerId: typeof data.triggerId === 'string' && data.triggerId.length > 0 ? 'given' : 'none',
		appId: data.appId,
	};
}

/** The direct room of the app's user and a member: found, else started by the app's user. */
async function directRoom(
	read: IRead,
	modify: IModify,
	appUser: IUser,
	member: IUser,
): Promise<{ room: IRoom; created: boolean }> {
	const usernames = [appUser.username, member.username];
	const existing = await read.getRoomReader().getDirectByUsernames(usernames);
	if (existing) {
		return { room: existing, created: false };
	}
	const builder = modify
		.getCreator()
		.startRoom()
		.setType(RoomType.DIRECT_MESSAGE)
		.setCreator(appUser)
		.setMembersToBeAddedByUsernames(usernames);
	const id = await modify.getCreator().finish(builder);
	const room = await read.getRoomReader().getById(id);
	if (!room) {
		throw new Error(`the direct room ${id} cannot be read back`);
	}
	return { room, created: true };
}

/** `/blocks modal|bar|notify|post|vote [custom]|dm <username>|twice|env <name>`. */
class BlocksCommand implements ISlashCommand {
	public readonly command = 'blocks';

	public readonly i18nParamsExample =
		'modal | bar | notify | post | vote [custom] | dm <username> | twice | env <name>';

	public readonly i18nDescription = 'Opens the test app’s views';

	public readonly providesPreview = false;

	constructor(private readonly appId: string) {}

	/** What each environment variable read answers for a name: its value, or its error. */
	private async environmentRead(read: IRead, name: string): Promise<string> {
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
		return `env ${JSON.stringify(result)}`;
	}

	public async executor(
		context: SlashCommandContext,
		read: IRead,
		modify: IModify,
		_http: IHttp,
		_persistence: IPersistence,
	): Promise<void> {
		const [sub = '', argument = ''] = context.getArguments();
		const user = context.getSender();
		const room = context.getRoom();
		// REST commands.run may send none: then the client shows no view anyway.
		const triggerId = context.getTriggerId() ?? '';
		const ui = modify.getUiController();
		const tell = async (text: string, blocks?: LayoutBlock[]) => {
			const message = modify.getNotifier().getMessageBuilder().setRoom(room).setText(text);
			if (blocks) {
				message.setBlocks(blocks);
			}
			await modify.getNotifier().notifyUser(user, message.getMessage());
		};
		switch (sub) {
			case 'modal':
				await ui.openSurfaceView(modalView(this.appId, 1), { triggerId }, user);
				return;
			case 'bar':
				await ui.openSurfaceView(barView(this.appId, 0, 'all'), { triggerId }, user);
				return;
			case 'twice':
				// The second view reuses a triggerId the client already used: it is dropped.
				await ui.openSurfaceView(modalView(this.appId, 1), { triggerId }, user);
				await ui.openSurfaceView(barView(this.appId, 0, 'all'), { triggerId }, user);
				return;
			case 'notify':
				// notifyUser adds no appId to blocks: the first button names its app, the second does not.
				await tell('An ephemeral message with buttons', [
					{
						type: 'actions',
						blockId: 'ephemeral-actions',
						appId: this.appId,
						elements: [button(this.appId, 'message-click', 'Click me', 'ephemeral')],
					},
					{
						type: 'actions',
						blockId: 'orphan-actions',
						elements: [
							{
								type: 'button',
								blockId: 'orphan-actions',
								actionId: 'orphan',
								text: plain('No app'),
								value: 'orphan',
							},
						],
					},
				] as LayoutBlock[]);
				return;
			case 'post': {
				const message = modify
					.getCreator()
					.startMessage()
					.setRoom(room)
					.setText('A room message with a button')
					.setBlocks([
						{
							type: 'actions',
							blockId: 'room-actions',
							elements: [
								{
									type: 'button',
									actionId: 'message-click',
									text: plain('Click me too'),
									value: 'room',
								},
							],
						},
					] as unknown as LayoutBlock[]);
				await modify.getCreator().finish(message);
				return;
			}
			case 'vote': {
				// `custom` adds the custom field the server's default schema requires.
				const message = modify
					.getCreator()
					.startMessage()
					.setRoom(room)
					.setText('A message to vote on')
					.setBlocks(voteBlocks(0));
				if (argument === 'custom') {
					message.addCustomField('priority', 'high');
				}
				await modify.getCreator().finish(message);
				return;
			}
			case 'dm': {
				const appUser = await read.getUserReader().getAppUser();
				const member = await read.getUserReader().getByUsername(argument || user.username);
				if (!appUser || !member) {
					await tell(`dm: no such user ${argument}`);
					return;
				}
				const { room: direct, created } = await directRoom(read, modify, appUser, member);
				const text = `Hello @${member.username}, this is *private* and _just for you_`;
				await modify
					.getCreator()
					.finish(
						modify.getCreator().startMessage().setRoom(direct).setSender(appUser).setText(text),
					);
				await tell(`dm ${direct.id} ${created ? 'created' : 'found'}`);
				return;
			}
			case 'env':
				await tell(await this.environmentRead(read, argument));
				return;
			default:
				await tell(
					'Usage: /blocks modal | bar | notify | post | vote [custom] | dm <username> | twice | env <name>',
				);
		}
	}
}

export class BlocksTestApp extends App {
	public async executeBlockActionHandler(
		context: UIKitBlockInteractionContext,
		read: IRead,
		_http: IHttp,
		_persistence: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		const data = context.getInteractionData();
		const responder = context.getInteractionResponder();
		const appId = this.getID();
		this.getLogger().info(`blockAction ${JSON.stringify(describeAction(data))}`);
		const value = typeof data.value === 'string' ? data.value : '';
		switch (data.actionId) {
			case 'page':
				return responder.updateModalViewResponse(modalView(appId, Number(value) || 1));
			case 'pick':
				return responder.updateModalViewResponse(modalView(appId, 1, value));
			case 'count':
				return responder.updateContextualBarViewResponse(
					barView(appId, (Number(value) || 0) + 1, 'all'),
				);
			case 'filter':
				return responder.updateContextualBarViewResponse(barView(appId, 0, value));
			case 'open-modal':
				return responder.openModalViewResponse(modalView(appId, 1));
			case 'push':
				// Pushed through the UI controller with the action's triggerId, then a plain success.
				await modify
					.getUiController()
					.updateSurfaceView(
						barView(appId, Number(value) || 0, 'all', 'pushed'),
						{ triggerId: data.triggerId },
						data.user,
					);
				return responder.successResponse();
			case 'message-click':
				return responder.openModalViewResponse(modalView(appId, 1, value));
			case 'vote':
				await this.countVote(data, read, modify, (Number(value) || 0) + 1);
				return responder.successResponse();
			default:
				return responder.successResponse();
		}
	}

	public async executeViewSubmitHandler(
		context: UIKitViewSubmitInteractionContext,
		_read: IRead,
		_http: IHttp,
		_persistence: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		const { view, triggerId, user } = context.getInteractionData();
		this.getLogger().info(
			`viewSubmit ${JSON.stringify({ id: view.id, state: view.state ?? null })}`,
		);
		const responder = context.getInteractionResponder();
		const state = (view.state ?? {}) as Record<string, Record<string, unknown> | undefined>;
		const note = state.note?.note;
		// The modal needs a note: an inline error, as a form answers.
		if (view.id === MODAL_ID && (typeof note !== 'string' || note.trim() === '')) {
			return responder.viewErrorResponse({ viewId: view.id, errors: { note: 'Write a note' } });
		}
		// The contextual bar beside the modal hears of it through the submit's triggerId (a
		// contextual_bar.update answer would keep the modal open), then the modal closes.
		await modify
			.getUiController()
			.updateSurfaceView(
				barView(this.getID(), 0, 'all', `Saved: ${String(note)}`),
				{ triggerId },
				user,
			);
		return responder.successResponse();
	}

	public async executeViewClosedHandler(
		context: UIKitViewCloseInteractionContext,
	): Promise<IUIKitResponse> {
		const { view, isCleared } = context.getInteractionData();
		this.getLogger().info(`viewClosed ${JSON.stringify({ id: view.id, isCleared })}`);
		return context.getInteractionResponder().successResponse();
	}

	/**
	 * Edits the clicked message in place with the new count, as the app's user (the updater reads
	 * the message back first: `message.read`). A refusal is logged and told to the member.
	 */
	private async countVote(
		data: ReturnType<UIKitBlockInteractionContext['getInteractionData']>,
		read: IRead,
		modify: IModify,
		count: number,
	): Promise<void> {
		try {
			const appUser = await read.getUserReader().getAppUser();
			if (!data.message?.id || !appUser) {
				throw new Error('no message or no app user');
			}
			const builder = await modify.getUpdater().message(data.message.id, appUser);
			builder.setBlocks(voteBlocks(count));
			await modify.getUpdater().finish(builder);
			// The clicked message as the server handed it over: its blocks as they were shown.
			const [block] = (data.message.blocks ?? []) as Array<{
				elements?: Array<{ text?: { text?: string } }>;
			}>;
			const shown = block?.elements?.[0]?.text?.text ?? null;
			this.getLogger().info(`voteCounted ${JSON.stringify({ count, shown })}`);
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			this.getLogger().info(`updateFailed ${JSON.stringify({ reason })}`);
			if (data.room) {
				const notice = modify
					.getNotifier()
					.getMessageBuilder()
					.setRoom(data.room)
					.setText(`Update failed: ${reason}`);
				await modify.getNotifier().notifyUser(data.user, notice.getMessage());
			}
		}
	}

	protected async extendConfiguration(
		configuration: IConfigurationExtend,
		_environmentRead: IEnvironmentRead,
	): Promise<void> {
		await configuration.slashCommands.provideSlashCommand(new BlocksCommand(this.getID()));
	}
}
