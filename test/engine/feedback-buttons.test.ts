// Issue 11, the member's side, through the packaged app: `/feedback list` opens a modal of the
// member's own feedback, ten a page, each entry with its status; Previous and Next update that
// modal in place; Delete asks first, Cancel goes back, Confirm deletes and says so; a forged
// button value never reaches another member's entry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	buttonClick,
	changeStatus,
	feedbackCount,
	fixturePerTest,
	hasButton,
	type IStoredFeedback,
	listText,
	newestFirst,
	sendFeedback,
	shortIdsIn,
	snapshot,
	storedFeedback,
	viewEntries,
	viewLines,
} from './app-fixture';
import { timed } from './timing';
import type { IOpenView, LocalHost } from '../../host';

const LIST_VIEW_ID = 'feedback-list';

/** `/feedback list` typed by a member: the modal opens, and nothing is posted or replied. */
async function openList(host: LocalHost, username: string): Promise<IOpenView> {
	const result = await host.runSlashCommand(username, 'general', '/feedback list');
	assert.deepEqual(result.notifications, [], 'no reply: the list is a modal');
	assert.deepEqual(result.messages, [], 'nothing posted in the room');
	assert.equal(result.view?.viewId, LIST_VIEW_ID, 'the list opened as a modal');
	assert.equal(result.view.surface, 'modal');
	return snapshot(result.view);
}

/** The member's own feedback as stored, in the order the list shows it. */
async function ownFeedback(host: LocalHost, username: string): Promise<IStoredFeedback[]> {
	return newestFirst(
		(await storedFeedback(host)).filter((record) => record.author?.username === username),
	);
}

const short = (record: { id: string }) => record.id.slice(0, 8);

