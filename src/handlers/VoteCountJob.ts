import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import type { VoteCounts } from './VoteCounts';
import { processorOf } from './processor';
import type { IJobRequest } from './requestContext';
import { refreshStep } from '../domain/voteRefresh';
import type { IVoteRefresh } from '../domain/voteRefresh';

export const VOTE_COUNT_PROCESSOR_ID = 'refresh-vote-counts';

/** How often counts a click left unverified are refreshed: the longest such a count stays wrong. */
export const VOTE_COUNT_INTERVAL = '10 seconds';

/** How long one run starts new refreshes (the engine fails a run after 30 s). */
export const VOTE_COUNT_RUN_BUDGET_MS = 10_000;

/** What one run did, in clicks. */
export interface IVoteCountRun {
	/** Counted and verified: their notes are removed. */
	readonly refreshed: number;
	/** Their click may still store its vote: left. */
	readonly waiting: number;
	/** Their click ended without a vote, or their count could not be written for an hour. */
	readonly dropped: number;
	/** A read or the update failed, or the budget ran out: left for the next run. */
	readonly left: number;
}

/**
 * Refreshes the counts a click did not verify (its process stopped, its update failed or was
 * refused). Only the notes read before a recount began are removed after it: a click noted later
 * is refreshed by its own click or the next run. Exact under overlapping and duplicate runs: a
 * refresh writes the stored truth, whoever runs it.
 */
export class VoteCountJob {
	constructor(
		private readonly counts: VoteCounts,
		private readonly now: () => Date = () => new Date(),
	) {}

	/** The processor the app registers. */
	public processor(): IProcessor {
		return processorOf(VOTE_COUNT_PROCESSOR_ID, (request) => this.run(request), {
			type: StartupType.RECURRING,
			interval: VOTE_COUNT_INTERVAL,
		});
	}

	/** Refreshes what the notes ask for, within the run's budget. */
	public async run(request: IJobRequest): Promise<IVoteCountRun> {
		const { stores, persistence, logger } = request;
		const started = this.now().getTime();
		const byFeedback = new Map<string, Array<IVoteRefresh>>();
		for (const refresh of await stores.voteRefreshes.pending()) {
			byFeedback.set(refresh.feedbackId, [...(byFeedback.get(refresh.feedbackId) ?? []), refresh]);
		}
		let refreshed = 0;
		let waiting = 0;
		let dropped = 0;
		let left = 0;
		for (const [feedbackId, notes] of byFeedback) {
			if (this.now().getTime() - started >= VOTE_COUNT_RUN_BUDGET_MS) {
				left += notes.length;
				continue;
			}
			try {
				// Whether each note's vote is stored, read before the recount: a recount that
				// begins after this read counts every vote found here.
				const events = await stores.votes.ofFeedback(feedbackId);
				const steps = notes.map((note) => ({
					note,
					step: refreshStep(
						note,
						events.some(
							(event) => event.memberId === note.memberId && event.clickId === note.clickId,
						),
						this.now(),
					),
				}));
				const toRefresh = steps.filter(({ step }) => step === 'refresh').map(({ note }) => note);
				const toDrop = steps.filter(({ step }) => step === 'drop').map(({ note }) => note);
				waiting += steps.length - toRefresh.length - toDrop.length;
				if (toRefresh.length > 0) {
					if (await this.counts.refresh(request, feedbackId)) {
						await Promise.all(
							toRefresh.map((note) => stores.voteRefreshes.remove(persistence, note)),
						);
						refreshed += toRefresh.length;
					} else {
						left += toRefresh.length;
					}
				}
				if (toDrop.length > 0) {
					logger.warn(
						`dropped ${toDrop.length} vote count refresh(es) of feedback ${feedbackId}: no vote stored, or not written for an hour`,
					);
					await Promise.all(toDrop.map((note) => stores.voteRefreshes.remove(persistence, note)));
					dropped += toDrop.length;
				}
			} catch (error) {
				left += notes.length;
				logger.error(`refreshing the vote count of feedback ${feedbackId} failed`, error);
			}
		}
		return { refreshed, waiting, dropped, left };
	}
}
