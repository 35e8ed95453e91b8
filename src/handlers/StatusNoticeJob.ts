import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { directRoomIsClosed } from './authorReach';
import { directRoomWith } from './directRoom';
import { languageForMember } from './language';
import { processorOf } from './processor';
import type { IJobRequest } from './requestContext';
import { headingOf } from '../domain/convergence';
import { FeedbackStatus, newestChange } from '../domain/status';
import { dueNotices, isNews, isPastGivingUp } from '../domain/statusNotice';
import type { INoticeBatch, UndeliveredReason } from '../domain/statusNotice';
import { isPermanentMessageRefusal } from '../domain/uploadRules';
import { translatorFor } from '../i18n/translate';
import { engagementOf } from '../persistence/engagement';
import type { IFeedbackStores } from '../persistence/stores';
import { readMessageMaxSize } from '../settings/serverSettings';
import { stopFollowingBlocks } from '../ui/followText';
import { formatStatusUpdate } from '../ui/triageText';
import type { IStatusUpdateItem } from '../ui/triageText';

export const STATUS_NOTICE_PROCESSOR_ID = 'status-notices';

/** How often the job looks for authors to tell: it adds at most this to NOTICE_QUIET_MS. */
export const STATUS_NOTICE_INTERVAL = '30 seconds';

/**
 * Tells authors of their feedback's status: per author, one direct message from the app's user
 * once their newest change has rested NOTICE_QUIET_MS (src/domain/statusNotice.ts), naming each
 * feedback's status as read now (the change that won, whatever order changes arrived in) and
 * skipping what the author was last told. The scheduler may run copies of this job at once
 * (duplicate job documents, overlapping runs: packages/agenda/src/Agenda.ts); every copy derives
 * the same first line from the changes it covers, and AppPoster.postOnce leaves one message.
 */
export class StatusNoticeJob {
	constructor(
		/** The app's id, named by the notice's "Stop following" buttons. */
		private readonly appId: string,
		private readonly now: () => Date = () => new Date(),
	) {}

	/** The processor the app registers. */
	public processor(): IProcessor {
		return processorOf(STATUS_NOTICE_PROCESSOR_ID, (request) => this.run(request), {
			type: StartupType.RECURRING,
			interval: STATUS_NOTICE_INTERVAL,
		});
	}

	/** Sends the notices that are due; resolves with how many authors were handled. */
	public async run(request: IJobRequest): Promise<number> {
		const { stores, logger } = request;
		const pending = await stores.statusNotices.pending();
		if (pending.length === 0) {
			return 0;
		}
		// Read after the pending changes: see dueNotices.
		const lastSent = await stores.statusNotices.lastSent([
			...new Set(pending.map((notice) => notice.authorId)),
		]);
		let handled = 0;
		for (const batch of dueNotices(pending, lastSent, this.now())) {
			try {
				await this.tell(request, batch);
				handled += 1;
			} catch (error) {
				logger.error(`telling author ${batch.authorId} of status changes failed`, error);
				// A refusal for good, or a failure that outlasted NOTICE_GIVE_UP_MS, is given up;
				// anything else is kept pending: the next run tries again and finds a post that landed.
				if (
					isPermanentMessageRefusal(error) ||
					isPastGivingUp(batch.covered[0].changeAt, this.now())
				) {
					const detail = error instanceof Error ? error.message : String(error);
					handled += await this.giveUp(request, batch, 'refused', detail).then(
						() => 1,
						(failed) => {
							logger.error(`giving up the notice of ${batch.authorId} failed`, failed);
							return 0;
						},
					);
				}
			}
		}
		return handled;
	}

