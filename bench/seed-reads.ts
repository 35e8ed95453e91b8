// The app's reads while seeding, answered from what the seeding wrote when it can tell the
// answer: the seeding is the only writer of its store, so a read answers the same until a write
// could change it. The app reads a member's contributor mark before and after each of their named
// feedback (ContributorMarks.mark), twice per feedback: 1.7 million reads at 1M that each walk
// the bridge's index, for an answer that changes once per member.
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/** A key of one association, as the bridge keys it. */
function keyOf(association: RocketChatAssociationRecord): string {
	return JSON.stringify([association.getModel(), association.getID()]);
}

/**
 * Remembered answers of `readByAssociations`. A write of a record under associations W can only
 * change the answer of a read of associations R ⊆ W (the bridge returns the records holding at
 * least R), so such answers are forgotten; anything else written forgets them all.
 */
export class SeedReadCache {
	private readonly answers = new Map<string, { keys: ReadonlyArray<string>; records: object[] }>();

	/** The remembered reads by each of their associations. */
	private readonly byAssociation = new Map<string, Set<string>>();

	/** Hits and misses, for the seeding's breakdown. */
	public hits = 0;

	/** The answer remembered for these associations, if any (a copy of the list). */
	public get(associations: ReadonlyArray<RocketChatAssociationRecord>): object[] | undefined {
		const answer = this.answers.get(JSON.stringify(associations.map(keyOf)));
		if (answer) {
			this.hits += 1;
		}
		return answer && [...answer.records];
	}

	/** Remembers the answer of a read. */
	public remember(
		associations: ReadonlyArray<RocketChatAssociationRecord>,
		records: object[],
	): void {
		const keys = associations.map(keyOf);
		const read = JSON.stringify(keys);
		this.answers.set(read, { keys, records: [...records] });
		for (const key of keys) {
			const reads = this.byAssociation.get(key) ?? new Set<string>();
			reads.add(read);
			this.byAssociation.set(key, reads);
		}
	}

	/** Forgets the answers a record written under these associations could change. */
	public written(associations: ReadonlyArray<RocketChatAssociationRecord>): void {
		const written = new Set(associations.map(keyOf));
		for (const key of written) {
			for (const read of this.byAssociation.get(key) ?? []) {
				const answer = this.answers.get(read);
				if (answer?.keys.every((readKey) => written.has(readKey))) {
					this.forget(read);
				}
			}
		}
	}

	/** Forgets every answer (a removal, which this cache does not follow). */
	public clear(): void {
		this.answers.clear();
		this.byAssociation.clear();
	}

	private forget(read: string): void {
		const answer = this.answers.get(read);
		this.answers.delete(read);
		for (const key of answer?.keys ?? []) {
			this.byAssociation.get(key)?.delete(read);
		}
	}
}
