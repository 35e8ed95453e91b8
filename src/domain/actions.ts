// The ids shared by the views the app builds and the handlers that answer them, and the state a
// button carries. A block action can be sent by anyone who knows these ids, so every value read
// back is checked again here and every admin action is checked for the role again by its handler.

import { isStatus } from './status';
import type { FeedbackStatus } from './status';

/** The action ids of the app's buttons and selects. */
export enum FeedbackAction {
	ListPage = 'list-page',
	ListDelete = 'list-delete',
	ListDeleteConfirm = 'list-delete-confirm',
	ListDeleteCancel = 'list-delete-cancel',
	AdminOpen = 'admin-open',
	AdminPage = 'admin-page',
	AdminFilterCategory = 'admin-filter-category',
	AdminFilterStatus = 'admin-filter-status',
	AdminChangeStatus = 'admin-change-status',
	AdminDelete = 'admin-delete',
	AdminDeleteConfirm = 'admin-delete-confirm',
	AdminDeleteCancel = 'admin-delete-cancel',
	/** "Stop following" in a status notice or a followers' digest: any member, for themselves. */
	StopFollowing = 'follow-stop',
	AdminSort = 'admin-sort',
	/** Opens the merge form of one entry. */
	AdminMerge = 'admin-merge',
	/** The merge form's choice of the entry to merge into. */
	AdminMergeTarget = 'admin-merge-target',
	AdminMergeConfirm = 'admin-merge-confirm',
	AdminMergeCancel = 'admin-merge-cancel',
	/** "Me too" on an announcement; its value is the feedback's id. */
	Vote = 'feedback-vote',
	/** "Answer" in a survey invitation or reminder; its value is surveyAnswerValue's. */
	SurveyAnswer = 'survey-answer',
	/** The admin view's surveys: their results and their buttons. */
	AdminSurveys = 'admin-surveys',
	/** Opens the survey form. */
	AdminSurveyNew = 'admin-survey-new',
	/** Closes or reopens a survey; the value is surveyEventValue's. */
	AdminSurveyClose = 'admin-survey-close',
	AdminSurveyReopen = 'admin-survey-reopen',
}

/** The admin view's survey actions. */
export const SURVEY_ADMIN_ACTIONS: ReadonlySet<string> = new Set([
	FeedbackAction.AdminSurveys,
	FeedbackAction.AdminSurveyNew,
	FeedbackAction.AdminSurveyClose,
	FeedbackAction.AdminSurveyReopen,
]);

/** The actions of merging a duplicate (refused and logged as merges for a non-admin). */
export const MERGE_ACTIONS: ReadonlySet<string> = new Set([
	FeedbackAction.AdminMerge,
	FeedbackAction.AdminMergeTarget,
	FeedbackAction.AdminMergeConfirm,
	FeedbackAction.AdminMergeCancel,
]);

/** Actions only admins may take. */
export const ADMIN_ACTIONS: ReadonlySet<string> = new Set([
	FeedbackAction.AdminOpen,
	FeedbackAction.AdminPage,
	FeedbackAction.AdminFilterCategory,
	FeedbackAction.AdminFilterStatus,
	FeedbackAction.AdminChangeStatus,
	FeedbackAction.AdminDelete,
	FeedbackAction.AdminDeleteConfirm,
	FeedbackAction.AdminDeleteCancel,
	FeedbackAction.AdminSort,
	...MERGE_ACTIONS,
	...SURVEY_ADMIN_ACTIONS,
]);

/**
 * The member's list and the admin view are modals with one id each. The admin view is one modal
 * whose states (the list, a delete to confirm, a status form) are switched by modal.update
 * answers: the mobile app shows no contextual bar, and on the web a second modal would replace
 * the first and be closed with it after a submit.
 */
export const MEMBER_LIST_VIEW_ID = 'feedback-list';
export const ADMIN_VIEW_ID = 'feedback-admin';
const MAX_PAGE = 1_000_000;
const MAX_FILTER_LENGTH = 200;

/** The order of the admin view: newest first, or most votes first (ties newest first). */
export type AdminSort = 'newest' | 'votes';

/** What the admin view shows: a page of everyone's feedback, maybe filtered, in an order. */
export interface IAdminViewState {
	readonly page: number;
	readonly category: string | null;
	readonly status: FeedbackStatus | null;
	readonly sort: AdminSort;
}

export const FIRST_ADMIN_PAGE: IAdminViewState = {
	page: 1,
	category: null,
	status: null,
	sort: 'newest',
};

/** The state as a button value (`o` only when sorted by votes: older values read as newest). */
export function encodeAdminState(state: IAdminViewState): string {
	return JSON.stringify({
		p: state.page,
		c: state.category,
		s: state.status,
		...(state.sort === 'votes' ? { o: 'votes' } : {}),
	});
}

