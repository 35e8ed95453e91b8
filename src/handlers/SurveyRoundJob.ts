import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { UserType } from '@rocket.chat/apps-engine/definition/users';

import { directRoomIsClosed } from './authorReach';
import { directRoomWith } from './directRoom';
import { languageForMember } from './language';
import { processorOf } from './processor';
import type { IJobRequest } from './requestContext';
import { participants } from '../domain/answers';
import { headingOf } from '../domain/convergence';
import {
	invitationBatch,
	invitationReference,
	isOpen,
	isReminderDue,
	reminderBatch,
	reminderReference,
	roundOf,
	SURVEY_DMS_PER_RUN,
} from '../domain/rounds';
import type { IRound } from '../domain/rounds';
import type { ISurvey } from '../domain/survey';
import { isPermanentMessageRefusal } from '../domain/uploadRules';
import { translatorFor } from '../i18n/translate';
import type { SentKind, SentOutcome } from '../persistence/SurveyMarks';
import { formatSurveyMessage, surveyAnswerBlocks } from '../ui/surveyText';

export const SURVEY_ROUND_PROCESSOR_ID = 'survey-rounds';

/** How often the job looks for members to invite or remind: a round of N members takes N / SURVEY_DMS_PER_RUN runs. */
export const SURVEY_ROUND_INTERVAL = '1 minute';

/** How long one run keeps sending: well inside the engine's 30 s per run, server calls being slow under load. */
export const SURVEY_RUN_BUDGET_MS = 10_000;

/** What one run did. */
export interface ISurveyRoundRun {
	/** Invitations posted (or found posted by a racing run). */
	readonly invited: number;
	/** Reminders posted (or found posted). */
	readonly reminded: number;
	/** Whether the run stopped at its budget with members left. */
	readonly stoppedAtBudget: boolean;
}

/** What a run has sent so far, and its budget. */
interface IRunBudget {
	readonly started: number;
	sent: number;
	stopped: boolean;
}

/**
 * Survey rounds: for each open round of each active survey, one direct message per member of the
 * audience (a room's members) with an "Answer" button, and from the round's reminder time one
 * reminder to each invited member without a participation mark. Members whose notices are off
 * (`/feedback notices off`) get neither. The scheduler may run copies at once (duplicate job
 * documents, overlapping runs: packages/agenda/src/Agenda.ts): every copy picks the same members
 * in id order, builds the same first line for a (survey, round, member) (domain/rounds.ts), and
 * AppPoster.placeOnce leaves one message; a mark per (survey, round, member) written after the
 * post spares later runs the room read. A run stops after SURVEY_DMS_PER_RUN messages or
 * SURVEY_RUN_BUDGET_MS; the next run goes on.
 */
export class SurveyRoundJob {
	constructor(
		/** The app's id, named by the messages' "Answer" buttons. */
		private readonly appId: string,
		private readonly now: () => Date = () => new Date(),
	) {}

	/** The processor the app registers. */
	public processor(): IProcessor {
		return processorOf(SURVEY_ROUND_PROCESSOR_ID, (request) => this.run(request), {
			type: StartupType.RECURRING,
			interval: SURVEY_ROUND_INTERVAL,
		});
	}

	/** Sends the invitations and reminders that are due, within the run's budget. */
	public async run(request: IJobRequest): Promise<ISurveyRoundRun> {
		const { stores, logger } = request;
		const budget: IRunBudget = { started: this.now().getTime(), sent: 0, stopped: false };
		let invited = 0;
		let reminded = 0;
		for (const { survey, active } of await stores.surveys.all()) {
			const now = this.now();
			const round = active ? roundOf(survey, now) : undefined;
			if (!round || !isOpen(round, now)) {
				continue;
			}
			if (survey.audience.kind !== 'room') {
				// Drafts refuse role audiences (survey.ts readAudience); one from elsewhere is skipped.
				logger.warn(`survey ${survey.id} asks a role, whose members apps cannot list; skipped`);
				continue;
			}
			try {
				invited += await this.invite(request, survey, round, budget);
				if (isReminderDue(round, this.now())) {
					reminded += await this.remind(request, survey, round, budget);
				}
			} catch (error) {
				logger.error(`survey ${survey.id}, round ${round.key}: sending failed`, error);
			}
			if (budget.stopped) {
				break;
			}
		}
		return { invited, reminded, stoppedAtBudget: budget.stopped };
	}

