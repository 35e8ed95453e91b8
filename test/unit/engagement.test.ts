import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { followersOf, noticesOn } from '../../src/domain/following';
import type { IFollowEvent, IFollowFacts } from '../../src/domain/following';
import { checkMerge, heldMerges, mergedInto, rootOf } from '../../src/domain/merges';
import type { IMergeRecord } from '../../src/domain/merges';
import { currentVoters, voteClick, votersAcross } from '../../src/domain/votes';
import type { IVoteEvent } from '../../src/domain/votes';
import { MergeLog } from '../../src/persistence/MergeLog';
import { InMemoryPersistence } from '../support/InMemoryPersistence';

function vote(
	memberId: string,
	voted: boolean,
	at: string,
	clickId: string,
	feedbackId = 'f1',
): IVoteEvent {
	return { feedbackId, memberId, voted, clickId, at: `2026-12-05T10:00:${at}.000Z` };
}

function follow(
	memberId: string,
	following: boolean,
	at: string,
	clickId: string,
	feedbackId = 'f1',
): IFollowEvent {
	return { feedbackId, memberId, following, clickId, at: `2026-12-05T10:00:${at}.000Z` };
}

function merge(id: string, sourceId: string, targetId: string, at: string): IMergeRecord {
	return { id, sourceId, targetId, adminId: 'admin', at: `2026-12-05T10:00:${at}.000Z` };
}

describe('votes', () => {
	it('a first click votes, a second withdraws, a third votes again', () => {
		assert.deepEqual(voteClick([], 'c1'), { kind: 'new', voted: true });
		const one = [vote('ana', true, '01', 'c1')];
		assert.deepEqual(voteClick(one, 'c2'), { kind: 'new', voted: false });
		const two = [...one, vote('ana', false, '02', 'c2')];
		assert.deepEqual(voteClick(two, 'c3'), { kind: 'new', voted: true });
	});

	it('a click delivered again does what it did the first time, even after later clicks', () => {
		const events = [vote('ana', true, '01', 'c1'), vote('ana', false, '02', 'c2')];
		assert.deepEqual(voteClick(events, 'c1'), { kind: 'repeat', voted: true });
		assert.deepEqual(voteClick(events, 'c2'), { kind: 'repeat', voted: false });
	});

	it('counts each member once, by their newest click; copies of a click count once', () => {
		const events = [
			vote('ana', true, '01', 'c1'),
			vote('ana', true, '01', 'c1'),
			vote('bob', true, '02', 'c2'),
			vote('bob', false, '03', 'c3'),
			vote('cid', true, '04', 'c4'),
		];
		assert.deepEqual([...currentVoters(events)].sort(), ['ana', 'cid']);
	});

	it('a member who voted on a duplicate and its target counts once; a withdrawal on one leaves the other', () => {
		const events = [
			vote('ana', true, '01', 'a1', 'target'),
			vote('ana', true, '02', 'a2', 'duplicate'),
			vote('bob', true, '03', 'b1', 'target'),
			vote('bob', false, '04', 'b2', 'duplicate'),
		];
		assert.deepEqual([...votersAcross(events)].sort(), ['ana', 'bob']);
	});
});

