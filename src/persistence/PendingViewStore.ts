import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { distinctBy } from './distinct';

/** What a submit needs from the command that opened the form: the platform does not pass the room on submit. */
export interface IPendingView {
	readonly viewId: string;
	readonly roomId: string;
	readonly threadId: string | null;
	readonly openedAt: string;
}

function parsePendingView(value: unknown): IPendingView | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	if (typeof record.viewId !== 'string' || typeof record.roomId !== 'string') {
		return undefined;
	}
	return {
		viewId: record.viewId,
		roomId: record.roomId,
		threadId: typeof record.threadId === 'string' ? record.threadId : null,
		openedAt: typeof record.openedAt === 'string' ? record.openedAt : '',
	};
}

/** How many open forms a member keeps; opening another forgets the oldest. */
export const MAX_PENDING_PER_MEMBER = 5;

function distinctViews(values: ReadonlyArray<unknown>): Array<IPendingView> {
	return distinctBy(values, parsePendingView, (item) => item.viewId);
}

/**
 * Open feedback forms, kept in persistence because the submit may reach another instance.
 * Keyed by user too, so a view id alone never reveals or accepts another member's form.
 */
export class PendingViewStore {
	constructor(private readonly reader: IPersistenceRead) {}

	/**
	 * Remembers the form a user just opened, forgetting their oldest ones beyond `keep`:
	 * forms opened and abandoned must not pile up.
	 */
	public async save(
		persistence: IPersistence,
		userId: string,
		view: IPendingView,
		keep = MAX_PENDING_PER_MEMBER,
	): Promise<void> {
		const open = await this.listForUser(userId);
		const surplus = open.slice(0, Math.max(0, open.length - (keep - 1)));
		for (const old of surplus) {
			await this.remove(persistence, userId, old.viewId);
		}
		await persistence.createWithAssociations(view, this.associations(userId, view.viewId));
	}

	/** The forms a user has open, oldest first. */
	public async listForUser(userId: string): Promise<Array<IPendingView>> {
		const found = await this.reader.readByAssociations(
			buildAssociations({ userId, scope: RecordScope.PendingView }),
		);
		return distinctViews(found).sort((a, b) => (a.openedAt < b.openedAt ? -1 : 1));
	}

	/** Forgets every form opened before `cutoff`, whoever opened it; returns how many. */
	public async purgeOpenedBefore(persistence: IPersistence, cutoff: Date): Promise<number> {
		const found = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.PendingView }),
		);
		const old = distinctViews(found).filter((view) => view.openedAt < cutoff.toISOString());
		for (const view of old) {
			// Without the USER association: the stored data does not name its member.
			await persistence.removeByAssociations(
				buildAssociations({ scope: RecordScope.PendingView, keys: [view.viewId] }),
			);
		}
		return old.length;
	}

	/** The form this user has open under this view id, if any. */
	public async find(userId: string, viewId: string): Promise<IPendingView | undefined> {
		const found = await this.reader.readByAssociations(this.associations(userId, viewId));
		return found.map(parsePendingView).find((view) => view !== undefined);
	}

	/** Forgets the form (every copy of it). */
	public async remove(persistence: IPersistence, userId: string, viewId: string): Promise<void> {
		await persistence.removeByAssociations(this.associations(userId, viewId));
	}

	private associations(userId: string, viewId: string) {
		return buildAssociations({ userId, scope: RecordScope.PendingView, keys: [viewId] });
	}
}
