// A pulse survey as an admin defines it: one question asked of an audience, a round per period of
// its rhythm. A draft comes from a form or a command, so every field is read as unknown and
// checked here; a stored survey is read back as defensively, since older or racing versions may
// have written it.

import { characterCount, hasVisibleCharacter } from './text';

export const SURVEY_KINDS = ['nps', 'rating', 'yes-no'] as const;
/** NPS asks 0 to 10, rating 1 to 5, yes-no a yes or a no. */
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export const SURVEY_RHYTHMS = ['once', 'weekly', 'monthly', 'quarterly'] as const;
/** How often a round opens: once, or one round per ISO week, calendar month or calendar quarter (UTC). */
export type SurveyRhythm = (typeof SURVEY_RHYTHMS)[number];

/** Who is asked: the members of a room (by its name) or everyone with a role. */
export type SurveyAudience =
	| { readonly kind: 'room'; readonly roomName: string }
	| { readonly kind: 'role'; readonly role: string };

/** A survey, as stored (created once; a changed survey is a new one). */
export interface ISurvey {
	readonly id: string;
	readonly question: string;
	readonly kind: SurveyKind;
	/** Whether the answer form has an optional comment. */
	readonly withComment: boolean;
	readonly audience: SurveyAudience;
	readonly rhythm: SurveyRhythm;
	readonly anonymous: boolean;
	/** How many days a round stays open, from its start. */
	readonly openDays: number;
	readonly createdAt: string;
	readonly adminId: string;
}

/** What an admin chooses: a survey without its id, creation time and admin. */
export type ISurveyDraft = Omit<ISurvey, 'id' | 'createdAt' | 'adminId'>;

/** The fields of a draft, as a form or a command names them. */
export type SurveyField =
	| 'question'
	| 'kind'
	| 'withComment'
	| 'audience'
	| 'rhythm'
	| 'anonymous'
	| 'openDays';

/** The message keys of a draft's errors (the i18n files get them with the handlers that show them). */
export type SurveyErrorKey =
	| 'error_survey_question_empty'
	| 'error_survey_question_too_long'
	| 'error_survey_kind_invalid'
	| 'error_survey_choice_invalid'
	| 'error_survey_audience_invalid'
	| 'error_survey_room_name_invalid'
	| 'error_survey_role_invalid'
	| 'error_survey_role_unsupported'
	| 'error_survey_rhythm_invalid'
	| 'error_survey_open_days_invalid'
	| 'error_survey_open_days_too_long';

/** An error on one field of a draft: its message key and parameters. */
export interface ISurveyError {
	readonly key: SurveyErrorKey;
	readonly params?: Readonly<Record<string, string | number>>;
}

export type SurveyDraftResult =
	| { readonly valid: true; readonly draft: ISurveyDraft }
	| { readonly valid: false; readonly errors: Partial<Record<SurveyField, ISurveyError>> };

/** The longest question, in characters as people count them: it must fit a DM's first lines and a modal's label. */
export const SURVEY_QUESTION_MAX = 300;
/** The longest room or role name accepted (Rocket.Chat's own names are far shorter). */
export const SURVEY_AUDIENCE_NAME_MAX = 100;
export const SURVEY_OPEN_DAYS_MIN = 1;
/** A survey asked once stays open at most this long. */
export const SURVEY_ONCE_OPEN_DAYS_MAX = 90;

/**
 * The longest a round of each rhythm may stay open: less than its shortest period (a week, a
 * 28-day February, a 90-day first quarter), so a round closes before the next one opens.
 */
export const SURVEY_OPEN_DAYS_MAX: Readonly<Record<SurveyRhythm, number>> = {
	once: SURVEY_ONCE_OPEN_DAYS_MAX,
	weekly: 6,
	monthly: 27,
	quarterly: 89,
};

