import type { IBlockActionRequest, ICommandRequest, IMemberRequest } from './requestContext';
import { feedbackByTypedId } from './typedFeedbackId';
import { decodeFeedbackId } from '../domain/actions';
import { newId } from '../domain/ids';
import { shortIdOf } from '../domain/record';

/**
 * Following feedback by command and by the "Stop following" button, and a member's choice of
 * notices. Each stores a new event under the member with a fresh id (FollowStore, never an update):
 * a command or click delivered twice stores two equal events, and since the newest event per member
 * decides (domain/following.ts), two equal ones decide the same as one.
 */
export class FollowHandler {
	constructor(private readonly now: () => Date = () => new Date()) {}

	/** `/feedback follow <id>` and `/feedback unfollow <id>`: ids as `/feedback delete` takes them. */
	public async follow(
		request: ICommandRequest,
		typedId: string | undefined,
		following: boolean,
	): Promise<void> {
		const { t } = request;
		if (typedId === undefined) {
			return request.reply(t(following ? 'follow_usage' : 'unfollow_usage'));
		}
		// Anyone's feedback: members follow what they read in announcements, not only their own.
		const record = await feedbackByTypedId(request, typedId, { notFound: 'follow_not_found' });
		if (!record) {
			return undefined;
		}
		const id = shortIdOf(record.id);
		// Before its announcement only its author (and admins) know an anonymous feedback's id: a
		// follow stored then would point a reader of the database at its author.
		if (
			record.anonymous &&
			(await request.stores.announcements.announcedAt(record.id)) === undefined
		) {
			return request.reply(t('follow_anonymous_unannounced', { id }));
		}
		await this.store(request, record.id, following);
		await request.reply(t(following ? 'follow_done' : 'unfollow_done', { id }));
	}

	/** `/feedback notices off|on`: all of the app's direct messages about followed feedback. */
	public async notices(request: ICommandRequest, on: boolean): Promise<void> {
		const { user, persistence, stores, t } = request;
		await stores.follows.chooseNotices(persistence, {
			memberId: user.id,
			on,
			clickId: newId(),
			at: this.now().toISOString(),
		});
		await request.reply(t(on ? 'notices_on_done' : 'notices_off_done'));
	}

	/**
	 * A click on "Stop following": the clicking member stops following the feedback the button
	 * names, whoever the message was for (a click replayed by another member stops only theirs). A
	 * value that is not a feedback id, or names one that is gone, is refused and logged.
	 */
	public async stopFollowing(request: IBlockActionRequest): Promise<void> {
		const { value, user, logger } = request;
		const feedbackId = decodeFeedbackId(value);
		if (feedbackId === undefined) {
			logger.warn(`refused a stop-following click of ${user.id}: its value is not a feedback id`);
			return;
		}
		const t = await request.translator();
		if (!(await request.stores.feedback.find(feedbackId))) {
			// Who clicked is left out: following an anonymous feedback could hint at its author.
			logger.warn(`refused a stop-following click: feedback ${feedbackId} is not stored`);
			return this.tell(request, t('follow_gone', { id: shortIdOf(feedbackId) }));
		}
		await this.store(request, feedbackId, false);
		await this.tell(request, t('unfollow_done', { id: shortIdOf(feedbackId) }));
	}

	private async store(request: IMemberRequest, feedbackId: string, following: boolean) {
		await request.stores.follows.add(request.persistence, {
			feedbackId,
			memberId: request.user.id,
			following,
			clickId: newId(),
			at: this.now().toISOString(),
		});
	}

	/** Tells the clicking member privately, in the room of the message they clicked. */
	private async tell(request: IBlockActionRequest, text: string): Promise<void> {
		if (request.room) {
			await request.poster.replyPrivately(request.user, request.room, text);
		}
	}
}
