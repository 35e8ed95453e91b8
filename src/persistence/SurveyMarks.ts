import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { parseParticipationMark, serializeParticipationMark } from '../domain/answers';
import type { IParticipationMark } from '../domain/answers';

/** The marks of sending: an invitation or a reminder. */
export type SentKind = 'invited' | 'reminded';

/**
 * What became of a member's message: posted, skipped (notices off, or a reminder a late
 * invitation made needless), or given up (the server refuses it for good).
 */
export type SentOutcome = 'sent' | 'skipped' | 'given-up';

const OUTCOMES: ReadonlyArray<SentOutcome> = ['sent', 'skipped', 'given-up'];

const SENT_SCOPES: Readonly<Record<SentKind, RecordScope>> = {
	invited: RecordScope.SurveyInvited,
	reminded: RecordScope.SurveyReminded,
};

/** The keys of a survey's round: the survey (to remove it whole), then the round. */
function roundKeys(surveyId: string, roundKey: string): Array<string> {
	return [surveyId, `${surveyId}:${roundKey}`];
}

/**
 * Who was invited to and reminded of each survey round, and who took part, under the member
 * (docs/surveys.md, "Records"). None has a time, and a participation mark no value: the answer is
 * stored apart (AnswerStore). Each is created, never updated; copies say the same.
 */
export class SurveyMarks {
	constructor(private readonly reader: IPersistenceRead) {}

	/**
	 * The members done with for a round's invitations (or reminders), and how; of racing copies
	 * that differ, "sent" wins (the member got the message).
	 */
	public async sent(
		kind: SentKind,
		surveyId: string,
		roundKey: string,
	): Promise<Map<string, SentOutcome>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: SENT_SCOPES[kind], keys: [`${surveyId}:${roundKey}`] }),
		);
		const outcomes = new Map<string, SentOutcome>();
		for (const value of stored) {
			const { memberId, outcome } = (value ?? {}) as { memberId?: unknown; outcome?: unknown };
			if (typeof memberId === 'string' && OUTCOMES.includes(outcome as SentOutcome)) {
				if (outcomes.get(memberId) !== 'sent') {
					outcomes.set(memberId, outcome as SentOutcome);
				}
			}
		}
		return outcomes;
	}

	/** Notes what became of a member's invitation (or reminder) of a round. */
	public async noteSent(
		persistence: IPersistence,
		kind: SentKind,
		mark: {
			readonly surveyId: string;
			readonly roundKey: string;
			readonly memberId: string;
			readonly outcome: SentOutcome;
		},
	): Promise<void> {
		const { surveyId, roundKey, memberId, outcome } = mark;
		await persistence.createWithAssociations(
			{ surveyId, roundKey, memberId, outcome },
			buildAssociations({
				userId: memberId,
				scope: SENT_SCOPES[kind],
				keys: roundKeys(surveyId, roundKey),
			}),
		);
	}

	/** Stores that a member answered a round (once per member: the caller checks `participation` first). */
	public async addParticipation(
		persistence: IPersistence,
		mark: IParticipationMark,
	): Promise<void> {
		await persistence.createWithAssociations(
			serializeParticipationMark(mark),
			buildAssociations({
				userId: mark.memberId,
				scope: RecordScope.SurveyParticipation,
				keys: roundKeys(mark.surveyId, mark.roundKey),
			}),
		);
	}

	/** The participation marks of a round, racing copies included; of one member when given. */
	public async participation(
		surveyId: string,
		roundKey: string,
		memberId?: string,
	): Promise<Array<IParticipationMark>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({
				userId: memberId,
				scope: RecordScope.SurveyParticipation,
				keys: [`${surveyId}:${roundKey}`],
			}),
		);
		return stored
			.map(parseParticipationMark)
			.filter(
				(mark): mark is IParticipationMark =>
					mark?.surveyId === surveyId && mark.roundKey === roundKey,
			);
	}

	/** Removes every mark of a survey (it was deleted). */
	public async removeOf(persistence: IPersistence, surveyId: string): Promise<void> {
		await Promise.all(
			[RecordScope.SurveyInvited, RecordScope.SurveyReminded, RecordScope.SurveyParticipation].map(
				(scope) => persistence.removeByAssociations(buildAssociations({ scope, keys: [surveyId] })),
			),
		);
	}
}
