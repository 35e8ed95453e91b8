import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessageRaw } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

import { COPY_SEARCH_LIMIT } from './AppPoster';
import type { OncePostOutcome } from './AppPoster';
import { workspaceLanguage } from './language';
import type { IModifyingRequest } from './requestContext';
import { copyRankOf, type IFeedbackRecord } from '../domain/record';
import { translatorFor } from '../i18n/translate';
import { voteCountOf } from '../persistence/engagement';
import { readMessageMaxSize, serverAcceptsFeedbackId } from '../settings/serverSettings';
import { announcementKeyOf, formatAnnouncement } from '../ui/messages';
import { voteBlocks } from '../ui/voteBlocks';

/**
 * What announcing did: posted, found in the room (this copy's or an earlier stored copy's),
 * nothing because the room is missing or announcements are off, or nothing because the marker
 * says it was posted longer ago than the room's newest messages reach.
 */
export type AnnouncementOutcome = OncePostOutcome | 'no-room' | 'beyond-search';

/** Posts a new feedback in the announcement room, from the app's user, exactly once at rest. */
export class Announcer {
	constructor(
		private readonly now: () => Date,
		private readonly appId: string,
	) {}

	/**
	 * Leaves one announcement of the feedback in the room, that of `record` (read as every read
	 * keeps it), then notes it. Racing submits store a feedback more than once, each copy with its
	 * creation time, and the reads keep the earliest (src/persistence/FeedbackRecord.ts): the
	 * heading names the copy, and an announcement of an earlier copy stands over a later one's
	 * (AppPoster's rank). Throws when a read, the post or a delete fails: the queue keeps it.
	 */
	public async announce(
		request: IModifyingRequest,
		record: IFeedbackRecord,
	): Promise<AnnouncementOutcome> {
		const { read, persistence, logger } = request;
		const { announcements: queue } = request.stores;
		const settings = await request.settings();
		const room =
			settings.announceRoom === ''
				? undefined
				: await read.getRoomReader().getByName(settings.announceRoom);
		if (!room) {
			if (settings.announceRoom !== '') {
				logger.warn(`announcement room "${settings.announceRoom}" does not exist`);
			}
			return 'no-room';
		}
		const announcedAt = await queue.announcedAt(record.id);
		if (announcedAt !== undefined && (await this.isBeyondSearch(read, room, record, announcedAt))) {
			return 'beyond-search';
		}
		const [language, withCustomFields, maxSize, votes] = await Promise.all([
			workspaceLanguage(read, logger),
			serverAcceptsFeedbackId(read, record.id),
			readMessageMaxSize(read, logger),
			// Votes count for the feedback's merged group (a new one usually has none yet).
			voteCountOf(request.stores, record.id),
		]);
		const t = translatorFor(language ?? '');
		if (room.isReadOnly) {
			// The server refuses the app user there unless an admin gave it post-readonly.
			logger.warn(`announcement room "${settings.announceRoom}" is read-only`);
		}
		const placement = await request.poster.placeOnce({
			room,
			// Cut to what the server takes (Message_MaxAllowedSize), else it refuses every retry.
			text: formatAnnouncement(record, t, maxSize),
			// The "Me too" button; a click's handler keeps its count (handlers/VoteCounts.ts).
			blocks: voteBlocks(this.appId, record.id, votes.count, t),
			isCopy: (message) => announcementKeyOf(message.text)?.feedbackId === record.id,
			rank: {
				own: copyRankOf(record),
				of: (message) => announcementKeyOf(message.text)?.copyRank ?? '',
			},
			// A default server refuses any customFields ("Custom fields not enabled"): attach the
			// id only where the admin's settings accept it, so the announcement is always posted.
			...(withCustomFields ? { customFields: { feedbackId: record.id } } : {}),
		});
		// The kept copy's id lets a vote's count be refreshed without searching the room.
		await queue.markAnnounced(
			persistence,
			record.id,
			this.now(),
			record.anonymous,
			placement.kept?.id,
		);
		return placement.outcome;
	}

	/**
	 * Whether the marker is the only witness left: the post is not among the room's newest
	 * messages, which are all newer than the marker (COPY_SEARCH_LIMIT of them). A marker whose
	 * post is missing from a room that shows older messages is no witness: the post is made.
	 */
	private async isBeyondSearch(
		read: IRead,
		room: IRoom,
		record: IFeedbackRecord,
		announcedAt: string,
	): Promise<boolean> {
		const newest = await read
			.getRoomReader()
			.getMessages(room.id, { limit: COPY_SEARCH_LIMIT, sort: { createdAt: 'desc' } });
		const marked = Date.parse(announcedAt);
		const markedTime = Number.isNaN(marked) ? 0 : marked;
		const isNewer = (message: IMessageRaw) => new Date(message.createdAt).getTime() > markedTime;
		return (
			newest.length >= COPY_SEARCH_LIMIT &&
			newest.every(isNewer) &&
			!newest.some((message) => announcementKeyOf(message.text)?.feedbackId === record.id)
		);
	}
}
