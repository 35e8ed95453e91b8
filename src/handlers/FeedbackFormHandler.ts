import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';

import { Announcer } from './Announcer';
import { RecurringJobsKeeper } from './RecurringJobs';
import { closeModalResponse } from './closeModal';
import type { IViewRequest, IViewSubmitRequest } from './requestContext';
import { FeedbackField, formOfView, formState } from '../domain/form';
import { feedbackIdOfForm, pendingFormKey } from '../domain/ids';
import { buildFeedbackRecord, shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import { validateSubmission } from '../domain/submission';
import type { MessageKey } from '../i18n/translate';
import { KeyedSerializer } from '../lib/KeyedSerializer';
import { settleWithin } from '../lib/settleWithin';
import { MarkedDays } from '../persistence/MarkedDays';
import type { IPendingView } from '../persistence/PendingViewStore';

type FieldErrors = Partial<Record<FeedbackField, string>>;

/**
 * How long a submit waits for its confirmation and announcement before it answers: the web
 * client closes the form with a timeout error when the answer takes over 5 s (ActionManager's
 * TRIGGER_TIMEOUT), so what is left goes on after the answer.
 */
export const FOLLOW_UP_BUDGET_MS = 2000;

/** The form a submit stores: where it is kept open, and the feedback it becomes. */
interface ISubmittedForm {
	/** The key the open form is kept under with its member (never the form id). */
	readonly formKey: string;
	readonly feedbackId: string;
}

/** What is stored of a form when its submit comes: the lookup every submit starts with. */
interface IStoredForm {
	readonly stored: IFeedbackRecord | undefined;
	readonly deleted: boolean;
	readonly pending: IPendingView | undefined;
}

/** The keys of a form with this id: the open form's and its feedback's (one-way hashes, ids.ts). */
function submittedForm(formId: string): ISubmittedForm {
	return { formKey: pendingFormKey(formId), feedbackId: feedbackIdOfForm(formId) };
}

/** How a submit ends: stored (and followed up), or an error on the comment field. */
type SubmitOutcome = { readonly stored: true } | { readonly error: MessageKey };

/** Submit and close of the feedback form. */
export class FeedbackFormHandler {
	// Two submits of one view on this instance must not both see "not stored yet".
	private readonly submits = new KeyedSerializer();

	// The feedback days whose marker this instance wrote: a day's marker is written once per instance.
	private readonly markedDays = new MarkedDays();

	constructor(
		private readonly now: () => Date = () => new Date(),
		private readonly followUpBudgetMs = FOLLOW_UP_BUDGET_MS,
		private readonly recurringJobs = new RecurringJobsKeeper(now),
	) {}

	/** Validates and stores the form once; errors go back inline and keep the form open. */
	public async submit(request: IViewSubmitRequest): Promise<IUIKitResponse> {
		const { view, user, responder } = request;
		const form = formOfView(view);
		if (form === undefined) {
			return responder.successResponse();
		}
		const fail = (errors: FieldErrors) => responder.viewErrorResponse({ viewId: view.id, errors });
		const submitted = form.kind === 'form' ? submittedForm(form.formId) : undefined;
		return this.submits.run(view.id, async () => {
			// What is stored of the form is read beside the settings, not after them: a valid submit
			// needs both, and an invalid one only drops what was read (store() reports a failed read).
			const lookup = submitted && this.lookUp(request, submitted);
			lookup?.catch(() => undefined);
			const [t, settings] = await Promise.all([request.translator(), request.settings()]);
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
			if (!submitted || !lookup) {
				// A form that came without its id cannot be stored once only: a new one is.
				return fail({ [FeedbackField.Comment]: t('error_view_expired') });
			}
			const { feedbackId } = submitted;
			const outcome = await this.store(request, submitted, lookup, (roomId) =>
				buildFeedbackRecord(feedbackId, result.submission, user, roomId, this.now()),
			);
			return 'error' in outcome
				? fail({ [FeedbackField.Comment]: t(outcome.error) })
				: closeModalResponse(request);
		});
	}

	/** Forgets a form the member closed without sending. */
	public async close(request: IViewRequest): Promise<IUIKitResponse> {
		const { view, user, logger } = request;
		const form = formOfView(view);
		if (form !== undefined) {
			// A form of an earlier version was kept under its view id.
			const formKey = form.kind === 'form' ? pendingFormKey(form.formId) : view.id;
			try {
				await request.stores.pendingViews.remove(request.persistence, user.id, formKey);
			} catch (error) {
				logger.error('forgetting a closed feedback form failed', error);
			}
		}
		return request.responder.successResponse();
	}

	/** What is stored of a form: its feedback, whether that was deleted, and the open form. */
	private async lookUp(request: IViewSubmitRequest, form: ISubmittedForm): Promise<IStoredForm> {
		const { feedback: store, pendingViews } = request.stores;
		const [stored, deleted, pending] = await Promise.all([
			store.find(form.feedbackId),
			store.wasDeleted(form.feedbackId),
			pendingViews.find(request.user.id, form.formKey),
		]);
		return { stored, deleted, pending };
	}

	/**
	 * Stores the feedback of a form once, whichever instance a submit reaches and however often.
	 * A form whose feedback is stored but not yet followed up (its answer was lost) is followed
	 * up with the stored content; a form whose feedback was deleted never stores again.
	 */
	private async store(
		request: IViewSubmitRequest,
		form: ISubmittedForm,
		lookup: Promise<IStoredForm>,
		build: (roomId: string) => IFeedbackRecord,
	): Promise<SubmitOutcome> {
		const store = request.stores.feedback;
		try {
			const { stored, deleted, pending } = await lookup;
			if (deleted) {
				return { error: 'error_form_deleted' };
			}
			if (stored) {
				// Still pending: the first submit stored it but never got to confirm it.
				return pending ? this.followUp(request, form, stored, pending) : { stored: true };
			}
			if (!pending) {
				// Another instance may have stored it and forgotten the form meanwhile.
				return (await store.find(form.feedbackId))
					? { stored: true }
					: { error: 'error_view_expired' };
			}
			return await this.create(request, form, build(pending.roomId), pending);
		} catch (error) {
			request.logger.error('storing feedback failed', error);
			return { error: 'error_store_failed' };
		}
	}

	/** Creates the record; when the write's answer is lost, looks whether it landed. */
	private async create(
		request: IViewSubmitRequest,
		form: ISubmittedForm,
		record: IFeedbackRecord,
		pending: IPendingView,
	): Promise<SubmitOutcome> {
		const { logger } = request;
		const store = request.stores.feedback;
		try {
			await store.create(request.persistence, record, this.markedDays);
		} catch (error) {
			logger.error('storing feedback failed; checking whether it landed', error);
			let landed: IFeedbackRecord | undefined;
			try {
				landed = await store.find(record.id);
			} catch (checkError) {
				logger.error('checking for the feedback failed too', checkError);
				return { error: 'error_store_unknown' };
			}
			if (!landed) {
				return { error: 'error_store_failed' };
			}
			return this.followUp(request, form, landed, pending);
		}
		return this.followUp(request, form, record, pending);
	}

	/** Forgets the form, confirms and announces it, waiting for them at most the budget. */
	private async followUp(
		request: IViewSubmitRequest,
		form: ISubmittedForm,
		record: IFeedbackRecord,
		pending: IPendingView,
	): Promise<SubmitOutcome> {
		const work = this.afterStored(request, form, record, pending);
		if (!(await settleWithin(work, this.followUpBudgetMs))) {
			// Without the feedback's id: the server keeps a submit's log entry with its member.
			request.logger.warn(
				`confirming and announcing feedback took over ${this.followUpBudgetMs} ms; they finish after the answer`,
			);
		}
		return { stored: true };
	}

	/** Clean-up, confirmation and the announcement: the feedback is stored, so none of these may undo it. */
	private async afterStored(
		request: IViewSubmitRequest,
		form: ISubmittedForm,
		record: IFeedbackRecord,
		pending: IPendingView,
	): Promise<void> {
		const { read, persistence, user, logger } = request;
		const t = await request.translator();
		const steps: Array<[string, () => Promise<void>]> = [
			[
				'forgetting the submitted form',
				() => request.stores.pendingViews.remove(persistence, user.id, form.formKey),
			],
			[
				'confirming feedback',
				async () => {
					// The sender is read beside the room: replyPrivately takes the poster's copy.
					const [room] = await Promise.all([
						read.getRoomReader().getById(pending.roomId),
						request.poster.appUser(),
					]);
					if (room) {
						const text = t('confirm_saved', { id: shortIdOf(record.id) });
						const threadId = pending.threadId ?? undefined;
						await request.poster.replyPrivately(user, room, text, { threadId });
					}
				},
			],
			['announcing the feedback', () => this.announce(request, record)],
			[
				'checking the recurring jobs',
				async () => {
					await this.recurringJobs.check(request);
				},
			],
		];
		// Independent of each other: run side by side, each failure logged on its own.
		await Promise.all(
			steps.map(async ([what, step]) => {
				try {
					await step();
				} catch (error) {
					logger.error(`${what} failed`, error);
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
	private async announce(request: IViewSubmitRequest, record: IFeedbackRecord): Promise<void> {
		const { persistence } = request;
		const { announcements, feedback } = request.stores;
		if ((await request.settings()).announceRoom === '') {
			return;
		}
		// The copy every read keeps, read after this one was stored: racing submits of the form
		// stored their own, and the earliest is the one announced. Read while the entry is queued:
		// only the post must wait for the entry.
		const [kept = record] = await Promise.all([
			feedback.find(record.id),
			announcements.enqueue(persistence, record, this.now()),
		]);
		if (kept.anonymous) {
			return;
		}
		await new Announcer(this.now, request.appId).announce(request, kept);
		await announcements.dequeue(persistence, {
			feedbackId: record.id,
			copies: [record.createdAt],
			hasUnnamedCopy: false,
		});
	}
}
