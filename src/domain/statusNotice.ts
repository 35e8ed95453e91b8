// Telling an author that their feedback moved, exactly once under at-least-once delivery. A
// status change only notes that its author has something to hear; a recurring job sends, per
// author, one direct message once that author's newest change is NOTICE_QUIET_MS old, or at the
// latest NOTICE_MAX_DELAY_MS after their oldest pending change when changes keep coming, naming
// each feedback's status at send time. The message's first line carries a reference drawn from the
// changes it covers, so every copy of the job (duplicated job documents, overlapping runs, a retry
// after a lost answer) writes the same first line and AppPoster.postOnce keeps one message.

import type { FeedbackStatus, IStatusChange } from './status';

/** How long an author's newest change must rest before they are told: changes within it coalesce. */
export const NOTICE_QUIET_MS = 2 * 60 * 1000;

/**
 * The longest an author waits while changes keep coming more often than NOTICE_QUIET_MS: a notice
 * goes out once their oldest pending change is this old. Ten minutes keeps a busy triage session
 * to about one message per author per session, and bounds how stale the author's view can get.
 */
export const NOTICE_MAX_DELAY_MS = 10 * 60 * 1000;

/**
 * What the admin is promised: an author hears of a change within this time, whether changes stop
 * or keep coming (the bound, the job's 30 s period and its lateness), when the scheduler runs on
 * time and at most NOTICE_MAX_FEEDBACK of the author's feedback wait.
 */
export const NOTICE_PROMISED_MINUTES = 11;

/** The most feedback one notice names; the rest wait for the next notice (their texts are cut to fit Message_MaxAllowedSize). */
export const NOTICE_MAX_FEEDBACK = 5;

/** The most authors one run of the job tells, so a run stays far inside the engine's 30 s. */
export const NOTICE_MAX_AUTHORS_PER_RUN = 20;

/**
 * How long a notice the server keeps failing for no named reason is tried again, from its oldest
 * change: after that it is given up as undelivered (the author still sees the change in their
 * list), so a notice that can never be posted is not retried every run for ever.
 */
export const NOTICE_GIVE_UP_MS = 60 * 60 * 1000;

/** Why an author was not told in a direct message. */
export type UndeliveredReason =
	/** Their direct room with the app is (or would be created) encrypted and plain messages are refused. */
	| 'encrypted'
	/** The server refused the room or the message (the detail says how), or kept failing. */
	| 'refused';

/** Whether an author can hear of a status change in a direct message from the app. */
export type AuthorReach =
	| { readonly kind: 'direct' }
	/** Their direct room with the app is (or would be created) encrypted, and plain messages are refused. */
	| { readonly kind: 'encrypted' }
	/** The server refused the last notice to them (its words), and none was delivered since. */
	| { readonly kind: 'refused'; readonly detail: string }
	/** They turned their notices off (/feedback notices off). */
	| { readonly kind: 'notices-off' }
	/** They stopped following this feedback. */
	| { readonly kind: 'unfollowed' };

/** The last notice that could not be delivered to an author. */
export interface IUndeliveredNotice {
	readonly authorId: string;
	readonly reason: UndeliveredReason;
	/** The server's words, for 'refused'. */
	readonly detail: string;
	/** When it was given up. */
	readonly at: string;
}

/** Whether a notice whose oldest covered change is `oldestChangeAt` is past trying again. */
export function isPastGivingUp(oldestChangeAt: string, now: Date): boolean {
	return now.getTime() - Date.parse(oldestChangeAt) >= NOTICE_GIVE_UP_MS;
}

/** A change its author has not been told about yet. */
export interface IPendingNotice {
	readonly authorId: string;
	readonly feedbackId: string;
	readonly changeId: string;
	/** When the change was made (its `at`). */
	readonly changeAt: string;
}

/** What an author was last told about one feedback. */
export interface IToldStatus {
	readonly feedbackId: string;
	readonly status: FeedbackStatus;
	readonly note: string;
	readonly changeId: string;
	readonly changeAt: string;
}

/** One author's notice: the pending changes it covers and its reference. */
export interface INoticeBatch {
	readonly authorId: string;
	/** The feedback it names, oldest pending first. */
	readonly feedbackIds: ReadonlyArray<string>;
	/** Every pending change of those feedback: removed once the notice is posted. */
	readonly covered: ReadonlyArray<IPendingNotice>;
	/** Deterministic for the covered changes: the notice's first line carries it. */
	readonly reference: string;
}

/** Whether a save of `status` and `note` changes nothing: the entry already has them. */
export function isNoOpSave(
	current: IStatusChange | undefined,
	defaultStatus: FeedbackStatus,
	status: FeedbackStatus,
	note: string,
): boolean {
	return (current?.status ?? defaultStatus) === status && (current?.note ?? '') === note;
}

/** Whether the current change is news to an author last told `told` (never told: the default status, no note). */
export function isNews(
	current: IStatusChange | undefined,
	told: IToldStatus | undefined,
	defaultStatus: FeedbackStatus,
): boolean {
	const status = current?.status ?? defaultStatus;
	const note = current?.note ?? '';
	return status !== (told?.status ?? defaultStatus) || note !== (told?.note ?? '');
}

