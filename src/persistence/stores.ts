import type { ILogger, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { AnnouncementQueue } from './AnnouncementQueue';
import { FeedbackRepository } from './FeedbackRepository';
import { PendingViewStore } from './PendingViewStore';
import { RunningTotal } from './RunningTotal';

/** The stores one request works with, over that request's persistence reader. */
export interface IFeedbackStores {
	readonly feedback: FeedbackRepository;
	readonly totals: RunningTotal;
	readonly pendingViews: PendingViewStore;
	readonly announcements: AnnouncementQueue;
}

/** Builds the stores of one request: the one place handlers get them from. */
export function storesFor(reader: IPersistenceRead, logger: ILogger): IFeedbackStores {
	const feedback = new FeedbackRepository(reader);
	return {
		feedback,
		totals: new RunningTotal(reader, feedback, logger),
		pendingViews: new PendingViewStore(reader),
		announcements: new AnnouncementQueue(reader),
	};
}