// Room names as a mention writes them: no white space, no control or invisible characters.
const ROOM_NAME = /^[^\s\p{Cc}\p{Cf}\p{Z}#@]+$/u;
// Role names may hold spaces (custom roles), never control or format characters.
const ROLE_NAME = /^[^\p{Cc}\p{Cf}]+$/u;

function isError(value: unknown): value is ISurveyError {
	return typeof value === 'object' && value !== null && 'key' in value;
}

function readQuestion(value: unknown): string | ISurveyError {
	const question = typeof value === 'string' ? value.trim() : '';
	if (!hasVisibleCharacter(question)) {
		return { key: 'error_survey_question_empty' };
	}
	const length = characterCount(question);
	return length > SURVEY_QUESTION_MAX
		? { key: 'error_survey_question_too_long', params: { length, max: SURVEY_QUESTION_MAX } }
		: question;
}

function readChoice<T extends string>(
	value: unknown,
	choices: ReadonlyArray<T>,
	error: SurveyErrorKey,
): T | ISurveyError {
	return choices.includes(value as T) ? (value as T) : { key: error };
}

// A checkbox or a yes/no select: a real boolean, or the option values the forms use.
function readFlag(value: unknown): boolean | ISurveyError {
	if (typeof value === 'boolean') {
		return value;
	}
	if (value === 'yes' || value === 'no') {
		return value === 'yes';
	}
	return { key: 'error_survey_choice_invalid' };
}

function readAudience(kind: unknown, name: unknown): SurveyAudience | ISurveyError {
	if (kind !== 'room' && kind !== 'role') {
		return { key: 'error_survey_audience_invalid' };
	}
	const typed = typeof name === 'string' ? name.trim() : '';
	if (kind === 'room') {
		const roomName = typed.replace(/^#/, '');
		return ROOM_NAME.test(roomName) && characterCount(roomName) <= SURVEY_AUDIENCE_NAME_MAX
			? { kind, roomName }
			: { key: 'error_survey_room_name_invalid', params: { max: SURVEY_AUDIENCE_NAME_MAX } };
	}
	if (
		!hasVisibleCharacter(typed) ||
		!ROLE_NAME.test(typed) ||
		characterCount(typed) > SURVEY_AUDIENCE_NAME_MAX
	) {
		return { key: 'error_survey_role_invalid', params: { max: SURVEY_AUDIENCE_NAME_MAX } };
	}
	// Apps-Engine 1.62 cannot list a role's members: IRoleRead reads a role by id or name and the
	// custom roles (apps/meteor/app/apps/server/bridges/roles.ts), IUserRead has no query by role.
	// A role survey could invite no one, so it is refused until the engine can (stored role
	// surveys, of a later version, still parse; the round job skips them).
	return { key: 'error_survey_role_unsupported', params: { role: typed } };
}

function readOpenDays(value: unknown, rhythm: SurveyRhythm | undefined): number | ISurveyError {
	const days = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof days !== 'number' || !Number.isInteger(days) || days < SURVEY_OPEN_DAYS_MIN) {
		return { key: 'error_survey_open_days_invalid', params: { min: SURVEY_OPEN_DAYS_MIN } };
	}
	const max = SURVEY_OPEN_DAYS_MAX[rhythm ?? 'once'];
	if (days > max) {
		return rhythm === undefined || rhythm === 'once'
			? { key: 'error_survey_open_days_invalid', params: { min: SURVEY_OPEN_DAYS_MIN, max } }
			: { key: 'error_survey_open_days_too_long', params: { max } };
	}
	return days;
}

/** What a form or command gives for a draft, each value as received. */
export interface ISurveyDraftInput {
	readonly question: unknown;
	readonly kind: unknown;
	readonly withComment: unknown;
	readonly audienceKind: unknown;
	readonly audienceName: unknown;
	readonly rhythm: unknown;
	readonly anonymous: unknown;
	readonly openDays: unknown;
}

/** Checks a draft; every bad field gets its own error. */
export function checkSurveyDraft(input: ISurveyDraftInput): SurveyDraftResult {
	const question = readQuestion(input.question);
	const kind = readChoice(input.kind, SURVEY_KINDS, 'error_survey_kind_invalid');
	const withComment = readFlag(input.withComment);
	const audience = readAudience(input.audienceKind, input.audienceName);
	const rhythm = readChoice(input.rhythm, SURVEY_RHYTHMS, 'error_survey_rhythm_invalid');
	const anonymous = readFlag(input.anonymous);
	const openDays = readOpenDays(input.openDays, isError(rhythm) ? undefined : rhythm);
	const errors: Partial<Record<SurveyField, ISurveyError>> = {};
	if (isError(question)) errors.question = question;
	if (isError(kind)) errors.kind = kind;
	if (isError(withComment)) errors.withComment = withComment;
	if (isError(audience)) errors.audience = audience;
	if (isError(rhythm)) errors.rhythm = rhythm;
	if (isError(anonymous)) errors.anonymous = anonymous;
	if (isError(openDays)) errors.openDays = openDays;
	if (
		isError(question) ||
		isError(kind) ||
		isError(withComment) ||
		isError(audience) ||
		isError(rhythm) ||
		isError(anonymous) ||
		isError(openDays)
	) {
		return { valid: false, errors };
	}
	return {
		valid: true,
		draft: { question, kind, withComment, audience, rhythm, anonymous, openDays },
	};
}

/** The survey a checked draft becomes when an admin creates it. */
export function surveyOf(
	draft: ISurveyDraft,
	id: string,
	createdAt: Date,
	adminId: string,
): ISurvey {
	return { ...draft, id, createdAt: createdAt.toISOString(), adminId };
}

/** A survey as it is stored: plain data, one shape for every version. */
export function serializeSurvey(survey: ISurvey): Record<string, unknown> {
	const { id, question, kind, withComment, audience, rhythm, anonymous, openDays } = survey;
	return {
		id,
		question,
		kind,
		withComment,
		audience: { ...audience },
		rhythm,
		anonymous,
		openDays,
		createdAt: survey.createdAt,
		adminId: survey.adminId,
	};
}

function parseAudience(value: unknown): SurveyAudience | undefined {
	const { kind, roomName, role } = (value ?? {}) as Record<string, unknown>;
	if (kind === 'room' && typeof roomName === 'string' && roomName !== '') {
		return { kind, roomName };
	}
	if (kind === 'role' && typeof role === 'string' && role !== '') {
		return { kind, role };
	}
	return undefined;
}

/** A stored value as a survey, or undefined when it is not one. */
export function parseSurvey(value: unknown): ISurvey | undefined {
	const record = (value ?? {}) as Record<string, unknown>;
	const { id, question, kind, withComment, rhythm, anonymous, openDays, createdAt, adminId } =
		record;
	const audience = parseAudience(record.audience);
	return typeof id === 'string' &&
		id !== '' &&
		typeof question === 'string' &&
		SURVEY_KINDS.includes(kind as SurveyKind) &&
		typeof withComment === 'boolean' &&
		audience !== undefined &&
		SURVEY_RHYTHMS.includes(rhythm as SurveyRhythm) &&
		typeof anonymous === 'boolean' &&
		typeof openDays === 'number' &&
		Number.isInteger(openDays) &&
		openDays >= SURVEY_OPEN_DAYS_MIN &&
		openDays <= SURVEY_OPEN_DAYS_MAX[rhythm as SurveyRhythm] &&
		typeof createdAt === 'string' &&
		!Number.isNaN(Date.parse(createdAt)) &&
		typeof adminId === 'string'
		? {
				id,
				question,
				kind: kind as SurveyKind,
				withComment,
				audience,
				rhythm: rhythm as SurveyRhythm,
				anonymous,
				openDays,
				createdAt,
				adminId,
			}
		: undefined;
}
