import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUIKitResponse, IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { FeedbackAction } from '../../src/domain/actions';
import { newId } from '../../src/domain/ids';
import { SettingId } from '../../src/domain/settings';
import { FeedbackStatus, isKeptCopy, statusAfter } from '../../src/domain/status';
import { statusFormOfView, statusViewIdFor } from '../../src/domain/statusForm';
import {
	dueNotices,
	isNews,
	isNoOpSave,
	newestTold,
	NOTICE_MAX_DELAY_MS,
	NOTICE_GIVE_UP_MS,
	NOTICE_MAX_FEEDBACK,
	NOTICE_PROMISED_MINUTES,
	NOTICE_QUIET_MS,
	noticeReference,
} from '../../src/domain/statusNotice';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { storesFor } from '../../src/persistence/stores';
import type { AppInstance } from '../support/TestWorld';
import { APP_ID, TestWorld } from '../support/TestWorld';
import { until } from '../support/until';

/** bruno (pt-BR) sends a feedback; resolves with its id. */
async function sendFeedback(world: TestWorld, comment = 'Falta modo escuro'): Promise<string> {
	await world.instance.run(world.bruno, '');
	const response = await world.instance.submit(world.bruno, world.lastView(world.bruno), {
		comment,
		category: 'Idea',
	});
	assert.equal(response.success, true);
	const ids = stored(world, RecordScope.Feedback).map((data) => (data as { id: string }).id);
	return ids[ids.length - 1];
}

function stored(world: TestWorld, scope: RecordScope): Array<unknown> {
	return world.persistence
		.matching(APP_ID, buildAssociations({ scope }))
		.map((record) => record.data);
}

/** The status form of a feedback, as the admin view's button opens it. */
async function openForm(
	world: TestWorld,
	feedbackId: string,
	user: IUser = world.admin,
): Promise<IUIKitSurface> {
	const answer = await world.instance.click(
		user,
		{ id: 'feedback-admin', type: 'modal', blocks: [] } as never,
		FeedbackAction.AdminChangeStatus,
		feedbackId,
	);
	const { view } = answer as { view?: IUIKitSurface };
	assert.ok(view, JSON.stringify(answer));
	return { ...view, appId: APP_ID } as IUIKitSurface;
}

async function save(
	instance: AppInstance,
	user: IUser,
	form: IUIKitSurface,
	status: string,
	note = '',
): Promise<IUIKitResponse> {
	const answer = await instance.submitStatus(user, form, { status, note });
	assert.equal(answer.success, true, JSON.stringify(answer));
	return answer;
}

/** What the app said to bruno in direct rooms, oldest first. */
function brunoMessages(world: TestWorld): Array<string> {
	const rooms = new Set(world.directRooms.map((room) => room.id));
	return world.roomMessages
		.filter((message) => rooms.has(message.room.id))
		.map((message) => message.text ?? '');
}

async function changesOf(world: TestWorld, feedbackId: string) {
	return storesFor(world.persistence.reader(APP_ID), world.instance.log.logger).statuses.changesOf(
		feedbackId,
	);
}

/** Lets the quiet time pass, then runs the notice job once. */
async function afterQuiet(world: TestWorld, instance = world.instance): Promise<void> {
	world.advance(NOTICE_QUIET_MS);
	await instance.runStatusNotices();
}

const PORTUGUESE_LABEL: Record<string, string> = {
	new: 'Novo',
	acknowledged: 'Recebido',
	planned: 'Planejado',
	done: 'Concluído',
	declined: 'Recusado',
};