describe("the member's list with buttons", () => {
	const fixture = fixturePerTest('member list');

	it('pages twelve entries with Next and Previous in the one modal, each with its status', async () => {
		const { host } = fixture();
		await timed('12 feedback', async () => {
			for (let index = 1; index <= 12; index += 1) {
				await sendFeedback(host, 'alice', 'general', {
					comment: `entry number ${index}`,
					category: index % 2 === 0 ? 'Idea' : 'Bug',
				});
			}
		});
		const own = await ownFeedback(host, 'alice');
		assert.equal(own.length, 12);
		// One entry of each page moved on by an admin: the list shows the newest status.
		const [newest] = own;
		const oldest = own[11];
		await changeStatus(host, 'admin', newest.id, { status: 'acknowledged' });
		await changeStatus(host, 'admin', newest.id, { status: 'done' });
		await changeStatus(host, 'admin', oldest.id, { status: 'planned' });
		const timelineBefore = host.timeline('general').length;
		const notificationsBefore = host.notifications('alice').length;

		const first = await openList(host, 'alice');
		assert.deepEqual(
			viewEntries(first).map((entry) => entry.shortId),
			own.slice(0, 10).map(short),
			'page 1: the ten newest, newest first',
		);
		assert.deepEqual(
			viewEntries(first).map((entry) => entry.status),
			['Done', ...Array<string>(9).fill('New')],
		);
		assert.equal(viewEntries(first)[0].comment, 'entry number 12');
		assert.ok(viewLines(first).includes('Page 1 of 2'));
		assert.ok(hasButton(first, 'list-page', 'Next'));
		assert.ok(!hasButton(first, 'list-page', 'Previous'), 'no Previous on page 1');

		const second = await host.blockAction(
			'alice',
			'modal',
			buttonClick(first, 'list-page', { label: 'Next' }),
		);
		assert.equal((second.response as { type?: string }).type, 'modal.update');
		assert.equal(second.view?.viewId, LIST_VIEW_ID, 'the same modal, updated');
		assert.deepEqual(
			viewEntries(second.view).map((entry) => [entry.shortId, entry.comment, entry.status]),
			[
				[short(own[10]), 'entry number 2', 'New'],
				[short(oldest), 'entry number 1', 'Planned'],
			],
			'page 2: the two oldest, with their statuses',
		);
		assert.ok(viewLines(second.view).includes('Page 2 of 2'));
		assert.ok(hasButton(second.view, 'list-page', 'Previous'));
		assert.ok(!hasButton(second.view, 'list-page', 'Next'), 'no Next on the last page');

		const back = await host.blockAction(
			'alice',
			'modal',
			buttonClick(second.view, 'list-page', { label: 'Previous' }),
		);
		assert.deepEqual(
			viewEntries(back.view).map((entry) => entry.shortId),
			own.slice(0, 10).map(short),
			'back on page 1',
		);
		assert.ok(viewLines(back.view).includes('Page 1 of 2'));
		assert.deepEqual([...second.refused, ...back.refused], [], 'the client took every update');
		// Paging updates what the member sees: no message per page, no reply.
		assert.equal(host.timeline('general').length, timelineBefore);
		assert.equal(host.notifications('alice').length, notificationsBefore);
	});

	it('shows the page a member asks for (the last one past the end), and an empty list as such', async () => {
		const { host } = fixture();
		const empty = await openList(host, 'bruno');
		assert.deepEqual(viewEntries(empty), []);
		assert.deepEqual(viewLines(empty), [
			'Você ainda não enviou nenhum feedback. Digite /feedback para enviar.',
		]);
		assert.ok(!hasButton(empty, 'list-page'), 'no paging without entries');
		assert.ok(!hasButton(empty, 'list-delete'), 'nothing to delete');

		const sent = await sendFeedback(host, 'bruno', 'general', { comment: 'só uma' });
		const result = await host.runSlashCommand('bruno', 'general', '/feedback list 5');
		assert.equal(result.view?.viewId, LIST_VIEW_ID);
		assert.deepEqual(
			viewEntries(result.view).map((entry) => [entry.shortId, entry.status]),
			[[sent.shortId, 'Novo']],
			'the statuses in the member’s language',
		);
		assert.ok(viewLines(result.view).includes('Página 1 de 1'));
		assert.ok(!hasButton(result.view, 'list-page'), 'one page: no paging');
	});

	it('deletes only after the confirmation: Cancel goes back, Confirm deletes and says so', async () => {
		const { host } = fixture();
		const kept = await sendFeedback(host, 'alice', 'general', { comment: 'keep this one' });
		const doomed = await sendFeedback(host, 'alice', 'general', { comment: 'delete this one' });
		const list = await openList(host, 'alice');
		assert.deepEqual(
			viewEntries(list).map((entry) => entry.comment),
			['delete this one', 'keep this one'],
		);

		const asked = await host.blockAction(
			'alice',
			'modal',
			buttonClick(list, 'list-delete', { valueHolds: doomed.id }),
		);
		assert.equal(asked.view?.viewId, LIST_VIEW_ID, 'the modal asks in place');
		assert.deepEqual(viewLines(asked.view), [
			`Delete feedback ${doomed.shortId}? This cannot be undone.`,
			'delete this one',
		]);
		assert.ok(hasButton(asked.view, 'list-delete-confirm', 'Delete'));
		assert.ok(hasButton(asked.view, 'list-delete-cancel', 'Cancel'));
		assert.equal(feedbackCount(host), 2, 'nothing deleted before the confirmation');

		const cancelled = await host.blockAction(
			'alice',
			'modal',
			buttonClick(asked.view, 'list-delete-cancel'),
		);
		assert.deepEqual(
			viewEntries(cancelled.view).map((entry) => entry.shortId),
			[doomed.shortId, kept.shortId],
			'Cancel goes back to the list, both entries there',
		);
		assert.equal(feedbackCount(host), 2, 'Cancel deleted nothing');

		const askedAgain = await host.blockAction(
			'alice',
			'modal',
			buttonClick(cancelled.view, 'list-delete', { valueHolds: doomed.id }),
		);
		const confirmation = snapshot(askedAgain.view);
		const confirmed = await host.blockAction(
			'alice',
			'modal',
			buttonClick(confirmation, 'list-delete-confirm'),
		);
		assert.equal(confirmed.view?.viewId, LIST_VIEW_ID, 'the list stays open');
		assert.equal(viewLines(confirmed.view)[0], `Feedback ${doomed.shortId} was deleted.`);
		assert.deepEqual(
			viewEntries(confirmed.view).map((entry) => entry.shortId),
			[kept.shortId],
		);
		assert.deepEqual(
			(await storedFeedback(host)).map((record) => record.id),
			[kept.id],
			'exactly that entry is gone',
		);
		assert.deepEqual(shortIdsIn(await listText(host, 'alice', '/feedback list')), [kept.shortId]);

		// The confirmation pressed again (a second click, a stale view): nothing more is deleted.
		const again = await host.blockActionOn(
			'alice',
			confirmation,
			buttonClick(confirmation, 'list-delete-confirm'),
		);
		assert.equal(viewLines(again.view)[0], `Feedback ${doomed.shortId} is no longer there.`);
		assert.deepEqual(
			(await storedFeedback(host)).map((record) => record.id),
			[kept.id],
		);
	});

	it("never deletes another member's entry from a forged button value", async () => {
		const { host } = fixture();
		const brunos = await sendFeedback(host, 'bruno', 'general', { comment: 'bruno’s own' });
		const alices = await sendFeedback(host, 'alice', 'general', { comment: 'alice’s own' });
		const list = await openList(host, 'alice');
		const ownDelete = buttonClick(list, 'list-delete', { valueHolds: alices.id });
		// The value alice's client sent, with bruno's id put in (the member knows the format).
		const forgedValue = String(ownDelete.value).replace(alices.id, brunos.id);
		assert.notEqual(forgedValue, ownDelete.value);

		// Delete on her own list's button, its value forged: no confirmation for bruno's entry.
		const asked = await host.blockAction('alice', 'modal', { ...ownDelete, value: forgedValue });
		assert.equal(viewLines(asked.view)[0], `Feedback ${brunos.shortId} is no longer there.`);
		assert.ok(!hasButton(asked.view, 'list-delete-confirm'), 'nothing to confirm');
		assert.deepEqual(
			viewEntries(asked.view).map((entry) => entry.shortId),
			[alices.shortId],
			'only her own entry is listed',
		);

		// The confirmation itself, forged on a copy of her list: nothing is deleted either.
		const forgedConfirm = await host.blockActionOn('alice', list, {
			blockId: 'list-delete-confirm',
			actionId: 'list-delete-confirm',
			value: forgedValue,
		});
		assert.equal(forgedConfirm.error, undefined, 'the app answered');
		assert.equal(
			viewLines(forgedConfirm.view)[0],
			`Feedback ${brunos.shortId} is no longer there.`,
		);
		// A value that is no entry reference at all shows the list again.
		const garbage = await host.blockActionOn('alice', list, {
			blockId: 'list-delete-confirm',
			actionId: 'list-delete-confirm',
			value: '{"id":"../../etc","p":"x"}',
		});
		assert.equal(garbage.error, undefined);
		assert.equal(garbage.view?.viewId, LIST_VIEW_ID);

		assert.deepEqual(
			(await storedFeedback(host)).map((record) => record.id).sort(),
			[alices.id, brunos.id].sort(),
			'both entries are still there',
		);
		const brunosList = await openList(host, 'bruno');
		assert.deepEqual(
			viewEntries(brunosList).map((entry) => entry.shortId),
			[brunos.shortId],
		);
	});
});
