import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';

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

/**
 * Open feedback forms, kept in persistence because the submit may reach another instance.
 * Keyed by user too, so a view id alone never reveals or accepts another member's form.
 */
export class PendingViewStore {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Remembers the form a user just opened. */
	public async save(persistence: IPersistence, userId: string, view: IPendingView): Promise<void> {
		await persistence.createWithAssociations(view, this.associations(userId, view.viewId));
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
