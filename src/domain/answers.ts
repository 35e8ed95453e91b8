// Answers to a survey round, and what keeps an anonymous one anonymous. Who took part and what
// was answered are two records: a participation mark (member, survey, round; no value, no time)
// that tells the job whom not to remind, and an answer (survey, round, a revision; no member, no
// time) whose key is a keyed digest of (survey, round, member) under a secret the server's
// environment holds and the database never does, and whose value and comment are sealed with it
// (answerSeal.ts): the server stamps both records with the moment they were written, so time
// pairs them, but neither says what the other holds (docs/surveys.md weighs the schemes). The
// member's next submit finds the same key, so the answer can be changed while the round is open.
// Without that secret an anonymous survey takes no answer. A named survey's answer carries its
// member and can always be changed while the round is open.

import { openAnswer, sealAnswer } from './answerSeal';
import { keyedDigest } from './ids';
import type { IRound } from './rounds';
import { isOpen } from './rounds';
import type { ISurvey, SurveyKind } from './survey';
import { characterCount, compareCodeUnits, hasVisibleCharacter } from './text';

/** The longest comment on an answer, in characters as people count them. */
export const SURVEY_COMMENT_MAX = 1000;
/** The shortest environment secret that keys anonymous answers: long enough that it cannot be guessed. */
export const ANSWER_SECRET_MIN_LENGTH = 32;
/** How a yes and a no are stored. */
export const YES = 1;
export const NO = 0;

/** The values an answer of each kind may take. */
export const ANSWER_VALUES: Readonly<Record<SurveyKind, ReadonlyArray<number>>> = {
	'nps': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
	'rating': [1, 2, 3, 4, 5],
	'yes-no': [NO, YES],
};

/** The message keys of an answer's errors (the i18n files get them with the handlers that show them). */
export type AnswerErrorKey =
	| 'error_survey_answer_invalid'
	| 'error_survey_comment_too_long'
	| 'error_survey_comment_not_asked';

export interface IAnswerError {
	readonly key: AnswerErrorKey;
	readonly params?: Readonly<Record<string, string | number>>;
}

export type AnswerCheck =
	| { readonly valid: true; readonly value: number; readonly comment: string }
	| {
			readonly valid: false;
			readonly errors: Partial<Record<'value' | 'comment', IAnswerError>>;
	  };

// A select's value arrives as text ("7", "yes"); a number is taken as is.
function readValue(kind: SurveyKind, raw: unknown): number | undefined {
	let value: unknown = raw;
	if (kind === 'yes-no' && (raw === 'yes' || raw === 'no')) {
		value = raw === 'yes' ? YES : NO;
	} else if (typeof raw === 'string' && /^\d{1,2}$/.test(raw)) {
		value = Number(raw);
	}
	return typeof value === 'number' && ANSWER_VALUES[kind].includes(value) ? value : undefined;
}

/** Checks a submitted answer against its survey: the value by kind, the optional comment's length. */
export function checkAnswer(
	survey: Pick<ISurvey, 'kind' | 'withComment'>,
	rawValue: unknown,
	rawComment: unknown,
): AnswerCheck {
	const errors: Partial<Record<'value' | 'comment', IAnswerError>> = {};
	const value = readValue(survey.kind, rawValue);
	if (value === undefined) {
		errors.value = { key: 'error_survey_answer_invalid' };
	}
	const typed = typeof rawComment === 'string' ? rawComment.trim() : '';
	// Only visible text counts as a comment: blank or invisible characters are no comment.
	const comment = hasVisibleCharacter(typed) ? typed : '';
	if (comment !== '' && !survey.withComment) {
		errors.comment = { key: 'error_survey_comment_not_asked' };
	} else if (characterCount(comment) > SURVEY_COMMENT_MAX) {
		errors.comment = {
			key: 'error_survey_comment_too_long',
			params: { length: characterCount(comment), max: SURVEY_COMMENT_MAX },
		};
	}
	return value === undefined || errors.comment
		? { valid: false, errors }
		: { valid: true, value, comment };
}

/** How a survey's answers are keyed (see the file's head). */
export type AnswerKeying =
	| { readonly kind: 'named' }
	| { readonly kind: 'keyed'; readonly secret: string; readonly fingerprint: string };