/** A button value back as a state; anything malformed is the first page, unfiltered. */
export function decodeAdminState(value: unknown): IAdminViewState {
	let parsed: unknown;
	try {
		parsed = typeof value === 'string' ? JSON.parse(value) : undefined;
	} catch {
		return FIRST_ADMIN_PAGE;
	}
	if (typeof parsed !== 'object' || parsed === null) {
		return FIRST_ADMIN_PAGE;
	}
	const { p, c, s, o } = parsed as Record<string, unknown>;
	return {
		page: typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= MAX_PAGE ? p : 1,
		category: typeof c === 'string' && c.length <= MAX_FILTER_LENGTH ? c : null,
		status: isStatus(s) ? s : null,
		sort: o === 'votes' ? 'votes' : 'newest',
	};
}

/** A page number carried by a button, within bounds; 1 for anything else. */
export function decodePage(value: unknown): number {
	const page = typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : 1;
	return page >= 1 && page <= MAX_PAGE ? page : 1;
}

/** An admin button's reference to one entry and the view state to come back to. */
export function encodeAdminEntryRef(id: string, state: IAdminViewState): string {
	return JSON.stringify({ id, s: encodeAdminState(state) });
}

/** An admin entry reference back; a malformed one has no id and the first page. */
export function decodeAdminEntryRef(value: unknown): {
	id: string | undefined;
	state: IAdminViewState;
} {
	let parsed: unknown;
	try {
		parsed = typeof value === 'string' ? JSON.parse(value) : undefined;
	} catch {
		parsed = undefined;
	}
	const { id, s } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
		string,
		unknown
	>;
	return { id: decodeFeedbackId(id), state: decodeAdminState(s) };
}

/** A button's reference to one entry of a list page: its id and the page it is shown on. */
export function encodeEntryRef(id: string, page: number): string {
	return JSON.stringify({ id, p: page });
}

/** An entry reference back, or undefined when it is not one. */
export function decodeEntryRef(value: unknown): { id: string; page: number } | undefined {
	let parsed: unknown;
	try {
		parsed = typeof value === 'string' ? JSON.parse(value) : undefined;
	} catch {
		return undefined;
	}
	const { id, p } = (parsed ?? {}) as Record<string, unknown>;
	const feedbackId = decodeFeedbackId(id);
	return feedbackId ? { id: feedbackId, page: decodePage(String(p)) } : undefined;
}

/** A feedback id carried by a button, or undefined when it is not one. */
export function decodeFeedbackId(value: unknown): string | undefined {
	return typeof value === 'string' && /^[0-9a-f-]{36}$/.test(value) ? value : undefined;
}

/**
 * One merge an admin is about to make: the duplicate, the entry it goes into, the merge form's
 * own id (drawn when the form opens: the merge and its status change take it, so a confirm
 * delivered twice stores one merge) and the view state to come back to.
 */
export interface IMergeRef {
	readonly sourceId: string;
	readonly targetId: string;
	readonly formId: string;
	readonly state: IAdminViewState;
}

/** A merge as a button or option value. */
export function encodeMergeRef(ref: IMergeRef): string {
	return JSON.stringify({
		id: ref.sourceId,
		t: ref.targetId,
		f: ref.formId,
		s: encodeAdminState(ref.state),
	});
}

/** A merge back from a value, or undefined when any of its ids is malformed (a forged value). */
export function decodeMergeRef(value: unknown): IMergeRef | undefined {
	let parsed: unknown;
	try {
		parsed = typeof value === 'string' ? JSON.parse(value) : undefined;
	} catch {
		return undefined;
	}
	const { id, t, f, s } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
		string,
		unknown
	>;
	const sourceId = decodeFeedbackId(id);
	const targetId = decodeFeedbackId(t);
	const formId = decodeFeedbackId(f);
	return sourceId && targetId && formId
		? { sourceId, targetId, formId, state: decodeAdminState(s) }
		: undefined;
}

/** The value of a survey's "Answer" button: the survey and the round it asks about. */
export function surveyAnswerValue(surveyId: string, roundKey: string): string {
	return `${surveyId}|${roundKey}`;
}

/** The survey and round an "Answer" button's value names, or undefined when it names none. */
export function parseSurveyAnswerValue(
	value: unknown,
): { readonly surveyId: string; readonly roundKey: string } | undefined {
	const match =
		typeof value === 'string'
			? /^([\w-]{1,64})\|(once|\d{4}-(?:W\d{2}|\d{2}|Q[1-4]))$/.exec(value)
			: null;
	return match ? { surveyId: match[1], roundKey: match[2] } : undefined;
}

/**
 * The value of a survey's Close or Reopen button: the survey and the id of the event it stores,
 * drawn when the button is shown, so a click delivered twice, or on two instances, stores one.
 */
export function surveyEventValue(surveyId: string, eventId: string): string {
	return `${surveyId}|${eventId}`;
}

/** The survey and event a Close or Reopen button's value names, or undefined when it names none. */
export function parseSurveyEventValue(
	value: unknown,
): { readonly surveyId: string; readonly eventId: string } | undefined {
	const match = typeof value === 'string' ? /^([\w-]{1,64})\|([0-9a-f-]{36})$/.exec(value) : null;
	return match ? { surveyId: match[1], eventId: match[2] } : undefined;
}