/** 32-bit FNV-1a of a text, as 8 hex digits. */
function fnv1a(text: string, seed: number): string {
	let hash = seed;
	for (let index = 0; index < text.length; index += 1) {
		hash ^= text.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16).padStart(8, '0');
}

/** The reference of a notice covering these changes: the same set gives the same text everywhere. */
export function noticeReference(authorId: string, changeIds: ReadonlyArray<string>): string {
	const key = [authorId, ...[...changeIds].sort()].join('\n');
	return `${fnv1a(key, 0x811c9dc5)}${fnv1a(key, 0x01000193)}`;
}

function byChangeTime(a: IPendingNotice, b: IPendingNotice): number {
	if (a.changeAt !== b.changeAt) {
		return a.changeAt < b.changeAt ? -1 : 1;
	}
	if (a.changeId === b.changeId) {
		return 0;
	}
	return a.changeId < b.changeId ? -1 : 1;
}

/**
 * The last change time a notice of an author whose oldest pending change is `oldest` covers:
 * changes made NOTICE_QUIET_MS before the bound falls due. Every run that finds the author due
 * has read all of them (they were made at least NOTICE_QUIET_MS before it read), and none that
 * lands while runs race (those are made after the bound), so racing runs cover the same changes
 * and write the same reference; later changes stay pending for the next notice.
 */
function coverUntil(oldest: IPendingNotice): number {
	return Date.parse(oldest.changeAt) + NOTICE_MAX_DELAY_MS - NOTICE_QUIET_MS;
}

/**
 * The notices due at `now`: one per author whose newest pending change is at least
 * NOTICE_QUIET_MS old, or whose oldest is at least NOTICE_MAX_DELAY_MS old (changes that keep
 * coming never hold a notice back longer), and who was sent no notice in NOTICE_QUIET_MS either
 * (`lastSent`: when each author was last sent one; read after the pending changes, so a run that
 * sees what another run left after posting also sees that it posted). A notice covers the pending
 * changes up to coverUntil (all of them when the author is quiet before the bound), naming at most
 * NOTICE_MAX_FEEDBACK feedback (those pending longest); authors waiting longest first, at most
 * NOTICE_MAX_AUTHORS_PER_RUN. Pending copies of one change count once. Every instance that reads
 * the same pending changes computes the same batches.
 */
export function dueNotices(
	pending: ReadonlyArray<IPendingNotice>,
	lastSent: ReadonlyMap<string, string>,
	now: Date,
): Array<INoticeBatch> {
	const byAuthor = new Map<string, Map<string, IPendingNotice>>();
	for (const notice of pending) {
		const changes = byAuthor.get(notice.authorId) ?? new Map<string, IPendingNotice>();
		const known = changes.get(notice.changeId);
		if (!known || byChangeTime(notice, known) < 0) {
			changes.set(notice.changeId, notice);
		}
		byAuthor.set(notice.authorId, changes);
	}
	const quietSince = now.getTime() - NOTICE_QUIET_MS;
	const boundSince = now.getTime() - NOTICE_MAX_DELAY_MS;
	const batches: Array<{ oldest: IPendingNotice; batch: INoticeBatch }> = [];
	for (const [authorId, changes] of byAuthor) {
		const ordered = [...changes.values()].sort(byChangeTime);
		const [oldest] = ordered;
		const newest = ordered[ordered.length - 1];
		const sent = lastSent.get(authorId);
		const isDue =
			Date.parse(newest.changeAt) <= quietSince || Date.parse(oldest.changeAt) <= boundSince;
		if (!isDue || (sent !== undefined && !(Date.parse(sent) <= quietSince))) {
			continue;
		}
		// Quiet before the bound, the newest is older than coverUntil: every change is covered.
		const until = coverUntil(oldest);
		const coverable = ordered.filter((notice) => Date.parse(notice.changeAt) <= until);
		const feedbackIds = [...new Set(coverable.map((notice) => notice.feedbackId))].slice(
			0,
			NOTICE_MAX_FEEDBACK,
		);
		const covered = coverable.filter((notice) => feedbackIds.includes(notice.feedbackId));
		batches.push({
			oldest,
			batch: {
				authorId,
				feedbackIds,
				covered,
				reference: noticeReference(
					authorId,
					covered.map((notice) => notice.changeId),
				),
			},
		});
	}
	return batches
		.sort((a, b) => byChangeTime(a.oldest, b.oldest))
		.slice(0, NOTICE_MAX_AUTHORS_PER_RUN)
		.map(({ batch }) => batch);
}

/** Of several records of what was told about one feedback, the newest (the same on every instance). */
export function newestTold(records: ReadonlyArray<IToldStatus>): IToldStatus | undefined {
	let newest: IToldStatus | undefined;
	for (const record of records) {
		if (
			!newest ||
			record.changeAt > newest.changeAt ||
			(record.changeAt === newest.changeAt && record.changeId > newest.changeId)
		) {
			newest = record;
		}
	}
	return newest;
}
