import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';
import { distinctBy } from './distinct';

/**
 * What a submit needs from the command that opened the form: the platform does not pass the room
 * on submit. Kept under the member and the form's key (domain/ids.ts pendingFormKey), a one-way
 * hash of the form id: neither the form id nor the feedback id it leads to is stored with them.
 */
export interface IPendingView {
	readonly formKey: string;
	readonly roomId: string;
	readonly threadId: string | null;
	readonly openedAt: string;
}

function parsePendingView(value: unknown): IPendingView | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	// A form of an earlier version was kept under its view id, which serves as its key to forget it.
	const formKey = typeof record.formKey === 'string' ? record.formKey : record.viewId;
	if (typeof formKey !== 'string' || typeof record.roomId !== 'string') {
		return undefined;
	}
	return {
		formKey,
		roomId: record.roomId,
		threadId: typeof record.threadId === 'string' ? record.threadId : null,
		openedAt: typeof record.openedAt === 'string' ? record.openedAt : '',
	};
}

/** How many open forms a member keeps; opening another forgets the oldest. */
export const MAX_PENDING_PER_MEMBER = 5;

function distinctViews(values: ReadonlyArray<unknown>): Array<IPendingView> {
	return distinctBy(values, parsePendingView, (item) => item.formKey);
}

/**
 * Open feedback forms, kept in persistence because the submit may reach another instance.
 * Keyed by user too, so a form's key alone never reveals or accepts another member's form.
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
			await this.remove(persistence, userId, old.formKey);
		}
		await persistence.createWithAssociations(view, this.associations(userId, view.formKey));
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
				buildAssociations({ scope: RecordScope.PendingView, keys: [view.formKey] }),
			);
		}
		return old.length;
	}

	/** The form this user has open under this key, if any. */
	public async find(userId: string, formKey: string): Promise<IPendingView | undefined> {
		const found = await this.reader.readByAssociations(this.associations(userId, formKey));
		return found.map(parsePendingView).find((view) => view !== undefined);
	}

	/** Forgets the form (every copy of it). */
	public async remove(persistence: IPersistence, userId: string, formKey: string): Promise<void> {
		await persistence.removeByAssociations(this.associations(userId, formKey));
	}

	private associations(userId: string, formKey: string) {
		return buildAssociations({ userId, scope: RecordScope.PendingView, keys: [formKey] });
	}
}
