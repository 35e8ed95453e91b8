// Posting exactly once when nothing is conditional. Rocket.Chat gives apps no unique write: two
// instances (or two copies of one scheduled job) can both post the same message. Each poster reads
// the room back after posting and deletes every copy but one; all of them keep the same copy, the
// earliest (then the smallest id), so whichever reads last leaves exactly one, and an earlier
// reader, which saw fewer copies, never deletes the one that is kept.

/** A message already in a room that may be a copy of a post. */
export interface IPostedCopy {
	readonly id: string;
	/** When the server stored it (a Date, or its ISO text once it crossed the bridge). */
	readonly createdAt: Date | string;
	/**
	 * What the copy stands for, compared before its time (the lowest is kept): posts of racing
	 * versions of one thing (an announcement of each stored copy of a feedback) keep the version
	 * every read keeps, whichever was posted first. Copies without one compare by time only.
	 */
	readonly rank?: string;
}

function timeOf(copy: IPostedCopy): number {
	const time = new Date(copy.createdAt).getTime();
	// A copy without a readable time sorts last: it is never kept over one with a time.
	return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

/** Orders copies as every instance does: the lowest rank, then the earliest, then by id. */
export function compareCopies(a: IPostedCopy, b: IPostedCopy): number {
	const [rankA, rankB] = [a.rank ?? '', b.rank ?? ''];
	if (rankA !== rankB) {
		return rankA < rankB ? -1 : 1;
	}
	const byTime = timeOf(a) - timeOf(b);
	if (byTime !== 0) {
		return byTime;
	}
	if (a.id === b.id) {
		return 0;
	}
	return a.id < b.id ? -1 : 1;
}

/** The copy every instance keeps, or undefined when there is none. */
export function keptCopy<T extends IPostedCopy>(copies: ReadonlyArray<T>): T | undefined {
	return [...copies].sort(compareCopies)[0];
}

/** The copies to delete so that only the kept one remains (each id once). */
export function surplusCopies<T extends IPostedCopy>(copies: ReadonlyArray<T>): T[] {
	const kept = keptCopy(copies);
	const seen = new Set<string>();
	return copies.filter((copy) => {
		if (!kept || copy.id === kept.id || seen.has(copy.id)) {
			return false;
		}
		seen.add(copy.id);
		return true;
	});
}

/** The first line of a message's text: where the app puts what tells one post from another. */
export function headingOf(text: string | undefined): string {
	return (text ?? '').split('\n', 1)[0];
}
