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

import { replyPrivately } from './reply';
import { validateSubmission } from '../feedback/submission';
import type { ISubmission } from '../feedback/submission';
import { languageOf, translatorFor } from '../i18n/translate';
import type { Translator } from '../i18n/translate';
import { KeyedSerializer } from '../lib/KeyedSerializer';
import { contributorKey } from '../lib/ids';
import { shortIdOf } from '../persistence/FeedbackRecord';
import type { IFeedbackRecord } from '../persistence/FeedbackRecord';
import { FeedbackStore } from '../persistence/FeedbackStore';
import { PendingViewStore } from '../persistence/PendingViewStore';
import { readSettings } from '../settings/settings';
import type { IFeedbackSettings } from '../settings/settings';
import { feedbackIdOfView, viewIdForFeedback } from '../ui/FeedbackModal';
import type { FeedbackField } from '../ui/FeedbackModal';
import { formatAnnouncement } from '../ui/messages';

type FieldErrors = Partial<Record<FeedbackField, string>>;

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
		const t = translatorFor(languageOf(user));
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
				await this.afterStored(
					read,
					modify,
					persistence,
					user,
					record,
					pending.threadId,
					settings,
					t,
				);
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
		const language = await read.getEnvironmentReader().getServerSettings().getValueById('Language');
		const text = formatAnnouncement(
			record,
			translatorFor(typeof language === 'string' ? language : 'en'),
		);
		const builder = modify
			.getCreator()
			.startMessage()
			.setRoom(room)
			.setText(text)
			.addCustomField('feedbackId', record.id);
		const appUser = await read.getUserReader().getAppUser();
		if (appUser) {
			builder.setSender(appUser);
		}
		await modify.getCreator().finish(builder);
	}
}
