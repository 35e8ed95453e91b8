import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUIKitResponse, IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { encodeAdminState, encodeEntryRef, FeedbackAction } from '../../src/domain/actions';
import { SettingId } from '../../src/domain/settings';
import { NOTICE_QUIET_MS } from '../../src/domain/statusNotice';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { APP_ID, TestWorld } from '../support/TestWorld';

async function sendFeedback(world: TestWorld, user: IUser, values: Record<string, unknown>) {
	await world.instance.run(user, '');
	const response = await world.instance.submit(user, world.lastView(user), values);
	assert.equal(response.success, true);
}

function feedbackIds(world: TestWorld): Array<string> {
	return world.persistence
		.matching(APP_ID, buildAssociations({ scope: RecordScope.Feedback }))
		.map((record) => (record.data as { id: string }).id);
}

/** The view an answer carries (an update or an opened view). */
function viewOf(response: IUIKitResponse): IUIKitSurface {
	const { view } = response as { view?: IUIKitSurface };
	assert.ok(view, `no view in ${JSON.stringify(response)}`);
	return { ...view, appId: APP_ID } as IUIKitSurface;
}

function textOf(view: IUIKitSurface): string {
	return JSON.stringify(view.blocks);
}

/** The value of the first element with this action id in a view. */
function valueOf(view: IUIKitSurface, actionId: string, index = 0): string {
	const found: Array<string> = [];
	const walk = (node: unknown): void => {
		if (Array.isArray(node)) {
			node.forEach(walk);
		} else if (typeof node === 'object' && node !== null) {
			const element = node as { actionId?: unknown; value?: unknown };
			if (element.actionId === actionId && typeof element.value === 'string') {
				found.push(element.value);
			}
			Object.values(node).forEach(walk);
		}
	};
	walk(view.blocks);
	assert.ok(found[index] !== undefined, `no ${actionId} #${index} in the view`);
	return found[index];
}

/** Presses the first button (or option) with this action id in a view; the view it leads to. */
async function press(
	world: TestWorld,
	user: IUser,
	view: IUIKitSurface,
	actionId: FeedbackAction,
): Promise<IUIKitSurface> {
	return viewOf(await world.instance.click(user, view, actionId, valueOf(view, actionId)));
}

describe("a member's list with buttons", () => {
	it('opens as a modal with statuses, and pages with its buttons', async () => {
		const world = new TestWorld();
		for (let index = 1; index <= 12; index += 1) {
			await sendFeedback(world, world.alice, { comment: `entry ${index}`, category: 'Bug' });
		}
		await world.instance.run(world.alice, 'list');
		const first = world.lastView(world.alice);
		assert.equal(first.type, 'modal');
		assert.match(textOf(first), /entry 12/);
		assert.match(textOf(first), /Status: New/);
		assert.doesNotMatch(textOf(first), /entry 2"/);
		const next = await press(world, world.alice, first, FeedbackAction.ListPage);
		assert.match(textOf(next), /entry 2\b/);
		assert.match(textOf(next), /Page 2 of 2/);
	});

	it('deletes an entry after a confirmation, and not before', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'to delete', category: 'Bug' });
		await world.instance.run(world.alice, 'list');
		const list = world.lastView(world.alice);
		const confirm = await press(world, world.alice, list, FeedbackAction.ListDelete);
		assert.match(textOf(confirm), /cannot be undone/);
		assert.equal(feedbackIds(world).length, 1, 'nothing deleted before the confirmation');
		const back = await press(world, world.alice, confirm, FeedbackAction.ListDeleteCancel);
		assert.match(textOf(back), /to delete/);
		const done = await press(world, world.alice, confirm, FeedbackAction.ListDeleteConfirm);
		assert.match(textOf(done), /was deleted/);
		assert.deepEqual(feedbackIds(world), []);
	});

	it("never deletes another member's entry, even from a forged button", async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.bruno, { comment: 'mine', category: 'Bug' });
		const [id] = feedbackIds(world);
		await world.instance.run(world.alice, 'list');
		const list = world.lastView(world.alice);
		const answer = viewOf(
			await world.instance.click(
				world.alice,
				list,
				FeedbackAction.ListDeleteConfirm,
				encodeEntryRef(id, 1),
			),
		);
		assert.match(textOf(answer), /no longer there/);
		assert.deepEqual(feedbackIds(world), [id]);
	});
});

