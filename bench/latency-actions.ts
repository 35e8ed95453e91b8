// The latency part's actions, in groups that each leave the workspace as the next expects: the
// read-only commands first (so they see exactly the seeded feedback), then the forms, the
// member's list, the member's deletes, the admin view and the export. Buttons go through the
// host's block action API (ClusterInstance.blockAction), with the ids and values of the element
// on the member's screen, as Rocket.Chat's client sends them.
import { type ActionKey, type Recorder, repeat } from './latency-recorder';
import { shortProblem } from './report-format';
import {
	actionableElements,
	type ClusterInstance,
	type IBlockAction,
	type IClusterBlockActionResult,
	type IOpenView,
} from '../host';
import { ADMIN_VIEW_ID, MEMBER_LIST_VIEW_ID } from '../src/domain/actions';
import { formOfView } from '../src/domain/form';
import { shortIdOf } from '../src/domain/record';
import { FeedbackStatus } from '../src/domain/status';

/** Who does what: fixture members of host/server/directory/fixtures.ts. */
const ROOM = 'general';
const ADMIN = 'admin';
/** Has the seeded entries whose list is timed; her list is never changed. */
export const LISTER = 'alice';
/** Sends the forms; a submit's check reads no text, so her German does not matter. */
const SUBMITTER = 'clara';
/** Has the seeded entries that are deleted; no language of her own, so the workspace's (English). */
export const DELETER = 'dora';

/** What the groups work with at one size. */
export interface ILatencyContext {
	readonly instance: ClusterInstance;
	readonly recorder: Recorder;
	readonly size: number;
	readonly repeats: number;
	readonly budgetMs: number;
	readonly exportRepeats: number;
	/** The deleting member's seeded feedback ids, oldest first. */
	readonly deleterIds: ReadonlyArray<string>;
}

/** A group of actions and the keys it times (those left without a sample get its error). */
export interface IActionGroup {
	readonly name: string;
	readonly keys: ReadonlyArray<ActionKey>;
	run(context: ILatencyContext): Promise<void>;
}

function text(answer: ReadonlyArray<string>): string {
	return answer.join(' · ').slice(0, 200);
}

function expectText(wanted: string | RegExp): (answer: string[]) => string | undefined {
	return (answer) =>
		(
			typeof wanted === 'string'
				? answer.join('\n').includes(wanted)
				: wanted.test(answer.join('\n'))
		)
			? undefined
			: `expected ${String(wanted)}, got: ${text(answer)}`;
}

/** A block action's answer: applied in time, no failed handler, the surface still showing `viewId`. */
function expectSurface(
	surface: 'view' | 'contextualBar',
	isWanted: (viewId: string) => boolean,
): (result: IClusterBlockActionResult) => string | undefined {
	return (result) => {
		if (result.error !== undefined) {
			return `the handler failed: ${result.error}`;
		}
		if (result.timedOut) {
			return 'answered after the client’s 5 s';
		}
		const shown = result[surface]?.viewId;
		return shown !== undefined && isWanted(shown) ? undefined : `then showed ${shown ?? 'nothing'}`;
	};
}

const memberList = expectSurface('view', (id) => id === MEMBER_LIST_VIEW_ID);
const adminModal = expectSurface('view', (id) => id === ADMIN_VIEW_ID);

/** The element with this action id on the screen (the first, or the first whose value fits). */
function click(
	open: IOpenView | undefined,
	actionId: string,
	fits: (value: unknown) => boolean = () => true,
): IBlockAction {
	const found = actionableElements(open?.view.blocks).find(
		(element) => element.actionId === actionId && fits(element.element.value),
	);
	if (!open || !found) {
		throw new Error(`${open?.viewId ?? 'no view'} shows no ${actionId} element that fits`);
	}
	return { blockId: found.blockId, actionId, value: found.element.value };
}

/** A button of some blocks (a message's), as the client sends its click; undefined when none. */
function buttonIn(blocks: unknown[] | undefined, actionId: string): IBlockAction | undefined {
	const found = actionableElements(blocks).find((element) => element.actionId === actionId);
	return found && { blockId: found.blockId, actionId, value: found.element.value };
}

/** A static select's change to the first option whose value fits, as the client sends it. */
function choose(
	open: IOpenView | undefined,
	actionId: string,
	fits: (value: string) => boolean,
): IBlockAction {
	const found = actionableElements(open?.view.blocks).find(
		(element) => element.actionId === actionId,
	);
	const options = Array.isArray(found?.element.options) ? (found.element.options as unknown[]) : [];
	const option = options
		.map((entry) => (entry as { value?: unknown }).value)
		.find((value): value is string => typeof value === 'string' && fits(value));
	if (!open || !found || option === undefined) {
		throw new Error(`${open?.viewId ?? 'no view'} shows no ${actionId} option that fits`);
	}
	return { blockId: found.blockId, actionId, value: option };
}

