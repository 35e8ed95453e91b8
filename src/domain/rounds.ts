// Rounds of a survey, as periods: a survey asked once has one round, from its creation; a
// recurring one has a round per ISO week, calendar month or calendar quarter, in UTC (computed
// from the time alone, so no time zone or daylight-saving change moves it). A round opens at its
// period's start and stays open the survey's openDays. Everything a job needs to do each
// invitation and reminder once is derived here from the survey, the round and the member, so
// racing runs on several instances compute the same.

import { DAY_CLOSING_GRACE_MS, DAY_MS } from './days';
import { noticeReference } from './statusNotice';
import type { ISurvey, SurveyRhythm } from './survey';
import { compareCodeUnits } from './text';

/** One round of a survey. */
export interface IRound {
	/** Periods since the survey's creation period (0 for it; the once-survey's round is 0). */
	readonly index: number;
	/** What names the round in records and references: "once", "2025-W03", "2025-01", "2025-Q1". */
	readonly key: string;
	/** When it opens (ISO, UTC): its period's start, or the creation for the creation period. */
	readonly opensAt: string;
	/** When it closes (ISO, UTC): answers are taken in [opensAt, closesAt). */
	readonly closesAt: string;
}

/**
 * The most direct messages (invitations or reminders) one run of the survey job sends: creating a
 * member's direct room, posting and reading it back to keep one copy take a few server calls each,
 * so twenty stay far inside the engine's 30 s per run; a round of thousands goes out over runs.
 */
export const SURVEY_DMS_PER_RUN = 20;

/** The start (ms) of the UTC period of a rhythm that holds `time`. */
function periodStart(rhythm: Exclude<SurveyRhythm, 'once'>, time: number): number {
	const date = new Date(time);
	const year = date.getUTCFullYear();
	const month = date.getUTCMonth();
	if (rhythm === 'monthly') {
		return Date.UTC(year, month, 1);
	}
	if (rhythm === 'quarterly') {
		return Date.UTC(year, month - (month % 3), 1);
	}
	// ISO weeks start on Monday.
	const day = Date.UTC(year, month, date.getUTCDate());
	return day - ((date.getUTCDay() + 6) % 7) * DAY_MS;
}

/** The start (ms) of the period `count` periods after the one starting at `start`. */
function periodAfter(rhythm: Exclude<SurveyRhythm, 'once'>, start: number, count: number): number {
	if (rhythm === 'weekly') {
		return start + count * 7 * DAY_MS;
	}
	const date = new Date(start);
	const months = rhythm === 'monthly' ? count : 3 * count;
	return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
}

/** Periods from the one starting at `from` to the one starting at `to`. */
function periodsBetween(rhythm: Exclude<SurveyRhythm, 'once'>, from: number, to: number): number {
	if (rhythm === 'weekly') {
		return Math.round((to - from) / (7 * DAY_MS));
	}
	const a = new Date(from);
	const b = new Date(to);
	const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
	return rhythm === 'monthly' ? months : months / 3;
}

/** The ISO week-numbering year and week of a Monday (ms). */
function isoWeek(monday: number): { year: number; week: number } {
	// The week belongs to the year of its Thursday.
	const thursday = new Date(monday + 3 * DAY_MS);
	const year = thursday.getUTCFullYear();
	const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
	return { year, week };
}