describe('the admin view', () => {
	async function openAdmin(world: TestWorld, user: IUser = world.admin): Promise<IUIKitSurface> {
		await world.instance.run(user, 'admin');
		return world.lastView(user);
	}

	it('is for admins only: a member is told so and opens nothing', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, 'admin');
		assert.match(world.lastNotice(world.alice), /Only workspace admins/);
		assert.equal(world.openedViews.length, 0);
		await world.instance.run(world.admin, 'admin', world.general, null);
		assert.match(world.lastNotice(world.admin), /type \/feedback admin in the message box/);
	});

	it('opens in a modal with statistics by status, and filters by category and status', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'a bug', category: 'Bug' });
		await sendFeedback(world, world.bruno, { comment: 'an idea', category: 'Idea' });
		const view = await openAdmin(world);
		assert.equal(view.type, 'modal');
		assert.equal(view.id, 'feedback-admin');
		assert.match(textOf(view), /By status: New 2, Acknowledged 0/);
		assert.match(textOf(view), /a bug/);
		assert.match(textOf(view), /an idea/);
		const ideas = viewOf(
			await world.instance.click(
				world.admin,
				view,
				FeedbackAction.AdminFilterCategory,
				encodeAdminState({ page: 1, category: 'Idea', status: null, sort: 'newest' }),
			),
		);
		assert.match(textOf(ideas), /an idea/);
		assert.doesNotMatch(textOf(ideas), /a bug/);
		const planned = viewOf(
			await world.instance.click(
				world.admin,
				view,
				FeedbackAction.AdminFilterStatus,
				encodeAdminState({ page: 1, category: null, status: 'planned' as never, sort: 'newest' }),
			),
		);
		assert.match(textOf(planned), /No feedback matches/);
	});

	it('changes a status with a note; the author is told in their language; stats follow', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.bruno, { comment: 'Falta modo escuro', category: 'Idea' });
		const view = await openAdmin(world);
		const form = await press(world, world.admin, view, FeedbackAction.AdminChangeStatus);
		assert.equal(form.type, 'modal');
		const saved = await world.instance.submitStatus(world.admin, form, {
			status: 'planned',
			note: 'Next release @all',
		});
		assert.equal(saved.success, true);
		assert.equal(world.directRooms.length, 0, 'the author is told by the notice job, later');
		world.advance(NOTICE_QUIET_MS);
		await world.instance.runStatusNotices();
		assert.equal(world.directRooms.length, 1);
		const [dm] = world.roomMessages;
		assert.equal(dm.room.id, world.directRooms[0].id);
		assert.match(
			dm.text ?? '',
			/\nSeu feedback [0-9a-f]{8} \(`Falta modo escuro`\) agora está: Planejado\./,
		);
		assert.match(dm.text ?? '', /Nota da equipe: `Next release @\u2060all`/);
		const after = await openAdmin(world);
		assert.match(textOf(after), /By status: New 0, Acknowledged 0, Planned 1/);
		assert.match(textOf(after), /Status: Planned/);
		await world.instance.run(world.admin, 'stats');
		assert.match(world.lastNotice(world.admin), /By status: New 0, Acknowledged 0, Planned 1/);
	});

	it('tells nobody about anonymous feedback, and refuses a bad status or a long note', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, {
			comment: 'secret',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		const view = await openAdmin(world);
		const form = await press(world, world.admin, view, FeedbackAction.AdminChangeStatus);
		const bad = await world.instance.submitStatus(world.admin, form, { status: 'archived' });
		assert.match(JSON.stringify(bad), /Choose one of the listed statuses/);
		const long = await world.instance.submitStatus(world.admin, form, {
			status: 'done',
			note: 'x'.repeat(501),
		});
		assert.match(JSON.stringify(long), /501 characters; the limit is 500/);
		const ok = await world.instance.submitStatus(world.admin, form, { status: 'done' });
		assert.equal(ok.success, true);
		world.advance(NOTICE_QUIET_MS);
		await world.instance.runStatusNotices();
		assert.equal(world.roomMessages.length, 0);
		assert.equal(world.directRooms.length, 0);
	});

	it('two admins on two instances changing one entry at once: both kept, the newest wins and is told', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.AdminRoles, 'admin, moderator');
		const second = { ...world.clara, roles: ['user', 'moderator'] };
		await sendFeedback(world, world.alice, { comment: 'race', category: 'Bug' });
		const view = await openAdmin(world);
		const form = await press(world, world.admin, view, FeedbackAction.AdminChangeStatus);
		const otherForm = await press(world, second, view, FeedbackAction.AdminChangeStatus);
		const other = world.newInstance();
		const answers = await Promise.all([
			world.instance.submitStatus(world.admin, form, { status: 'planned' }),
			other.submitStatus(second, otherForm, { status: 'declined' }),
		]);
		assert.ok(answers.every((answer) => answer.success));
		const changes = world.persistence.matching(
			APP_ID,
			buildAssociations({ scope: RecordScope.StatusChange }),
		);
		assert.equal(changes.length, 2, 'no change is lost');
		const after = await openAdmin(world);
		const won = /Planned 1, Done 0, Declined 0/.test(textOf(after)) ? 'Planned' : 'Declined';
		assert.match(textOf(after), /Planned 1, Done 0, Declined 0|Planned 0, Done 0, Declined 1/);
		world.advance(NOTICE_QUIET_MS);
		await world.instance.runStatusNotices();
		assert.equal(world.roomMessages.length, 1, 'the author is told once');
		assert.match(world.roomMessages[0].text ?? '', new RegExp(`is now: ${won}\\.`));
		assert.equal(world.directRooms.length, 1, 'in one direct room');
	});

	it('refuses every admin action to a member, forged buttons and forms included', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.bruno, { comment: 'keep me', category: 'Bug' });
		const view = await openAdmin(world);
		const ref = valueOf(view, FeedbackAction.AdminDelete);
		for (const [actionId, value] of [
			[FeedbackAction.AdminDeleteConfirm, ref],
			[FeedbackAction.AdminOpen, ''],
			[FeedbackAction.AdminChangeStatus, valueOf(view, FeedbackAction.AdminChangeStatus)],
			[
				FeedbackAction.AdminPage,
				encodeAdminState({ page: 1, category: null, status: null, sort: 'newest' }),
			],
		] as const) {
			const answer = await world.instance.click(world.alice, view, actionId, value);
			assert.equal((answer as { view?: unknown }).view, undefined, `${actionId} showed nothing`);
		}
		const form = await press(world, world.admin, view, FeedbackAction.AdminChangeStatus);
		const forged = await world.instance.submitStatus(world.alice, form, { status: 'done' });
		assert.match(JSON.stringify(forged), /Only workspace admins/);
		assert.equal(feedbackIds(world).length, 1);
		assert.equal(
			world.persistence.matching(APP_ID, buildAssociations({ scope: RecordScope.StatusChange }))
				.length,
			0,
		);
	});

	it('deletes an entry after a confirmation', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.bruno, { comment: 'remove me', category: 'Bug' });
		const view = await openAdmin(world);
		const confirm = await press(world, world.admin, view, FeedbackAction.AdminDelete);
		assert.match(textOf(confirm), /cannot be undone/);
		assert.equal(feedbackIds(world).length, 1);
		const done = await press(world, world.admin, confirm, FeedbackAction.AdminDeleteConfirm);
		assert.match(textOf(done), /was deleted/);
		assert.deepEqual(feedbackIds(world), []);
	});

	it('opens from the button under /feedback stats', async () => {
		const world = new TestWorld();
		await world.instance.run(world.admin, 'stats');
		const [notice] = world.notifications
			.filter((entry) => entry.user.id === world.admin.id)
			.slice(-1);
		assert.match(JSON.stringify(notice.message.blocks), /admin-open/);
		const answer = await world.instance.click(
			world.admin,
			{ id: 'message', type: 'modal', blocks: [] } as never,
			FeedbackAction.AdminOpen,
			'',
		);
		assert.equal(viewOf(answer).type, 'modal');
		assert.equal((answer as { type?: string }).type, 'modal.open', 'opened from a message');
	});
});