	/** Invites the next members of the audience not done with yet; resolves with how many got it. */
	private async invite(
		request: IJobRequest,
		survey: ISurvey,
		round: IRound,
		budget: IRunBudget,
	): Promise<number> {
		const { stores, persistence } = request;
		const done = await stores.surveyMarks.sent('invited', survey.id, round.key);
		const members = await this.audienceOf(request, survey);
		const late = isReminderDue(round, this.now());
		let count = 0;
		for (const member of invitationBatch(
			[...members.keys()],
			new Set(done.keys()),
			SURVEY_DMS_PER_RUN,
		)) {
			if (this.spent(budget)) {
				return count;
			}
			const user = members.get(member) as IUser;
			const outcome = await this.tell(request, 'invited', survey, round, user);
			budget.sent += outcome === 'sent' ? 1 : 0;
			if (outcome === 'retry') {
				continue;
			}
			const mark = { surveyId: survey.id, roundKey: round.key, memberId: member };
			await stores.surveyMarks.noteSent(persistence, 'invited', { ...mark, outcome });
			if (outcome === 'sent' && late) {
				// Invited as late as a reminder: a reminder right after would only repeat it.
				await stores.surveyMarks.noteSent(persistence, 'reminded', { ...mark, outcome: 'skipped' });
			}
			count += outcome === 'sent' ? 1 : 0;
		}
		return count;
	}

	/** Reminds the next invited members without a participation mark, once; resolves with how many got it. */
	private async remind(
		request: IJobRequest,
		survey: ISurvey,
		round: IRound,
		budget: IRunBudget,
	): Promise<number> {
		const { read, stores, persistence, logger } = request;
		const [invited, reminded, marks] = await Promise.all([
			stores.surveyMarks.sent('invited', survey.id, round.key),
			stores.surveyMarks.sent('reminded', survey.id, round.key),
			stores.surveyMarks.participation(survey.id, round.key),
		]);
		const reached = [...invited].filter(([, outcome]) => outcome === 'sent').map(([id]) => id);
		const batch = reminderBatch(
			reached,
			participants(marks),
			new Set(reminded.keys()),
			SURVEY_DMS_PER_RUN,
		);
		let count = 0;
		for (const memberId of batch) {
			if (this.spent(budget)) {
				return count;
			}
			const user = await read.getUserReader().getById(memberId);
			const outcome = user ? await this.tell(request, 'reminded', survey, round, user) : 'given-up';
			budget.sent += outcome === 'sent' ? 1 : 0;
			if (!user) {
				logger.warn(`member ${memberId} cannot be found; no reminder of survey ${survey.id}`);
			}
			if (outcome === 'retry') {
				continue;
			}
			await stores.surveyMarks.noteSent(persistence, 'reminded', {
				surveyId: survey.id,
				roundKey: round.key,
				memberId,
				outcome,
			});
			count += outcome === 'sent' ? 1 : 0;
		}
		return count;
	}

	/** Whether the run has used its budget; notes it stopped. */
	private spent(budget: IRunBudget): boolean {
		const elapsed = this.now().getTime() - budget.started;
		budget.stopped ||= budget.sent >= SURVEY_DMS_PER_RUN || elapsed >= SURVEY_RUN_BUDGET_MS;
		return budget.stopped;
	}

	/** The people of a survey's room, by id: no bots, no app users. */
	private async audienceOf(request: IJobRequest, survey: ISurvey): Promise<Map<string, IUser>> {
		const { read, logger } = request;
		if (survey.audience.kind !== 'room') {
			return new Map();
		}
		const room = await read.getRoomReader().getByName(survey.audience.roomName);
		if (!room) {
			logger.warn(`survey ${survey.id}: the room ${survey.audience.roomName} cannot be found`);
			return new Map();
		}
		const members = await read.getRoomReader().getMembers(room.id);
		return new Map(
			members
				.filter((member) => member.type === UserType.USER)
				.map((member) => [member.id, member] as const),
		);
	}

	/** Sends one member the round's message; a failure is retried by the next run while the round is open. */
	private async tell(
		request: IJobRequest,
		kind: SentKind,
		survey: ISurvey,
		round: IRound,
		member: IUser,
	): Promise<SentOutcome | 'retry'> {
		const { read, modify, stores, poster, logger } = request;
		const what = `the ${kind === 'invited' ? 'invitation to' : 'reminder of'} survey ${
			survey.id
		}, round ${round.key}`;
		try {
			if (!(await stores.follows.noticesOn(member.id))) {
				return 'skipped';
			}
			const appUser = await poster.requireAppUser('no direct message can be sent');
			// No room is started, and nothing posted, where the server would refuse it.
			if (await directRoomIsClosed(read, appUser, member)) {
				logger.warn(
					`member ${member.id} not sent ${what}: their direct room is encrypted (E2E_Allow_Unencrypted_Messages is off)`,
				);
				return 'given-up';
			}
			const room = await directRoomWith(read, modify, appUser, member);
			const t = translatorFor(await languageForMember(read, member, logger));
			const reference =
				kind === 'invited'
					? invitationReference(survey.id, round.key, member.id)
					: reminderReference(survey.id, round.key, member.id);
			await poster.placeOnce({
				room,
				text: formatSurveyMessage(
					kind === 'invited' ? 'invitation' : 'reminder',
					survey,
					round,
					reference,
					t,
				),
				blocks: surveyAnswerBlocks(this.appId, survey.id, round.key, t),
				isCopy: (message) => headingOf(message.text).includes(reference),
			});
			return 'sent';
		} catch (error) {
			logger.error(`sending member ${member.id} ${what} failed`, error);
			return isPermanentMessageRefusal(error) ? 'given-up' : 'retry';
		}
	}
}