describe('a status form is saved once', () => {
	it('submitted twice: one change, one notice', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		const form = await openForm(world, id);
		await save(world.instance, world.admin, form, 'planned', 'soon');
		await save(world.instance, world.admin, form, 'planned', 'soon');
		assert.equal(stored(world, RecordScope.StatusChange).length, 1, 'the second stores nothing');
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 1);
	});

	it('submitted on two instances at once: one change on every read, one notice', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		const form = await openForm(world, id);
		await Promise.all([
			save(world.instance, world.admin, form, 'planned'),
			save(world.newInstance(), world.admin, form, 'planned'),
		]);
		assert.equal((await changesOf(world, id)).length, 1, 'copies collapse by the form id');
		await world.instance.run(world.admin, 'stats');
		assert.match(world.lastNotice(world.admin), /By status: New 0, Acknowledged 0, Planned 1,/);
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 1);
	});

	it('refuses a form whose view id is not a status form, and keeps forms of an older version working', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		// An earlier version opened the status form in a modal of its own: its view id named the
		// feedback (and later the form), its fields were `status` and `note`.
		const forged = await world.instance.submitEarlierStatusForm(
			world.admin,
			`feedback-status:${id}:not-a-form-id`,
			{ status: 'done' },
		);
		assert.equal(forged.success, false);
		const formId = newId();
		const older = await world.instance.submitEarlierStatusForm(
			world.admin,
			statusViewIdFor(id, formId),
			{ status: 'done', note: '' },
		);
		assert.equal((older as { type?: string }).type, 'modal.close', 'the form closes');
		const again = await world.instance.submitEarlierStatusForm(
			world.admin,
			`feedback-status:${id}`,
			{
				status: 'planned',
			},
		);
		assert.equal(again.success, true);
		assert.deepEqual(
			(await changesOf(world, id)).map((change) => [change.id === formId, change.status]).sort(),
			[
				[false, 'planned'],
				[true, 'done'],
			],
		);
	});
});

describe('a submit of the admin modal, which sends every form it showed', () => {
	/** The state a client keeps of a status form: the values given, under its fields' block ids. */
	function keptState(form: IUIKitSurface, values: { status?: string; note?: string }) {
		const state: Record<string, Record<string, unknown>> = {};
		for (const block of form.blocks as unknown as Array<{
			type: string;
			blockId: string;
			element: { actionId: string };
		}>) {
			const { actionId } = block.element ?? {};
			const given = actionId?.startsWith('status:') ? values.status : values.note;
			if (block.type === 'input' && given !== undefined) {
				state[block.blockId] = { [actionId]: given };
			}
		}
		return state;
	}

	it('saves neither of two unsaved forms that ask for something, and says so', async () => {
		const world = new TestWorld();
		const first = await sendFeedback(world, 'um');
		const second = await sendFeedback(world, 'dois');
		const earlier = keptState(await openForm(world, first), { status: 'done' });
		const answer = await world.instance.submitStatus(
			world.admin,
			await openForm(world, second),
			{ status: 'planned' },
			earlier,
		);
		assert.match(JSON.stringify(answer), /More than one status form was filled/);
		assert.equal(stored(world, RecordScope.StatusChange).length, 0);
	});

	it('never saves later a form that was saved as it showed, even once the entry changed', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		const form = await openForm(world, id);
		// The admin picks New again (what it showed) and saves: nothing to store.
		const kept = keptState(form, { status: 'new' });
		const unchanged = await world.instance.submitStatus(world.admin, form, { status: 'new' });
		assert.match(JSON.stringify(unchanged), /already is New/);
		// Another admin plans it; then this modal's Refresh sends the old form's values again.
		await save(world.instance, world.admin, await openForm(world, id), 'planned');
		const refresh = await world.instance.submitStatus(world.admin, form, {}, kept);
		assert.equal(refresh.success, true);
		assert.deepEqual(
			(await changesOf(world, id)).map((change) => change.status),
			['planned'],
			'nothing reverted',
		);
	});
});

