// The "Me too" button's blocks and what the recurring refresh does with a click's note.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FeedbackAction } from '../../src/domain/actions';
import {
	CLICK_UNDERWAY_MS,
	parseVoteRefresh,
	REFRESH_GIVE_UP_MS,
	refreshStep,
} from '../../src/domain/voteRefresh';
import { translatorFor } from '../../src/i18n/translate';
import { shownVoteCount, voteBlocks } from '../../src/ui/voteBlocks';

const FEEDBACK_ID = '0b6f5c1e-2d3a-4c5b-8e9f-a0b1c2d3e4f5';

describe('the vote button', () => {
	it('shows the count in the workspace language, names the app and carries the feedback id', () => {
		const blocks = voteBlocks('app-1', FEEDBACK_ID, 3, translatorFor('de'));
		assert.deepEqual(blocks, [
			{
				type: 'actions',
				blockId: 'feedback-vote:3',
				appId: 'app-1',
				elements: [
					{
						type: 'button',
						appId: 'app-1',
						blockId: 'feedback-vote:3',
						actionId: FeedbackAction.Vote,
						text: { type: 'plain_text', text: 'Ich auch · 3', emoji: false },
						value: FEEDBACK_ID,
					},
				],
			},
		]);
		assert.equal(shownVoteCount(blocks), 3);
		assert.equal(
			shownVoteCount(voteBlocks('app-1', FEEDBACK_ID, 0, translatorFor('en'))),
			0,
			'zero is a count shown',
		);
	});

	it('reads no count from a message without the button, with two, or with a forged block id', () => {
		assert.equal(shownVoteCount(undefined), undefined);
		assert.equal(shownVoteCount([]), undefined);
		assert.equal(shownVoteCount([{ type: 'section', blockId: 'other' }, null]), undefined);
		assert.equal(shownVoteCount([{ blockId: 'feedback-vote:x' }]), undefined);
		assert.equal(shownVoteCount([{ blockId: 'feedback-vote:' }]), undefined);
		assert.equal(
			shownVoteCount([{ blockId: 'feedback-vote:1' }, { blockId: 'feedback-vote:2' }]),
			undefined,
		);
	});
});

describe('a click’s refresh note', () => {
	const note = {
		feedbackId: FEEDBACK_ID,
		memberId: 'm1',
		clickId: 'c1',
		at: '2026-03-01T10:00:00.000Z',
	};
	const at = (ms: number) => new Date(Date.parse(note.at) + ms);

	it('is refreshed once its vote is stored, whatever its age below the hour', () => {
		assert.equal(refreshStep(note, true, at(0)), 'refresh');
		assert.equal(refreshStep(note, true, at(REFRESH_GIVE_UP_MS - 1)), 'refresh');
	});

	it('waits while its click may still store the vote, then is dropped (nothing changed)', () => {
		assert.equal(refreshStep(note, false, at(CLICK_UNDERWAY_MS - 1)), 'wait');
		assert.equal(refreshStep(note, false, at(CLICK_UNDERWAY_MS)), 'drop');
	});

	it('is given up after an hour of refused updates, and at once when its time is unreadable', () => {
		assert.equal(refreshStep(note, true, at(REFRESH_GIVE_UP_MS)), 'drop');
		assert.equal(refreshStep({ ...note, at: 'yesterday-ish' }, true, at(0)), 'drop');
	});

	it('of a merge is refreshed at once: the merge moved votes without storing one', () => {
		const merge = { ...note, merge: true as const };
		assert.equal(refreshStep(merge, false, at(0)), 'refresh');
		assert.equal(refreshStep(merge, false, at(REFRESH_GIVE_UP_MS)), 'drop');
		assert.deepEqual(parseVoteRefresh(merge), merge);
		assert.deepEqual(parseVoteRefresh({ ...note, merge: 'yes' }), note);
	});

	it('is read back only when whole', () => {
		assert.deepEqual(parseVoteRefresh({ ...note, extra: 1 }), note);
		assert.equal(parseVoteRefresh({ ...note, clickId: 3 }), undefined);
		assert.equal(parseVoteRefresh(null), undefined);
	});
});
