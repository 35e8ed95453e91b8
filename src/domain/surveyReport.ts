// What the weekly digest and the export take of surveys: the rounds that settled in the digest's
// week, and a survey's answers as CSV rows. Both read a round's results through roundOutcome, so
// the digest and the export withhold exactly what the results withhold.

import { NO, YES } from './answers';
import type { ISurveyAnswer } from './answers';
import { csvRow } from './csv';
import { DAY_CLOSING_GRACE_MS, dayOf } from './days';
import type { IExportRange } from './exportFile';
import { isInRange } from './exportFile';
import type { IRound } from './rounds';
import { recentRounds } from './rounds';
import type { ISurvey } from './survey';
import type { RoundOutcome } from './surveyResults';
import { compareCodeUnits } from './text';

/**
 * The most rounds one digest week can hold settled: a weekly round settles within two weeks of its
 * opening (6 open days and the grace), so the last three rounds always include them.
 */
const ROUNDS_SETTLING_IN_A_WEEK = 3;

/** When a round is settled on every instance (rounds.ts isSettled): its close plus the grace. */
export function settledAt(round: IRound): Date {
	return new Date(Date.parse(round.closesAt) + DAY_CLOSING_GRACE_MS);
}

/**
 * The rounds of a survey that settled in [from, to), oldest first: the digest of a slot reports
 * each round once, in the week it settled, whatever time its check runs.
 */
export function roundsSettledBetween(survey: ISurvey, from: Date, to: Date): Array<IRound> {
	return recentRounds(survey, to, ROUNDS_SETTLING_IN_A_WEEK)
		.filter((round) => {
			const settled = settledAt(round).getTime();
			return settled >= from.getTime() && settled < to.getTime();
		})
		.reverse();
}

/** The columns of a survey's export file. */
export const SURVEY_EXPORT_COLUMNS = [
	'survey',
	'question',
	'round',
	'opens (UTC)',
	'closes (UTC)',
	'value',
	'comment',
	'member',
] as const;

/** The header line of every survey export file. */
export function surveyExportHeader(): string {
	return csvRow(SURVEY_EXPORT_COLUMNS);
}

/** An ISO time as the export's cells write it: "YYYY-MM-DD HH:MM:SS", UTC. */
function timeCell(iso: string): string {
	return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

/** An answer's value as a spreadsheet reads it: the number, or yes / no. */
export function answerValueCell(survey: Pick<ISurvey, 'kind'>, value: number): string {
	if (survey.kind === 'yes-no' && value === YES) {
		return 'yes';
	}
	return survey.kind === 'yes-no' && value === NO ? 'no' : String(value);
}

/**
 * One counted answer as a line of its survey's file. The member column holds the username in a
 * named survey only; an anonymous survey's is always empty, whatever a stray record carries.
 */
export function surveyExportRow(
	survey: ISurvey,
	round: IRound,
	answer: ISurveyAnswer,
	username: string | undefined,
): string {
	return csvRow([
		survey.id,
		survey.question,
		round.key,
		timeCell(round.opensAt),
		timeCell(round.closesAt),
		answerValueCell(survey, answer.value),
		answer.comment,
		survey.anonymous ? '' : (username ?? ''),
	]);
}

/** Whether an export in this range takes a round: the UTC day it opened is in the range. */
export function isRoundInRange(round: IRound, range: IExportRange): boolean {
	return isInRange(dayOf(round.opensAt), range);
}

/**
 * Whether a round's answers go into the export. An anonymous survey's only when its results are
 * shown (settled, and at least RESULTS_MIN_ANSWERS answers): the threshold that keeps a member
 * from being singled out in the results would mean nothing if the rows were exported anyway. A
 * named survey's always: each answer carries its member already, so holding rows back protects
 * no one and would only hide answers from the admins who asked.
 */
export function isRoundExported(
	survey: Pick<ISurvey, 'anonymous'>,
	outcome: RoundOutcome,
): boolean {
	return !survey.anonymous || outcome.shown;
}

/**
 * A round's answers in the order the export writes them: an anonymous survey's by value, then
 * comment, never by key. A reader of the database can tie a key to the member whose submit wrote
 * it (the server stamps each record's time), so rows in key order would hand the file's values to
 * them; a named survey's in key order (their member's).
 */
export function exportedAnswerOrder(
	survey: Pick<ISurvey, 'anonymous'>,
	answers: ReadonlyArray<ISurveyAnswer>,
): Array<ISurveyAnswer> {
	if (!survey.anonymous) {
		return [...answers];
	}
	return [...answers].sort((a, b) => a.value - b.value || compareCodeUnits(a.comment, b.comment));
}

/** One round the digest reports: its outcome at the digest's slot, and how many had opted out. */
export interface ISurveyDigestRound {
	readonly outcome: RoundOutcome;
	readonly optedOut: number;
}

/** What the digest shows of one survey: its rounds settled in the week, and its recent trend. */
export interface ISurveyDigestEntry {
	readonly survey: ISurvey;
	readonly rounds: ReadonlyArray<ISurveyDigestRound>;
	/** The outcomes of its last settled rounds, oldest first (withheld ones too). */
	readonly trend: ReadonlyArray<RoundOutcome>;
}

/** What the surveys' part of an export came to. */
export interface ISurveyExportResult {
	/** Surveys exported, one file (or more parts) each. */
	readonly surveys: number;
	/** Answer rows written. */
	readonly answers: number;
	/** Files uploaded. */
	readonly files: number;
	/** A survey whose answer is larger than any file allowed stopped the export there. */
	readonly stoppedAt?: string;
}
