import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';

import { FOLLOW_UP_BUDGET_MS } from './FeedbackFormHandler';
import { closeModalResponse } from './closeModal';
import { findDirectRoom } from './directRoom';
import type { IBlockActionRequest, IMemberRequest, IViewSubmitRequest } from './requestContext';
import { parseSurveyAnswerValue } from '../domain/actions';
import { AnswerField, answerFormOfView } from '../domain/answerForm';
import {
	answerKeyingOf,
	answerRefusal,
	checkAnswer,
	currentAnswers,
	nextRevision,
	participationMark,
	surveyAnswerKey,
} from '../domain/answers';
import type { AnswerKeying, IAnswerRef, IParticipationMark } from '../domain/answers';
import { headingOf } from '../domain/convergence';
import { newId } from '../domain/ids';
import { invitationReference, isOpen, reminderReference, roundOf } from '../domain/rounds';
import type { IRound } from '../domain/rounds';
import type { ISurvey } from '../domain/survey';
import type { MessageKey, MessageParams, Translator } from '../i18n/translate';
import { KeyedSerializer } from '../lib/KeyedSerializer';
import { settleWithin } from '../lib/settleWithin';
import { readSurveySecret, surveySecretName } from '../settings/surveySecret';
import { formatDate } from '../ui/messages';
import { buildSurveyAnswerModal, buildSurveyNoticeModal } from '../ui/surveyAnswerModal';

/** Why a member cannot answer a round now, as the message that tells them. */
interface IRefusal {
	readonly refused: MessageKey;
	readonly params?: MessageParams;
}

/** A member who may answer a round now: the survey, the round, how answers are keyed, their marks. */
interface IAdmitted {
	readonly survey: ISurvey;
	readonly round: IRound;
	readonly keying: AnswerKeying;
	/** The member's participation marks of the round, racing copies included. */
	readonly marks: ReadonlyArray<IParticipationMark>;
}

function isRefusal(value: IRefusal | IAdmitted): value is IRefusal {
	return 'refused' in value;
}

/** A failure's name and message without the texts given: an error must not carry an answer's key into the log. */
function scrubbed(error: unknown, secrets: ReadonlyArray<string>): string {
	const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
	return secrets.reduce((result, secret) => result.split(secret).join('…'), text);
}

/**
 * Answering a survey round: the "Answer" button of an invitation or reminder opens the answer form
 * (or says why it cannot: the survey gone or closed, the round closed, the member not asked, an
 * answer already final), and its submit stores the member's participation mark and the answer
 * apart (domain/answers.ts). A submit delivered twice, on one instance or two, or sent again after
 * a lost reply lands on the same answer key and counts once. No log line names an answer, its
 * value or its key (the server keeps a submit's log entries with its member).
 */
export class SurveyAnswerHandler {
	// Two submits of one member's answer to one round on this instance must not both see "no mark yet".
	private readonly submits = new KeyedSerializer();

	constructor(
		private readonly appId: string,
		private readonly now: () => Date = () => new Date(),
		private readonly followUpBudgetMs = FOLLOW_UP_BUDGET_MS,
	) {}

	/** Opens the answer form for the member who clicked "Answer", or a modal that says why not. */
	public async open(request: IBlockActionRequest): Promise<void> {
		const { user, logger, triggerId } = request;
		const named = parseSurveyAnswerValue(request.value);
		if (!named) {
			logger.warn(`refused a survey answer button of ${user.username}: it names no survey round`);
			return;
		}
		const t = await request.translator();
		if (triggerId === '') {
			// No view can open without one; the member hears why where they clicked.
			if (request.room) {
				await request.poster.replyPrivately(user, request.room, t('survey_answer_no_trigger'));
			}
			return;
		}
		let admission: IRefusal | IAdmitted;
		try {
			const invited = await this.invitedByClick(request, named.surveyId, named.roundKey);
			admission = await this.admit(request, named.surveyId, named.roundKey, invited);
		} catch (error) {
			logger.error(`opening the answer form of survey ${named.surveyId} failed`, error);
			admission = { refused: 'error_survey_open_failed' };
		}
		const ui = request.modify.getUiController();
		// Opened through the bridge, never as the action's answer: the engine logs an action's
		// answer with the member, and the form's block ids carry its form id.
		if (isRefusal(admission)) {
			const text = t(admission.refused, admission.params);
			await ui.openSurfaceView(
				buildSurveyNoticeModal(this.appId, newId(), text, t),
				{ triggerId },
				user,
			);
			return;
		}
		const { survey, round, keying, marks } = admission;
		const formId = newId();
		const ref: IAnswerRef = { surveyId: survey.id, roundKey: round.key, memberId: user.id };
		// A member whose first answer stands is told so before typing a second one.
		const refusal = this.refusalOf(keying, ref, marks, round);
		if (refusal) {
			const text = t(refusal.refused, refusal.params);
			await ui.openSurfaceView(
				buildSurveyNoticeModal(this.appId, newId(), text, t),
				{ triggerId },
				user,
			);
			return;
		}
		const view = buildSurveyAnswerModal({
			appId: this.appId,
			survey,
			round,
			answeredBefore: marks.length > 0,
			formId,
			viewToken: newId(),
			t,
		});
		await ui.openSurfaceView(view, { triggerId }, user);
	}

