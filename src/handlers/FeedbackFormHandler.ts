import type {
	IHttp,
	ILogger,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type {
	IUIKitResponse,
	UIKitViewCloseInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { languageForMember, workspaceLanguage } from './language';
import { replyPrivately } from './reply';
import { validateSubmission } from '../feedback/submission';
import type { ISubmission } from '../feedback/submission';
import { translatorFor } from '../i18n/translate';
import type { Translator } from '../i18n/translate';
import { KeyedSerializer } from '../lib/KeyedSerializer';
import { contributorKey } from '../lib/ids';
import { settleWithin } from '../lib/settleWithin';
import { shortIdOf } from '../persistence/FeedbackRecord';
import type { IFeedbackRecord } from '../persistence/FeedbackRecord';
import { FeedbackStore } from '../persistence/FeedbackStore';
import { PendingViewStore } from '../persistence/PendingViewStore';
import { serverAcceptsFeedbackId } from '../settings/serverSettings';
import { readSettings } from '../settings/settings';
import type { IFeedbackSettings } from '../settings/settings';
import { feedbackIdOfView, viewIdForFeedback } from '../ui/FeedbackModal';
import type { FeedbackField } from '../ui/FeedbackModal';
import { formatAnnouncement } from '../ui/messages';

type FieldErrors = Partial<Record<FeedbackField, string>>;

/**
 * How long a submit waits for its confirmation and announcement before it answers: the web
 * client closes the form with a timeout error when the answer takes over 5 s (ActionManager's
 * TRIGGER_TIMEOUT), so what is left goes on after the answer.
 */
export const FOLLOW_UP_BUDGET_MS = 2000;

/** The record a valid submission becomes. */
export function buildFeedbackRecord(
	id: string,
	submission: ISubmission,
	user: IUser,
	roomId: string,
	now: Date,
): IFeedbackRecord {
	const time = now.toISOString();
	return {
		id,
		comment: submission.comment,
		category: submission.category,
		rating: submission.rating,
		anonymous: submission.anonymous,
		author: submission.anonymous ? null : { id: user.id, username: user.username, name: user.name },
		contributor: contributorKey(user.id),
		roomId,
		createdAt: time,
		updatedAt: time,
	};
}

/** Submit and close of the feedback form. */
export class FeedbackFormHandler {
	// Two submits of one view on this instance must not both see "not stored yet".
	private readonly submits = new KeyedSerializer();

	constructor(
		private readonly logger: ILogger,
		private readonly now: () => Date = () => new Date(),
		private readonly followUpBudgetMs = FOLLOW_UP_BUDGET_MS,
	) {}

	/** Validates and stores the form once; errors go back inline and keep the form open. */
	public async submit(
		context: UIKitViewSubmitInteractionContext,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		const { view, user } = context.getInteractionData();
		const feedbackId = feedbackIdOfView(view.id);
		if (feedbackId === undefined) {
			return context.getInteractionResponder().successResponse();
		}
		const t = translatorFor(await languageForMember(read, user, this.logger));
		const fail = (errors: FieldErrors) =>
			context.getInteractionResponder().viewErrorResponse({ viewId: view.id, errors });
		return this.submits.run(view.id, async () => {
			const settings = await readSettings(read);
			const result = validateSubmission(view.state, settings);
			if (!result.valid) {
				const errors: FieldErrors = {};
				for (const [field, error] of Object.entries(result.errors)) {
					errors[field as FeedbackField] = t(error.key, error.params);
				}
				return fail(errors);
			}
			const feedback = new FeedbackStore(read.getPersistenceReader());
			const pendingViews = new PendingViewStore(read.getPersistenceReader());
			try {
				if (await feedback.exists(feedbackId)) {
					return context.getInteractionResponder().successResponse();
				}
				const pending = await pendingViews.find(user.id, view.id);
				if (pending === undefined) {
					return fail({ comment: t('error_view_expired') });
				}
				const record = buildFeedbackRecord(
					feedbackId,
					result.submission,
					user,
					pending.roomId,
					this.now(),
				);
				await feedback.create(persistence, record, user.id);
				const followUp = this.afterStored(
					read,
					modify,
					persistence,
					user,
					record,
					pending.threadId,
					settings,
					t,
				);
				if (!(await settleWithin(followUp, this.followUpBudgetMs))) {
					this.logger.warn(
						`confirming and announcing feedback ${record.id} took over ${this.followUpBudgetMs} ms; they finish after the answer`,
					);
				}
			} catch (error) {
				this.logger.error('storing feedback failed', error);
				return fail({ comment: t('error_store_failed') });
			}
			return context.getInteractionResponder().successResponse();
		});
	}

	/** Forgets a form the member closed without sending. */
	public async close(
		context: UIKitViewCloseInteractionContext,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
	): Promise<IUIKitResponse> {
		const { view, user } = context.getInteractionData();
		if (feedbackIdOfView(view.id) !== undefined) {
			try {
				await new PendingViewStore(read.getPersistenceReader()).remove(
					persistence,
					user.id,
					view.id,
				);
			} catch (error) {
				this.logger.error('forgetting a closed feedback form failed', error);
			}
		}
		return context.getInteractionResponder().successResponse();
	}

	/** Confirmation, clean-up and announcement: the feedback is stored, so none of these may undo it. */
	private async afterStored(
		read: IRead,
		modify: IModify,
		persistence: IPersistence,
		user: IUser,
		record: IFeedbackRecord,
		threadId: string | null,
		settings: IFeedbackSettings,
		t: Translator,
	): Promise<void> {
		const steps: Array<[string, () => Promise<void>]> = [
			[
				'forgetting the submitted form',
				() =>
					new PendingViewStore(read.getPersistenceReader()).remove(
						persistence,
						user.id,
						viewIdForFeedback(record.id),
					),
			],
			['confirming feedback', () => this.confirm(read, modify, user, record, threadId, t)],
			['announcing feedback', () => this.announce(read, modify, record, settings)],
		];
		for (const [what, step] of steps) {
			try {
				await step();
			} catch (error) {
				this.logger.error(`${what} failed`, error);
			}
		}
	}

	private async confirm(
		read: IRead,
		modify: IModify,
		user: IUser,
		record: IFeedbackRecord,
		threadId: string | null,
		t: Translator,
	): Promise<void> {
		const room: IRoom | undefined = record.roomId
			? await read.getRoomReader().getById(record.roomId)
			: undefined;
		if (room) {
			await replyPrivately(
				read,
				modify,
				user,
				room,
				t('confirm_saved', { id: shortIdOf(record.id) }),
				threadId ?? undefined,
			);
		}
	}

	private async announce(
		read: IRead,
		modify: IModify,
		record: IFeedbackRecord,
		settings: IFeedbackSettings,
	): Promise<void> {
		if (settings.announceRoom === '') {
			return;
		}
		const room = await read.getRoomReader().getByName(settings.announceRoom);
		if (!room) {
			this.logger.warn(`announcement room "${settings.announceRoom}" does not exist`);
			return;
		}
		const [language, withCustomFields] = await Promise.all([
			workspaceLanguage(read, this.logger),
			serverAcceptsFeedbackId(read, record.id),
		]);
		const text = formatAnnouncement(record, translatorFor(language ?? ''));
		const builder = modify.getCreator().startMessage().setRoom(room).setText(text);
		// A default server refuses any customFields ("Custom fields not enabled"): attach the id
		// only where the admin's settings accept it, so the announcement is always posted.
		if (withCustomFields) {
			builder.addCustomField('feedbackId', record.id);
		}
		const appUser = await read.getUserReader().getAppUser();
		if (appUser) {
			builder.setSender(appUser);
		}
		await modify.getCreator().finish(builder);
	}
}
