import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { workspaceLanguage } from './language';
import { processorOf } from './processor';
import type { IJobRequest } from './requestContext';
import { SettingId } from '../domain/settings';
import { isMoveToDone, isPastRetrying, weDidReference } from '../domain/weDid';
import type { IPendingWeDid } from '../domain/weDid';
import { translatorFor } from '../i18n/translate';
import type { Translator } from '../i18n/translate';
import { readMessageMaxSize } from '../settings/serverSettings';
import { readWeDidPosts } from '../settings/settings';
import { formatWeDid, isWeDidPostOf } from '../ui/weDidText';

export const WE_DID_PROCESSOR_ID = 'we-did-posts';

/** How often pending "You said, we did" posts are worked off: the longest a post waits. */
export const WE_DID_INTERVAL = '10 seconds';

/**
 * How long one run starts new posts: the engine fails a run after 30 s and the scheduler then
 * starts the next while this one goes on, so a run stops early and leaves the rest to the next.
 */
export const WE_DID_RUN_BUDGET_MS = 10_000;

/** What one run did. */
export interface IWeDidRun {
	/** Pending posts worked off: posted, found, skipped or given up. */
	readonly done: number;
	/** Pending posts left for the next run (the budget ran out, or a post failed). */
	readonly left: number;
}

/** Where and how this run posts: the room, the workspace's language and the server's size limit. */
interface IPostingPlace {
	readonly room: IRoom;
	readonly t: Translator;
	readonly maxSize: number;
}

/**
 * Posts "You said, we did" in the announcement room for each change that moved a feedback to
 * Done (src/domain/weDid.ts), once. The scheduler may run copies of this job at once (duplicate
 * job documents, runs that overlap after the engine's 30 s: packages/agenda/src/Agenda.ts); each
 * post goes through AppPoster.postOnce, whose copies carry the same reference in their first line,
 * and the marker written after the post stops a later copy of the pending record. A post that
 * keeps failing is retried for WE_DID_RETRY_MS, then given up and logged.
 */
export class WeDidJob {
	constructor(private readonly now: () => Date = () => new Date()) {}

	/** The processor the app registers. */
	public processor(): IProcessor {
		return processorOf(WE_DID_PROCESSOR_ID, (request) => this.run(request), {
			type: StartupType.RECURRING,
			interval: WE_DID_INTERVAL,
		});
	}

	/** Posts what is pending, within the run's budget. */
	public async run(request: IJobRequest): Promise<IWeDidRun> {
		const { stores, persistence, logger } = request;
		const started = this.now().getTime();
		const pending = await stores.weDid.pending();
		if (pending.length === 0) {
			return { done: 0, left: 0 };
		}
		const place = await this.placeOf(request);
		if (!place) {
			// Off, or nowhere to post: nothing is kept for later (turning it on posts from then on).
			await Promise.all(pending.map((item) => stores.weDid.remove(persistence, item.changeId)));
			return { done: pending.length, left: 0 };
		}
		let done = 0;
		let left = 0;
		for (const item of pending) {
			if (this.now().getTime() - started >= WE_DID_RUN_BUDGET_MS) {
				left += pending.length - done - left;
				logger.info(`"You said, we did" budget spent: ${left} left for the next run`);
				break;
			}
			try {
				await this.postOne(request, place, item);
				done += 1;
			} catch (error) {
				if (isPastRetrying(item.notedAt, this.now()) && (await this.giveUp(request, item, error))) {
					done += 1;
				} else {
					left += 1;
					logger.error(`posting "You said, we did" of change ${item.changeId} failed`, error);
				}
			}
		}
		return { done, left };
	}

	/** Gives a post up after WE_DID_RETRY_MS of failures, with a line in the log; false when that fails too. */
	private async giveUp(
		request: IJobRequest,
		item: IPendingWeDid,
		error: unknown,
	): Promise<boolean> {
		const { stores, persistence, logger } = request;
		logger.error(
			`posting "You said, we did" of change ${item.changeId} failed for an hour; given up`,
			error,
		);
		try {
			await stores.weDid.remove(persistence, item.changeId);
			return true;
		} catch (failed) {
			logger.error(`giving up "You said, we did" of change ${item.changeId} failed`, failed);
			return false;
		}
	}

	/** The room and language of this run's posts; undefined (and a warning) when none is made. */
	private async placeOf(request: IJobRequest): Promise<IPostingPlace | undefined> {
		const { read, logger } = request;
		const [on, settings] = await Promise.all([readWeDidPosts(read), request.settings()]);
		if (!on) {
			logger.warn(
				`"You said, we did" is turned off (setting ${SettingId.WeDidPosts}): pending posts dropped`,
			);
			return undefined;
		}
		const room =
			settings.announceRoom === ''
				? undefined
				: await read.getRoomReader().getByName(settings.announceRoom);
		if (!room) {
			logger.warn(
				`"You said, we did" has no announcement room (setting ${SettingId.AnnounceRoom} is ` +
					`"${settings.announceRoom}"): pending posts dropped`,
			);
			return undefined;
		}
		const [language, maxSize] = await Promise.all([
			workspaceLanguage(read, logger),
			readMessageMaxSize(read, logger),
		]);
		return { room, t: translatorFor(language ?? ''), maxSize };
	}

	/** Posts one pending change when it moved its feedback to Done, then takes it out. */
	private async postOne(
		request: IJobRequest,
		place: IPostingPlace,
		item: IPendingWeDid,
	): Promise<void> {
		const { stores, persistence, poster } = request;
		const [posted, record, changes] = await Promise.all([
			stores.weDid.isPosted(item.changeId),
			stores.feedback.find(item.feedbackId),
			stores.statuses.changesOf(item.feedbackId),
		]);
		const change = changes.find((candidate) => candidate.id === item.changeId);
		// Posted before (a save submitted again), deleted since, or a change that kept it Done.
		if (!posted && record && change && isMoveToDone(change.id, changes)) {
			const reference = weDidReference(record.id, change.id);
			await poster.postOnce({
				room: place.room,
				// Cut to what the server takes (Message_MaxAllowedSize), else it refuses every retry.
				text: formatWeDid(record, change, place.t, place.maxSize),
				isCopy: (message) => isWeDidPostOf(message.text, reference),
			});
			await stores.weDid.markPosted(persistence, change.id, this.now());
		}
		await stores.weDid.remove(persistence, item.changeId);
	}
}