	/** Stores a submitted answer once; refusals and field errors go back into the form. */
	public async submit(request: IViewSubmitRequest): Promise<IUIKitResponse> {
		const { view, user, responder } = request;
		const form = answerFormOfView(view);
		if (!form) {
			return responder.successResponse();
		}
		const t = await request.translator();
		const fail = (field: AnswerField, key: MessageKey, params?: MessageParams) =>
			responder.viewErrorResponse({ viewId: view.id, errors: { [field]: t(key, params) } });
		// One member's answers to one round, one after another on this instance (a key only in memory).
		return this.submits.run(`${form.surveyId}|${form.roundKey}|${user.id}`, async () => {
			let admission: IRefusal | IAdmitted;
			try {
				admission = await this.admit(request, form.surveyId, form.roundKey, false);
			} catch (error) {
				request.logger.error(`reading survey ${form.surveyId} for an answer failed`, error);
				return fail(AnswerField.Value, 'error_survey_answer_failed');
			}
			if (isRefusal(admission)) {
				return fail(AnswerField.Value, admission.refused, admission.params);
			}
			const { survey, round, keying, marks } = admission;
			if (form.formId === undefined) {
				// Every client sends the form id in the fields' block ids: a submit without one is not this form's.
				return fail(AnswerField.Value, 'error_survey_form_expired');
			}
			const ref: IAnswerRef = { surveyId: survey.id, roundKey: round.key, memberId: user.id };
			const refusal = this.refusalOf(keying, ref, marks, round);
			if (refusal) {
				return fail(AnswerField.Value, refusal.refused, refusal.params);
			}
			const checked = checkAnswer(survey, form.value, form.comment);
			if (!checked.valid) {
				const errors: Partial<Record<AnswerField, string>> = {};
				if (checked.errors.value) {
					errors[AnswerField.Value] = t(checked.errors.value.key, checked.errors.value.params);
				}
				if (checked.errors.comment) {
					// A comment the form does not show (a forged one) is named on the answer's field.
					const field = survey.withComment ? AnswerField.Comment : AnswerField.Value;
					errors[field] ??= t(checked.errors.comment.key, checked.errors.comment.params);
				}
				return responder.viewErrorResponse({ viewId: view.id, errors });
			}
			const stored = await this.store(request, admission, ref, checked);
			if (!stored) {
				return fail(AnswerField.Value, 'error_survey_answer_failed');
			}
			await this.confirm(request, round, t);
			return closeModalResponse(request);
		});
	}

	/**
	 * Whether the member may answer the round now: the survey exists and runs, the round is its
	 * current one and open by this server's clock, and the member was sent its invitation (or
	 * `invitedByClick`). Reads the survey secret for an anonymous survey; a failed read throws.
	 */
	private async admit(
		request: IMemberRequest,
		surveyId: string,
		roundKey: string,
		invitedByClick: boolean,
	): Promise<IRefusal | IAdmitted> {
		const { stores, user } = request;
		const state = await stores.surveys.find(surveyId);
		if (!state) {
			return { refused: 'error_survey_gone' };
		}
		if (!state.active) {
			return { refused: 'error_survey_closed' };
		}
		const { survey } = state;
		const now = this.now();
		const round = roundOf(survey, now);
		if (round?.key !== roundKey || !isOpen(round, now)) {
			return { refused: 'error_survey_round_closed' };
		}
		const [invited, marks, secret] = await Promise.all([
			stores.surveyMarks.sent('invited', surveyId, roundKey),
			stores.surveyMarks.participation(surveyId, roundKey, user.id),
			survey.anonymous ? readSurveySecret(request.read, this.appId) : undefined,
		]);
		if (invited.get(user.id) !== 'sent') {
			if (!invitedByClick) {
				return { refused: 'error_survey_not_invited' };
			}
			// The invitation is there but its mark is not yet (it is written after the post): noted now.
			await stores.surveyMarks.noteSent(request.persistence, 'invited', {
				surveyId,
				roundKey,
				memberId: user.id,
				outcome: 'sent',
			});
		}
		const keying = answerKeyingOf(survey, secret);
		if (!keying) {
			// Unsealed, an anonymous answer would be paired with its member by the time the server stamps on it.
			return {
				refused: 'error_survey_secret_missing',
				params: { variable: surveySecretName(this.appId) },
			};
		}
		return { survey, round, keying, marks };
	}

