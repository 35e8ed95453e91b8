// One announcement per stored feedback when the scheduler is not exact: copies of the job run at
// once on several instances, runs overlap, a post lands but its answer is lost, the marker and the
// room disagree, and a run stops within its budget.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { IFeedbackRecord } from '../../src/domain/record';
import { SettingId } from '../../src/domain/settings';
import { ANNOUNCEMENT_RUN_BUDGET_MS } from '../../src/handlers/AnnouncementJob';
import { Announcer } from '../../src/handlers/Announcer';
import { AnnouncementQueue } from '../../src/persistence/AnnouncementQueue';
import { FeedbackRepository } from '../../src/persistence/FeedbackRepository';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { announcementKeyOf } from '../../src/ui/messages';
import { APP_ID, TestWorld } from '../support/TestWorld';

const ANONYMOUS = ['anonymous'];

/** Anonymous feedback is announced once the UTC hour it was sent in has closed. */
const HOUR_MS = 60 * 60 * 1000;

function announcingWorld(): TestWorld {
	const world = new TestWorld();
	world.settings.set(SettingId.AnnounceRoom, '#feedback');
	return world;
}

async function sendFeedback(world: TestWorld, user: IUser, values: Record<string, unknown>) {
	await world.instance.run(user, '');
	return world.instance.submit(user, world.lastView(user), values);
}

function storedRecords(world: TestWorld): IFeedbackRecord[] {
	return world.persistence
		.matching(APP_ID, buildAssociations({ scope: RecordScope.Feedback }))
		.map((record) => record.data as IFeedbackRecord);
}

function queued(world: TestWorld) {
	return world.persistence.matching(
		APP_ID,
		buildAssociations({ scope: RecordScope.AnnouncementQueue }),
	);
}

function markers(world: TestWorld) {
	return world.persistence.matching(
		APP_ID,
		buildAssociations({ scope: RecordScope.FeedbackAnnounced }),
	);
}

/** How many announcements of each stored feedback the room shows. */
function postsPerFeedback(world: TestWorld): Map<string, number> {
	const counts = new Map(storedRecords(world).map((record) => [record.id, 0]));
	for (const message of world.roomMessages) {
		const id = announcementKeyOf(message.text)?.feedbackId;
		if (id !== undefined) {
			counts.set(id, (counts.get(id) ?? 0) + 1);
		}
	}
	return counts;
}

function assertOneEach(world: TestWorld, feedbackCount: number): void {
	const counts = postsPerFeedback(world);
	assert.equal(counts.size, feedbackCount);
	assert.deepEqual([...counts.values()], Array(feedbackCount).fill(1), JSON.stringify([...counts]));
}

/**
 * Runs the job until nothing is queued (at rest): the world's clock moves a second on every
 * reading, so concurrent runs spend their budget quickly and leave the rest to the next.
 */
async function runUntilAtRest(world: TestWorld): Promise<void> {
	for (let run = 0; run < 10 && queued(world).length > 0; run += 1) {
		await world.instance.runAnnouncements();
	}
}

/** Interleaves every persistence call of concurrent runs, as two instances do. */
function interleave(world: TestWorld): void {
	world.persistence.pause = () => new Promise((resolve) => setImmediate(resolve));
}