/** The admin view's state carried by a filter option or a page button (encodeAdminState). */
function adminState(value: unknown): { p?: unknown; c?: unknown; s?: unknown } {
	try {
		return typeof value === 'string' ? (JSON.parse(value) as { p?: unknown }) : {};
	} catch {
		return {};
	}
}

function requireView(open: IOpenView | undefined, what: string): IOpenView {
	if (!open) {
		throw new Error(`${what} is not open`);
	}
	return open;
}

const commands: IActionGroup = {
	name: 'commands',
	keys: ['stats', 'list-all', 'list'],
	async run({ instance, recorder, size, repeats, budgetMs }) {
		// Once each untimed: the app's first call of a path compiles it (the report's "first call" is the read scale's).
		await instance.command(ADMIN, ROOM, '/feedback stats');
		await instance.command(ADMIN, ROOM, '/feedback list all');
		await instance.command(LISTER, ROOM, '/feedback list');
		await repeat(repeats, budgetMs, async () => {
			await recorder.time(
				'stats',
				() => instance.command(ADMIN, ROOM, '/feedback stats'),
				expectText(`Feedback received: ${size}`),
			);
			await recorder.time(
				'list-all',
				() => instance.command(ADMIN, ROOM, '/feedback list all'),
				expectText(`(${size} entries)`),
			);
			await recorder.time('list', () => instance.command(LISTER, ROOM, '/feedback list'));
			const shown = await instance.openView(LISTER);
			if (shown?.viewId !== MEMBER_LIST_VIEW_ID) {
				recorder.problem('list', `the list did not open (${shown?.viewId ?? 'no view'})`);
			}
		});
	},
};

export const forms: IActionGroup = {
	name: 'forms',
	keys: ['form-open', 'submit'],
	async run({ instance, recorder, repeats, budgetMs }) {
		await repeat(repeats, budgetMs, async (index) => {
			await recorder.time('form-open', () => instance.command(SUBMITTER, ROOM, '/feedback'));
			const form = await instance.openView(SUBMITTER);
			if (
				!form ||
				formOfView({ id: form.viewId, submit: form.view.submit as { value?: string } })?.kind !==
					'form'
			) {
				recorder.problem('form-open', `no form opened (${form?.viewId ?? 'no view'})`);
				return;
			}
			await recorder.time(
				'submit',
				() =>
					instance.submit(SUBMITTER, form, {
						comment: `Latency sample ${index}: search is slow`,
						category: 'Bug',
						rating: '4',
					}),
				(result) =>
					result.accepted && !result.timedOut
						? undefined
						: `not accepted${result.timedOut ? ' in time' : ''}: ${JSON.stringify(result.errors)}`,
			);
		});
	},
};

const listButtons: IActionGroup = {
	name: "the member's list",
	keys: ['list-page'],
	async run({ instance, recorder, repeats, budgetMs }) {
		await instance.command(LISTER, ROOM, '/feedback list');
		let view = requireView(await instance.openView(LISTER), `${LISTER}'s list`);
		let page = 1;
		await repeat(repeats, budgetMs, async () => {
			// Next from page 1, Previous from page 2: the member pages back and forth.
			const target = page === 1 ? '2' : '1';
			const action = click(view, 'list-page', (value) => value === target);
			const result = await recorder.time(
				'list-page',
				() => instance.blockAction(LISTER, view, action, ROOM),
				memberList,
			);
			view = result.view ?? view;
			page = Number(target);
		});
	},
};

const memberDeletes: IActionGroup = {
	name: "the member's deletes",
	keys: ['delete', 'list-delete', 'list-delete-confirm', 'list-delete-cancel'],
	async run({ instance, recorder, repeats, budgetMs, deleterIds }) {
		// The command deletes the oldest entries, the list's buttons the newest: never the same one.
		const oldest = [...deleterIds];
		await repeat(repeats, budgetMs, async () => {
			const id = oldest.shift();
			if (id === undefined) {
				recorder.problem('delete', `${DELETER} has no seeded entry left to delete`);
				return;
			}
			await recorder.time(
				'delete',
				() => instance.command(DELETER, ROOM, `/feedback delete ${shortIdOf(id)}`),
				expectText(`${shortIdOf(id)} was deleted`),
			);
		});
		await instance.command(DELETER, ROOM, '/feedback list');
		let view = requireView(await instance.openView(DELETER), `${DELETER}'s list`);
		await repeat(repeats, budgetMs, async (index) => {
			const asked = await recorder.time(
				'list-delete',
				() => instance.blockAction(DELETER, view, click(view, 'list-delete'), ROOM),
				memberList,
			);
			view = requireView(asked.view, 'the confirmation');
			// Every other one is cancelled, so both buttons of the confirmation are timed.
			const key = index % 2 === 0 ? 'list-delete-confirm' : 'list-delete-cancel';
			const done = await recorder.time(
				key,
				() => instance.blockAction(DELETER, view, click(view, key), ROOM),
				memberList,
			);
			view = requireView(done.view, `${DELETER}'s list`);
		});
	},
};

const TRIAGE = [
	FeedbackStatus.Acknowledged,
	FeedbackStatus.Planned,
	FeedbackStatus.Done,
	FeedbackStatus.Declined,
];

