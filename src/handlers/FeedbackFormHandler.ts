import type {
	IHttp,
	ILogger,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type {
	IUIKitResponse,
	UIKitViewCloseInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { Announcer } from './Announcer';
import { RecurringJobsKeeper } from './RecurringJobs';
import { closeModalResponse } from './closeModal';
import { languageForMember } from './language';
import { replyPrivately } from './reply';
import { FeedbackField, formOfView, formState } from '../domain/form';
import { feedbackIdOfForm, pendingFormKey } from '../domain/ids';
import { buildFeedbackRecord, shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import type { IFeedbackSettings } from '../domain/settings';
import { validateSubmission } from '../domain/submission';
import { translatorFor } from '../i18n/translate';
import type { MessageKey, Translator } from '../i18n/translate';
import { KeyedSerializer } from '../lib/KeyedSerializer';
import { settleWithin } from '../lib/settleWithin';
import type { AnnouncementQueue } from '../persistence/AnnouncementQueue';
import type { FeedbackRepository } from '../persistence/FeedbackRepository';
import type { PendingViewStore, IPendingView } from '../persistence/PendingViewStore';
import { storesFor } from '../persistence/stores';
import { readSettings } from '../settings/settings';

type FieldErrors = Partial<Record<FeedbackField, string>>;

/**
 * How long a submit waits for its confirmation and announcement before it answers: the web
 * client closes the form with a timeout error when the answer takes over 5 s (ActionManager's
 * TRIGGER_TIMEOUT), so what is left goes on after the answer.
 */
export const FOLLOW_UP_BUDGET_MS = 2000;

/** What one submit works with. */
interface ISubmitRun {
	readonly read: IRead;
	readonly modify: IModify;
	readonly persistence: IPersistence;
	readonly user: IUser;
	/** The key the open form is kept under with its member (never the form id). */
	readonly formKey: string;
	readonly feedbackId: string;
	readonly settings: IFeedbackSettings;
	readonly t: Translator;
	readonly store: FeedbackRepository;
	readonly pendingViews: PendingViewStore;
	readonly announcements: AnnouncementQueue;
	readonly logger: ILogger;
}

/** How a submit ends: stored (and followed up), or an error on the comment field. */
type SubmitOutcome = { readonly stored: true } | { readonly error: MessageKey };

/** Submit and close of the feedback form. */
export class FeedbackFormHandler {
	// Two submits of one view on this instance must not both see "not stored yet".
	private readonly submits = new KeyedSerializer();

	constructor(
		private readonly now: () => Date = () => new Date(),
		private readonly followUpBudgetMs = FOLLOW_UP_BUDGET_MS,
		private readonly recurringJobs = new RecurringJobsKeeper(now),
	) {}

	/** Validates and stores the form once; errors go back inline and keep the form open. */
	public async submit(
		context: UIKitViewSubmitInteractionContext,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
		modify: IModify,
		logger: ILogger,
	): Promise<IUIKitResponse> {
		const { view, user } = context.getInteractionData();
		const form = formOfView(view);
		const responder = context.getInteractionResponder();
		if (form === undefined) {
			return responder.successResponse();
		}
		const fail = (errors: FieldErrors) => responder.viewErrorResponse({ viewId: view.id, errors });
		return this.submits.run(view.id, async () => {
			const [language, settings] = await Promise.all([
				languageForMember(read, user, logger),
				readSettings(read),
			]);
			const t = translatorFor(language);
			if (form.kind === 'earlier') {
				// Its view id named the feedback id, which an anonymous feedback must not share with
				// anything kept under its author: it is not stored, a new form is.
				return fail({ [FeedbackField.Comment]: t('error_view_expired') });
			}
			const result = validateSubmission(formState(view.state), settings);
			if (!result.valid) {
				const errors: FieldErrors = {};
				for (const [field, error] of Object.entries(result.errors)) {
					errors[field as FeedbackField] = t(error.key, error.params);
				}
				return fail(errors);
			}
			if (form.kind === 'unidentified') {
				// A form that came without its id cannot be stored once only: a new one is.
				return fail({ [FeedbackField.Comment]: t('error_view_expired') });
			}
			const feedbackId = feedbackIdOfForm(form.formId);
			const stores = storesFor(read.getPersistenceReader(), logger);
			const run: ISubmitRun = {
				read,
				modify,
				persistence,
				user,
				formKey: pendingFormKey(form.formId),
				feedbackId,
				settings,
				t,
				store: stores.feedback,
				pendingViews: stores.pendingViews,
				announcements: stores.announcements,
				logger,
			};
			const outcome = await this.store(run, (roomId) =>
				buildFeedbackRecord(feedbackId, result.submission, user, roomId, this.now()),
			);
			return 'error' in outcome
				? fail({ [FeedbackField.Comment]: t(outcome.error) })
				: closeModalResponse(context);
		});
	}

	/** Forgets a form the member closed without sending. */
	public async close(
		context: UIKitViewCloseInteractionContext,
		read: IRead,
		_http: IHttp,
		persistence: IPersistence,
		logger: ILogger,
	): Promise<IUIKitResponse> {
		const { view, user } = context.getInteractionData();
		const form = formOfView(view);
		if (form !== undefined) {
			// A form of an earlier version was kept under its view id.
			const formKey = form.kind === 'form' ? pendingFormKey(form.formId) : view.id;
			try {
				await storesFor(read.getPersistenceReader(), logger).pendingViews.remove(
					persistence,
					user.id,
					formKey,
				);
			} catch (error) {
				logger.error('forgetting a closed feedback form failed', error);
			}
		}
		return context.getInteractionResponder().successResponse();
	}

	/**
	 * Stores the feedback of a form once, whichever instance a submit reaches and however often.
	 * A form whose feedback is stored but not yet followed up (its answer was lost) is followed
	 * up with the stored content; a form whose feedback was deleted never stores again.
	 */
	private async store(
		run: ISubmitRun,
		build: (roomId: string) => IFeedbackRecord,
	): Promise<SubmitOutcome> {
		const { store, pendingViews, user, formKey, feedbackId } = run;
		try {
			const [stored, deleted, pending] = await Promise.all([
				store.find(feedbackId),
				store.wasDeleted(feedbackId),
				pendingViews.find(user.id, formKey),
			]);
			if (deleted) {
				return { error: 'error_form_deleted' };
			}
			if (stored) {
				// Still pending: the first submit stored it but never got to confirm it.
				return pending ? this.followUp(run, stored, pending) : { stored: true };
			}
			if (!pending) {
				// Another instance may have stored it and forgotten the form meanwhile.
				return (await store.find(feedbackId)) ? { stored: true } : { error: 'error_view_expired' };
			}
			return await this.create(run, build(pending.roomId), pending);
		} catch (error) {
			run.logger.error('storing feedback failed', error);
			return { error: 'error_store_failed' };
		}
	}

	/** Creates the record; when the write's answer is lost, looks whether it landed. */
	private async create(
		run: ISubmitRun,
		record: IFeedbackRecord,
		pending: IPendingView,
	): Promise<SubmitOutcome> {
		try {
			await run.store.create(run.persistence, record);
		} catch (error) {
			run.logger.error('storing feedback failed; checking whether it landed', error);
			let landed: IFeedbackRecord | undefined;
			try {
				landed = await run.store.find(record.id);
			} catch (checkError) {
				run.logger.error('checking for the feedback failed too', checkError);
				return { error: 'error_store_unknown' };
			}
			if (!landed) {
				return { error: 'error_store_failed' };
			}
			return this.followUp(run, landed, pending);
		}
		return this.followUp(run, record, pending);
	}

	/** Forgets the form, confirms and announces it, waiting for them at most the budget. */
	private async followUp(
		run: ISubmitRun,
		record: IFeedbackRecord,
		pending: IPendingView,
	): Promise<SubmitOutcome> {
		const work = this.afterStored(run, record, pending);
		if (!(await settleWithin(work, this.followUpBudgetMs))) {
			// Without the feedback's id: the server keeps a submit's log entry with its member.
			run.logger.warn(
				`confirming and announcing feedback took over ${this.followUpBudgetMs} ms; they finish after the answer`,
			);
		}
		return { stored: true };
	}

	/** Clean-up, confirmation and the announcement: the feedback is stored, so none of these may undo it. */
	private async afterStored(
		run: ISubmitRun,
		record: IFeedbackRecord,
		pending: IPendingView,
	): Promise<void> {
		const { read, modify, persistence, user, formKey, t } = run;
		const steps: Array<[string, () => Promise<void>]> = [
			[
				'forgetting the submitted form',
				() => run.pendingViews.remove(persistence, user.id, formKey),
			],
			[
				'confirming feedback',
				async () => {
					const room = await read.getRoomReader().getById(pending.roomId);
					if (room) {
						const text = t('confirm_saved', { id: shortIdOf(record.id) });
						await replyPrivately(read, modify, user, room, text, pending.threadId ?? undefined);
					}
				},
			],
			['announcing the feedback', () => this.announce(run, record)],
			[
				'checking the recurring jobs',
				async () => {
					await this.recurringJobs.check(read, modify, run.logger);
				},
			],
		];
		// Independent of each other: run side by side, each failure logged on its own.
		await Promise.all(
			steps.map(async ([what, step]) => {
				try {
					await step();
				} catch (error) {
					run.logger.error(`${what} failed`, error);
				}
			}),
		);
	}

	/**
	 * Queues the stored copy (the backstop), then announces named feedback at once, so it appears
	 * within seconds even while the job is held back (a lock left by a dead instance lasts 10
	 * minutes), and takes this copy's entry out. Anonymous feedback waits for the job. A failure
	 * leaves the entry for the job.
	 */
	private async announce(run: ISubmitRun, record: IFeedbackRecord): Promise<void> {
		const { read, modify, persistence, settings, announcements } = run;
		if (settings.announceRoom === '') {
			return;
		}
		await announcements.enqueue(persistence, record, this.now());
		// The copy every read keeps, read after this one was stored: racing submits of the form
		// stored their own, and the earliest is the one announced.
		const kept = (await run.store.find(record.id)) ?? record;
		if (kept.anonymous) {
			return;
		}
		await new Announcer(run.logger).announce(
			read,
			modify,
			persistence,
			announcements,
			kept,
			settings,
			this.now,
		);
		await announcements.dequeue(persistence, {
			feedbackId: record.id,
			copies: [record.createdAt],
			hasUnnamedCopy: false,
		});
	}
}
