// Posting exactly once without a conditional write: copies found before posting, copies removed
// after, and racing posters that read the room at different moments all keep the same copy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IMessageRaw } from '@rocket.chat/apps-engine/definition/messages';

import { compareCopies, headingOf, keptCopy, surplusCopies } from '../../src/domain/convergence';
import { AppPoster, type IOncePost } from '../../src/handlers/AppPoster';
import { TestWorld } from '../support/TestWorld';

const logger = {
	debug: () => undefined,
	info: () => undefined,
	warn: () => undefined,
	error: () => undefined,
	log: () => undefined,
	success: () => undefined,
};

function posterOf(world: TestWorld): AppPoster {
	return new AppPoster(world.read(), world.modify(), logger as never);
}

function onceIn(world: TestWorld, text: string): IOncePost {
	return {
		room: world.announcements,
		text,
		isCopy: (message: IMessageRaw) => headingOf(message.text) === headingOf(text),
	};
}

describe('convergence rule', () => {
	it('keeps the earliest copy, then the smallest id, whatever order the copies come in', () => {
		const copies = [
			{ id: 'b', createdAt: '2026-01-01T00:00:01.000Z' },
			{ id: 'c', createdAt: new Date('2026-01-01T00:00:00.000Z') },
			{ id: 'a', createdAt: '2026-01-01T00:00:00.000Z' },
		];
		for (const order of [copies, [...copies].reverse(), [copies[1], copies[0], copies[2]]]) {
			assert.equal(keptCopy(order)?.id, 'a');
			assert.deepEqual(
				surplusCopies(order)
					.map((copy) => copy.id)
					.sort(),
				['b', 'c'],
			);
		}
		assert.equal(keptCopy([]), undefined);
		assert.deepEqual(surplusCopies([]), []);
	});

	it('never deletes the copy every reader keeps, whichever subset a reader saw', () => {
		const all = [
			{ id: 'x1', createdAt: '2026-01-01T00:00:02.000Z' },
			{ id: 'x2', createdAt: '2026-01-01T00:00:01.000Z' },
			{ id: 'x3', createdAt: '2026-01-01T00:00:03.000Z' },
			{ id: 'x0', createdAt: 'not a date' },
		];
		const winner = keptCopy(all);
		assert.equal(winner?.id, 'x2');
		// Every non-empty subset a racing reader may have seen.
		for (let mask = 1; mask < 1 << all.length; mask += 1) {
			const seen = all.filter((_, index) => (mask & (1 << index)) !== 0);
			const deleted = surplusCopies(seen).map((copy) => copy.id);
			assert.ok(!deleted.includes('x2'), `subset ${mask} deletes the kept copy`);
		}
		assert.ok(compareCopies(all[3], all[0]) > 0, 'a copy without a time sorts last');
	});

	it('reads the heading as the first line', () => {
		assert.equal(
			headingOf('New feedback `1a2b` in `Bug`:\n> text'),
			'New feedback `1a2b` in `Bug`:',
		);
		assert.equal(headingOf(undefined), '');
	});
});

describe('AppPoster.postOnce', () => {
	it('posts once, and a retry finds the post instead of posting again', async () => {
		const world = new TestWorld();
		const poster = posterOf(world);
		assert.equal(await poster.postOnce(onceIn(world, 'heading one\nbody')), 'posted');
		assert.equal(await poster.postOnce(onceIn(world, 'heading one\nbody')), 'found');
		assert.equal(world.roomMessages.length, 1);
		assert.equal(world.roomMessages[0].sender.id, world.bot.id);
	});

	it('leaves one copy when two instances post at the same moment', async () => {
		const world = new TestWorld();
		const first = posterOf(world);
		const second = posterOf(world);
		const outcomes = await Promise.all([
			first.postOnce(onceIn(world, 'heading two\nbody')),
			second.postOnce(onceIn(world, 'heading two\nbody')),
		]);
		assert.deepEqual(outcomes, ['posted', 'posted'], 'both looked before either posted');
		assert.equal(world.roomMessages.length, 1);
		assert.equal(world.roomMessages[0].id, 'message-1', 'the earliest copy is kept');
		assert.deepEqual(world.deletedMessages, ['message-2']);
	});

	it('keeps the earliest copy when the reader that posted first reads before the second post', async () => {
		const world = new TestWorld();
		const poster = posterOf(world);
		// A copy stored by another instance a moment later, that this poster has not seen yet.
		assert.equal(await poster.postOnce(onceIn(world, 'heading three\nbody')), 'posted');
		world.advance(1000);
		await poster.post(world.announcements, 'heading three\nbody');
		assert.equal(world.roomMessages.length, 2);
		assert.equal(await poster.converge(onceIn(world, 'heading three\nbody')), 1);
		assert.deepEqual(
			world.roomMessages.map((message) => message.id),
			['message-1'],
		);
	});

	it("says which copy the room keeps, which may be an earlier run's text", async () => {
		const world = new TestWorld();
		const earlier = await posterOf(world).placeOnce(onceIn(world, 'heading six\nread first'));
		assert.equal(earlier.outcome, 'posted');
		assert.equal(earlier.kept?.text, 'heading six\nread first');
		const later = await posterOf(world).placeOnce(onceIn(world, 'heading six\nread later'));
		assert.equal(later.outcome, 'found');
		assert.equal(later.kept?.text, 'heading six\nread first');
	});

	it('never touches messages of other senders or other posts', async () => {
		const world = new TestWorld();
		const poster = posterOf(world);
		world.roomMessages.push({
			id: 'member-copy',
			room: world.announcements,
			sender: world.alice,
			text: 'heading four\nforged by a member',
			createdAt: new Date(0),
		});
		await poster.post(world.announcements, 'another heading\nbody');
		assert.equal(await poster.postOnce(onceIn(world, 'heading four\nbody')), 'posted');
		assert.equal(world.roomMessages.length, 3);
		assert.deepEqual(world.deletedMessages, []);
	});

	it('throws when the post fails, so the caller keeps the work', async () => {
		const world = new TestWorld();
		world.refusingMessages = 1;
		await assert.rejects(posterOf(world).postOnce(onceIn(world, 'heading five\nbody')));
		assert.equal(world.roomMessages.length, 0);
		assert.equal(await posterOf(world).postOnce(onceIn(world, 'heading five\nbody')), 'posted');
	});
});