const adminView: IActionGroup = {
	name: 'the admin view',
	keys: [
		'admin-open',
		'stats-admin-open',
		'admin-page',
		'admin-filter-category',
		'admin-filter-status',
		'admin-change-status',
		'status-submit',
		'admin-delete',
		'admin-delete-confirm',
		'admin-delete-cancel',
	],
	async run({ instance, recorder, repeats, budgetMs }) {
		const act = async (key: ActionKey, bar: IOpenView, action: IBlockAction) =>
			recorder.time(key, () => instance.blockAction(ADMIN, bar, action, ROOM), adminModal);
		const untimed = async (bar: IOpenView, action: IBlockAction) =>
			requireView((await instance.blockAction(ADMIN, bar, action, ROOM)).view, 'the admin view');
		await repeat(repeats, budgetMs, async (index) => {
			// The button under the stats reply, clicked in that ephemeral message.
			const statsReply = (await instance.commandMessages(ADMIN, ROOM, '/feedback stats')).find(
				(message) => buttonIn(message.blocks, 'admin-open'),
			);
			const openButton = buttonIn(statsReply?.blocks, 'admin-open');
			if (!statsReply || !openButton) {
				throw new Error('the stats reply shows no admin-open button');
			}
			await recorder.time(
				'stats-admin-open',
				() => instance.blockActionInMessage(ADMIN, statsReply.id, openButton, ROOM),
				adminModal,
			);
			await recorder.time('admin-open', () => instance.command(ADMIN, ROOM, '/feedback admin'));
			let bar = requireView(await instance.openView(ADMIN), 'the admin view');
			// Next, then Previous: both are page changes.
			bar = requireView((await act('admin-page', bar, click(bar, 'admin-page'))).view, 'page 2');
			const back = click(bar, 'admin-page', (value) => adminState(value).p === 1);
			bar = requireView((await act('admin-page', bar, back)).view, 'page 1');
			// A filter is timed when chosen; going back to all is not (it is the unfiltered page).
			const bug = choose(bar, 'admin-filter-category', (value) => adminState(value).c === 'Bug');
			bar = requireView((await act('admin-filter-category', bar, bug)).view, 'Bug');
			bar = await untimed(
				bar,
				choose(bar, 'admin-filter-category', (value) => adminState(value).c === null),
			);
			const fresh = choose(
				bar,
				'admin-filter-status',
				(value) => adminState(value).s === FeedbackStatus.New,
			);
			bar = requireView((await act('admin-filter-status', bar, fresh)).view, 'New');
			bar = await untimed(
				bar,
				choose(bar, 'admin-filter-status', (value) => adminState(value).s === null),
			);
			// Change status turns the admin view into the status form; its submit stores the change.
			const opened = await recorder.time(
				'admin-change-status',
				() => instance.blockAction(ADMIN, bar, click(bar, 'admin-change-status'), ROOM),
				adminModal,
			);
			const form = requireView(opened.view, 'the status form');
			const statusField = actionableElements(form.view.blocks).find((element) =>
				element.actionId.startsWith('status:'),
			);
			if (!statusField) {
				throw new Error('the admin view shows no status form');
			}
			await recorder.time(
				'status-submit',
				() =>
					instance.submit(ADMIN, form, { [statusField.actionId]: TRIAGE[index % TRIAGE.length] }),
				(result) =>
					result.accepted && !result.timedOut
						? undefined
						: `not accepted: ${JSON.stringify(result.errors)}`,
			);
			bar = requireView(await instance.openView(ADMIN), 'the admin view');
			bar = requireView(
				(await act('admin-delete', bar, click(bar, 'admin-delete'))).view,
				'the confirmation',
			);
			const key = index % 2 === 0 ? 'admin-delete-confirm' : 'admin-delete-cancel';
			await act(key, bar, click(bar, key));
		});
	},
};

/** Every group but the export, in the order they run. */
export const ACTION_GROUPS: ReadonlyArray<IActionGroup> = [
	commands,
	forms,
	listButtons,
	memberDeletes,
	adminView,
];

/**
 * Exports everything up to `exportRepeats` times; resolves with the first failure (an answer
 * that is not the export's, or the engine's own timeout), after which it stops: a failed export
 * may still be running in the app's process.
 */
export async function timeExports(
	{ instance, recorder, exportRepeats, budgetMs }: ILatencyContext,
	key: 'export' | 'export-parts',
): Promise<string | undefined> {
	let failed: string | undefined;
	await repeat(exportRepeats, budgetMs, async () => {
		if (failed !== undefined) {
			return;
		}
		try {
			const answer = await recorder.time(key, () =>
				instance.command(ADMIN, ROOM, '/feedback export'),
			);
			if (!/^Exported \d+ feedback entries/.test(answer.join('\n'))) {
				failed = `the app answered "${text(answer)}"`;
			}
		} catch (error) {
			failed = `the call failed: ${shortProblem(error instanceof Error ? error.message : String(error))}`;
		}
	});
	return failed;
}