describe('the announcement job under an inexact scheduler', () => {
	it('two copies of the job running at once on two instances post one announcement each', async () => {
		const world = announcingWorld();
		for (const user of [world.alice, world.bruno, world.clara]) {
			await sendFeedback(world, user, { comment: 'anon', category: 'Bug', anonymous: ANONYMOUS });
		}
		world.advance(HOUR_MS);
		const other = world.newInstance();
		interleave(world);
		// The first post of each run waits for the other's: both looked before either posted.
		let waiting = 0;
		let release: () => void = () => undefined;
		const bothPosting = new Promise<void>((resolve) => {
			release = resolve;
		});
		world.onPost = () => {
			waiting += 1;
			if (waiting === 2) {
				release();
			}
			return waiting <= 2 ? bothPosting : undefined;
		};
		await Promise.all([world.instance.runAnnouncements(), other.runAnnouncements()]);
		assert.ok(world.deletedMessages.length > 0, 'both runs posted: the duplicates were removed');
		await runUntilAtRest(world);
		assertOneEach(world, 3);
		assert.deepEqual([world.instance.log.errors, other.log.errors], [[], []]);
		assert.deepEqual(queued(world), []);
	});

	it('runs that overlap on one instance (a run outlasting 30 s) post one announcement each', async () => {
		const world = announcingWorld();
		await sendFeedback(world, world.alice, { comment: 'a', category: 'Bug', anonymous: ANONYMOUS });
		await sendFeedback(world, world.bruno, { comment: 'b', category: 'Bug', anonymous: ANONYMOUS });
		world.advance(HOUR_MS);
		interleave(world);
		await Promise.all([
			world.instance.runAnnouncements(),
			world.instance.runAnnouncements(),
			world.instance.runAnnouncements(),
		]);
		await runUntilAtRest(world);
		assertOneEach(world, 2);
		assert.deepEqual(queued(world), []);
	});

	it('a post whose answer is lost after the message landed is retried and still posted once', async () => {
		const world = announcingWorld();
		world.losingMessageAnswers = 1;
		await sendFeedback(world, world.alice, { comment: 'lost answer', category: 'Bug' });
		assert.equal(world.roomMessages.length, 1, 'the message landed');
		assert.equal(queued(world).length, 1, 'the submit saw a failure and left it queued');
		await world.instance.runAnnouncements();
		assertOneEach(world, 1);
		assert.deepEqual(queued(world), []);
		assert.equal(markers(world).length, 1, 'noted once found');

		world.losingMessageAnswers = 1;
		await sendFeedback(world, world.bruno, { comment: 'x', category: 'Bug', anonymous: ANONYMOUS });
		world.advance(HOUR_MS);
		await world.instance.runAnnouncements();
		assert.equal(queued(world).length, 1, "the job's own lost answer keeps it queued");
		await world.instance.runAnnouncements();
		assertOneEach(world, 2);
		assert.deepEqual(queued(world), []);
	});

	it('a marker without a post (a room that shows everything) is posted', async () => {
		const world = announcingWorld();
		await sendFeedback(world, world.alice, {
			comment: 'marked',
			category: 'Bug',
			anonymous: ANONYMOUS,
		});
		const [record] = storedRecords(world);
		const queue = new AnnouncementQueue(world.persistence.reader(APP_ID));
		await queue.markAnnounced(world.writer(), record.id, world.now());
		world.advance(HOUR_MS);
		await world.instance.runAnnouncements();
		assertOneEach(world, 1);
		assert.deepEqual(queued(world), []);
	});

	it('a post without a marker is found, not posted again, and noted', async () => {
		const world = announcingWorld();
		await sendFeedback(world, world.alice, { comment: 'unmarked', category: 'Bug' });
		const [record] = storedRecords(world);
		// The marker is lost (a write that failed after the post), and the feedback queued again.
		await world
			.writer()
			.removeByAssociations(
				buildAssociations({ scope: RecordScope.FeedbackAnnounced, keys: [`id:${record.id}`] }),
			);
		await new AnnouncementQueue(world.persistence.reader(APP_ID)).enqueue(
			world.writer(),
			record,
			world.now(),
		);
		assert.equal(markers(world).length, 0);
		await world.instance.runAnnouncements();
		assertOneEach(world, 1);
		assert.equal(markers(world).length, 1);
		assert.deepEqual(queued(world), []);
	});

	it('a marker stands for a post that newer messages pushed out of the searched ones', async () => {
		const world = announcingWorld();
		await sendFeedback(world, world.alice, { comment: 'old news', category: 'Bug' });
		const [record] = storedRecords(world);
		world.advance(1000);
		for (let index = 0; index < 100; index += 1) {
			world.roomMessages.push({
				id: `chat-${index}`,
				room: world.announcements,
				sender: world.bruno,
				text: `chatter ${index}`,
				createdAt: world.tick(),
			});
		}
		// Queued again, e.g. by a retried submit of the same form.
		await new AnnouncementQueue(world.persistence.reader(APP_ID)).enqueue(
			world.writer(),
			record,
			world.now(),
		);
		await world.instance.runAnnouncements();
		assert.equal(postsPerFeedback(world).get(record.id), 1, 'not posted a second time');
		assert.deepEqual(queued(world), []);
	});

	it('a run starts no post once its budget is spent; the next run goes on', async () => {
		const world = announcingWorld();
		for (let index = 0; index < 8; index += 1) {
			await sendFeedback(world, world.alice, {
				comment: `slow ${index}`,
				category: 'Bug',
				anonymous: ANONYMOUS,
			});
		}
		world.advance(HOUR_MS);
		// Each post takes 3 s of the world's clock (a slow server).
		world.onPost = () => world.advance(3000);
		const start = world.now().getTime();
		const first = await world.instance.runAnnouncements();
		assert.ok(first.done > 0 && first.left > 0, JSON.stringify(first));
		const latestStart = Math.max(...world.roomMessages.map((m) => m.createdAt?.getTime() ?? 0));
		assert.ok(
			latestStart - 3000 - start < ANNOUNCEMENT_RUN_BUDGET_MS,
			'every post began within the budget',
		);
		assert.equal(queued(world).length, first.left);
		let runs = 1;
		while (queued(world).length > 0 && runs < 5) {
			await world.instance.runAnnouncements();
			runs += 1;
		}
		assertOneEach(world, 8);
	});
});