	/**
	 * Gives a notice up without telling the author: notes why (the admin's next status change for
	 * that author says so) and removes its pending changes, so it is not tried every run for ever.
	 * What the author was told stays as it was, so the feedback is news again in their next
	 * notice; their list shows its status and note meanwhile. Racing runs note the same.
	 */
	private async giveUp(
		request: IJobRequest,
		batch: INoticeBatch,
		reason: UndeliveredReason,
		detail: string,
	): Promise<void> {
		const { stores, persistence, logger } = request;
		logger.warn(`author ${batch.authorId} not told of status changes (${reason}): ${detail}`);
		await stores.statusNotices.saveUndelivered(persistence, {
			authorId: batch.authorId,
			reason,
			detail,
			at: this.now().toISOString(),
		});
		await stores.statusNotices.remove(
			persistence,
			batch.covered.map((notice) => notice.changeId),
		);
	}

	private async tell(request: IJobRequest, batch: INoticeBatch): Promise<void> {
		const { read, modify, persistence, stores, poster, logger } = request;
		// An author who turned notices off, or stopped following a feedback, is not told of it:
		// its changes go as if told, and the next change after they follow again is news.
		const noticesOn = await stores.follows.noticesOn(batch.authorId);
		const items = noticesOn
			? await Promise.all(batch.feedbackIds.map((id) => this.newsOf(stores, id, batch.authorId)))
			: [];
		const news = items.filter((item): item is IStatusUpdateItem => item !== undefined);
		const author = news.length > 0 ? await read.getUserReader().getById(batch.authorId) : undefined;
		if (news.length > 0 && !author) {
			logger.warn(`the author ${batch.authorId} cannot be found; not told of status changes`);
		}
		if (author) {
			const appUser = await poster.requireAppUser('no direct message can be sent');
			// No room is started, and nothing posted, where the server would refuse it.
			if (await directRoomIsClosed(read, appUser, author)) {
				const detail = 'E2E_Allow_Unencrypted_Messages';
				return this.giveUp(request, batch, 'encrypted', detail);
			}
			const room = await directRoomWith(read, modify, appUser, author);
			const [language, maxSize] = await Promise.all([
				languageForMember(read, author, logger),
				readMessageMaxSize(read, logger),
			]);
			const t = translatorFor(language);
			const newestCovered = batch.covered[batch.covered.length - 1];
			// Cut to what the server takes (Message_MaxAllowedSize), else it refuses every run.
			const text = formatStatusUpdate(batch.reference, newestCovered.changeAt, news, t, maxSize);
			const { kept } = await poster.placeOnce({
				room,
				text,
				// One per feedback named: a click stops the clicker's own following (FollowHandler).
				blocks: stopFollowingBlocks(
					this.appId,
					news.map(({ record }) => record.id),
					t,
				),
				isCopy: (message) => headingOf(message.text).includes(batch.reference),
			});
			// Before the pending records go: a run that reads what is left also reads these.
			await stores.statusNotices.saveSent(persistence, batch.authorId, this.now());
			// A racing run that read the statuses earlier may own the kept copy: the author was told
			// what that run read, and that run notes it; a change this run saw on top of it stays
			// news for the next notice.
			const toldHere = kept === undefined || kept.text === text ? news : [];
			await Promise.all(
				toldHere.map(({ change }) =>
					stores.statusNotices.saveTold(persistence, {
						feedbackId: change.feedbackId,
						status: change.status,
						note: change.note,
						changeId: change.id,
						changeAt: change.at,
					}),
				),
			);
		}
		await stores.statusNotices.remove(
			persistence,
			batch.covered.map((notice) => notice.changeId),
		);
	}

	/** A feedback's current status when it is news to its author who follows it; undefined when not (or gone). */
	private async newsOf(
		stores: IFeedbackStores,
		feedbackId: string,
		authorId: string,
	): Promise<IStatusUpdateItem | undefined> {
		const [record, changes, told, engagement] = await Promise.all([
			stores.feedback.find(feedbackId),
			stores.statuses.changesOf(feedbackId),
			stores.statusNotices.told(feedbackId),
			engagementOf(stores, feedbackId),
		]);
		const current = newestChange(changes);
		if (!record || record.anonymous || !current || !isNews(current, told, FeedbackStatus.New)) {
			return undefined;
		}
		if (!engagement.followers.has(authorId)) {
			return undefined;
		}
		return { record, change: current };
	}
}
