import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { parseSurvey, serializeSurvey } from '../domain/survey';
import type { ISurvey } from '../domain/survey';
import { parseSurveyEvent, serializeSurveyEvent, surveyState } from '../domain/surveyEvents';
import type { ISurveyState, SurveyEvent } from '../domain/surveyEvents';
import { compareCodeUnits } from '../domain/text';

/**
 * Surveys and what admins did to them: a survey is created once under its id; a change, a close
 * or a reopening is an event of its own, never an update, and the newest wins
 * (domain/surveyEvents.ts). Copies a lost answer or a racing submit wrote say the same.
 */
export class SurveyStore {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Stores a new survey. */
	public async create(persistence: IPersistence, survey: ISurvey): Promise<void> {
		await persistence.createWithAssociations(
			serializeSurvey(survey),
			buildAssociations({ scope: RecordScope.Survey, keys: [survey.id] }),
		);
	}

	/** Stores a change, close or reopening of a survey. */
	public async addEvent(persistence: IPersistence, event: SurveyEvent): Promise<void> {
		await persistence.createWithAssociations(
			serializeSurveyEvent(event),
			buildAssociations({ scope: RecordScope.SurveyEvent, keys: [event.surveyId] }),
		);
	}

	/** A survey as its events leave it, or undefined when there is none with this id. */
	public async find(surveyId: string): Promise<ISurveyState | undefined> {
		const [stored, events] = await Promise.all([
			this.reader.readByAssociations(
				buildAssociations({ scope: RecordScope.Survey, keys: [surveyId] }),
			),
			this.eventsOf([surveyId]),
		]);
		const survey = stored.map(parseSurvey).find((parsed) => parsed?.id === surveyId);
		return survey ? surveyState(survey, events) : undefined;
	}

	/** The events stored for one survey, racing copies included. */
	public async events(surveyId: string): Promise<Array<SurveyEvent>> {
		return this.eventsOf([surveyId]);
	}

	/** Every survey as its events leave it, one per id, oldest first. */
	public async all(): Promise<Array<ISurveyState>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.Survey }),
		);
		const byId = new Map<string, ISurvey>();
		for (const survey of stored.map(parseSurvey)) {
			if (survey && !byId.has(survey.id)) {
				byId.set(survey.id, survey);
			}
		}
		const events = await this.eventsOf(undefined);
		return [...byId.values()]
			.sort((a, b) => compareCodeUnits(`${a.createdAt}\n${a.id}`, `${b.createdAt}\n${b.id}`))
			.map((survey) => surveyState(survey, events));
	}

	/** Removes a survey and its events (its marks and answers go with SurveyMarks and AnswerStore). */
	public async remove(persistence: IPersistence, surveyId: string): Promise<void> {
		await Promise.all([
			persistence.removeByAssociations(
				buildAssociations({ scope: RecordScope.Survey, keys: [surveyId] }),
			),
			persistence.removeByAssociations(
				buildAssociations({ scope: RecordScope.SurveyEvent, keys: [surveyId] }),
			),
		]);
	}

	private async eventsOf(
		surveyIds: ReadonlyArray<string> | undefined,
	): Promise<Array<SurveyEvent>> {
		const reads =
			surveyIds === undefined
				? [buildAssociations({ scope: RecordScope.SurveyEvent })]
				: surveyIds.map((id) => buildAssociations({ scope: RecordScope.SurveyEvent, keys: [id] }));
		const stored = (
			await Promise.all(reads.map((read) => this.reader.readByAssociations(read)))
		).flat();
		return stored
			.map(parseSurveyEvent)
			.filter((event): event is SurveyEvent => event !== undefined);
	}
}
