import type { ILogger, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { processorOf } from './processor';
import { foldProgressOf } from '../domain/days';
import type { IFoldProgress } from '../domain/days';
import { storesFor } from '../persistence/stores';

export const TOTALS_PROCESSOR_ID = 'fold-closed-days';

/** Folds per run, each within FOLD_BUDGET_RECORDS: a run stays well inside the engine's 30 s. */
const FOLDS_PER_RUN = 3;

/**
 * Folds the days that closed into the running totals, once a minute for the whole cluster: the
 * first statistics after midnight do not pay for the day, and a store that was never folded
 * (many entries before the app was installed) is folded without anyone asking again and again.
 */
export class TotalsJob {
	constructor(private readonly now: () => Date = () => new Date()) {}

	/** The processor the app registers. */
	public processor(): IProcessor {
		return processorOf(
			TOTALS_PROCESSOR_ID,
			(read, _modify, persistence, logger) => this.run(read, persistence, logger),
			{ type: StartupType.RECURRING, interval: '1 minute' },
		);
	}

	/** Folds what it can; returns what is still left to fold, undefined when nothing is. */
	public async run(
		read: IRead,
		persistence: IPersistence,
		logger: ILogger,
	): Promise<IFoldProgress | undefined> {
		const { totals, statusTotals } = storesFor(read.getPersistenceReader(), logger);
		let progress: IFoldProgress | undefined;
		for (let fold = 0; fold < FOLDS_PER_RUN; fold += 1) {
			const now = this.now();
			progress = foldProgressOf(
				await totals.fold(persistence, now),
				await statusTotals.fold(persistence, now),
			);
			if (!progress) {
				break;
			}
		}
		if (progress) {
			logger.info(`folding closed days: ${progress.daysFolded} folded, ${progress.daysLeft} left`);
		}
		return progress;
	}
}