	/** Why a submit under this keying may not store, as the message that tells the member. */
	private refusalOf(
		keying: AnswerKeying,
		ref: IAnswerRef,
		marks: ReadonlyArray<IParticipationMark>,
		round: IRound,
	): IRefusal | undefined {
		switch (answerRefusal(keying, ref, marks, round, this.now())) {
			case 'round-closed':
				return { refused: 'error_survey_round_closed' };
			case 'answer-final':
				return {
					refused: 'error_survey_answer_final',
					params: { variable: surveySecretName(this.appId) },
				};
			default:
				return undefined;
		}
	}

	/**
	 * Whether the click came from the app's own invitation or reminder of this round to this
	 * member: the server reads the message by the id the client sent, so its first line, which
	 * names the member, is the server's. It stands for the invitation's mark while that is unwritten.
	 */
	private async invitedByClick(
		request: IBlockActionRequest,
		surveyId: string,
		roundKey: string,
	): Promise<boolean> {
		const { message, user } = request;
		if (!message?.sender) {
			return false;
		}
		const appUser = await request.poster.appUser();
		const heading = headingOf(message.text);
		return (
			message.sender.id === appUser?.id &&
			(heading.includes(invitationReference(surveyId, roundKey, user.id)) ||
				heading.includes(reminderReference(surveyId, roundKey, user.id)))
		);
	}

	/**
	 * Writes the member's participation mark (unless they have one) and the answer under its key,
	 * as the next revision unless the newest stored already says the same (a retry of this very
	 * submit). Resolves false when a write failed: a retry lands on the same key.
	 */
	private async store(
		request: IViewSubmitRequest,
		admitted: IAdmitted,
		ref: IAnswerRef,
		answer: { readonly value: number; readonly comment: string },
	): Promise<boolean> {
		const { persistence, stores, logger, user } = request;
		const { survey, keying, marks } = admitted;
		const answerKey = surveyAnswerKey(keying, ref);
		// A keyed answer is sealed: written beside the member's mark, it must not say what it holds.
		const seal = keying.kind === 'keyed' ? keying.secret : undefined;
		try {
			if (marks.length === 0) {
				await stores.surveyMarks.addParticipation(persistence, participationMark(keying, ref));
			}
			const underKey = await stores.surveyAnswers.underKey(
				ref.surveyId,
				ref.roundKey,
				answerKey,
				seal,
			);
			const [newest] = currentAnswers(underKey);
			if (newest?.value === answer.value && newest.comment === answer.comment) {
				return true;
			}
			await stores.surveyAnswers.add(
				persistence,
				{
					surveyId: ref.surveyId,
					roundKey: ref.roundKey,
					answerKey,
					value: answer.value,
					comment: answer.comment,
					revision: nextRevision(underKey),
					memberId: survey.anonymous ? null : user.id,
				},
				seal,
			);
			return true;
		} catch (error) {
			logger.error(
				`storing an answer to survey ${ref.surveyId}, round ${ref.roundKey} failed`,
				scrubbed(
					error,
					[answerKey, answer.comment].filter((text) => text !== ''),
				),
			);
			return false;
		}
	}

	/** Tells the member privately, in their direct room with the app, that the answer is recorded. */
	private async confirm(request: IViewSubmitRequest, round: IRound, t: Translator): Promise<void> {
		const { read, user, logger, poster } = request;
		const text = t('survey_answer_recorded_changeable', { closes: formatDate(round.closesAt) });
		const work = (async () => {
			const appUser = await poster.appUser();
			const room = appUser ? await findDirectRoom(read, appUser, user) : undefined;
			if (room) {
				await poster.replyPrivately(user, room, text);
			}
		})().catch((error: unknown) => logger.error('confirming a survey answer failed', error));
		if (!(await settleWithin(work, this.followUpBudgetMs))) {
			logger.warn(
				`confirming a survey answer took over ${this.followUpBudgetMs} ms; it ends after the answer`,
			);
		}
	}
}
