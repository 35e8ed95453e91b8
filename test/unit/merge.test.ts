// Merging duplicates from the admin view, in-process (issue 22): the state the buttons carry,
// every refusal, a forged or repeated merge, racing merges, the order by votes and statistics
// that count a merged pair once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUIKitResponse, IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import {
	decodeAdminState,
	decodeMergeRef,
	encodeAdminState,
	encodeMergeRef,
	FeedbackAction,
	FIRST_ADMIN_PAGE,
} from '../../src/domain/actions';
import { heldMerges } from '../../src/domain/merges';
import { FeedbackStatus, statusAfter } from '../../src/domain/status';
import { checkStatusForm } from '../../src/domain/statusForm';
import { LOST_MERGE_SETTLE_AFTER_MS } from '../../src/handlers/MergeSettling';
import { storesFor } from '../../src/persistence/stores';
import type { IFeedbackStores } from '../../src/persistence/stores';
import { APP_ID, TestWorld } from '../support/TestWorld';

const ID_A = '11111111-1111-4111-8111-111111111111';
const ID_B = '22222222-2222-4222-8222-222222222222';
const FORM = '33333333-3333-4333-8333-333333333333';

async function sendFeedback(world: TestWorld, user: IUser, values: Record<string, unknown>) {
	await world.instance.run(user, '');
	const response = await world.instance.submit(user, world.lastView(user), values);
	assert.equal(response.success, true);
	world.tick();
}

function viewOf(response: IUIKitResponse): IUIKitSurface {
	const { view } = response as { view?: IUIKitSurface };
	assert.ok(view, `no view in ${JSON.stringify(response)}`);
	return { ...view, appId: APP_ID } as IUIKitSurface;
}

function textOf(view: IUIKitSurface): string {
	return JSON.stringify(view.blocks);
}

/** Every element with this action id: its value, or its options' labels and values. */
function elements(
	view: IUIKitSurface,
	actionId: string,
): Array<{ value?: string; options?: Array<{ text: { text: string }; value: string }> }> {
	const found: Array<{
		value?: string;
		options?: Array<{ text: { text: string }; value: string }>;
	}> = [];
	const walk = (node: unknown): void => {
		if (Array.isArray(node)) {
			node.forEach(walk);
		} else if (typeof node === 'object' && node !== null) {
			const element = node as { actionId?: unknown };
			if (element.actionId === actionId) {
				found.push(node as never);
			}
			Object.values(node).forEach(walk);
		}
	};
	walk(view.blocks);
	return found;
}

function stores(world: TestWorld): IFeedbackStores {
	return storesFor(world.read().getPersistenceReader(), world.instance.log.logger);
}

/** Stored feedback, oldest first, with their comments. */
async function entries(world: TestWorld): Promise<Array<{ id: string; comment: string }>> {
	const all = await stores(world).feedback.newest(100, world.now());
	return all.items.map(({ id, comment }) => ({ id, comment })).reverse();
}

async function openAdmin(world: TestWorld, user: IUser = world.admin): Promise<IUIKitSurface> {
	await world.instance.run(user, 'admin');
	return world.lastView(user);
}

/** Merge into… on `source`, then the option of `target`: the confirmation. */
async function askToMerge(
	world: TestWorld,
	view: IUIKitSurface,
	sourceId: string,
	targetId: string,
): Promise<IUIKitSurface> {
	const open = elements(view, FeedbackAction.AdminMerge).find((element) =>
		element.value?.includes(sourceId),
	);
	assert.ok(open?.value, `a Merge into… button of ${sourceId}`);
	const form = viewOf(
		await world.instance.click(world.admin, view, FeedbackAction.AdminMerge, open.value),
	);
	const [select] = elements(form, FeedbackAction.AdminMergeTarget);
	const option = select?.options?.find(
		(candidate) => decodeMergeRef(candidate.value)?.targetId === targetId,
	);
	assert.ok(option, `${targetId} is offered in ${textOf(form)}`);
	return viewOf(
		await world.instance.click(world.admin, form, FeedbackAction.AdminMergeTarget, option.value),
	);
}

