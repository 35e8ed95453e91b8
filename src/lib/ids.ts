import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';

// Fixed namespace for contributor keys: the same member always maps to the same key.
const CONTRIBUTOR_NAMESPACE = '6f1c2a8e-3b7d-4f2e-9a51-0c4d8e7b2f10';

/** A new random id (feedback ids, counter shards). Called only at run time: the packager has no npm modules. */
export function newId(): string {
	return uuidv4();
}

/** A stable one-way key for a user, so contributors are counted without storing who they are. */
export function contributorKey(userId: string): string {
	return uuidv5(userId, CONTRIBUTOR_NAMESPACE);
}
