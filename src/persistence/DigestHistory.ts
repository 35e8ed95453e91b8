import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations, RecordScope } from './associations';

/** When the digest's check first saw a configuration (weekday and hour). */
export interface IConfigurationSeen {
	readonly key: string;
	readonly since: string;
}

/** A note that the digest of a slot is in its room. */
interface IPostedSlot {
	readonly slot: string;
}

function parseSeen(value: unknown): IConfigurationSeen | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	return typeof record.key === 'string' &&
		typeof record.since === 'string' &&
		Number.isFinite(Date.parse(record.since))
		? { key: record.key, since: record.since }
		: undefined;
}

function parsePosted(value: unknown): IPostedSlot | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	return typeof record.slot === 'string' ? { slot: record.slot } : undefined;
}

/**
 * What the weekly digest remembers, without any conditional write (the server has none): when
 * the current configuration was first seen (racing checks may each store it; the earliest
 * counts) and which slots are posted. Both are small sets: one configuration, a few slots.
 */
export class DigestHistory {
	constructor(private readonly reader: IPersistenceRead) {}

	/** Every stored sighting, of every configuration. */
	public async sightings(): Promise<Array<IConfigurationSeen>> {
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.DigestConfiguration }),
		);
		return stored.map(parseSeen).filter((seen): seen is IConfigurationSeen => seen !== undefined);
	}

	/** Notes that the check sees this configuration now. */
	public async noteSeen(persistence: IPersistence, key: string, now: Date): Promise<void> {
		const seen: IConfigurationSeen = { key, since: now.toISOString() };
		await persistence.createWithAssociations(seen, this.configuration(key));
	}

	/** Forgets every sighting of a configuration (all its copies). */
	public async forgetConfiguration(persistence: IPersistence, key: string): Promise<void> {
		await persistence.removeByAssociations(this.configuration(key));
	}

	/** Whether the digest of the slot was noted as posted. */
	public async isPosted(slot: Date): Promise<boolean> {
		return (await this.reader.readByAssociations(this.posted(slot.toISOString()))).length > 0;
	}

	/** Notes that the digest of the slot is posted, and forgets the notes of earlier slots. */
	public async notePosted(persistence: IPersistence, slot: Date): Promise<void> {
		const note: IPostedSlot = { slot: slot.toISOString() };
		await persistence.createWithAssociations(note, this.posted(note.slot));
		const stored = await this.reader.readByAssociations(
			buildAssociations({ scope: RecordScope.DigestPosted }),
		);
		const older = new Set(
			stored
				.map(parsePosted)
				.filter((posted): posted is IPostedSlot => posted !== undefined && posted.slot < note.slot)
				.map((posted) => posted.slot),
		);
		await Promise.all(
			[...older].map((earlier) => persistence.removeByAssociations(this.posted(earlier))),
		);
	}

	private configuration(key: string) {
		return buildAssociations({ scope: RecordScope.DigestConfiguration, keys: [`key:${key}`] });
	}

	private posted(slot: string) {
		return buildAssociations({ scope: RecordScope.DigestPosted, keys: [`slot:${slot}`] });
	}
}
