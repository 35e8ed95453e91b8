import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';

import { closeModalResponse } from './closeModal';
import type { ICommandRequest, IMemberRequest, IViewSubmitRequest } from './requestContext';
import { isUsableSecret } from '../domain/answers';
import { newId, surveyIdOfForm } from '../domain/ids';
import { roundAt } from '../domain/rounds';
import type { IRound } from '../domain/rounds';
import { checkSurveyDraft, surveyOf } from '../domain/survey';
import type { ISurvey, ISurveyError, SurveyField } from '../domain/survey';
import {
	surveyDraftInputOf,
	surveyErrorField,
	SurveyFormField,
	surveyFormIdOfView,
} from '../domain/surveyForm';
import type { Translator } from '../i18n/translate';
import { readSurveySecret, surveySecretName } from '../settings/surveySecret';
import { quoteName } from '../ui/messages';
import { buildSurveyCreated, buildSurveyForm } from '../ui/surveyForm';

/** A survey's first round: its creation period's, or the next when too little of that was left. */
export function firstRoundOf(survey: ISurvey): IRound | undefined {
	return roundAt(survey, 0) ?? roundAt(survey, 1);
}

/** A draft's error in the admin's language; an open-days error names its bound when it has one. */
export function surveyErrorText(error: ISurveyError, t: Translator): string {
	const text = t(error.key, error.params);
	return error.key === 'error_survey_open_days_invalid' && error.params?.max !== undefined
		? `${text} ${t('survey_open_days_max', { max: error.params.max })}`
		: text;
}

/**
 * The survey form: opened by `/feedback survey new` and by the admin view's New survey, in a
 * modal of its own whose view id carries the form's id. Its submit is checked again for the role
 * and by checkSurveyDraft, the room must exist, and the survey it stores takes its id from the
 * form's (surveyIdOfForm), so a submit delivered twice, or on two instances, creates one survey.
 * An anonymous survey needs the server's survey secret, which seals its answers (answerSeal.ts).
 */
export class SurveyFormHandler {
	constructor(
		private readonly appId: string,
		private readonly now: () => Date,
	) {}

	/** A new survey form, in the member's language. */
	public async form(request: IMemberRequest): Promise<IUIKitSurfaceViewParam> {
		// A failed read only changes what the form offers first; the submit reads it again.
		const secret = await readSurveySecret(request.read, this.appId).catch((error: unknown) => {
			request.logger.warn('reading the survey secret for the survey form failed', error);
			return undefined;
		});
		return buildSurveyForm(
			this.appId,
			newId(),
			await request.translator(),
			isUsableSecret(secret) ? undefined : surveySecretName(this.appId),
		);
	}

	/** `/feedback survey new`: the survey form, for admins. */
	public async openFromCommand(request: ICommandRequest): Promise<void> {
		const { t, triggerId, user } = request;
		if (!(await request.isAdmin())) {
			return request.reply(t('survey_refused'));
		}
		if (!triggerId) {
			return request.reply(t('survey_open_no_trigger'));
		}
		await request.modify
			.getUiController()
			.openSurfaceView(await this.form(request), { triggerId }, user);
	}

	/** A submit of the survey form: the survey created once, or each bad field's error. */
	public async submit(request: IViewSubmitRequest): Promise<IUIKitResponse> {
		const { view, user, responder, logger } = request;
		const t = await request.translator();
		const fail = (errors: Partial<Record<SurveyFormField, string>>) =>
			responder.viewErrorResponse({ viewId: view.id, errors });
		const formId = surveyFormIdOfView(view.id);
		if (!formId || !(await request.isAdmin())) {
			logger.warn(`refused a survey form of ${user.username}`);
			return fail({ [SurveyFormField.Question]: t('survey_refused') });
		}
		try {
			const surveyId = surveyIdOfForm(formId);
			if (await request.stores.surveys.find(surveyId)) {
				// Created by an earlier submit of this form (Done, or a submit delivered again).
				return closeModalResponse(request);
			}
			const checked = checkSurveyDraft(surveyDraftInputOf(view.state));
			if (!checked.valid) {
				const errors: Partial<Record<SurveyFormField, string>> = {};
				for (const [field, error] of Object.entries(checked.errors)) {
					if (error) {
						errors[surveyErrorField(field as SurveyField, error.key)] = surveyErrorText(error, t);
					}
				}
				return fail(errors);
			}
			const { draft } = checked;
			if (draft.anonymous && !isUsableSecret(await readSurveySecret(request.read, this.appId))) {
				// Unsealed, its answers would be paired with their members by the server's record times.
				return fail({
					[SurveyFormField.Anonymous]: t('error_survey_anonymous_needs_secret', {
						variable: surveySecretName(this.appId),
					}),
				});
			}
			if (draft.audience.kind === 'room') {
				const room = await request.read.getRoomReader().getByName(draft.audience.roomName);
				if (!room) {
					return fail({
						[SurveyFormField.AudienceName]: t('error_survey_room_not_found', {
							room: quoteName(draft.audience.roomName),
						}),
					});
				}
			}
			const survey = surveyOf(draft, surveyId, this.now(), user.id);
			await request.stores.surveys.create(request.persistence, survey);
			logger.info(`survey ${survey.id} created by ${user.username}`);
			return responder.updateModalViewResponse(
				buildSurveyCreated(this.appId, formId, survey, firstRoundOf(survey), t),
			);
		} catch (error) {
			logger.error('creating a survey failed', error);
			return fail({ [SurveyFormField.Question]: t('error_action_failed') });
		}
	}
}
