import type { ILogger, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { processorOf } from './processor';
import { storesFor } from '../persistence/stores';

export const PENDING_FORMS_PROCESSOR_ID = 'purge-pending-forms';

/** How often abandoned forms are forgotten. */
export const PENDING_FORMS_INTERVAL = '1 hour';

/** A form left open this long is forgotten; submitting it then asks to open a new one. */
export const PENDING_FORM_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Forgets forms opened and never sent or closed, about once an hour (two runs at once remove the same records). */
export class PendingFormsJob {
	constructor(private readonly now: () => Date = () => new Date()) {}

	/** The processor the app registers. */
	public processor(): IProcessor {
		return processorOf(
			PENDING_FORMS_PROCESSOR_ID,
			(read, _modify, persistence, logger) => this.run(read, persistence, logger),
			{ type: StartupType.RECURRING, interval: PENDING_FORMS_INTERVAL },
		);
	}

	/** Forgets the forms older than their lifetime. */
	public async run(read: IRead, persistence: IPersistence, logger: ILogger): Promise<number> {
		const cutoff = new Date(this.now().getTime() - PENDING_FORM_LIFETIME_MS);
		const { pendingViews } = storesFor(read.getPersistenceReader(), logger);
		const purged = await pendingViews.purgeOpenedBefore(persistence, cutoff);
		if (purged > 0) {
			logger.info(`forgot ${purged} feedback forms left open for over a day`);
		}
		return purged;
	}
}
