import { COPY_SEARCH_LIMIT } from './AppPoster';
import { workspaceLanguage } from './language';
import type { IModifyingRequest } from './requestContext';
import { translatorFor } from '../i18n/translate';
import { voteCountOf } from '../persistence/engagement';
import { announcementKeyOf } from '../ui/messages';
import { shownVoteCount, voteBlocks } from '../ui/voteBlocks';

/**
 * How many times one refresh writes the count before it leaves the rest to the recurring job:
 * racing clicks each write at most a few times before the count settles.
 */
export const REFRESH_ROUNDS = 5;

/** An announcement whose count a refresh keeps, with the feedback it announces. */
interface IShownAnnouncement {
	readonly id: string;
	readonly feedbackId: string;
	readonly shown: number | undefined;
}

/** A message as a refresh looks at it, read by id or found in the room. */
interface IMessageSeen {
	readonly id: string;
	readonly senderId: string | undefined;
	readonly text: string | undefined;
	readonly blocks: ReadonlyArray<unknown> | undefined;
}

/**
 * Keeps the count on a feedback's announcements equal to the stored votes. Votes are records of
 * their own (domain/votes.ts), so the count is never read-modified-written: each refresh counts
 * the stored votes and writes that number into the message. Every announcement of a merged group
 * shows the group's voters (persistence/engagement.ts voteCountOf, the voters engagementOf gives).
 *
 * Racing refreshes (clicks on several instances) can land their writes out of order, an older
 * count over a newer one. So a refresh repeats, count then read the messages then write, until
 * what the messages show equals the count it read after its last write. Why the last write then
 * shows the truth: take the last vote stored. Every write comes from a refresh whose clicker
 * stored before it; the last write to a message is followed by its writer's next round, which
 * counts again and reads the message again. Once no write follows, that round read its own
 * write back and found it equal to a count it made after every vote stored before the write;
 * and a vote stored later belongs to a click whose own refresh counts it after storing it and
 * either finds the message right or writes again, so the last write of all is a count made after
 * the last vote. A click whose process stops in between leaves its refresh record for the job.
 */
export class VoteCounts {
	constructor(private readonly appId: string) {}

	/**
	 * Makes every announcement of the feedback's merged group show its count; `known` names a
	 * message that is one of them (the one clicked). True once verified, false when the rounds ran
	 * out (the job goes on); throws when a read or the server's update fails.
	 */
	public async refresh(
		request: IModifyingRequest,
		feedbackId: string,
		known: ReadonlyArray<string> = [],
	): Promise<boolean> {
		let translator: ((count: number, id: string) => ReturnType<typeof voteBlocks>) | undefined;
		for (let round = 0; round < REFRESH_ROUNDS; round += 1) {
			// Counted first, then the messages read: both after this refresh's previous write.
			const { group, count } = await voteCountOf(request.stores, feedbackId);
			const shown = await this.announcementsOf(request, group, known);
			const stale = shown.filter((message) => message.shown !== count);
			if (stale.length === 0) {
				return true;
			}
			if (!translator) {
				// The announcement's language: the workspace's, as when it was posted.
				const t = translatorFor((await workspaceLanguage(request.read, request.logger)) ?? '');
				translator = (shownCount, id) => voteBlocks(this.appId, id, shownCount, t);
			}
			const blocksOf = translator;
			await Promise.all(
				stale.map((message) =>
					request.poster.updateBlocks(message.id, blocksOf(count, message.feedbackId)),
				),
			);
		}
		return false;
	}

	/**
	 * The app's announcements of the group's feedback: the messages the announced markers name,
	 * the known ones, and, for a feedback whose marker names none (an announcement of an earlier
	 * version), the room's newest messages.
	 */
	private async announcementsOf(
		request: IModifyingRequest,
		group: ReadonlyArray<string>,
		known: ReadonlyArray<string>,
	): Promise<Array<IShownAnnouncement>> {
		const appUser = await request.poster.appUser();
		const marked = await Promise.all(
			group.map((id) => request.stores.announcements.announcementMessageIds(id)),
		);
		const ids = new Set([...known, ...marked.flat()]);
		const stored = await Promise.all(
			[...ids].map((id) => request.read.getMessageReader().getById(id)),
		);
		const messages: Array<IMessageSeen> = stored.flatMap((message) =>
			message?.id
				? [
						{
							id: message.id,
							senderId: message.sender?.id,
							text: message.text,
							blocks: message.blocks,
						},
					]
				: [],
		);
		if (marked.some((messageIds) => messageIds.length === 0)) {
			messages.push(...(await this.searchRoom(request, ids)));
		}
		const members = new Set(group);
		return messages.flatMap((message) => {
			const feedbackId = announcementKeyOf(message.text)?.feedbackId;
			return appUser !== undefined &&
				message.senderId === appUser.id &&
				feedbackId !== undefined &&
				members.has(feedbackId)
				? [{ id: message.id, feedbackId, shown: shownVoteCount(message.blocks) }]
				: [];
		});
	}

	/** The newest messages of the announcement room not among `known`. */
	private async searchRoom(
		request: IModifyingRequest,
		known: ReadonlySet<string>,
	): Promise<Array<IMessageSeen>> {
		const { announceRoom } = await request.settings();
		const rooms = request.read.getRoomReader();
		const room = announceRoom === '' ? undefined : await rooms.getByName(announceRoom);
		if (!room) {
			return [];
		}
		const newest = await rooms.getMessages(room.id, {
			limit: COPY_SEARCH_LIMIT,
			sort: { createdAt: 'desc' },
		});
		return newest
			.filter((raw) => typeof raw.id === 'string' && !known.has(raw.id))
			.map((raw) => ({
				id: raw.id,
				senderId: raw.sender?._id,
				text: raw.text,
				blocks: raw.blocks,
			}));
	}
}