describe('following', () => {
	const facts = (overrides: Partial<IFollowFacts> = {}): IFollowFacts => ({
		feedbackId: 'f1',
		author: { id: 'author', at: '2026-12-05T09:00:00.000Z' },
		votes: [],
		follows: [],
		...overrides,
	});

	it('the named author and every voter follow; an anonymous feedback has no author to follow it', () => {
		const votes = [vote('ana', true, '01', 'c1'), vote('ana', false, '02', 'c2')];
		assert.deepEqual([...followersOf([facts({ votes })])].sort(), ['ana', 'author']);
		assert.deepEqual([...followersOf([facts({ author: null })])], []);
	});

	it('the newest fact wins: unfollow after voting stops, voting again follows again', () => {
		const votes = [vote('ana', true, '01', 'c1')];
		const follows = [follow('ana', false, '02', 'u1'), follow('author', false, '03', 'u2')];
		assert.deepEqual([...followersOf([facts({ votes, follows })])], []);
		const again = [...votes, vote('ana', true, '04', 'c3')];
		assert.deepEqual([...followersOf([facts({ votes: again, follows })])], ['ana']);
	});

	it('across a merged group, an unfollow of the target beats an older vote on the duplicate', () => {
		const duplicate = facts({
			feedbackId: 'dup',
			author: null,
			votes: [vote('ana', true, '01', 'c1', 'dup')],
		});
		const target = facts({ follows: [follow('ana', false, '05', 'u1')] });
		assert.deepEqual([...followersOf([target, duplicate])], ['author']);
	});

	it('notices are on until the newest choice turns them off', () => {
		assert.equal(noticesOn([]), true);
		const off = { memberId: 'ana', on: false, clickId: 'x', at: '2026-12-05T10:00:01.000Z' };
		const on = { memberId: 'ana', on: true, clickId: 'y', at: '2026-12-05T10:00:02.000Z' };
		assert.equal(noticesOn([off]), false);
		assert.equal(noticesOn([on, off]), true);
	});
});

describe('merges', () => {
	it('the earliest merge of a duplicate holds; a later one elsewhere is ignored', () => {
		const held = heldMerges([merge('m2', 'a', 'c', '02'), merge('m1', 'a', 'b', '01')]);
		assert.equal(held.get('a')?.targetId, 'b');
	});

	it('racing merges into each other: the earlier holds, the one closing a cycle is ignored', () => {
		const held = heldMerges([merge('m1', 'a', 'b', '01'), merge('m2', 'b', 'a', '01')]);
		assert.equal(held.size, 1);
		assert.equal(rootOf(held, 'a'), 'b');
		assert.equal(rootOf(held, 'b'), 'b');
	});

	it('a chain counts at its end, and the group lists the root first', () => {
		const held = heldMerges([merge('m1', 'a', 'b', '01'), merge('m2', 'b', 'c', '02')]);
		assert.equal(rootOf(held, 'a'), 'c');
		assert.deepEqual(mergedInto(held, 'c'), ['c', 'a', 'b']);
	});

	it('refuses merging into itself, gone entries, a merged duplicate, into a merged entry', () => {
		const held = heldMerges([merge('m1', 'a', 'b', '01')]);
		const both = { source: true, target: true };
		assert.equal(checkMerge(held, 'x', 'x', both), 'same-entry');
		assert.equal(checkMerge(held, 'x', 'y', { source: false, target: true }), 'source-gone');
		assert.equal(checkMerge(held, 'x', 'y', { source: true, target: false }), 'target-gone');
		assert.equal(checkMerge(held, 'a', 'c', both), 'source-merged');
		assert.equal(checkMerge(held, 'c', 'a', both), 'target-merged');
		assert.equal(checkMerge(held, 'b', 'c', both), undefined);
	});
});

describe('a feedback’s merged group, read by keys', () => {
	it('reads only the merges connected to it and resolves them as a read of every merge does', async () => {
		const store = new InMemoryPersistence();
		const log = new MergeLog(store.reader('app'));
		const all = [
			merge('m1', 'a', 'b', '01'),
			merge('m2', 'b', 'c', '02'),
			merge('m3', 'c', 'a', '03'), // would close a cycle: ignored
			merge('m4', 'x', 'y', '04'),
			merge('m5', 'd', 'c', '05'),
		];
		for (const record of all) {
			await log.add(store.writer('app'), record);
		}
		const global = heldMerges(all);
		for (const id of ['a', 'b', 'c', 'd', 'x', 'y']) {
			const root = rootOf(global, id);
			assert.deepEqual(
				await log.groupOf(id),
				{ rootId: root, members: mergedInto(global, root) },
				id,
			);
		}
		const before = store.calls.length;
		assert.deepEqual(await log.groupOf('unmerged'), { rootId: 'unmerged', members: ['unmerged'] });
		assert.equal(store.calls.length - before, 2, 'two reads for a feedback never merged');
	});
});
