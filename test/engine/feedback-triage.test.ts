// Issue 11, the admins' side, through the packaged app: the admin view, one modal (opened by
// /feedback admin and by the button under /feedback stats), on Rocket.Chat's web client and on its
// mobile app, which shows modals only (issue 19): its statistics by status,
// filters and pages; a status change with a note, answered to a named author in a direct message
// from the app in their language; inline errors; delete with a confirmation; and a member who is
// refused every admin action, forged block actions and a forged status form included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	appLogLines,
	appUsername,
	buttonClick,
	changeStatus,
	chosenLabel,
	isFiledByCreation,
	elementsIn,
	feedbackCount,
	fixturePerTest,
	hasButton,
	type ISentFeedback,
	type IStoredStatusChange,
	newestFirst,
	openAdminView,
	openStatusForm,
	reply,
	statusFormActions,
	runStatusNotices,
	selectChoice,
	selectIn,
	sendFeedback,
	SETTING,
	snapshot,
	statusChanges,
	storedFeedback,
	viewEntries,
	viewLines,
} from './app-fixture';
import { timed } from './timing';
import { CLIENT_KINDS, type IBlockAction, type IOpenView, type LocalHost } from '../../host';
import { assertMemberTextInert } from '../support/messageSafety';

const ADMIN_VIEW_ID = 'feedback-admin';
const ADMIN_REFUSED = 'Only workspace admins can use the admin view.';
const STATS_REFUSED = 'Only workspace admins can see feedback statistics.';
const NO_CHANGE_YET = 'Median time to the first status change: no status was changed yet';

/** The statistics line of counts by status. */
function byStatusLine(source: IOpenView | undefined): string {
	const line = viewLines(source).find((candidate) => candidate.startsWith('By status: '));
	assert.ok(line, `a By status line in ${JSON.stringify(viewLines(source))}`);
	return line;
}

/** What an admin button answered: the admin view, updated. */
async function clickInView(
	host: LocalHost,
	username: string,
	action: IBlockAction,
): Promise<IOpenView> {
	const result = await host.blockAction(username, 'modal', action);
	assert.equal(result.error, undefined, 'the app answered');
	assert.deepEqual(result.refused, [], 'the client took the answer');
	assert.equal(result.view?.viewId, ADMIN_VIEW_ID, 'the admin view is still open');
	return snapshot(result.view);
}

/** The short ids of what the view lists, in order. */
const shownIds = (view: IOpenView | undefined) => viewEntries(view).map((entry) => entry.shortId);