describe('racing stored copies of one feedback', () => {
	async function copiesOf(world: TestWorld): Promise<[IFeedbackRecord, IFeedbackRecord]> {
		await sendFeedback(world, world.alice, { comment: 'earlier copy', category: 'Bug' });
		const [earlier] = storedRecords(world);
		const later: IFeedbackRecord = {
			...earlier,
			comment: 'later copy',
			createdAt: new Date(Date.parse(earlier.createdAt) + 5000).toISOString(),
		};
		world.roomMessages.length = 0;
		return [earlier, later];
	}

	async function announce(world: TestWorld, record: IFeedbackRecord) {
		return new Announcer(() => world.now(), 'feedback-app').announce(
			world.instance.jobRequest(),
			record,
		);
	}

	it("the earlier copy's announcement replaces a later copy's posted before it", async () => {
		const world = announcingWorld();
		const [earlier, later] = await copiesOf(world);
		assert.equal(await announce(world, later), 'posted');
		assert.equal(await announce(world, earlier), 'posted');
		assert.equal(world.roomMessages.length, 1);
		assert.match(world.roomMessages[0].text ?? '', /earlier copy/);
	});

	it('copies stored in the same millisecond: the room keeps the copy every read keeps, in either order', async () => {
		for (const postFirst of ['kept', 'other'] as const) {
			const world = announcingWorld();
			const [stored] = await copiesOf(world);
			const twin: IFeedbackRecord = { ...stored, comment: 'twin copy' };
			await world
				.writer()
				.createWithAssociations(
					twin,
					buildAssociations({ scope: RecordScope.Feedback, keys: [`id:${twin.id}`] }),
				);
			// Every read keeps one of the two; which one is decided by their content.
			const kept = (await new FeedbackRepository(world.persistence.reader(APP_ID)).find(
				stored.id,
			)) as IFeedbackRecord;
			const other = kept.comment === stored.comment ? twin : stored;
			const order = postFirst === 'kept' ? [kept, other] : [other, kept];
			for (const record of order) {
				await announce(world, record);
			}
			assert.equal(world.roomMessages.length, 1, `${postFirst} first`);
			assert.ok(
				(world.roomMessages[0].text ?? '').includes(kept.comment),
				`${postFirst} first: the room names the kept copy (${kept.comment})`,
			);
		}
	});

	it("a later copy's announcement is not posted over the earlier copy's", async () => {
		const world = announcingWorld();
		const [earlier, later] = await copiesOf(world);
		assert.equal(await announce(world, earlier), 'posted');
		assert.equal(await announce(world, later), 'found');
		assert.equal(world.roomMessages.length, 1);
		assert.match(world.roomMessages[0].text ?? '', /earlier copy/);
	});
});