/** What a participation mark records of the keying a member first answered under. */
export type MarkKeying = AnswerKeying['kind'];

/** Whether the environment's survey secret can key and seal anonymous answers. */
export function isUsableSecret(secret: string | undefined): secret is string {
	return secret !== undefined && secret.length >= ANSWER_SECRET_MIN_LENGTH;
}

/**
 * The keying of a survey's answers: named for a named survey; for an anonymous one, keyed when
 * the environment gives a secret of at least ANSWER_SECRET_MIN_LENGTH characters, else none: an
 * anonymous answer that could not be sealed would be paired with its member by its time.
 */
export function answerKeyingOf(
	survey: Pick<ISurvey, 'anonymous'>,
	secret: string | undefined,
): AnswerKeying | undefined {
	if (!survey.anonymous) {
		return { kind: 'named' };
	}
	if (!isUsableSecret(secret)) {
		return undefined;
	}
	// Shows which secret keyed an answer without giving the secret (all marks carry the same one).
	return { kind: 'keyed', secret, fingerprint: keyedDigest(secret, 'survey-answer-secret') };
}

/** What identifies one member's answer to one round. */
export interface IAnswerRef {
	readonly surveyId: string;
	readonly roundKey: string;
	readonly memberId: string;
}

/** The key an answer is stored under; the same for a member's every submit where it can change. */
export function surveyAnswerKey(keying: AnswerKeying, ref: IAnswerRef): string {
	switch (keying.kind) {
		case 'named':
			return `member:${ref.memberId}`;
		case 'keyed':
			return keyedDigest(keying.secret, `${ref.surveyId}\n${ref.roundKey}\n${ref.memberId}`);
	}
}

/** That a member answered a round: no value, no time; stored under the member. */
export interface IParticipationMark {
	readonly surveyId: string;
	readonly roundKey: string;
	readonly memberId: string;
	readonly keying: MarkKeying;
	/** keyed: the secret's fingerprint, the same for everyone (a later secret keys another answer: the first stands); named: empty. */
	readonly token: string;
}

/** The mark a submit under this keying writes (unless the member has it already). */
export function participationMark(keying: AnswerKeying, ref: IAnswerRef): IParticipationMark {
	const token = keying.kind === 'keyed' ? keying.fingerprint : '';
	return {
		surveyId: ref.surveyId,
		roundKey: ref.roundKey,
		memberId: ref.memberId,
		keying: keying.kind,
		token,
	};
}

/** Why an answer is not stored. */
export type AnswerRefusal =
	/** The round is not open (closed, or not open yet). */
	| 'round-closed'
	/** The member answered already under a keying that cannot find that answer again: it stands. */
	| 'answer-final';

/**
 * Whether a member's submit may store (a first answer or a change): the round must be open, and a
 * member who answered already must be able to reach that answer's key again (the same mark),
 * else their first answer stands and is never counted twice. `marks` are the member's marks of
 * the round, racing copies included.
 */
export function answerRefusal(
	keying: AnswerKeying,
	ref: IAnswerRef,
	marks: ReadonlyArray<IParticipationMark>,
	round: IRound,
	now: Date,
): AnswerRefusal | undefined {
	if (!isOpen(round, now)) {
		return 'round-closed';
	}
	const own = participationMark(keying, ref);
	const reachable = marks
		.filter((mark) => mark.surveyId === ref.surveyId && mark.roundKey === ref.roundKey)
		.every((mark) => mark.keying === own.keying && mark.token === own.token);
	return reachable ? undefined : 'answer-final';
}

/** One stored answer (or change of one): no time, and no member unless the survey is named. */
export interface ISurveyAnswer {
	readonly surveyId: string;
	readonly roundKey: string;
	readonly answerKey: string;
	readonly value: number;
	/** Empty for no comment. */
	readonly comment: string;
	/** 1 for the first answer, one more for each change: the highest counts. */
	readonly revision: number;
	/** The member, in a named survey; null in an anonymous one. */
	readonly memberId: string | null;
}

/** The revision a new submit under a key writes, from the records stored under it. */
export function nextRevision(stored: ReadonlyArray<ISurveyAnswer>): number {
	return stored.reduce((highest, answer) => Math.max(highest, answer.revision), 0) + 1;
}

