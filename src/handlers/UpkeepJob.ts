import type { ILogger, IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { MergeSettling } from './MergeSettling';
import { processorOf } from './processor';
import type { IJobRequest } from './requestContext';
import { dayOf, foldProgressOf } from '../domain/days';
import type { IFoldProgress } from '../domain/days';
import type { FeedbackRepository } from '../persistence/FeedbackRepository';
import { FOLD_BUDGET_RECORDS } from '../persistence/RunningTotal';
import type { ShardedCounter } from '../persistence/ShardedCounter';

export const UPKEEP_PROCESSOR_ID = 'upkeep';

/** How often the upkeep runs. */
export const UPKEEP_INTERVAL = '1 minute';

/**
 * Folds per run, each within FOLD_BUDGET_RECORDS, and the filing within it too, so a run stays
 * well inside the engine's 30 s (how long a fold takes at 1M: docs/benchmarks.md).
 */
const FOLDS_PER_RUN = 2;

/** Deletion notes of an earlier version moved per run: two writes each. */
const NOTES_MOVED_PER_RUN = 500;

/** What one run of the upkeep left to do. */
export interface IUpkeepResult {
	/** Closed days still to fold, undefined when none. */
	readonly folding?: IFoldProgress;
	/** Every status change is filed under its feedback's creation day (what a status filter reads). */
	readonly filed: boolean;
}

/**
 * Keeps reads cheap, about once a minute: retires the message-counter shards of instances that
 * are gone, folds the days that closed into the running totals (so the first statistics after
 * midnight do not pay for the day, and a store that was never folded is folded without anyone
 * asking again and again), files the status changes an earlier version stored under their
 * feedback's creation day, and settles merges that lost a race (MergeSettling). Two runs at once (a duplicated job document, an overlapping run) are
 * harmless: retirement is exact whatever runs at once (ShardRetirement.ts), a fold stores a total
 * that depends only on closed days, so racing instances store the same one, and filing writes
 * copies that every read collapses.
 */
export class UpkeepJob {
	private readonly mergeSettling: MergeSettling;

	constructor(
		private readonly now: () => Date,
		private readonly messageCounter: ShardedCounter,
	) {
		this.mergeSettling = new MergeSettling(now);
	}

	/** The processor the app registers. */
	public processor(): IProcessor {
		return processorOf(UPKEEP_PROCESSOR_ID, (request) => this.run(request), {
			type: StartupType.RECURRING,
			interval: UPKEEP_INTERVAL,
		});
	}

	/** Does one round of upkeep; says what is left. */
	public async run(request: IJobRequest): Promise<IUpkeepResult> {
		const { persistence, logger } = request;
		const { feedback, totals, statuses, statusTotals } = request.stores;
		await this.retireMessageShards(request);
		let folding: IFoldProgress | undefined;
		for (let fold = 0; fold < FOLDS_PER_RUN; fold += 1) {
			const now = this.now();
			folding = foldProgressOf(
				await totals.fold(persistence, now),
				await statusTotals.fold(persistence, now),
			);
			if (!folding) {
				break;
			}
		}
		if (folding) {
			logger.info(`folding closed days: ${folding.daysFolded} folded, ${folding.daysLeft} left`);
		}
		const filed =
			(await statuses.isFiledByCreation()) ||
			(await statuses.fileByCreation(persistence, FOLD_BUDGET_RECORDS));
		await this.keepAuthorsUnlinked(feedback, persistence, logger);
		await this.fileDayMarkersByMonth(request);
		await this.settleLostMerges(request);
		return folding ? { folding, filed } : { filed };
	}

	/**
	 * Files the day markers of an earlier version under their month, once, after every instance
	 * runs this version (the first day filed by the hour has begun): until then every marker is
	 * read. A failure is logged; the next run does it.
	 */
	private async fileDayMarkersByMonth(request: IJobRequest): Promise<void> {
		const { persistence, logger } = request;
		const { feedback, statuses } = request.stores;
		const now = this.now();
		try {
			if ((await feedback.hourly.firstDayToRead()) <= dayOf(now.toISOString())) {
				await feedback.dayMarkers.fileByMonth(persistence, now);
				await statuses.dayMarkers.fileByMonth(persistence, now);
			}
		} catch (error) {
			logger.error('filing day markers under their month failed', error);
		}
	}

	/** Settles what racing merges left (MergeSettling). A failure is logged; the next run does it. */
	private async settleLostMerges(request: IJobRequest): Promise<void> {
		try {
			await this.mergeSettling.run(request);
		} catch (error) {
			request.logger.error('settling merges that lost a race failed', error);
		}
	}

	/**
	 * Folds the message-counter shards of instances that are gone into one record, so shard
	 * records do not pile up with every app start. A failure is logged; the next run does it.
	 */
	private async retireMessageShards(request: IJobRequest): Promise<void> {
		try {
			await this.messageCounter.retire(request.read.getPersistenceReader(), request.persistence);
		} catch (error) {
			request.logger.error('retiring message-counter shards failed', error);
		}
	}

	/**
	 * Distinct authors without keys of their ids: marks the authors of feedback stored before marks
	 * existed, moves deletion notes of earlier versions (which held such keys) to this one's, and
	 * removes the marks a cut-short delete left. Each step is its own: a failure is logged, the
	 * next run does it again.
	 */
	private async keepAuthorsUnlinked(
		feedback: FeedbackRepository,
		persistence: IPersistence,
		logger: ILogger,
	): Promise<void> {
		const steps: Array<[string, () => Promise<unknown>]> = [
			[
				'marking authors of earlier feedback',
				() => feedback.contributors.backfill(persistence, FOLD_BUDGET_RECORDS),
			],
			[
				'moving deletion notes of an earlier version',
				() => feedback.moveEarlierNotes(persistence, NOTES_MOVED_PER_RUN),
			],
			[
				'removing marks of authors with no feedback left',
				() => feedback.contributors.sweep(persistence, this.now()),
			],
		];
		for (const [what, step] of steps) {
			try {
				await step();
			} catch (error) {
				logger.error(`${what} failed`, error);
			}
		}
	}
}
