// What happens to a survey after its creation: an admin changes its definition, closes it, or
// opens it again. Each is an event of its own, never an update of the survey (the server has no
// conditional write), and the newest wins: by its time, then by its id, so every instance reading
// the same events reaches the same state.

import type { ISurvey, ISurveyDraft } from './survey';
import { parseSurvey, serializeSurvey } from './survey';
import { compareCodeUnits } from './text';

/** One admin action on a survey. */
export type SurveyEvent =
	| {
			readonly id: string;
			readonly surveyId: string;
			readonly at: string;
			readonly adminId: string;
			readonly kind: 'changed';
			/** The survey's definition from now on (its rounds follow the new rhythm and openDays). */
			readonly draft: ISurveyDraft;
	  }
	| {
			readonly id: string;
			readonly surveyId: string;
			readonly at: string;
			readonly adminId: string;
			readonly kind: 'closed' | 'reopened';
	  };

/** A survey as its events leave it: its current definition and whether it still runs rounds. */
export interface ISurveyState {
	readonly survey: ISurvey;
	readonly active: boolean;
}

function isNewer(a: SurveyEvent, b: SurveyEvent): boolean {
	return a.at !== b.at ? a.at > b.at : compareCodeUnits(a.id, b.id) > 0;
}

function newestOf(events: ReadonlyArray<SurveyEvent>): SurveyEvent | undefined {
	return events.reduce<SurveyEvent | undefined>(
		(newest, event) => (newest === undefined || isNewer(event, newest) ? event : newest),
		undefined,
	);
}

/** A survey after its events (of any survey: others are ignored): the newest change, the newest close or reopen. */
export function surveyState(survey: ISurvey, events: ReadonlyArray<SurveyEvent>): ISurveyState {
	const own = events.filter((event) => event.surveyId === survey.id);
	const change = newestOf(own.filter((event) => event.kind === 'changed'));
	const status = newestOf(own.filter((event) => event.kind !== 'changed'));
	const current =
		change?.kind === 'changed'
			? { ...change.draft, id: survey.id, createdAt: survey.createdAt, adminId: survey.adminId }
			: survey;
	return { survey: current, active: status?.kind !== 'closed' };
}

/** An event as it is stored: exactly its fields. */
export function serializeSurveyEvent(event: SurveyEvent): Record<string, unknown> {
	const { id, surveyId, at, adminId } = event;
	if (event.kind === 'changed') {
		const { draft } = event;
		const stored = serializeSurvey({ ...draft, id: surveyId, createdAt: at, adminId });
		return { id, surveyId, at, adminId, kind: event.kind, draft: stored };
	}
	return { id, surveyId, at, adminId, kind: event.kind };
}

/** A stored value as an event, or undefined when it is not one. */
export function parseSurveyEvent(value: unknown): SurveyEvent | undefined {
	const { id, surveyId, at, adminId, kind, draft } = (value ?? {}) as Record<string, unknown>;
	if (
		typeof id !== 'string' ||
		typeof surveyId !== 'string' ||
		typeof at !== 'string' ||
		Number.isNaN(Date.parse(at)) ||
		typeof adminId !== 'string'
	) {
		return undefined;
	}
	if (kind === 'closed' || kind === 'reopened') {
		return { id, surveyId, at, adminId, kind };
	}
	const changed = kind === 'changed' ? parseSurvey(draft) : undefined;
	if (changed === undefined) {
		return undefined;
	}
	const {
		question,
		kind: questionKind,
		withComment,
		audience,
		rhythm,
		anonymous,
		openDays,
	} = changed;
	return {
		id,
		surveyId,
		at,
		adminId,
		kind: 'changed',
		draft: { question, kind: questionKind, withComment, audience, rhythm, anonymous, openDays },
	};
}