function periodKey(rhythm: Exclude<SurveyRhythm, 'once'>, start: number): string {
	const date = new Date(start);
	const year = date.getUTCFullYear();
	if (rhythm === 'weekly') {
		const iso = isoWeek(start);
		return `${iso.year}-W${String(iso.week).padStart(2, '0')}`;
	}
	if (rhythm === 'monthly') {
		return `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
	}
	return `${year}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

function roundOfPeriod(survey: ISurvey, start: number, index: number): IRound {
	const rhythm = survey.rhythm as Exclude<SurveyRhythm, 'once'>;
	const created = Date.parse(survey.createdAt);
	return {
		index,
		key: periodKey(rhythm, start),
		opensAt: new Date(Math.max(start, created)).toISOString(),
		closesAt: new Date(start + survey.openDays * DAY_MS).toISOString(),
	};
}

/**
 * Whether the creation period holds a round: only when at least half of its open time is left at
 * creation, so a survey created late in a period does not open a round of a few hours (its first
 * round is then the next period's).
 */
function creationPeriodHasRound(survey: ISurvey, start: number): boolean {
	const created = Date.parse(survey.createdAt);
	const closes = start + survey.openDays * DAY_MS;
	return closes - created >= (survey.openDays * DAY_MS) / 2;
}

/**
 * The round a time falls in (open or already closed), or undefined before the survey's first
 * round opens. A recurring survey's rounds are its periods from the creation period on; the
 * creation period's round opens at the creation (and is skipped when too little of it is left).
 */
export function roundOf(survey: ISurvey, now: Date): IRound | undefined {
	const created = Date.parse(survey.createdAt);
	const time = now.getTime();
	if (time < created) {
		return undefined;
	}
	if (survey.rhythm === 'once') {
		return {
			index: 0,
			key: 'once',
			opensAt: survey.createdAt,
			closesAt: new Date(created + survey.openDays * DAY_MS).toISOString(),
		};
	}
	const first = periodStart(survey.rhythm, created);
	const start = periodStart(survey.rhythm, time);
	if (start === first && !creationPeriodHasRound(survey, first)) {
		return undefined;
	}
	return roundOfPeriod(survey, start, periodsBetween(survey.rhythm, first, start));
}

/** The round of a survey with this index, or undefined when there is none (skipped or beyond once). */
export function roundAt(survey: ISurvey, index: number): IRound | undefined {
	if (!Number.isInteger(index) || index < 0) {
		return undefined;
	}
	if (survey.rhythm === 'once') {
		return index === 0 ? roundOf(survey, new Date(survey.createdAt)) : undefined;
	}
	const first = periodStart(survey.rhythm, Date.parse(survey.createdAt));
	if (index === 0 && !creationPeriodHasRound(survey, first)) {
		return undefined;
	}
	return roundOfPeriod(survey, periodAfter(survey.rhythm, first, index), index);
}

/** The rounds of a survey that have opened by `now`, newest first, at most `count`. */
export function recentRounds(survey: ISurvey, now: Date, count: number): Array<IRound> {
	const current = roundOf(survey, now);
	const rounds: Array<IRound> = [];
	for (let index = current?.index ?? -1; index >= 0 && rounds.length < count; index -= 1) {
		const round = roundAt(survey, index);
		if (round) {
			rounds.push(round);
		}
	}
	return rounds;
}

/** Whether a round takes answers at this time: [opensAt, closesAt). */
export function isOpen(round: IRound, now: Date): boolean {
	const time = now.getTime();
	return time >= Date.parse(round.opensAt) && time < Date.parse(round.closesAt);
}

/**
 * Whether a round is closed on every instance: its close plus the grace for clock skew between
 * instances (DAY_CLOSING_GRACE_MS), so no instance whose clock runs behind still takes an answer.
 * An anonymous round's results wait for this, so they never change once shown.
 */
export function isSettled(round: IRound, now: Date): boolean {
	return now.getTime() >= Date.parse(round.closesAt) + DAY_CLOSING_GRACE_MS;
}

/**
 * When a round's one reminder is due: halfway through its open time. It leaves members as long
 * to answer after the reminder as before it, whatever openDays is (12 hours for a one-day round,
 * where "a day before the close" would fall on the invitation).
 */
export function reminderAt(round: IRound): Date {
	const opens = Date.parse(round.opensAt);
	return new Date(opens + Math.floor((Date.parse(round.closesAt) - opens) / 2));
}

/** Whether reminders of a round are due at this time: from reminderAt until its close. */
export function isReminderDue(round: IRound, now: Date): boolean {
	return isOpen(round, now) && now.getTime() >= reminderAt(round).getTime();
}

/**
 * The reference on the first line of a member's invitation to a round: the same on every
 * instance, so a job run and its racing copies post one message (AppPoster.postOnce).
 */
export function invitationReference(surveyId: string, roundKey: string, memberId: string): string {
	return noticeReference(memberId, [`survey-invitation:${surveyId}:${roundKey}`]);
}

/** The reference on the first line of a member's reminder of a round, distinct from the invitation's. */
export function reminderReference(surveyId: string, roundKey: string, memberId: string): string {
	return noticeReference(memberId, [`survey-reminder:${surveyId}:${roundKey}`]);
}

/**
 * The members one run invites next: those of the audience not done yet (invited, or opted out),
 * each once, in id order so racing runs pick the same ones, at most `size`.
 */
export function invitationBatch(
	members: ReadonlyArray<string>,
	doneMembers: ReadonlySet<string>,
	size: number,
): Array<string> {
	return [...new Set(members)]
		.filter((member) => !doneMembers.has(member))
		.sort(compareCodeUnits)
		.slice(0, Math.max(0, size));
}

/**
 * The members one run reminds next: invited, not answered, not reminded yet (nor opted out since),
 * in id order, at most `size`.
 */
export function reminderBatch(
	invited: ReadonlyArray<string>,
	answered: ReadonlySet<string>,
	reminded: ReadonlySet<string>,
	size: number,
): Array<string> {
	return invitationBatch(invited, new Set([...answered, ...reminded]), size);
}
