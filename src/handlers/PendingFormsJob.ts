import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { processorOf } from './processor';
import type { IJobRequest } from './requestContext';

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
		return processorOf(PENDING_FORMS_PROCESSOR_ID, (request) => this.run(request), {
			type: StartupType.RECURRING,
			interval: PENDING_FORMS_INTERVAL,
		});
	}

	/** Forgets the forms older than their lifetime. */
	public async run(request: IJobRequest): Promise<number> {
		const { stores, persistence, logger } = request;
		const cutoff = new Date(this.now().getTime() - PENDING_FORM_LIFETIME_MS);
		const purged = await stores.pendingViews.purgeOpenedBefore(persistence, cutoff);
		if (purged > 0) {
			logger.info(`forgot ${purged} feedback forms left open for over a day`);
		}
		return purged;
	}
}