describe('status notices to the author', () => {
	it('a save that changes nothing stores nothing and tells no one', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		const unchanged = await world.instance.submitStatus(world.admin, await openForm(world, id), {
			status: 'new',
		});
		assert.equal(unchanged.success, true);
		assert.match(
			JSON.stringify((unchanged as { view?: IUIKitSurface }).view?.blocks),
			/already is New with this note: nothing changed/,
		);
		await save(world.instance, world.admin, await openForm(world, id), 'planned', 'soon');
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 1);
		await save(world.instance, world.admin, await openForm(world, id), 'planned', 'soon');
		assert.equal(stored(world, RecordScope.StatusChange).length, 1);
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 0);
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 1, 'no notice for the re-save');
	});

	it('a note of only invisible characters is no note: none is sent, and saving it again changes nothing', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		// Blank, zero-width, joiner, Hangul filler, braille blank, byte order mark, no-break space.
		const invisible = ' \u200B\u2060\u200D\u3164\u2800\uFEFF\u00A0 ';
		await save(world.instance, world.admin, await openForm(world, id), 'planned', invisible);
		const [change] = await changesOf(world, id);
		assert.equal(change.note, '', 'stored without a note');
		await afterQuiet(world);
		const [notice] = brunoMessages(world);
		assert.match(notice, /agora está: Planejado\.$/, 'the status, and no note after it');
		assert.doesNotMatch(notice, /Nota da equipe/);
		const again = await save(
			world.instance,
			world.admin,
			await openForm(world, id),
			'planned',
			invisible,
		);
		assert.match(
			JSON.stringify((again as { view?: IUIKitSurface }).view?.blocks),
			/already is Planned with this note: nothing changed/,
		);
		assert.equal(stored(world, RecordScope.StatusChange).length, 1);
	});

	it('waits for the quiet time, then sends one notice naming the final status of three changes', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		let answer: IUIKitResponse | undefined;
		for (const status of ['acknowledged', 'planned', 'done']) {
			answer = await save(
				world.instance,
				world.admin,
				await openForm(world, id),
				status,
				`to ${status}`,
			);
			world.advance(NOTICE_QUIET_MS / 4);
			await world.instance.runStatusNotices();
		}
		assert.deepEqual(brunoMessages(world), [], 'nothing before the newest change rested');
		assert.match(
			JSON.stringify((answer as { view?: IUIKitSurface }).view?.blocks),
			new RegExp(
				`is now Done\\. Its author is told in a direct message within ${NOTICE_PROMISED_MINUTES} minutes\\.`,
			),
		);
		await afterQuiet(world);
		const [notice, ...others] = brunoMessages(world);
		assert.deepEqual(others, []);
		const lines = notice.split('\n');
		assert.match(lines[0], /^Novidades sobre o seu feedback · .* · ref [0-9a-f]{16}$/);
		assert.match(
			lines[1],
			/^Seu feedback [0-9a-f]{8} \(`Falta modo escuro`\) agora está: Concluído\.$/,
		);
		assert.equal(lines[2], 'Nota da equipe: `to done`');
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 0, 'consumed');
	});

	it('two admins on two instances at once: the notice names the status that won', async () => {
		for (let round = 0; round < 8; round += 1) {
			const world = new TestWorld();
			world.settings.set(SettingId.AdminRoles, 'admin, moderator');
			const clara = { ...world.clara, roles: ['user', 'moderator'] };
			const id = await sendFeedback(world);
			const [adminForm, claraForm] = [await openForm(world, id), await openForm(world, id, clara)];
			const other = world.newInstance();
			// Which lands first changes from round to round.
			await Promise.all(
				round % 2 === 0
					? [
							save(world.instance, world.admin, adminForm, 'planned'),
							save(other, clara, claraForm, 'declined'),
						]
					: [
							save(other, clara, claraForm, 'declined'),
							save(world.instance, world.admin, adminForm, 'planned'),
						],
			);
			const winner = statusAfter(await changesOf(world, id));
			await afterQuiet(world);
			const messages = brunoMessages(world);
			assert.equal(messages.length, 1, `round ${round}`);
			assert.match(messages[0], new RegExp(`agora está: ${PORTUGUESE_LABEL[winner]}\\.`));
		}
	});

	it('tells one author of several feedback in one message, and skips what they were told', async () => {
		const world = new TestWorld();
		const first = await sendFeedback(world, 'first');
		const second = await sendFeedback(world, 'second');
		await save(world.instance, world.admin, await openForm(world, first), 'planned');
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 1);
		// Moved away and back before the author heard: nothing new about the first.
		await save(world.instance, world.admin, await openForm(world, first), 'done');
		await save(world.instance, world.admin, await openForm(world, first), 'planned');
		await save(world.instance, world.admin, await openForm(world, second), 'acknowledged');
		await afterQuiet(world);
		const messages = brunoMessages(world);
		assert.equal(messages.length, 2);
		assert.doesNotMatch(messages[1], /`first`/);
		assert.match(messages[1], /`second`\) agora está: Recebido\./);
		await save(world.instance, world.admin, await openForm(world, first), 'done');
		await save(world.instance, world.admin, await openForm(world, first), 'planned');
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 2, 'all of it was old news: no message');
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 0);
	});

	it('sends at most one notice per author per quiet time, even with more feedback than one names', async () => {
		const world = new TestWorld();
		const ids: Array<string> = [];
		for (let index = 0; index <= NOTICE_MAX_FEEDBACK; index += 1) {
			ids.push(await sendFeedback(world, `entry ${index}`));
		}
		for (const id of ids) {
			await save(world.instance, world.admin, await openForm(world, id), 'done');
		}
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 1);
		assert.equal((brunoMessages(world)[0].match(/agora está/g) ?? []).length, NOTICE_MAX_FEEDBACK);
		world.advance(NOTICE_QUIET_MS / 2);
		await world.instance.runStatusNotices();
		assert.equal(brunoMessages(world).length, 1, 'the rest waits for the next quiet time');
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 2);
		assert.match(brunoMessages(world)[1], /`entry 5`/);
	});

	it('changes every minute for 20 minutes: a notice at the bound after the oldest change, naming the status then', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		const statuses = ['acknowledged', 'planned', 'done', 'declined'];
		const start = world.now().getTime();
		/** Moves the world's clock to `offset` after the start (readings move it a little more). */
		const at = (offset: number) =>
			world.advance(Math.max(0, start + offset - world.now().getTime()));
		const sent: Array<{ minute: number; text: string; saved: string }> = [];
		let saved = '';
		// The job runs every 30 s; each minute the admin saves another status and note.
		for (let step = 0; step < 2 * 24; step += 1) {
			at(step * 30_000);
			const minute = step / 2;
			if (step % 2 === 0 && minute < 20) {
				const status = statuses[minute % statuses.length];
				await save(
					world.instance,
					world.admin,
					await openForm(world, id),
					status,
					`change ${minute}`,
				);
				saved = `agora está: ${PORTUGUESE_LABEL[status]}\\.\nNota da equipe: \`change ${minute}\``;
			}
			const before = brunoMessages(world).length;
			await world.instance.runStatusNotices();
			const messages = brunoMessages(world);
			assert.ok(messages.length <= before + 1, 'at most one notice a run');
			if (messages.length > before) {
				sent.push({ minute, text: messages[messages.length - 1], saved });
			}
		}
		const bound = NOTICE_MAX_DELAY_MS / 60_000;
		assert.deepEqual(
			sent.map(({ minute }) => minute),
			// The first change at 0, the oldest left pending at 9 (the first notice covered up to the
			// bound less the quiet time); after minute 19 the status named at 19 is old news.
			[bound, 9 + bound],
			'one notice at the bound after the oldest pending change, however often changes come',
		);
		for (const { text, saved: current } of sent) {
			assert.match(text, new RegExp(current), 'it names the status saved last before it');
		}
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 0, 'all consumed');
	});

	it('runs that race with a new change past the bound cover the same changes: one notice', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		await save(world.instance, world.admin, await openForm(world, id), 'planned', 'first');
		for (let minute = 1; minute <= 10; minute += 1) {
			world.advance(60_000);
			await save(
				world.instance,
				world.admin,
				await openForm(world, id),
				minute % 2 ? 'done' : 'planned',
				`n${minute}`,
			);
		}
		// One run reads before another change lands, the other after it; both are past the bound.
		const other = world.newInstance();
		const first = world.instance.runStatusNotices();
		await save(world.instance, world.admin, await openForm(world, id), 'declined', 'late');
		await Promise.all([first, other.runStatusNotices()]);
		assert.equal(brunoMessages(world).length, 1);
	});

	it('a run whose copy loses to an older one notes nothing: the change it saw on top is told next', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		await save(world.instance, world.admin, await openForm(world, id), 'planned', 'first');
		for (let minute = 1; minute <= 10; minute += 1) {
			world.advance(60_000);
			await save(world.instance, world.admin, await openForm(world, id), 'done', `n${minute}`);
		}
		// The first run read the statuses; a change lands while it posts, and a second run starts
		// then: it reads the change, finds the first run's message (the same changes covered) and
		// must not note that the author was told the change.
		const lateForm = await openForm(world, id);
		const other = world.newInstance();
		let second: Promise<unknown> | undefined;
		world.onPost = async () => {
			if (!second) {
				await save(world.instance, world.admin, lateForm, 'declined', 'late');
				second = other.runStatusNotices();
			}
		};
		await world.instance.runStatusNotices();
		await second;
		assert.equal(brunoMessages(world).length, 1);
		assert.match(brunoMessages(world)[0], /n10/);

		world.advance(NOTICE_QUIET_MS);
		await world.instance.runStatusNotices();
		const messages = brunoMessages(world);
		assert.equal(messages.length, 2, 'the late change is told');
		assert.match(messages[1], /late/);
	});

	it('two runs of the job at once: one notice, in one direct room', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		await save(world.instance, world.admin, await openForm(world, id), 'planned');
		world.advance(NOTICE_QUIET_MS);
		// Both runs look the direct room up before either creates it (the server's window).
		let release: () => void = () => undefined;
		world.roomCreating = new Promise((resolve) => {
			release = resolve;
		});
		const runs = Promise.all([
			world.instance.runStatusNotices(),
			world.newInstance().runStatusNotices(),
		]);
		await until(() => world.roomCreationsUnderway === 2, 'both runs to be creating the room');
		release();
		await runs;
		assert.equal(world.deletedRooms.length, 1, 'the server let both runs create a room');
		assert.equal(world.directRooms.length, 1, 'the one the look-up does not return is deleted');
		assert.equal(brunoMessages(world).length, 1, 'one notice');
		const [notice] = world.roomMessages;
		assert.equal(notice.room.id, world.directRooms[0].id, 'in the room every look-up returns');
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 0);
	});

	it('a lost answer to the post: the next run finds the message and sends no other', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		await save(world.instance, world.admin, await openForm(world, id), 'planned');
		world.losingMessageAnswers = 1;
		await afterQuiet(world);
		assert.equal(world.instance.log.errors.length, 1, 'the failure is logged');
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 1, 'kept');
		await world.instance.runStatusNotices();
		assert.equal(brunoMessages(world).length, 1);
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 0);
	});

	it('keeps the notice when the post is refused or the app user cannot be read, and sends it later', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		await save(world.instance, world.admin, await openForm(world, id), 'planned');
		world.refusingMessages = 1;
		await afterQuiet(world);
		world.failingAppUserLookups = 1;
		await world.instance.runStatusNotices();
		assert.equal(world.instance.log.errors.length, 2);
		assert.equal(brunoMessages(world).length, 0);
		await world.instance.runStatusNotices();
		assert.equal(brunoMessages(world).length, 1);
	});

	it('gives a notice up when the server refuses it for good: not retried, noted, and the next save tells the admin', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		await save(world.instance, world.admin, await openForm(world, id), 'planned', 'soon');
		world.refusingMessages = 1;
		world.messageRefusal = new Error('Not allowed [error-not-allowed]');
		await afterQuiet(world);
		assert.deepEqual(stored(world, RecordScope.StatusNoticePending), [], 'not pending any more');
		assert.deepEqual(stored(world, RecordScope.StatusNoticeUndelivered), [
			{
				authorId: world.bruno.id,
				reason: 'refused',
				detail: 'Not allowed [error-not-allowed]',
				at: world.now().toISOString(),
			},
		]);
		assert.match(world.instance.log.warnings.join('\n'), /not told of status changes \(refused\)/);
		await afterQuiet(world);
		assert.deepEqual(brunoMessages(world), [], 'not tried again');

		const shipped = await save(
			world.instance,
			world.admin,
			await openForm(world, id),
			'done',
			'shipped',
		);
		assert.match(
			JSON.stringify((shipped as { view?: IUIKitSurface }).view?.blocks),
			/The server refused the last direct message to its author, so they may get none: `Not allowed \[error-not-allowed\]`\. They see the status and note in \/feedback list\./,
		);
		// The next notice goes out, and once one is sent the admin hears no more of the refusal.
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 1);
		assert.match(brunoMessages(world)[0], /Concluído\.\nNota da equipe: `shipped`$/);
		const declined = await save(world.instance, world.admin, await openForm(world, id), 'declined');
		assert.match(
			JSON.stringify((declined as { view?: IUIKitSurface }).view?.blocks),
			/told in a direct message within 11 minutes/,
		);
	});

	it('gives up a notice that keeps failing for an hour; that feedback is told with its next change', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		await save(world.instance, world.admin, await openForm(world, id), 'planned');
		world.refusingMessages = 1000;
		await afterQuiet(world);
		world.advance(NOTICE_GIVE_UP_MS - NOTICE_QUIET_MS - 60_000);
		await world.instance.runStatusNotices();
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 1, 'still tried');
		world.advance(60_000);
		await world.instance.runStatusNotices();
		assert.deepEqual(stored(world, RecordScope.StatusNoticePending), [], 'given up after an hour');
		assert.equal(
			(stored(world, RecordScope.StatusNoticeUndelivered)[0] as { reason: string }).reason,
			'refused',
		);
		world.refusingMessages = 0;
		const other = await sendFeedback(world, 'outra');
		await save(world.instance, world.admin, await openForm(world, other), 'done');
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 1);
		assert.match(brunoMessages(world)[0], /Concluído/);
		const first = brunoMessages(world)[0];
		assert.ok(!first.includes('Planejado'), 'a given-up change is told with its next change');
		await save(world.instance, world.admin, await openForm(world, id), 'done');
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 2);
	});

	it('forgets when an author was last sent a notice once their last named feedback is deleted', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		await save(world.instance, world.admin, await openForm(world, id), 'planned', 'soon');
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 1, 'told once');
		assert.equal(stored(world, RecordScope.StatusNoticeSent).length, 1);
		const { feedback } = storesFor(world.persistence.reader(APP_ID), world.instance.log.logger);
		const record = await feedback.find(id);
		assert.ok(record);
		await feedback.remove(world.writer(), record, world.now());
		const left = JSON.stringify(world.persistence.records);
		assert.ok(!left.includes(world.bruno.id), `the author is named in ${left}`);

		// A notice sent as the last feedback went leaves a record the hourly sweep removes.
		await world.writer().updateByAssociations(
			buildAssociations({
				scope: RecordScope.StatusNoticeSent,
				keys: [`author:${world.bruno.id}`],
			}),
			{ authorId: world.bruno.id, sentAt: world.now().toISOString() },
			true,
		);
		for (let minute = 0; minute < 60; minute += 1) {
			await feedback.contributors.sweep(world.writer(), new Date(Date.UTC(2026, 0, 1, 0, minute)));
		}
		assert.deepEqual(stored(world, RecordScope.StatusNoticeSent), []);
	});

	it('drops the notice of a deleted feedback or an author who is gone, and never tells anonymous authors', async () => {
		const world = new TestWorld();
		const id = await sendFeedback(world);
		await save(world.instance, world.admin, await openForm(world, id), 'planned');
		const reader = world.persistence.reader(APP_ID);
		const { feedback } = storesFor(reader, world.instance.log.logger);
		const record = await feedback.find(id);
		assert.ok(record);
		await feedback.remove(world.writer(), record, world.now());
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 0);
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 0);

		const kept = await sendFeedback(world);
		await save(world.instance, world.admin, await openForm(world, kept), 'done');
		const { users } = world;
		world.users = () => users.call(world).filter((user) => user.id !== world.bruno.id);
		await afterQuiet(world);
		assert.equal(brunoMessages(world).length, 0);
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 0);

		await world.instance.run(world.alice, '');
		await world.instance.submit(world.alice, world.lastView(world.alice), {
			comment: 'secret',
			category: 'Bug',
			anonymous: ['anonymous'],
		});
		const secret = (stored(world, RecordScope.Feedback).at(-1) as { id: string }).id;
		const answer = await save(world.instance, world.admin, await openForm(world, secret), 'done');
		assert.equal(stored(world, RecordScope.StatusNoticePending).length, 0);
		// The admin is not promised a message to an author no one knows.
		const shown = JSON.stringify((answer as { view?: IUIKitSurface }).view?.blocks);
		assert.match(shown, /is now Done\. It was sent anonymously, so no one is told\./);
		assert.doesNotMatch(shown, /told in a direct message/);
	});
});