function mergeButton(confirm: IUIKitSurface): string {
	const [merge] = elements(confirm, FeedbackAction.AdminMergeConfirm);
	assert.ok(merge?.value, 'a Merge button');
	return merge.value;
}

async function confirmMerge(
	world: TestWorld,
	confirm: IUIKitSurface,
	user: IUser = world.admin,
): Promise<IUIKitSurface> {
	return viewOf(
		await world.instance.click(
			user,
			confirm,
			FeedbackAction.AdminMergeConfirm,
			mergeButton(confirm),
		),
	);
}

async function vote(world: TestWorld, memberId: string, feedbackId: string): Promise<void> {
	await stores(world).votes.add(world.writer(), {
		feedbackId,
		memberId,
		voted: true,
		clickId: `click-${memberId}-${feedbackId}`,
		at: world.tick().toISOString(),
	});
}

describe('the admin view state and merge values', () => {
	it('carries the order; an older value without it reads as newest first', () => {
		const votes = { ...FIRST_ADMIN_PAGE, page: 3, sort: 'votes' as const };
		assert.deepEqual(decodeAdminState(encodeAdminState(votes)), votes);
		assert.deepEqual(decodeAdminState(encodeAdminState(FIRST_ADMIN_PAGE)), FIRST_ADMIN_PAGE);
		assert.deepEqual(decodeAdminState('{"p":2,"c":null,"s":"done"}'), {
			page: 2,
			category: null,
			status: 'done',
			sort: 'newest',
		});
		assert.equal(decodeAdminState('{"p":1,"o":"loudest"}').sort, 'newest');
		assert.equal(decodeAdminState('{"p":1,"s":"duplicate"}').status, 'duplicate');
	});

	it('reads a merge back only when its three ids are ids', () => {
		const ref = { sourceId: ID_A, targetId: ID_B, formId: FORM, state: FIRST_ADMIN_PAGE };
		assert.deepEqual(decodeMergeRef(encodeMergeRef(ref)), ref);
		for (const forged of [
			'',
			'not json',
			'null',
			JSON.stringify({ id: ID_A, t: ID_B }),
			JSON.stringify({ id: ID_A, t: 'x', f: FORM }),
			JSON.stringify({ id: `${ID_A}"`, t: ID_B, f: FORM }),
			JSON.stringify({ id: 1, t: ID_B, f: FORM }),
		]) {
			assert.equal(decodeMergeRef(forged), undefined, forged);
		}
	});

	it('two stored copies of one merge are one merge', () => {
		const first = {
			id: FORM,
			sourceId: ID_A,
			targetId: ID_B,
			adminId: 'a',
			at: '2026-12-05T10:00:01.000Z',
		};
		const copy = { ...first, at: '2026-12-05T10:00:02.000Z' };
		const held = heldMerges([copy, first]);
		assert.equal(held.size, 1);
		assert.equal(held.get(ID_A)?.at, first.at);
	});

	it('the status form never sets duplicate: only a merge does', () => {
		assert.deepEqual(checkStatusForm({ status: 'duplicate', note: '' }), {
			field: 'status',
			error: { key: 'error_status_by_merge' },
		});
	});
});

