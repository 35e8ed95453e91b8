import type { FeedbackRepository, IDeletionNote } from './FeedbackRepository';
import { HOUR_MS } from '../domain/days';
import {
	hourOf,
	hoursAfter,
	lastClosedHour,
	latestWritableHour,
	startOfHourKey,
} from '../domain/periods';

/**
 * Deletions a total took in from notes filed by the hour of the deletion, by that hour: kept
 * only while a later call may read the same note again, so the stored total stays bounded.
 */
export type RecentDeletions = Map<string, string>;

/** The deletion notes a total reads on one call. */
export interface IDeletionWindow {
	/** Notes of earlier versions: no more are written, so they are read whole. */
	readonly legacy: ReadonlyArray<IDeletionNote>;
	/** Notes of the hours after the total's `notesReach`, the open hours included. */
	readonly recent: ReadonlyArray<IDeletionNote>;
	/** Every note of an hour up to this one was read by this call: later calls start after it. */
	readonly nextReach: string;
}

/**
 * The notes to check on this call: of every hour after `notesReach` up to the latest a clock
 * inside the grace could write in (read by their days: one or two reads), or every note filed by
 * the hour when the total never read them by the hour. An hour's notes are all written once it
 * is closed, so the next call starts after the last closed hour and no note is read by every
 * call for ever.
 */
export async function readDeletionWindow(
	feedback: FeedbackRepository,
	notesReach: string | undefined,
	now: Date,
): Promise<IDeletionWindow> {
	const latest = latestWritableHour(now);
	const closed = lastClosedHour(now);
	const after = notesReach ?? '';
	const days = new Set(hoursAfter(notesReach ?? latest, latest).map((hour) => hour.slice(0, 10)));
	const [legacy, recent] = await Promise.all([
		feedback.legacyNotes(),
		notesReach === undefined
			? feedback.notesDeletedByHour()
			: Promise.all([...days].map((day) => feedback.notesDeletedOn(day))),
	]);
	const inWindow = (note: IDeletionNote) =>
		(note.deletedHour ?? '') > after && (note.deletedHour ?? '') <= latest;
	return {
		legacy,
		recent: recent.flat().filter(inWindow),
		nextReach: notesReach !== undefined && notesReach > closed ? notesReach : closed,
	};
}

/**
 * Whether a later call reads a note of this deletion hour again, so a total must remember that
 * it took it in: while its hour is after the reach of notes (`keepFor` longer when late writes of
 * that feedback may still be folded, as a status change racing its delete). Notes of earlier
 * versions are read by every call.
 */
export function isReadAgain(
	deletedHour: string | undefined,
	nextReach: string,
	keepFor = 0,
): boolean {
	const start = startOfHourKey(nextReach);
	if (deletedHour === undefined || !Number.isFinite(start)) {
		return true;
	}
	const limit = hourOf(new Date(start - keepFor).toISOString());
	return deletedHour > limit;
}

/**
 * Remembers a deletion taken in until the latest hour of its notes: two deletes of one feedback
 * racing write two notes, maybe in two hours, and the later must not take it out again.
 */
export function rememberDeletion(recent: RecentDeletions, id: string, deletedHour: string): void {
	const known = recent.get(id);
	if (known === undefined || deletedHour > known) {
		recent.set(id, deletedHour);
	}
}

/** Drops the deletions no later call reads again. */
export function pruneRecent(recent: RecentDeletions, nextReach: string, keepFor = 0): void {
	for (const [id, hour] of recent) {
		if (!isReadAgain(hour, nextReach, keepFor)) {
			recent.delete(id);
		}
	}
}

/** Parses the stored recent deletions ([id, hour] pairs); malformed pairs are skipped. */
export function parseRecent(value: unknown): RecentDeletions {
	const recent: RecentDeletions = new Map();
	if (Array.isArray(value)) {
		for (const pair of value as ReadonlyArray<unknown>) {
			if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string') {
				recent.set(pair[0], pair[1]);
			}
		}
	}
	return recent;
}

/** How long a status total keeps a deletion after its hour: a status change racing the delete lands within it. */
export const STATUS_DELETION_KEPT_MS = 24 * HOUR_MS;
