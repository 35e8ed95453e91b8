// Where the feedback form opens (only for a triggerId the client issued), how many stay open
// per member, and the hourly purge of abandoned ones, through the packaged app.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	feedbackCount,
	fixturePerTest,
	onlyReply,
	pendingViewCount,
	pendingViewCountOf,
} from './app-fixture';
import { timed } from './timing';
import type { IOpenView, LocalHost } from '../../host';
import { until } from '../support/until';

const EN = {
	expired: 'This form is no longer open. Close it and type /feedback again.',
	noTrigger:
		'The feedback form opens only where Rocket.Chat can show it: type /feedback in the message box of a room (a command sent through the API cannot open a form).',
};

/** Shows a view to a user again, as a client that kept it (a stale submit). */
function showAgain(host: LocalHost, username: string, open: IOpenView): void {
	host.session.showView(username, open);
}

/**
 * Returns once the wall clock is past the millisecond it reads now, with a deadline. The app
 * stamps a form with its own (real) clock: waiting for the next millisecond after an open has
 * returned makes the next form strictly newer, on any machine.
 */
async function nextMillisecond(): Promise<void> {
	const start = Date.now();
	await until(() => Date.now() > start, 'the clock to move on', { everyMs: 0 });
}

describe('where and how often the form opens', () => {
	const fixture = fixturePerTest('opening');

	it('opens nothing for a command without a triggerId and says where to type /feedback', async () => {
		const { host } = fixture();
		const result = await host.runSlashCommand('alice', 'general', '/feedback', {
			triggerId: false,
		});
		assert.equal(onlyReply(result), EN.noTrigger);
		assert.equal(result.view, undefined, 'no form shown');
		assert.deepEqual(result.refused, [], 'the app sent no view for the client to drop');
		assert.deepEqual(host.refusedViews(), []);
		assert.equal(pendingViewCount(host), 0, 'no form remembered');

		const german = await host.runSlashCommand('clara', 'general', '/feedback', {
			triggerId: false,
		});
		assert.match(onlyReply(german), /^Das Feedback-Formular öffnet sich nur, wo Rocket\.Chat/);
		assert.equal(german.view, undefined);

		// Subcommands need no form, so they answer as usual without a triggerId.
		const list = await host.runSlashCommand('alice', 'general', '/feedback list', {
			triggerId: false,
		});
		assert.equal(
			onlyReply(list),
			'You have not sent any feedback yet. Type /feedback to send some.',
		);
	});

	it('keeps at most 5 open forms per member, forgetting the oldest', async () => {
		const { host } = fixture();
		const bruno = await host.runSlashCommand('bruno', 'general', '/feedback');
		assert.ok(bruno.view);
		const forms: IOpenView[] = [];
		await timed('6 opens', async () => {
			for (let index = 0; index < 6; index++) {
				await nextMillisecond();
				const opened = await host.runSlashCommand('alice', 'general', '/feedback');
				assert.ok(opened.view, `form ${index + 1} opened`);
				forms.push(opened.view);
				assert.equal(pendingViewCountOf(host, 'alice'), Math.min(index + 1, 5));
			}
		});
		assert.equal(new Set(forms.map((form) => form.viewId)).size, 6, 'six different forms');
		assert.equal(pendingViewCountOf(host, 'bruno'), 1, "another member's form is not touched");
		assert.equal(pendingViewCount(host), 6);

		// The oldest is forgotten: sending it asks for a new form and stores nothing.
		showAgain(host, 'alice', forms[0]);
		const oldest = await host.submitView('alice', { comment: 'the first form' });
		assert.equal(oldest.accepted, false);
		assert.deepEqual(oldest.errors, { comment: EN.expired });
		assert.equal(feedbackCount(host), 0);
		host.session.closeView('alice');

		// The five newer ones are all still open and each stores once.
		for (const [index, form] of forms.slice(1).entries()) {
			showAgain(host, 'alice', form);
			const sent = await host.submitView('alice', { comment: `form ${index + 2}` });
			assert.equal(sent.accepted, true, `form ${index + 2}: ${JSON.stringify(sent.errors)}`);
		}
		assert.equal(feedbackCount(host), 5);
		assert.equal(pendingViewCountOf(host, 'alice'), 0);
		const brunoSent = await host.submitView('bruno', { comment: 'ainda aberto' });
		assert.equal(brunoSent.accepted, true);
		assert.equal(feedbackCount(host), 6);
	});

	it('keeps a form opened just now when the hourly purge runs', async () => {
		const { host } = fixture();
		await host.runSlashCommand('alice', 'general', '/feedback');
		// The purge judges a form's age by the app's own clock (real time), not the host's: an hour
		// of host time runs the job, and a form opened a moment ago is not a day old.
		const runs = await host.advanceClock(60 * 60 * 1000);
		assert.ok(
			runs.some((run) => run.name.startsWith('purge-pending-forms') && run.ok),
			`the purge ran: ${JSON.stringify(runs)}`,
		);
		assert.equal(pendingViewCountOf(host, 'alice'), 1);
		const sent = await host.submitView('alice', { comment: 'still open' });
		assert.equal(sent.accepted, true, JSON.stringify(sent.errors));
	});
});