for (const client of CLIENT_KINDS) {
	describe(`the admin view (${client} client)`, () => {
		const fixture = fixturePerTest(`admin view, ${client}`, { clients: { admin: client } });

		it('opens with /feedback admin in a modal: statistics, then everyone’s feedback newest first', async () => {
			const { host } = fixture();
			const named = await sendFeedback(host, 'alice', 'general', {
				comment: 'the search is slow',
				category: 'Bug',
				rating: '2',
			});
			const anonymous = await sendFeedback(host, 'bruno', 'feedback', {
				comment: 'um segredo',
				category: 'Idea',
				anonymous: ['anonymous'],
			});
			const result = await host.runSlashCommand('admin', 'general', '/feedback admin');
			assert.deepEqual(result.notifications, [], 'no reply');
			assert.deepEqual(result.refused, [], 'the client shows it');
			assert.equal(result.contextualBar, undefined, 'no contextual bar');
			const bar = result.view;
			assert.equal(bar?.viewId, ADMIN_VIEW_ID);
			assert.equal(bar.surface, 'modal');
			assert.equal((bar.view.title as { text?: string }).text, 'Feedback admin');
			const lines = viewLines(bar);
			assert.deepEqual(lines.slice(0, 9), [
				'Feedback received: 2',
				'By category: Bug 1, Idea 1',
				'Average rating: 2.0 (1 rated)',
				'Distinct contributors: 1',
				'Sent anonymously: 1',
				'Messages sent on the server: 0',
				'Feedback per 1000 messages: not available until messages are sent',
				'By status: New 2, Acknowledged 0, Planned 0, Done 0, Declined 0',
				NO_CHANGE_YET,
			]);
			const entries = viewEntries(bar);
			assert.deepEqual(
				entries.map((entry) => [entry.shortId, entry.comment, entry.status]),
				newestFirst(await storedFeedback(host)).map((record) => [
					record.id.slice(0, 8),
					record.comment,
					'New',
				]),
			);
			const heading = (sent: ISentFeedback) =>
				entries.find((entry) => entry.shortId === sent.shortId)?.heading ?? '';
			assert.match(heading(named), / · Bug · 2\/5 · alice · Status: New$/);
			assert.match(heading(anonymous), / · Idea · no rating · anonymous · Status: New$/);
			assert.doesNotMatch(heading(anonymous), /bruno/, 'an anonymous author is never shown');
			for (const sent of [named, anonymous]) {
				assert.ok(hasButton(bar, 'admin-change-status', 'Change status'));
				buttonClick(bar, 'admin-change-status', { valueHolds: sent.id });
				buttonClick(bar, 'admin-delete', { valueHolds: sent.id });
			}
			assert.equal(chosenLabel(bar, 'admin-filter-category'), 'All');
			assert.equal(chosenLabel(bar, 'admin-filter-status'), 'All');
			assert.ok(lines.includes('Page 1'));
			assert.ok(!hasButton(bar, 'admin-page'), 'one page: no paging buttons');
			const frame = bar.view as { submit?: { text?: { text?: string } }; close?: unknown };
			assert.equal(frame.submit?.text?.text, 'Refresh', 'its submit refreshes it');
			assert.ok(frame.close, 'and it can be closed');
			// Refresh: the submit is answered with the view updated, which keeps it open.
			const later = await sendFeedback(host, 'clara', 'general', { comment: 'later' });
			const refreshed = await host.submitView('admin', {});
			assert.equal((refreshed.response as { type?: string }).type, 'modal.update');
			assert.equal(refreshed.view?.viewId, ADMIN_VIEW_ID, 'still open');
			assert.deepEqual(shownIds(refreshed.view)[0], later.shortId, 'the new entry is listed');
		});

		it('opens from the button under /feedback stats, clicked in the ephemeral message', async () => {
			const { host } = fixture();
			await sendFeedback(host, 'clara', 'general', { comment: 'gut', category: 'Praise' });
			const stats = await host.runSlashCommand('admin', 'general', '/feedback stats');
			assert.equal(stats.notifications.length, 1, 'the statistics, as one ephemeral message');
			const [message] = stats.notifications;
			assert.match(message.text, /^By status: New 1, Acknowledged 0/m);
			const open = buttonClick(message, 'admin-open', { label: 'Open the admin view' });
			assert.equal(host.openView('admin'), undefined, 'nothing open before the click');

			const clicked = await host.blockAction('admin', { messageId: message.id }, open);
			assert.equal(clicked.error, undefined);
			assert.deepEqual(clicked.refused, [], 'the client took the answer');
			assert.equal(
				clicked.view?.viewId,
				ADMIN_VIEW_ID,
				`the admin view opened (the app answered ${JSON.stringify(
					(clicked.response as { type?: string }).type,
				)})`,
			);
			assert.equal(
				byStatusLine(clicked.view),
				'By status: New 1, Acknowledged 0, Planned 0, Done 0, Declined 0',
			);
			assert.equal(viewEntries(clicked.view).length, 1);
		});

		it('refreshes an open admin view from the button under /feedback stats', async () => {
			const { host } = fixture();
			const before = await sendFeedback(host, 'clara', 'general', { comment: 'gut' });
			const bar = await openAdminView(host);
			assert.deepEqual(shownIds(bar), [before.shortId]);
			const later = await sendFeedback(host, 'alice', 'general', { comment: 'later' });
			const stats = await host.runSlashCommand('admin', 'general', '/feedback stats');
			const [message] = stats.notifications;
			const clicked = await host.blockAction(
				'admin',
				{ messageId: message.id },
				buttonClick(message, 'admin-open', { label: 'Open the admin view' }),
			);
			assert.equal(clicked.error, undefined);
			assert.deepEqual(clicked.refused, []);
			assert.deepEqual(shownIds(clicked.view), [later.shortId, before.shortId]);
			assert.ok(viewLines(clicked.view).includes('Feedback received: 2'));
		});

		it('keeps statistics by status: the newest change of each entry counts, once', async () => {
			const { host } = fixture();
			const first = await sendFeedback(host, 'alice', 'general', {
				comment: 'one',
				category: 'Bug',
			});
			const second = await sendFeedback(host, 'bruno', 'general', { comment: 'two' });
			const third = await sendFeedback(host, 'clara', 'general', { comment: 'three' });
			await sendFeedback(host, 'dora', 'general', { comment: 'four' });
			await changeStatus(host, 'admin', first.id, { status: 'planned' });
			await changeStatus(host, 'admin', second.id, { status: 'done' });
			await changeStatus(host, 'admin', third.id, { status: 'declined' });
			await changeStatus(host, 'admin', first.id, { status: 'acknowledged' });
			const stored = await statusChanges(host);
			assert.equal(stored.length, 4, 'one record per change');
			// Each change records the newest change its instance read before it, and from when.
			const planned = stored.find((change) => change.status === 'planned');
			const acknowledged = stored.find((change) => change.status === 'acknowledged');
			assert.ok(planned && acknowledged);
			assert.equal(planned.previous?.change, null);
			assert.deepEqual(acknowledged.previous?.change, {
				id: planned.id,
				at: planned.at,
				status: 'planned',
			});
			for (const change of stored) {
				assert.ok(change.previous && change.previous.readAt <= change.at, JSON.stringify(change));
			}

			const expected = 'By status: New 1, Acknowledged 1, Planned 0, Done 1, Declined 1';
			const view = await openAdminView(host);
			assert.equal(byStatusLine(view), expected);
			assert.deepEqual(
				Object.fromEntries(viewEntries(view).map((entry) => [entry.comment, entry.status])),
				{ one: 'Acknowledged', two: 'Done', three: 'Declined', four: 'New' },
			);
			// The median time to a first change is a range of buckets, from the stored times.
			const firsts = new Map<string, IStoredStatusChange>();
			for (const change of [...(await statusChanges(host))].sort((a, b) =>
				a.at < b.at ? -1 : 1,
			)) {
				if (!firsts.has(change.feedbackId)) {
					firsts.set(change.feedbackId, change);
				}
			}
			const waits = [...firsts.values()].map(
				(change) => Date.parse(change.at) - Date.parse(change.feedbackCreatedAt),
			);
			const response = viewLines(view).find((line) => line.startsWith('Median time'));
			assert.notEqual(response, NO_CHANGE_YET);
			if (waits.every((wait) => wait <= 60_000)) {
				assert.equal(response, 'Median time to the first status change: between 0 min and 1 min');
			} else {
				assert.match(String(response), /^Median time to the first status change: (between|over) /);
			}
			// /feedback stats says the same.
			const statsText = await reply(host, 'admin', '/feedback stats');
			assert.ok(statsText.split('\n').includes(expected), statsText);
			assert.ok(statsText.split('\n').includes(String(response)), statsText);
		});

		it('filters by category and by status with the options of its selects', async () => {
			const { host } = fixture();
			const bug = await sendFeedback(host, 'alice', 'general', {
				comment: 'a bug',
				category: 'Bug',
			});
			const idea = await sendFeedback(host, 'bruno', 'general', {
				comment: 'an idea',
				category: 'Idea',
			});
			const plannedIdea = await sendFeedback(host, 'clara', 'general', {
				comment: 'a planned idea',
				category: 'Idea',
			});
			const plannedBug = await sendFeedback(host, 'alice', 'general', {
				comment: 'a planned bug',
				category: 'Bug',
			});
			await changeStatus(host, 'admin', plannedIdea.id, { status: 'planned' });
			await changeStatus(host, 'admin', plannedBug.id, { status: 'planned' });
			const view = await openAdminView(host);
			assert.deepEqual(
				selectIn(view, 'admin-filter-category').options.map((option) => option.label),
				['All', 'General', 'Bug', 'Idea', 'Praise'],
			);
			assert.deepEqual(
				selectIn(view, 'admin-filter-status').options.map((option) => option.label),
				['All', 'New', 'Acknowledged', 'Planned', 'Done', 'Declined', 'Duplicate'],
			);

			const ideas = await clickInView(
				host,
				'admin',
				selectChoice(view, 'admin-filter-category', 'Idea'),
			);
			assert.deepEqual(shownIds(ideas).sort(), [idea.shortId, plannedIdea.shortId].sort());
			assert.equal(
				chosenLabel(ideas, 'admin-filter-category'),
				'Idea',
				'the filter shows as chosen',
			);
			// The statistics stay those of everything.
			assert.ok(viewLines(ideas).includes('Feedback received: 4'));

			// The status select of the filtered view keeps the category: planned ideas.
			const plannedIdeas = await clickInView(
				host,
				'admin',
				selectChoice(ideas, 'admin-filter-status', 'Planned'),
			);
			assert.deepEqual(shownIds(plannedIdeas), [plannedIdea.shortId]);
			assert.equal(chosenLabel(plannedIdeas, 'admin-filter-category'), 'Idea');
			assert.equal(chosenLabel(plannedIdeas, 'admin-filter-status'), 'Planned');

			// Every category again, still planned only.
			const planned = await clickInView(
				host,
				'admin',
				selectChoice(plannedIdeas, 'admin-filter-category', 'All'),
			);
			assert.deepEqual(shownIds(planned).sort(), [plannedIdea.shortId, plannedBug.shortId].sort());
			assert.ok(viewEntries(planned).every((entry) => entry.status === 'Planned'));

			const fresh = await clickInView(
				host,
				'admin',
				selectChoice(planned, 'admin-filter-status', 'New'),
			);
			assert.deepEqual(shownIds(fresh).sort(), [bug.shortId, idea.shortId].sort());

			const none = await clickInView(
				host,
				'admin',
				selectChoice(fresh, 'admin-filter-status', 'Done'),
			);
			assert.deepEqual(shownIds(none), []);
			assert.ok(viewLines(none).includes('No feedback matches.'));

			const praise = await clickInView(
				host,
				'admin',
				selectChoice(none, 'admin-filter-category', 'Praise'),
			);
			assert.equal(chosenLabel(praise, 'admin-filter-status'), 'Done', 'the status filter stays');
			assert.ok(viewLines(praise).includes('No feedback matches.'));

			// The upkeep job (every minute) marks the changes as filed by their feedback's creation day:
			// from then on the filter reads them day by day, with the same result, and finds new ones.
			assert.equal(await isFiledByCreation(host), false);
			const runs = await host.advanceClock(60_000);
			assert.ok(
				runs.some((run) => run.name.startsWith('upkeep_') && run.ok),
				JSON.stringify(runs),
			);
			assert.equal(await isFiledByCreation(host), true);
			const unfiltered = await openAdminView(host);
			await changeStatus(host, 'admin', bug.id, { status: 'planned' });
			const allPlanned = await clickInView(
				host,
				'admin',
				selectChoice(unfiltered, 'admin-filter-status', 'Planned'),
			);
			assert.deepEqual(
				shownIds(allPlanned).sort(),
				[plannedIdea.shortId, plannedBug.shortId, bug.shortId].sort(),
			);
		});

		it('pages everyone’s feedback, also within a filter', async () => {
			const { host } = fixture();
			await timed('12 feedback', async () => {
				for (let index = 1; index <= 12; index += 1) {
					await sendFeedback(host, index % 2 === 0 ? 'alice' : 'bruno', 'general', {
						comment: `entry ${index}`,
						category: index === 12 ? 'Idea' : 'Bug',
					});
				}
			});
			const all = newestFirst(await storedFeedback(host)).map((record) => record.id.slice(0, 8));
			const first = await openAdminView(host);
			assert.deepEqual(shownIds(first), all.slice(0, 10));
			assert.ok(viewLines(first).includes('Page 1'));
			assert.ok(hasButton(first, 'admin-page', 'Next'));
			assert.ok(!hasButton(first, 'admin-page', 'Previous'));

			const second = await clickInView(
				host,
				'admin',
				buttonClick(first, 'admin-page', { label: 'Next' }),
			);
			assert.deepEqual(shownIds(second), all.slice(10));
			assert.ok(viewLines(second).includes('Page 2'));
			assert.ok(!hasButton(second, 'admin-page', 'Next'), 'no Next on the last page');

			const back = await clickInView(
				host,
				'admin',
				buttonClick(second, 'admin-page', { label: 'Previous' }),
			);
			assert.deepEqual(shownIds(back), all.slice(0, 10));

			// Eleven bugs: a filtered view pages too, and its pages keep the filter.
			const bugs = await clickInView(
				host,
				'admin',
				selectChoice(back, 'admin-filter-category', 'Bug'),
			);
			const bugIds = newestFirst(await storedFeedback(host))
				.filter((record) => record.category === 'Bug')
				.map((record) => record.id.slice(0, 8));
			assert.deepEqual(shownIds(bugs), bugIds.slice(0, 10));
			const moreBugs = await clickInView(
				host,
				'admin',
				buttonClick(bugs, 'admin-page', { label: 'Next' }),
			);
			assert.deepEqual(shownIds(moreBugs), bugIds.slice(10));
			assert.equal(chosenLabel(moreBugs, 'admin-filter-category'), 'Bug');
		});

		it('changes a status with a note: the view turns into the form, saving turns it back, then the author is told', async () => {
			const fixtureNow = fixture();
			const { host } = fixtureNow;
			// Markers of member text: none may reach the author's message outside inline code.
			const comment = 'Falta *modo* escuro @all <https://evil.example|aqui> :tada: COMMENTMARK';
			const note = 'Next release @here _soon_ [x](https://evil.example) NOTEMARK';
			const sent = await sendFeedback(host, 'bruno', 'general', { comment, category: 'Idea' });
			const bar = await openAdminView(host);
			const generalBefore = host.timeline('general').length;

			const opened = await host.blockAction(
				'admin',
				'modal',
				buttonClick(bar, 'admin-change-status', { valueHolds: sent.id }),
			);
			assert.equal((opened.response as { type?: string }).type, 'modal.update');
			assert.deepEqual(opened.refused, []);
			const form = opened.view;
			assert.equal(form?.viewId, ADMIN_VIEW_ID, 'the same modal, now the status form');
			assert.equal(host.openModals('admin').length, 1, 'one modal, no second one');
			const fields = statusFormActions(form);
			assert.equal(selectIn(form, fields.status).initialValue, 'new', 'showing the current status');
			assert.deepEqual(
				selectIn(form, fields.status).options.map((option) => option.value),
				['new', 'acknowledged', 'planned', 'done', 'declined'],
			);
			assert.equal(
				(form.view as { submit?: { text?: { text?: string } } }).submit?.text?.text,
				'Save',
			);
			assert.equal(feedbackCount(host), 1);

			const saved = await host.submitView('admin', {
				[fields.status]: 'planned',
				[fields.note]: note,
			});
			assert.equal(saved.accepted, true, JSON.stringify(saved.errors));
			assert.deepEqual(saved.refused, [], 'the client took the updated view');
			const after = saved.view;
			assert.equal(after?.viewId, ADMIN_VIEW_ID, 'the admin view stays open');
			assert.equal(
				viewLines(after)[0],
				`Feedback ${sent.shortId} is now Planned. Its author is told in a direct message within 11 minutes.`,
			);
			assert.equal(viewEntries(after)[0].status, 'Planned', 'the list shows the new status');
			assert.equal(
				byStatusLine(after),
				'By status: New 0, Acknowledged 0, Planned 1, Done 0, Declined 0',
			);

			const changes = await statusChanges(host);
			assert.equal(changes.length, 1);
			assert.equal(changes[0].feedbackId, sent.id);
			assert.equal(changes[0].status, 'planned');
			assert.equal(changes[0].note, note);
			assert.equal(changes[0].adminId, host.user('admin').id);

			// bruno (pt-BR) is told by the notice job, in Portuguese, by the app's user, in their direct room.
			const bot = appUsername(host);
			assert.deepEqual(host.directRooms('bruno'), [], 'not from the submit');
			await runStatusNotices(fixtureNow);
			await runStatusNotices(fixtureNow);
			const room = host.directRoom([bot, 'bruno']);
			assert.ok(room, 'a direct room of the app user and bruno');
			assert.deepEqual(
				host.directRooms('bruno').map((direct) => direct.id),
				[room.id],
			);
			const [told, ...more] = host.timeline(room.id);
			assert.deepEqual(more, [], 'one message');
			assert.equal(told.sender, bot);
			const [heading, statusLine, noteLine] = told.text.split('\n');
			assert.match(heading, /^Novidades sobre o seu feedback · .* · ref [0-9a-f]{16}$/);
			assert.match(
				statusLine,
				new RegExp(
					`^Seu feedback ${sent.shortId} \\(\`.*COMMENTMARK\`\\) agora está: Planejado\\.$`,
				),
			);
			assert.match(noteLine, /^Nota da equipe: `.*NOTEMARK`$/);
			assertMemberTextInert(told.text, ['COMMENTMARK', 'NOTEMARK', 'modo', 'soon', 'evil']);
			// Nobody else heard of it.
			assert.equal(host.timeline('general').length, generalBefore);
			assert.deepEqual(host.directRooms('admin'), []);
		});

		it('stores one change for a form submitted twice, tells nobody of a re-save, and sends the notice through the job once', async () => {
			const current = fixture();
			const { host } = current;
			const sent = await sendFeedback(host, 'bruno', 'general', { comment: 'duas vezes' });
			await openAdminView(host);
			const form = await openStatusForm(host, 'admin', sent.id);
			const fields = statusFormActions(form);
			const values = { [fields.status]: 'done', [fields.note]: 'ok' };
			const first = await host.submitView('admin', values);
			const again = await host.submitViewAs('admin', form, values);
			assert.equal(first.accepted, true);
			assert.equal(again.accepted, true);
			assert.equal((await statusChanges(host)).length, 1, 'one change for one form');
			assert.match(viewLines(again.view)[0], /is now Done/, 'the repeat answers as the first');
			// Refresh after the save: the modal still sends the saved form's values; nothing more is stored.
			const refreshed = await host.submitView('admin', {});
			assert.equal(refreshed.view?.viewId, ADMIN_VIEW_ID);
			assert.equal((await statusChanges(host)).length, 1, 'a refresh stores nothing');
			const resave = await changeStatus(host, 'admin', sent.id, { status: 'done', note: 'ok' });
			assert.match(viewLines(resave.view)[0], /already is Done with this note/);
			assert.equal((await statusChanges(host)).length, 1, 'a re-save stores nothing');
			for (let run = 0; run < 3; run += 1) {
				await runStatusNotices(current);
			}
			const room = host.directRoom([appUsername(host), 'bruno']);
			assert.ok(room);
			const texts = host.timeline(room.id).map((message) => message.text);
			assert.equal(texts.length, 1, JSON.stringify(texts));
			assert.match(texts[0], /agora está: Concluído\.\nNota da equipe: `ok`$/);
		});

		it('tells nobody when the feedback is anonymous', async () => {
			const { host } = fixture();
			const sent = await sendFeedback(host, 'alice', 'general', {
				comment: 'secret',
				anonymous: ['anonymous'],
			});
			const generalBefore = host.timeline('general').length;
			const saved = await changeStatus(host, 'admin', sent.id, { status: 'done', note: 'fixed' });
			assert.equal(viewEntries(saved.view)[0].status, 'Done');
			assert.equal((await statusChanges(host)).length, 1, 'the change is stored');
			await runStatusNotices(fixture());
			for (const username of ['alice', 'bruno', 'clara', 'dora', 'admin']) {
				assert.deepEqual(host.directRooms(username), [], `no direct room for ${username}`);
			}
			assert.equal(host.directRoom([appUsername(host), 'alice']), undefined);
			assert.equal(host.timeline('general').length, generalBefore, 'nothing posted');
		});

		it('answers an invalid status and an over-long note inline, storing nothing until it is right', async () => {
			const { host } = fixture();
			const sent = await sendFeedback(host, 'bruno', 'general', { comment: 'não funciona' });
			await openAdminView(host);
			// The close button closes the admin view and changes nothing.
			await openStatusForm(host, 'admin', sent.id);
			await host.closeView('admin');
			assert.equal(host.openView('admin'), undefined, 'the admin view closed');
			assert.deepEqual(await statusChanges(host), []);

			await openAdminView(host);
			const fields = statusFormActions(await openStatusForm(host, 'admin', sent.id));

			const invalid = await host.submitView('admin', { [fields.status]: 'archived' });
			assert.equal(invalid.accepted, false);
			assert.deepEqual(invalid.errors, { [fields.status]: 'Choose one of the listed statuses.' });
			assert.equal(host.openView('admin')?.viewId, ADMIN_VIEW_ID, 'the form stays open');
			assert.equal(
				host.openView('admin')?.errors[fields.status],
				'Choose one of the listed statuses.',
			);

			const long = await host.submitView('admin', {
				[fields.status]: 'done',
				[fields.note]: 'x'.repeat(501),
			});
			assert.equal(long.accepted, false);
			assert.deepEqual(long.errors, {
				[fields.note]: 'Your note has 501 characters; the limit is 500.',
			});
			assert.deepEqual(await statusChanges(host), [], 'nothing stored');
			assert.deepEqual(host.directRooms('bruno'), [], 'nobody told');

			// 500 characters (each an emoji of two code points) are within the limit.
			const saved = await host.submitView('admin', {
				[fields.status]: 'done',
				[fields.note]: '👍🏽'.repeat(500),
			});
			assert.equal(saved.accepted, true, JSON.stringify(saved.errors));
			assert.match(viewLines(saved.view)[0], /is now Done/, 'the list is back');
			assert.equal((await statusChanges(host)).length, 1);
			await runStatusNotices(fixture());
			assert.equal(host.directRooms('bruno').length, 1, 'bruno is told once');
		});

		it('saves a note alone with the status the form showed, and only the form on screen', async () => {
			const { host } = fixture();
			const first = await sendFeedback(host, 'bruno', 'general', { comment: 'um' });
			const second = await sendFeedback(host, 'clara', 'general', { comment: 'zwei' });
			await changeStatus(host, 'admin', first.id, { status: 'planned' });
			// The client keeps the first form's values while the modal stays open.
			const form = await openStatusForm(host, 'admin', second.id);
			const fields = statusFormActions(form);
			// Only the note is typed: the select, set by an update, is not sent by either client.
			const saved = await host.submitView('admin', { [fields.note]: 'gelesen' });
			assert.equal(saved.accepted, true, JSON.stringify(saved.errors));
			const changes = await statusChanges(host);
			assert.deepEqual(
				changes.map((change) => [change.feedbackId, change.status, change.note]).sort(),
				[
					[first.id, 'planned', ''],
					[second.id, 'new', 'gelesen'],
				].sort(),
			);
			// Saving a form untouched changes nothing and brings the list back.
			await openStatusForm(host, 'admin', first.id);
			const untouched = await host.submitView('admin', {});
			assert.equal(untouched.accepted, true);
			assert.equal(untouched.view?.viewId, ADMIN_VIEW_ID);
			assert.ok(viewEntries(untouched.view).length > 0, 'the list is back');
			assert.equal((await statusChanges(host)).length, 2, 'nothing more stored');
		});

		it('deletes from the admin view only after the confirmation', async () => {
			const { host } = fixture();
			const kept = await sendFeedback(host, 'alice', 'general', { comment: 'stays' });
			const doomed = await sendFeedback(host, 'bruno', 'general', { comment: 'goes' });
			const view = await openAdminView(host);

			const asked = await clickInView(
				host,
				'admin',
				buttonClick(view, 'admin-delete', { valueHolds: doomed.id }),
			);
			assert.ok(
				viewLines(asked).includes(`Delete feedback ${doomed.shortId}? This cannot be undone.`),
			);
			assert.ok(hasButton(asked, 'admin-delete-confirm', 'Delete'));
			assert.ok(hasButton(asked, 'admin-delete-cancel', 'Cancel'));
			assert.equal(feedbackCount(host), 2, 'nothing deleted before the confirmation');

			const cancelled = await clickInView(host, 'admin', buttonClick(asked, 'admin-delete-cancel'));
			assert.ok(!hasButton(cancelled, 'admin-delete-confirm'), 'the question is gone');
			assert.deepEqual(shownIds(cancelled), [doomed.shortId, kept.shortId]);
			assert.equal(feedbackCount(host), 2);

			const again = await clickInView(
				host,
				'admin',
				buttonClick(cancelled, 'admin-delete', { valueHolds: doomed.id }),
			);
			const done = await clickInView(host, 'admin', buttonClick(again, 'admin-delete-confirm'));
			assert.equal(viewLines(done)[0], `Feedback ${doomed.shortId} was deleted.`);
			assert.deepEqual(shownIds(done), [kept.shortId]);
			assert.ok(viewLines(done).includes('Feedback received: 1'), 'the statistics follow');
			assert.deepEqual(
				(await storedFeedback(host)).map((record) => record.id),
				[kept.id],
			);
		});

		it('asks to confirm a delete on the page and filter it was clicked on', async () => {
			const { host } = fixture();
			for (let index = 1; index <= 11; index += 1) {
				await sendFeedback(host, 'alice', 'general', { comment: `entry ${index}` });
			}
			const oldest = newestFirst(await storedFeedback(host)).at(-1);
			assert.ok(oldest);
			const first = await openAdminView(host);
			const second = await clickInView(
				host,
				'admin',
				buttonClick(first, 'admin-page', { label: 'Next' }),
			);
			assert.deepEqual(shownIds(second), [oldest.id.slice(0, 8)]);
			const asked = await clickInView(
				host,
				'admin',
				buttonClick(second, 'admin-delete', { valueHolds: oldest.id }),
			);
			assert.ok(viewLines(asked).includes('Page 2'), 'still on page 2');
			assert.ok(hasButton(asked, 'admin-delete-confirm'), 'the entry asks to be confirmed');
		});
	});

	describe(`a member and the admin view (${client} client)`, () => {
		const fixture = fixturePerTest(`admin refusals, ${client}`, {
			clients: { admin: client, alice: client },
		});

		/** Every admin action, each with the value the admin's own view carries. */
		async function adminActions(
			host: LocalHost,
			target: ISentFeedback,
		): Promise<{ bar: IOpenView; actions: IBlockAction[] }> {
			const bar = await openAdminView(host);
			const asked = await clickInView(
				host,
				'admin',
				buttonClick(bar, 'admin-delete', { valueHolds: target.id }),
			);
			const actions = [
				{ blockId: 'admin-open', actionId: 'admin-open', value: '' },
				buttonClick(asked, 'admin-delete-confirm'),
				buttonClick(asked, 'admin-delete-cancel'),
				buttonClick(bar, 'admin-delete', { valueHolds: target.id }),
				buttonClick(bar, 'admin-change-status', { valueHolds: target.id }),
				selectChoice(bar, 'admin-filter-category', 'Bug'),
				selectChoice(bar, 'admin-filter-status', 'New'),
				{
					blockId: 'admin-page',
					actionId: 'admin-page',
					value: JSON.stringify({ p: 2, c: null, s: null }),
				},
			];
			// The admin's bar back as it was (the confirmation cancelled).
			await clickInView(host, 'admin', buttonClick(asked, 'admin-delete-cancel'));
			return { bar: asked, actions };
		}

		it('refuses /feedback admin and /feedback stats to a member, with no button', async () => {
			const { host } = fixture();
			assert.equal(await reply(host, 'alice', '/feedback admin'), ADMIN_REFUSED);
			assert.equal(host.openView('alice'), undefined);
			const stats = await host.runSlashCommand('alice', 'general', '/feedback stats');
			assert.deepEqual(
				stats.notifications.map((notification) => notification.text),
				[STATS_REFUSED],
			);
			assert.deepEqual(elementsIn(stats.notifications[0]), [], 'no button to the admin view');
			assert.equal(
				await reply(host, 'bruno', '/feedback admin'),
				'Somente administradores do workspace podem usar a visão de administração.',
			);
		});

		it('refuses every forged admin block action and a forged status form: nothing changes, each refusal is logged', async () => {
			const { host } = fixture();
			const target = await sendFeedback(host, 'bruno', 'general', {
				comment: 'keep me',
				category: 'Bug',
			});
			const { bar, actions } = await adminActions(host, target);
			assert.equal(actions.length, 8, 'every admin action id');
			const adminBarBefore = JSON.stringify(host.openView('admin'));

			for (const action of actions) {
				// alice sends the admin's own ids and values, on a copy of the admin's view.
				const forged = await host.blockActionOn('alice', bar, action);
				assert.equal(forged.error, undefined, `${action.actionId}: the app answered`);
				assert.deepEqual(
					forged.response,
					{ success: true },
					`${action.actionId}: a bare success, no view`,
				);
				assert.equal(forged.view, undefined, `${action.actionId}: no admin view for alice`);
				assert.deepEqual(forged.notifications, []);
			}
			assert.equal(JSON.stringify(host.openView('admin')), adminBarBefore);

			// The status form the admin opened, submitted by alice.
			const form = await openStatusForm(host, 'admin', target.id);
			const fields = statusFormActions(form);
			const forgedSubmit = await host.submitViewAs('alice', form, {
				[fields.status]: 'done',
				[fields.note]: 'pwned',
			});
			assert.deepEqual(
				viewLines((forgedSubmit.response as { view?: { blocks?: unknown[] } }).view),
				[ADMIN_REFUSED],
			);

			assert.deepEqual(await statusChanges(host), [], 'no status record');
			assert.deepEqual(
				(await storedFeedback(host)).map((record) => record.id),
				[target.id],
				'nothing deleted',
			);
			assert.deepEqual(host.directRooms('bruno'), [], 'nobody told');
			const lines = await appLogLines(host);
			for (const action of actions) {
				assert.ok(
					lines.some((line) => line.includes(`refused admin action ${action.actionId} of alice`)),
					`the refused ${action.actionId} is logged, in:\n${lines.join('\n')}`,
				);
			}
			assert.ok(
				lines.some((line) => line.includes('refused a status form of alice')),
				'the refused form is logged',
			);
		});

		it('checks the role again on every click: an admin whose role is no longer an admin role is refused', async () => {
			const { host } = fixture();
			const target = await sendFeedback(host, 'bruno', 'general', { comment: 'still here' });
			const bar = await openAdminView(host);
			const form = await openStatusForm(host, 'admin', target.id);
			await host.setSetting(SETTING.adminRoles, 'owner');

			// The list's Delete, as a client still showing the list sends it.
			const refused = await host.blockActionOn(
				'admin',
				bar,
				buttonClick(bar, 'admin-delete', { valueHolds: target.id }),
			);
			assert.deepEqual(refused.response, { success: true });
			assert.ok(!hasButton(refused.view, 'admin-delete-confirm'), 'no confirmation');
			const submit = await host.submitViewAs('admin', form, {
				[statusFormActions(form).status]: 'done',
			});
			assert.deepEqual(viewLines(submit.view), [ADMIN_REFUSED]);
			assert.deepEqual(await statusChanges(host), []);
			assert.equal(feedbackCount(host), 1);
			assert.equal(await reply(host, 'admin', '/feedback admin'), ADMIN_REFUSED);
		});
	});
}