describe('merging duplicates in the admin view', () => {
	it('merges: the duplicate points to its target, votes count once, its author is told where to follow', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'dark mode please', category: 'Idea' });
		await sendFeedback(world, world.clara, { comment: 'need a dark theme', category: 'Idea' });
		const [target, source] = await entries(world);
		await vote(world, 'member-1', target.id);
		await vote(world, 'member-1', source.id);
		await vote(world, 'member-2', source.id);
		const view = await openAdmin(world);
		assert.match(
			textOf(view),
			/Votes: 2 · Followers: 3/,
			'the duplicate before: two voters, and its author',
		);
		const confirm = await askToMerge(world, view, source.id, target.id);
		assert.match(textOf(confirm), new RegExp(`Merge ${source.id.slice(0, 8)} as a duplicate`));
		const done = await confirmMerge(world, confirm);
		assert.match(
			textOf(done),
			new RegExp(`${source.id.slice(0, 8)} is merged into ${target.id.slice(0, 8)}`),
		);
		assert.match(textOf(done), /Its author is told in a direct message/);
		assert.match(textOf(done), new RegExp(`Duplicate of ${target.id.slice(0, 8)}`));
		assert.match(textOf(done), /Status: Duplicate/);
		// member-1 voted on both: counted once; the followers: both authors and both voters.
		assert.match(textOf(done), /Votes: 2 · Followers: 4/);
		const changes = await stores(world).statuses.changesOf(source.id);
		assert.deepEqual(
			changes.map((change) => [change.status, change.note]),
			[['duplicate', target.id.slice(0, 8)]],
		);
		assert.deepEqual(
			(await stores(world).voteRefreshes.pending()).map((note) => [note.feedbackId, note.merge]),
			[[source.id, true]],
			'the counts on both announcements are left to the vote count job',
		);
		world.advance(10 * 60_000);
		await world.instance.runStatusNotices();
		const told = world.roomMessages.map((message) => message.text ?? '').join('\n');
		assert.match(told, /Duplikat/, 'clara reads it in German');
		assert.match(told, new RegExp(`mit ${target.id.slice(0, 8)} zusammengeführt`));
		// Statistics count the pair once.
		await world.instance.run(world.admin, 'stats');
		assert.match(world.lastNotice(world.admin), /Feedback received: 1\b/);
		assert.match(
			world.lastNotice(world.admin),
			/By status: New 1, Acknowledged 0, Planned 0, Done 0, Declined 0/,
		);
	});

	it('a merge confirmed twice stores one merge and one status change', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'one', category: 'Bug' });
		await sendFeedback(world, world.bruno, { comment: 'two', category: 'Bug' });
		const [target, source] = await entries(world);
		const confirm = await askToMerge(world, await openAdmin(world), source.id, target.id);
		await confirmMerge(world, confirm);
		const again = await confirmMerge(world, confirm);
		assert.match(textOf(again), /is merged into/, 'the repeat answers as the first did');
		assert.equal((await stores(world).merges.records()).length, 1);
		assert.equal((await stores(world).statuses.changesOf(source.id)).length, 1);
	});

	it('two admins merging two entries into each other: one merge holds, the other is refused', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'one', category: 'Bug' });
		await sendFeedback(world, world.bruno, { comment: 'two', category: 'Bug' });
		const [a, b] = await entries(world);
		const view = await openAdmin(world);
		const aIntoB = await askToMerge(world, view, a.id, b.id);
		const bIntoA = await askToMerge(world, view, b.id, a.id);
		const other = world.newInstance();
		const [first, second] = await Promise.all([
			world.instance.click(
				world.admin,
				aIntoB,
				FeedbackAction.AdminMergeConfirm,
				mergeButton(aIntoB),
			),
			other.click(world.admin, bIntoA, FeedbackAction.AdminMergeConfirm, mergeButton(bIntoA)),
		]);
		const held = await stores(world).merges.held();
		assert.equal(held.size, 1, 'one merge holds');
		const answers = [textOf(viewOf(first)), textOf(viewOf(second))];
		assert.equal(answers.filter((text) => /is merged into/.test(text)).length, 1);
		assert.equal(answers.filter((text) => /Not merged/.test(text)).length, 1);
		const [kept] = [...held.keys()];
		const loser = kept === a.id ? b.id : a.id;
		assert.deepEqual(
			await stores(world).statuses.changesOf(loser),
			[],
			'the loser stays as it was',
		);
	});

	it('settles two racing merges that both marked their duplicate: the upkeep gives the later one its status back', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'one', category: 'Bug' });
		await sendFeedback(world, world.bruno, { comment: 'two', category: 'Bug' });
		const [a, b] = await entries(world);
		// The merge of a into b is stamped first but lands last: the other admin's merge of b into
		// a read back only itself and marked b as its duplicate before it.
		const stamped = world.tick().toISOString();
		const bIntoA = await askToMerge(world, await openAdmin(world), b.id, a.id);
		assert.match(textOf(await confirmMerge(world, bIntoA)), /is merged into/);
		const formId = '44444444-4444-4444-8444-444444444444';
		await stores(world).merges.add(world.writer(), {
			id: formId,
			sourceId: a.id,
			targetId: b.id,
			adminId: world.admin.id,
			at: stamped,
		});
		await stores(world).statuses.append(world.writer(), {
			id: formId,
			feedbackId: a.id,
			feedbackCreatedAt: stamped,
			status: FeedbackStatus.Duplicate,
			note: b.id.slice(0, 8),
			adminId: world.admin.id,
			at: world.tick().toISOString(),
		});
		const statusOf = async (id: string) => statusAfter(await stores(world).statuses.changesOf(id));
		assert.equal((await stores(world).merges.held()).get(a.id)?.id, formId, 'the earlier holds');
		assert.equal(
			await statusOf(b.id),
			FeedbackStatus.Duplicate,
			'b shows a merge that does not hold',
		);
		await world.instance.handlers.upkeep.run(world.instance.jobRequest());
		assert.equal(
			await statusOf(b.id),
			FeedbackStatus.Duplicate,
			'left alone while it may be underway',
		);
		world.advance(LOST_MERGE_SETTLE_AFTER_MS);
		await world.instance.handlers.upkeep.run(world.instance.jobRequest());
		await world.newInstance().handlers.upkeep.run(world.instance.jobRequest());
		assert.equal(await statusOf(b.id), FeedbackStatus.New, 'b has its status back');
		assert.equal(await statusOf(a.id), FeedbackStatus.Duplicate, 'a stays merged into b');
		assert.deepEqual(
			(await stores(world).merges.records()).map((merge) => merge.id),
			[formId],
			'the lost merge is removed',
		);
		const pending = await stores(world).statusNotices.pending();
		assert.ok(
			pending.some((notice) => notice.feedbackId === b.id && notice.authorId === world.bruno.id),
			"b's author hears of it",
		);
		assert.equal(
			(await stores(world).statuses.changesOf(b.id)).length,
			2,
			'two settling runs store one change',
		);
	});

	it('refuses merging into itself, a gone entry, a merged entry, and back into its duplicate', async () => {
		const world = new TestWorld();
		for (const comment of ['one', 'two', 'three']) {
			await sendFeedback(world, world.alice, { comment, category: 'Bug' });
		}
		const [one, two, three] = await entries(world);
		const view = await openAdmin(world);
		const click = async (ref: Parameters<typeof encodeMergeRef>[0]) =>
			textOf(
				viewOf(
					await world.instance.click(
						world.admin,
						view,
						FeedbackAction.AdminMergeConfirm,
						encodeMergeRef(ref),
					),
				),
			);
		const ref = (sourceId: string, targetId: string, formId = crypto.randomUUID()) => ({
			sourceId,
			targetId,
			formId,
			state: FIRST_ADMIN_PAGE,
		});
		assert.match(await click(ref(one.id, one.id)), /cannot be merged into itself/);
		assert.match(await click(ref(one.id, ID_B)), new RegExp(`${ID_B.slice(0, 8)} was deleted`));
		assert.match(await click(ref(ID_A, one.id)), new RegExp(`${ID_A.slice(0, 8)} was deleted`));
		assert.match(await click(ref(one.id, two.id)), /is merged into/);
		const short = (id: string) => id.slice(0, 8);
		assert.match(
			await click(ref(one.id, three.id)),
			new RegExp(`${short(one.id)} is already merged into ${short(two.id)}`),
		);
		assert.match(
			await click(ref(three.id, one.id)),
			new RegExp(
				`${short(one.id)} is already merged into ${short(two.id)}. Merge ${short(three.id)} into ${short(two.id)} instead`,
			),
		);
		assert.match(
			await click(ref(two.id, one.id)),
			new RegExp(`${short(one.id)} is already merged into ${short(two.id)}; they count as one`),
		);
		assert.equal((await stores(world).merges.records()).length, 1);
	});

	it("refuses a member's forged merge and a malformed one, and logs both", async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'one', category: 'Bug' });
		await sendFeedback(world, world.bruno, { comment: 'two', category: 'Bug' });
		const [target, source] = await entries(world);
		const confirm = await askToMerge(world, await openAdmin(world), source.id, target.id);
		const forged = await world.instance.click(
			world.alice,
			confirm,
			FeedbackAction.AdminMergeConfirm,
			mergeButton(confirm),
		);
		assert.equal((forged as { view?: unknown }).view, undefined, 'nothing shown');
		assert.ok(world.instance.log.warnings.includes('refused merge of alice'));
		const malformed = viewOf(
			await world.instance.click(
				world.admin,
				confirm,
				FeedbackAction.AdminMergeConfirm,
				JSON.stringify({ id: source.id, t: 'not-an-id', f: FORM }),
			),
		);
		assert.match(textOf(malformed), /That merge could not be read/);
		assert.ok(world.instance.log.warnings.includes('refused a malformed merge of admin'));
		assert.equal((await stores(world).merges.records()).length, 0);
	});

	it('sorts by votes (a duplicate’s votes counting for its target), ties newest first', async () => {
		const world = new TestWorld();
		for (const comment of ['oldest', 'middle', 'newest', 'dupe']) {
			await sendFeedback(world, world.alice, { comment, category: 'Bug' });
		}
		const [oldest, middle, newest, dupe] = await entries(world);
		await vote(world, 'm1', middle.id);
		await vote(world, 'm1', oldest.id);
		await vote(world, 'm2', dupe.id);
		const view = await openAdmin(world);
		await confirmMerge(world, await askToMerge(world, view, dupe.id, oldest.id));
		const [sort] = elements(view, FeedbackAction.AdminSort);
		const byVotes = sort.options?.find((option) => option.text.text === 'Most votes first');
		assert.ok(byVotes);
		const sorted = viewOf(
			await world.instance.click(world.admin, view, FeedbackAction.AdminSort, byVotes.value),
		);
		const order = [...textOf(sorted).matchAll(/"entry-([0-9a-f]{8})"/g)].map((match) => match[1]);
		// oldest: m1 and m2 (through dupe); middle: m1; then no votes, newest first.
		assert.deepEqual(
			order,
			[oldest, middle, dupe, newest].map((entry) => entry.id.slice(0, 8)),
		);
		assert.match(textOf(sorted), /"Most votes first"/);
	});

	it('counts a merged pair once in the statistics, and still once after the duplicate is deleted', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'keep', category: 'Bug', rating: '4' });
		await sendFeedback(world, world.bruno, { comment: 'dupe', category: 'Idea', rating: '2' });
		await sendFeedback(world, world.clara, { comment: 'other', category: 'Idea' });
		const [keep, dupe] = await entries(world);
		await confirmMerge(world, await askToMerge(world, await openAdmin(world), dupe.id, keep.id));
		const stats = async () => {
			await world.instance.run(world.admin, 'stats');
			return world.lastNotice(world.admin);
		};
		const merged = await stats();
		assert.match(merged, /Feedback received: 2\b/);
		assert.match(merged, /By category: `Bug` 1, `Idea` 1/);
		assert.match(merged, /Average rating: 4\.0 \(1 rated\)/);
		await world.instance.run(world.admin, `delete ${dupe.id.slice(0, 8)}`);
		assert.equal(await stores(world).feedback.find(dupe.id), undefined);
		assert.deepEqual(await stores(world).merges.records(), [], 'its merge went with it');
		const deleted = await stats();
		assert.match(deleted, /Feedback received: 2\b/);
		assert.match(deleted, /By category: `Bug` 1, `Idea` 1/);
		// Deleting the target instead leaves the duplicate, counted once.
		const world2 = new TestWorld();
		await sendFeedback(world2, world2.alice, { comment: 'keep', category: 'Bug' });
		await sendFeedback(world2, world2.bruno, { comment: 'dupe', category: 'Idea' });
		const [keep2, dupe2] = await entries(world2);
		await confirmMerge(
			world2,
			await askToMerge(world2, await openAdmin(world2), dupe2.id, keep2.id),
		);
		await world2.instance.run(world2.admin, `delete ${keep2.id.slice(0, 8)}`);
		await world2.instance.run(world2.admin, 'stats');
		assert.match(world2.lastNotice(world2.admin), /Feedback received: 1\b/);
	});
});
