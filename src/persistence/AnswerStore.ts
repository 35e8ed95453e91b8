import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { currentAnswers, parseSurveyAnswer, serializeSurveyAnswer } from '../domain/answers';
import type { ISurveyAnswer } from '../domain/answers';

/**
 * Answers to survey rounds, one record per answer or change of one, under its key
 * (domain/answers.ts surveyAnswerKey); never updated: a change is the next revision, and reads
 * keep each key's highest (currentAnswers), so racing copies count once. An anonymous answer has
 * no USER association and no time: nothing in its record or associations names the member.
 */
export class AnswerStore {
	constructor(private readonly reader: IPersistenceRead) {}

	/**
	 * Stores an answer (or a change: `answer.revision` from nextRevision over `underKey`); with the
	 * survey secret (a keyed anonymous survey) its value and comment are sealed.
	 */
	public async add(
		persistence: IPersistence,
		answer: ISurveyAnswer,
		secret: string | undefined,
	): Promise<void> {
		const { surveyId, roundKey, answerKey, memberId } = answer;
		await persistence.createWithAssociations(
			serializeSurveyAnswer(answer, secret),
			buildAssociations({
				userId: memberId ?? undefined,
				scope: RecordScope.SurveyAnswer,
				keys: [surveyId, `${surveyId}:${roundKey}`, `${surveyId}:${roundKey}:${answerKey}`],
			}),
		);
	}

	/** Every record stored under one answer's key (sealed ones opened with `secret`): what the next revision is computed from. */
	public async underKey(
		surveyId: string,
		roundKey: string,
		answerKey: string,
		secret: string | undefined,
	): Promise<Array<ISurveyAnswer>> {
		return this.read(surveyId, roundKey, `${surveyId}:${roundKey}:${answerKey}`, secret).then(
			(answers) => answers.filter((answer) => answer.answerKey === answerKey),
		);
	}

	/**
	 * The answers of a round that count: one per key, its highest revision, in key order. Sealed
	 * answers are opened with `secret`; those it cannot open (none given, or another) are left out.
	 */
	public async ofRound(
		surveyId: string,
		roundKey: string,
		secret: string | undefined,
	): Promise<Array<ISurveyAnswer>> {
		return currentAnswers(await this.read(surveyId, roundKey, `${surveyId}:${roundKey}`, secret));
	}

	/** Removes every answer to a survey (it was deleted). */
	public async removeOf(persistence: IPersistence, surveyId: string): Promise<void> {
		await persistence.removeByAssociations(
			buildAssociations({ scope: RecordScope.SurveyAnswer, keys: [surveyId] }),
		);
	}

	private async read(
		surveyId: string,
		roundKey: string,
		key: string,
		secret: string | undefined,
	): Promise<Array<ISurveyAnswer>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.SurveyAnswer, keys: [key] }),
		);
		return stored
			.map((value) => parseSurveyAnswer(value, secret))
			.filter(
				(answer): answer is ISurveyAnswer =>
					answer?.surveyId === surveyId && answer.roundKey === roundKey,
			);
	}
}