describe('the rules of notices and copies', () => {
	const change = (id: string, at: string, status: FeedbackStatus, note = '') => ({
		id,
		feedbackId: 'f',
		feedbackCreatedAt: at,
		status,
		note,
		adminId: 'admin',
		at,
	});

	it('every instance keeps the same copy of a change and computes the same notices', () => {
		const early = change('c', '2026-01-01T00:00:00.000Z', FeedbackStatus.Done);
		const late = change('c', '2026-01-01T00:00:00.005Z', FeedbackStatus.Done);
		assert.equal(isKeptCopy(early, late), true);
		assert.equal(isKeptCopy(late, early), false);
		assert.equal(isKeptCopy(early, early), false);
		const pending = [
			{ authorId: 'a', feedbackId: 'f1', changeId: 'x', changeAt: '2026-01-01T00:00:00.000Z' },
			{ authorId: 'a', feedbackId: 'f2', changeId: 'y', changeAt: '2026-01-01T00:01:00.000Z' },
			{ authorId: 'a', feedbackId: 'f2', changeId: 'y', changeAt: '2026-01-01T00:01:00.000Z' },
			{ authorId: 'b', feedbackId: 'f3', changeId: 'z', changeAt: '2026-01-01T00:02:30.000Z' },
		];
		const now = new Date('2026-01-01T00:03:00.000Z');
		const forward = dueNotices(pending, new Map(), now);
		assert.deepEqual(dueNotices([...pending].reverse(), new Map(), now), forward);
		assert.deepEqual(
			forward.map((batch) => [batch.authorId, batch.feedbackIds, batch.covered.length]),
			[['a', ['f1', 'f2'], 2]],
			'b changed 30 s ago: not yet; copies of one change count once',
		);
		assert.equal(forward[0].reference, noticeReference('a', ['y', 'x']));
		assert.match(forward[0].reference, /^[0-9a-f]{16}$/);
		assert.notEqual(noticeReference('a', ['x']), noticeReference('a', ['x', 'y']));
		assert.deepEqual(
			dueNotices(pending, new Map([['a', '2026-01-01T00:02:00.000Z']]), now),
			[],
			'a was sent a notice a minute ago',
		);
	});

	it('past the bound an author is due however fresh the newest change, covering what all racing runs read', () => {
		const at = (minutes: number) =>
			new Date(Date.UTC(2026, 0, 1, 0, 0, minutes * 60)).toISOString();
		const pending = Array.from({ length: 11 }, (_, minute) => ({
			authorId: 'a',
			feedbackId: 'f',
			changeId: `c${String(minute).padStart(2, '0')}`,
			changeAt: at(minute),
		}));
		const bound = NOTICE_MAX_DELAY_MS / 60_000;
		assert.deepEqual(
			dueNotices(pending, new Map(), new Date(at(bound - 0.5))),
			[],
			'before the bound',
		);
		const [batch] = dueNotices(pending, new Map(), new Date(at(bound)));
		assert.deepEqual(
			batch.covered.map((notice) => notice.changeAt),
			pending.slice(0, bound - NOTICE_QUIET_MS / 60_000 + 1).map((notice) => notice.changeAt),
			'up to the bound less the quiet time',
		);
		const later = [
			...pending,
			{ authorId: 'a', feedbackId: 'f', changeId: 'late', changeAt: at(bound) },
		];
		assert.deepEqual(
			dueNotices(later, new Map(), new Date(at(bound + 0.01))),
			[batch],
			'a change that lands meanwhile',
		);
		assert.deepEqual(
			dueNotices(pending, new Map([['a', at(bound - 1)]]), new Date(at(bound))),
			[],
			'still one notice per quiet time',
		);
	});

	it('a save is a no-op only with the same status and note; news is what the author was not told', () => {
		const planned = change('c', '2026-01-01T00:00:00.000Z', FeedbackStatus.Planned, 'n');
		assert.equal(isNoOpSave(undefined, FeedbackStatus.New, FeedbackStatus.New, ''), true);
		assert.equal(isNoOpSave(planned, FeedbackStatus.New, FeedbackStatus.Planned, 'n'), true);
		assert.equal(isNoOpSave(planned, FeedbackStatus.New, FeedbackStatus.Planned, 'other'), false);
		assert.equal(isNews(planned, undefined, FeedbackStatus.New), true);
		const told = {
			feedbackId: 'f',
			status: FeedbackStatus.Planned,
			note: 'n',
			changeId: 'c',
			changeAt: planned.at,
		};
		assert.equal(isNews(planned, told, FeedbackStatus.New), false);
		assert.equal(
			newestTold([
				told,
				{ ...told, changeAt: '2025-01-01T00:00:00.000Z', status: FeedbackStatus.Done },
			]),
			told,
		);
	});

	it('reads a status form view id with its form id, without one (older forms), and nothing else', () => {
		const feedbackId = '6f1c2a8e-3b7d-4f2e-9a51-0c4d8e7b2f10';
		const formId = '0c4d8e7b-3b7d-4f2e-9a51-6f1c2a8e2f10';
		assert.deepEqual(statusFormOfView(statusViewIdFor(feedbackId, formId)), { feedbackId, formId });
		assert.deepEqual(statusFormOfView(`feedback-status:${feedbackId}`), { feedbackId });
		assert.equal(statusFormOfView(`feedback-status:${feedbackId}:x`), undefined);
		assert.equal(statusFormOfView(`feedback-status:${feedbackId}:${formId}:${formId}`), undefined);
		assert.equal(statusFormOfView(`feedback-form:${feedbackId}`), undefined);
	});
});
