import type { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors';

import { ADMIN_VIEW_BUDGET_MS } from './AdminViewHandler';
import type { AdminAnswer } from './AdminViewHandler';
import type { SurveyFormHandler } from './SurveyFormHandler';
import { firstRoundOf } from './SurveyFormHandler';
import type { IBlockActionRequest, ICommandRequest, IMemberRequest } from './requestContext';
import { FeedbackAction, parseSurveyEventValue } from '../domain/actions';
import { newId } from '../domain/ids';
import { shortIdOf } from '../domain/record';
import { roundOf } from '../domain/rounds';
import type { ISurveyState } from '../domain/surveyEvents';
import type { Translator } from '../i18n/translate';
import { settleWithin } from '../lib/settleWithin';
import { readSurveyTrend } from '../persistence/surveyOutcomes';
import type { ISurveyOutcomeStores } from '../persistence/surveyOutcomes';
import { surveySecretOnDemand } from '../settings/surveySecret';
import { quoteName } from '../ui/messages';
import { buildSurveysView, SURVEYS_SHOWN } from '../ui/surveysView';
import type { ISurveyOverview } from '../ui/surveysView';

/** What closing or reopening a survey did. */
type ToggleOutcome = 'done' | 'already' | 'gone';

/**
 * The admin view's surveys: each survey's definition, current round and trend (read through
 * surveyOutcomes, opt-outs included), New survey, and Close or Reopen, which store one event
 * each (its id drawn when the button is shown, so a click delivered twice stores one). Every
 * action is checked for the role by BlockActionHandler; `/feedback survey close|reopen <id>`
 * checks it here.
 */
export class SurveyAdminHandler {
	constructor(
		private readonly appId: string,
		private readonly forms: SurveyFormHandler,
		private readonly now: () => Date,
		private readonly budgetMs = ADMIN_VIEW_BUDGET_MS,
	) {}

	/** The answer to a survey button of the admin view; undefined for another action. */
	public async act(request: IBlockActionRequest): Promise<AdminAnswer | undefined> {
		const t = await request.translator();
		switch (request.actionId as FeedbackAction) {
			case FeedbackAction.AdminSurveys:
				return { kind: 'admin-view', view: await this.view(request) };
			case FeedbackAction.AdminSurveyNew:
				// A modal of its own, on top of (on the web: instead of) the admin view.
				return { kind: 'admin-view-opened', view: await this.forms.form(request) };
			case FeedbackAction.AdminSurveyClose:
			case FeedbackAction.AdminSurveyReopen: {
				const closing = request.actionId === String(FeedbackAction.AdminSurveyClose);
				const ref = parseSurveyEventValue(request.value);
				if (!ref) {
					request.logger.warn(`refused a malformed survey action of ${request.user.username}`);
					return {
						kind: 'admin-view',
						view: await this.view(request, t('survey_action_malformed')),
					};
				}
				const outcome = await this.toggle(request, ref.surveyId, ref.eventId, closing);
				const notice = this.toggleText(outcome, closing, ref.surveyId, t);
				return { kind: 'admin-view', view: await this.view(request, notice) };
			}
			default:
				return undefined;
		}
	}

	/** `/feedback survey close|reopen <id>` (the full id or its first 8 characters). */
	public async toggleFromCommand(
		request: ICommandRequest,
		typedId: string,
		closing: boolean,
	): Promise<void> {
		const { t } = request;
		if (!(await request.isAdmin())) {
			return request.reply(t('survey_refused'));
		}
		const surveys = await request.stores.surveys.all();
		const matches = surveys.filter(
			({ survey }) => survey.id === typedId || shortIdOf(survey.id) === typedId,
		);
		if (matches.length !== 1) {
			return request.reply(t('survey_not_found_id', { id: quoteName(typedId) }));
		}
		const { id } = matches[0].survey;
		const outcome = await this.toggle(request, id, newId(), closing);
		await request.reply(this.toggleText(outcome, closing, id, t));
	}

	/** The surveys state of the admin modal, read within the view's budget. */
	public async view(request: IMemberRequest, notice?: string): Promise<IUIKitSurfaceViewParam> {
		const t = await request.translator();
		const full = this.fullView(request, t, notice);
		if (await settleWithin(full, this.budgetMs)) {
			return full;
		}
		full.catch((error: unknown) =>
			request.logger.error('reading the surveys in the background failed', error),
		);
		return buildSurveysView({
			appId: this.appId,
			surveys: [],
			total: 0,
			usernames: new Map(),
			t,
			pending: true,
			...(notice ? { notice } : {}),
		});
	}

	private async fullView(
		request: IMemberRequest,
		t: Translator,
		notice?: string,
	): Promise<IUIKitSurfaceViewParam> {
		const now = this.now();
		const all = await request.stores.surveys.all();
		const shown = all.slice(-SURVEYS_SHOWN).reverse();
		// One reading of the survey secret for the whole view, made only if an anonymous survey needs it.
		const reading = {
			...request.stores,
			answerSecret: surveySecretOnDemand(request.read, this.appId),
		};
		const surveys = await Promise.all(shown.map((state) => this.overview(reading, state, now)));
		const usernames = await this.usernamesOf(request, surveys);
		return buildSurveysView({
			appId: this.appId,
			surveys,
			total: all.length,
			usernames,
			t,
			...(notice ? { notice } : {}),
		});
	}

	private async overview(
		reading: ISurveyOutcomeStores,
		state: ISurveyState,
		now: Date,
	): Promise<ISurveyOverview> {
		const { survey } = state;
		const { facts, trend } = await readSurveyTrend(reading, survey, now);
		const current = roundOf(survey, now);
		return {
			state,
			current,
			upcoming: current ? undefined : firstRoundOf(survey),
			facts,
			trend,
			eventId: newId(),
		};
	}

	/** The usernames of the members whose comments named surveys show. */
	private async usernamesOf(
		request: IMemberRequest,
		surveys: ReadonlyArray<ISurveyOverview>,
	): Promise<Map<string, string>> {
		const ids = new Set<string>();
		for (const { trend } of surveys) {
			for (const outcome of trend) {
				for (const comment of outcome.shown ? outcome.results.comments : []) {
					if (comment.memberId !== null) {
						ids.add(comment.memberId);
					}
				}
			}
		}
		const users = request.read.getUserReader();
		const found = await Promise.all(
			[...ids].map(async (id) => [id, (await users.getById(id))?.username] as const),
		);
		return new Map(
			found.filter((entry): entry is readonly [string, string] => entry[1] !== undefined),
		);
	}

	/** Stores a close (or reopening) once: not again for the same event, nor when it is so already. */
	private async toggle(
		request: IMemberRequest,
		surveyId: string,
		eventId: string,
		closing: boolean,
	): Promise<ToggleOutcome> {
		const { surveys } = request.stores;
		const [state, events] = await Promise.all([surveys.find(surveyId), surveys.events(surveyId)]);
		if (!state) {
			return 'gone';
		}
		if (events.some((event) => event.id === eventId)) {
			// This click was stored already (delivered again, or on another instance).
			return 'done';
		}
		if (state.active !== closing) {
			return 'already';
		}
		await surveys.addEvent(request.persistence, {
			id: eventId,
			surveyId,
			at: this.now().toISOString(),
			adminId: request.user.id,
			kind: closing ? 'closed' : 'reopened',
		});
		request.logger.info(
			`survey ${surveyId} ${closing ? 'closed' : 'reopened'} by ${request.user.username}`,
		);
		return 'done';
	}

	private toggleText(
		outcome: ToggleOutcome,
		closing: boolean,
		surveyId: string,
		t: Translator,
	): string {
		const id = shortIdOf(surveyId);
		switch (outcome) {
			case 'gone':
				return t('survey_not_found_id', { id });
			case 'already':
				return t(closing ? 'survey_already_closed' : 'survey_already_open', { id });
			case 'done':
				return t(closing ? 'survey_closed_done' : 'survey_reopened_done', { id });
		}
	}
}
