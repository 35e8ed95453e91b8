import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { directRoomIsClosed } from './authorReach';
import { directRoomWith } from './directRoom';
import { languageForMember } from './language';
import { processorOf } from './processor';
import type { IJobRequest } from './requestContext';
import { headingOf } from '../domain/convergence';
import { dayOf } from '../domain/days';
import {
	daysToSend,
	digestsOfDay,
	FOLLOW_DIGEST_MEMBERS_PER_RUN,
	FOLLOW_DIGEST_RUN_BUDGET_MS,
	isDigestPastGivingUp,
} from '../domain/followDigest';
import type { IFollowDigest, IFollowedChange } from '../domain/followDigest';
import { MessageTooLongError } from '../domain/messageSize';
import { isPermanentMessageRefusal } from '../domain/uploadRules';
import { translatorFor } from '../i18n/translate';
import { FollowDigestLog } from '../persistence/FollowDigestLog';
import { engagementOf } from '../persistence/engagement';
import { readMessageMaxSize } from '../settings/serverSettings';
import { formatFollowDigest, stopFollowingBlocks } from '../ui/followText';

export const FOLLOW_DIGEST_PROCESSOR_ID = 'follow-digest';

/** How often the job looks for a closed day to send: a digest comes this long at most after its day closes. */
export const FOLLOW_DIGEST_INTERVAL = '5 minutes';

/** What one run did. */
export interface IFollowDigestRun {
	/** The run noted the first day it sees, and sent nothing. */
	readonly firstSeen: boolean;
	/** Members sent a digest (or found it posted already). */
	readonly sent: number;
	/** Days finished by this run. */
	readonly daysDone: ReadonlyArray<string>;
}

/** What telling one member came to. */
type DigestOutcome = 'sent' | 'given-up' | 'retry';

/**
 * The followers' daily digest: for each closed UTC day from the first day the job saw, each
 * member following a feedback changed that day gets one direct message listing the day's changes
 * to what they follow (domain/followDigest.ts), unless their notices are off. The scheduler may
 * run copies at once (duplicate job documents, overlapping runs after the engine's 30 s timeout:
 * packages/agenda/src/Agenda.ts): every copy reads the same closed day, builds the same first line
 * for a (member, day), and AppPoster.placeOnce leaves one message; a marker per (member, day)
 * written after the post spares later runs the room read, and a marker per finished day spares
 * them the day. A run stops after FOLLOW_DIGEST_MEMBERS_PER_RUN members or
 * FOLLOW_DIGEST_RUN_BUDGET_MS; the next run goes on.
 */
export class FollowDigestJob {
	constructor(
		/** The app's id, named by the digest's "Stop following" buttons. */
		private readonly appId: string,
		private readonly now: () => Date = () => new Date(),
	) {}

	/** The processor the app registers. */
	public processor(): IProcessor {
		return processorOf(FOLLOW_DIGEST_PROCESSOR_ID, (request) => this.run(request), {
			type: StartupType.RECURRING,
			interval: FOLLOW_DIGEST_INTERVAL,
		});
	}

	/** Sends what is due, within the run's budget. */
	public async run(request: IJobRequest): Promise<IFollowDigestRun> {
		const { read, persistence } = request;
		const started = this.now();
		const log = new FollowDigestLog(read.getPersistenceReader());
		const firstDay = await log.firstDay();
		if (firstDay === undefined) {
			// The first run: digests start with today, never with the history before this version.
			await log.noteFirstDay(persistence, dayOf(started.toISOString()));
			return { firstSeen: true, sent: 0, daysDone: [] };
		}
		let sent = 0;
		const daysDone: Array<string> = [];
		for (const day of daysToSend(firstDay, await log.doneThrough(), started)) {
			const digests = await this.digestsOf(request, day);
			const already = await log.sentOn(day);
			let finished = true;
			for (const digest of digests.filter((candidate) => !already.has(candidate.memberId))) {
				const elapsed = this.now().getTime() - started.getTime();
				if (sent >= FOLLOW_DIGEST_MEMBERS_PER_RUN || elapsed >= FOLLOW_DIGEST_RUN_BUDGET_MS) {
					return { firstSeen: false, sent, daysDone };
				}
				const outcome = await this.tell(request, digest);
				if (outcome === 'retry') {
					finished = false;
					continue;
				}
				await log.noteSent(persistence, digest.memberId, day, outcome);
				sent += outcome === 'sent' ? 1 : 0;
			}
			if (!finished) {
				// Later days wait: days finish in order, so the last one done says it all.
				return { firstSeen: false, sent, daysDone };
			}
			await log.noteDayDone(persistence, day);
			daysDone.push(day);
		}
		return { firstSeen: false, sent, daysDone };
	}

	/** Every member's digest of a closed day: its changes, their feedback and followers now. */
	private async digestsOf(request: IJobRequest, day: string): Promise<Array<IFollowDigest>> {
		const { stores } = request;
		const changes = await stores.statuses.changesOfDay(day);
		const feedbackIds = [...new Set(changes.map((change) => change.feedbackId))];
		const byFeedback = new Map(
			await Promise.all(
				feedbackIds.map(
					async (id) =>
						[id, await Promise.all([stores.feedback.find(id), engagementOf(stores, id)])] as const,
				),
			),
		);
		const followed: Array<IFollowedChange> = [];
		for (const change of changes) {
			const [record, engagement] = byFeedback.get(change.feedbackId) ?? [];
			// A deleted feedback has nothing left to tell of.
			if (record && engagement) {
				followed.push({ change, record, followers: engagement.followers });
			}
		}
		return digestsOfDay(day, followed);
	}

	/** Sends one member their digest; a failure is retried by the next run until the day is past giving up. */
	private async tell(request: IJobRequest, digest: IFollowDigest): Promise<DigestOutcome> {
		const { read, modify, stores, poster, logger } = request;
		const { memberId, day } = digest;
		try {
			if (!(await stores.follows.noticesOn(memberId))) {
				return 'given-up';
			}
			const member = await read.getUserReader().getById(memberId);
			if (!member) {
				logger.warn(`member ${memberId} cannot be found; no digest of ${day}`);
				return 'given-up';
			}
			const appUser = await poster.requireAppUser('no direct message can be sent');
			// No room is started, and nothing posted, where the server would refuse it.
			if (await directRoomIsClosed(read, appUser, member)) {
				logger.warn(
					`member ${memberId} not sent the digest of ${day}: their direct room is encrypted (E2E_Allow_Unencrypted_Messages is off)`,
				);
				return 'given-up';
			}
			const room = await directRoomWith(read, modify, appUser, member);
			const [language, maxSize] = await Promise.all([
				languageForMember(read, member, logger),
				readMessageMaxSize(read, logger),
			]);
			const t = translatorFor(language);
			await poster.placeOnce({
				room,
				text: formatFollowDigest(digest, t, maxSize),
				blocks: stopFollowingBlocks(
					this.appId,
					digest.changes.map(({ record }) => record.id),
					t,
				),
				isCopy: (message) => headingOf(message.text).includes(digest.reference),
			});
			return 'sent';
		} catch (error) {
			logger.error(`sending member ${memberId} the digest of ${day} failed`, error);
			const forGood =
				error instanceof MessageTooLongError ||
				isPermanentMessageRefusal(error) ||
				isDigestPastGivingUp(day, this.now());
			return forGood ? 'given-up' : 'retry';
		}
	}
}