function isLaterAnswer(a: ISurveyAnswer, b: ISurveyAnswer): boolean {
	if (a.revision !== b.revision) {
		return a.revision > b.revision;
	}
	// Two changes racing to one revision: one order everywhere, from their content alone.
	const left = `${a.value}\n${a.comment}`;
	const right = `${b.value}\n${b.comment}`;
	return left > right;
}

/**
 * The answers that count, one per key: its highest revision (racing copies of one submit, or a
 * submit stored on two instances, count once), in key order (which follows no member or time).
 */
export function currentAnswers(records: ReadonlyArray<ISurveyAnswer>): Array<ISurveyAnswer> {
	const byKey = new Map<string, ISurveyAnswer>();
	for (const record of records) {
		const scoped = `${record.surveyId}\n${record.roundKey}\n${record.answerKey}`;
		const known = byKey.get(scoped);
		if (!known || isLaterAnswer(record, known)) {
			byKey.set(scoped, record);
		}
	}
	return [...byKey.entries()]
		.sort(([a], [b]) => compareCodeUnits(a, b))
		.map(([, answer]) => answer);
}

/** The members who answered a round, each once, from their marks. */
export function participants(marks: ReadonlyArray<IParticipationMark>): Set<string> {
	return new Set(marks.map((mark) => mark.memberId));
}

/**
 * A stored value as an answer, or undefined when it is not one. A sealed answer (keyed) is opened
 * with the survey secret; without it, or sealed with another, it cannot be read.
 */
export function parseSurveyAnswer(value: unknown, secret?: string): ISurveyAnswer | undefined {
	const record = (value ?? {}) as Record<string, unknown>;
	const { surveyId, roundKey, answerKey, revision, memberId, sealed } = record;
	let content: { value: unknown; comment: unknown } | undefined = {
		value: record.value,
		comment: record.comment,
	};
	if (typeof sealed === 'string') {
		content = secret === undefined ? undefined : openAnswer(secret, sealed);
	}
	const answer = content?.value;
	const comment = content?.comment;
	return typeof surveyId === 'string' &&
		typeof roundKey === 'string' &&
		typeof answerKey === 'string' &&
		answerKey !== '' &&
		typeof answer === 'number' &&
		Number.isInteger(answer) &&
		answer >= 0 &&
		answer <= 10 &&
		typeof comment === 'string' &&
		typeof revision === 'number' &&
		Number.isInteger(revision) &&
		revision >= 1 &&
		(memberId === null || typeof memberId === 'string')
		? { surveyId, roundKey, answerKey, value: answer, comment, revision, memberId }
		: undefined;
}

/**
 * An answer as it is stored: exactly its fields, so nothing else (a time, a member) slips in;
 * with a secret (keyed), its value and comment sealed (answerSeal.ts).
 */
export function serializeSurveyAnswer(
	answer: ISurveyAnswer,
	secret?: string,
): Record<string, unknown> {
	const { surveyId, roundKey, answerKey, value, comment, revision, memberId } = answer;
	if (secret !== undefined) {
		const sealed = sealAnswer(secret, { value, comment });
		return { surveyId, roundKey, answerKey, revision, memberId, sealed };
	}
	return { surveyId, roundKey, answerKey, value, comment, revision, memberId };
}

/** A stored value as a participation mark, or undefined when it is not one. */
export function parseParticipationMark(value: unknown): IParticipationMark | undefined {
	const { surveyId, roundKey, memberId, keying, token } = (value ?? {}) as Record<string, unknown>;
	return typeof surveyId === 'string' &&
		typeof roundKey === 'string' &&
		typeof memberId === 'string' &&
		(keying === 'named' || keying === 'keyed') &&
		typeof token === 'string'
		? { surveyId, roundKey, memberId, keying, token }
		: undefined;
}

/** A participation mark as it is stored: exactly its fields. */
export function serializeParticipationMark(mark: IParticipationMark): Record<string, unknown> {
	const { surveyId, roundKey, memberId, keying, token } = mark;
	return { surveyId, roundKey, memberId, keying, token };
}
