import type { FeedbackRepository } from './FeedbackRepository';
import type { FollowStore } from './FollowStore';
import type { MergeLog } from './MergeLog';
import type { StatusLog } from './StatusLog';
import type { VoteStore } from './VoteStore';
import { engagementOfEntries, voteCountsByRoot } from './adminEngagement';
import type { IAdminViewState } from '../domain/actions';
import type { EntryEngagement, IMergeRecord } from '../domain/merges';
import type { IFeedbackRecord } from '../domain/record';
import { FeedbackStatus } from '../domain/status';

/** One entry of an admin page: the feedback, its status and who stands behind it. */
export interface IAdminPageEntry {
	readonly record: IFeedbackRecord;
	readonly status: FeedbackStatus;
	readonly engagement: EntryEngagement;
}

/** A page of the admin view: entries with their status, and whether another page follows. */
export interface IAdminPage {
	readonly entries: ReadonlyArray<IAdminPageEntry>;
	readonly hasNextPage: boolean;
}

/** The stores an admin page reads. */
export interface IAdminPageStores {
	readonly feedback: FeedbackRepository;
	readonly statuses: StatusLog;
	readonly votes: VoteStore;
	readonly follows: FollowStore;
	readonly merges: MergeLog;
}

interface IMatch {
	readonly record: IFeedbackRecord;
	/** Exact when the view filters by status; else `new` until the page's statuses are read. */
	readonly status: FeedbackStatus;
}

function matches(state: IAdminViewState, record: IFeedbackRecord, status: FeedbackStatus): boolean {
	return (
		(state.category === null || record.category === state.category) &&
		(state.status === null || status === state.status)
	);
}

/**
 * Everyone's feedback newest first, filtered, until `wanted` entries (leaving out `skip`) are
 * found. Feedback is read newest first (the newest hours of a day filed by the hour alone, then
 * the rest of the day), so an unfiltered page costs what the admin's list costs, on a busy day
 * too; a status filter reads, with each day's feedback, the changes of the feedback created that
 * day (every change of every day before the changes were filed so).
 */
async function newestMatching(
	stores: IAdminPageStores,
	state: IAdminViewState,
	wanted: number,
	now: Date,
	skip: ReadonlySet<string>,
): Promise<Array<IMatch>> {
	const { feedback, statuses } = stores;
	const byDay = state.status !== null && (await statuses.isFiledByCreation());
	const statusOfAll = state.status !== null && !byDay ? await statuses.statusOfAll() : undefined;
	const statusOfDays = new Map<string, Promise<Map<string, FeedbackStatus>>>();
	const statusOfDay = (day: string): Promise<Map<string, FeedbackStatus> | undefined> => {
		if (!byDay) {
			return Promise.resolve(statusOfAll);
		}
		const known = statusOfDays.get(day) ?? statuses.statusesOfCreatedDay(day);
		statusOfDays.set(day, known);
		return known;
	};
	const matching: Array<IMatch> = [];
	if (wanted <= 0) {
		return matching;
	}
	for await (const chunk of feedback.newestFirst(now)) {
		const statusOf = await statusOfDay(chunk.day);
		for (const record of chunk.records) {
			const status = statusOf?.get(record.id) ?? FeedbackStatus.New;
			if (!skip.has(record.id) && matches(state, record, status)) {
				matching.push({ record, status });
			}
		}
		// Before the next chunk is read.
		if (matching.length >= wanted) {
			break;
		}
	}
	return matching;
}

/**
 * The entries with votes, most votes first (ties newest first), filtered. It reads every stored
 * vote (one read of the whole set, O(stored votes) per page view: at 1M votes that is the cost of
 * this order), then each voted feedback and its status.
 */
async function mostVoted(
	stores: IAdminPageStores,
	state: IAdminViewState,
	held: ReadonlyMap<string, IMergeRecord>,
): Promise<{ readonly voted: Array<IMatch>; readonly votedIds: ReadonlySet<string> }> {
	const counts = voteCountsByRoot(await stores.votes.all(), held);
	const ids = [...counts.keys()];
	const [records, statusOf] = await Promise.all([
		Promise.all(ids.map((id) => stores.feedback.find(id))),
		stores.statuses.statusesOf(ids),
	]);
	const voted = records
		.filter((record): record is IFeedbackRecord => record !== undefined)
		.map((record) => ({ record, status: statusOf.get(record.id) ?? FeedbackStatus.New }))
		.filter(({ record, status }) => matches(state, record, status))
		.sort(
			(a, b) =>
				(counts.get(b.record.id) ?? 0) - (counts.get(a.record.id) ?? 0) ||
				(a.record.createdAt !== b.record.createdAt
					? b.record.createdAt.localeCompare(a.record.createdAt)
					: a.record.id.localeCompare(b.record.id)),
		);
	return { voted, votedIds: new Set(ids) };
}

/**
 * A page of everyone's feedback, filtered by category and status, newest first or most votes
 * first. Newest first reads no vote beyond the page's entries'; most votes first puts the voted
 * entries first, then the others newest first.
 */
export async function adminPage(
	stores: IAdminPageStores,
	state: IAdminViewState,
	size: number,
	now: Date,
): Promise<IAdminPage> {
	const held = await stores.merges.held();
	const wanted = state.page * size + 1;
	const { voted, votedIds } =
		state.sort === 'votes'
			? await mostVoted(stores, state, held)
			: { voted: [], votedIds: new Set<string>() };
	const matching = [
		...voted,
		...(await newestMatching(stores, state, wanted - voted.length, now, votedIds)),
	];
	const shown = matching.slice((state.page - 1) * size, state.page * size);
	const hasNextPage = matching.length > state.page * size;
	// Unfiltered by status, the statuses of the page's entries only are read.
	const known =
		state.status === null
			? await stores.statuses.statusesOf(shown.map(({ record }) => record.id))
			: undefined;
	const engagement = await engagementOfEntries(
		stores,
		shown.map(({ record }) => record),
		held,
	);
	return {
		entries: shown.map(({ record, status }) => ({
			record,
			status: known ? (known.get(record.id) ?? FeedbackStatus.New) : status,
			engagement: engagement.get(record.id) ?? { kind: 'counted', votes: 0, followers: 0 },
		})),
		hasNextPage,
	};
}
