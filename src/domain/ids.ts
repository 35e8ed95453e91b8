// Ids come from `uuid` where the runtime hands it to apps (the Deno runtime's allowed external
// module), else from node's `crypto`, which every runtime allows: both give the same formats.

/** The two functions of uuid 8.3.2 the app uses. */
interface IUuidModule {
	v4(): string;
	v5(name: string, namespace: string): string;
}

/** The part of a node crypto hash the fallback uses. */
interface IHash {
	update(data: Uint8Array | string): IHash;
	digest(): Uint8Array;
}

/** The part of node's crypto module the fallback uses. */
interface ICryptoModule {
	randomBytes(size: number): Uint8Array;
	createHash(algorithm: 'sha1'): IHash;
}

/** Where the app's ids come from. */
export type IdSource = 'uuid' | 'crypto';

interface IIdFunctions {
	readonly source: IdSource;
	v4(): string;
	v5(name: string, namespace: string): string;
}

// The app runtime's require (the packager's sandbox returns undefined; the Deno runtime throws
// for a module it cannot give): typed here because the app compiles without node's types.
declare const require: (name: string) => unknown;

// One namespace per use of a form id: a name-based uuid is a one-way hash of the form id in its
// own domain, so what is stored under the member (the open form's key) does not give the
// feedback's id, and neither gives the form id back.
const PENDING_FORM_NAMESPACE = '0b8e6f3a-5c21-4d7e-8a94-2f6c1d3e9b57';
const FORM_FEEDBACK_NAMESPACE = 'c4a7e2d9-1f3b-4e68-b5d0-7a9c3e1f6b28';
// Fixed namespace for the digest that tells racing copies of one feedback apart.
const COPY_DIGEST_NAMESPACE = '9d3f5b71-2e4a-4c86-a0f1-6b8e2d7c4a95';
// Fixed namespace of ids every instance derives alike for one follow-up of a stored record.
const FOLLOW_UP_NAMESPACE = '5e2c8a47-9b13-4f6d-8c21-3a7e9d5b1f04';
// The two rounds of the keyed digest that names an anonymous survey answer (surveyAnswerKey).
const KEYED_INNER_NAMESPACE = 'a3d95c1e-6f27-4b80-9e4a-1c7f2b5d8e63';
const KEYED_OUTER_NAMESPACE = 'e81f4b2c-9a5d-4e37-b6c0-5d2a8f1e7c94';
// The survey a survey form creates, and the admin events its buttons store.
const SURVEY_FORM_NAMESPACE = '3f9a6c2e-8d41-4b7a-95e0-c2d7a1f48b36';

let chosen: IIdFunctions | undefined;

function tryLoad(load: () => unknown): unknown {
	try {
		return load();
	} catch {
		return undefined;
	}
}

function isUuidModule(value: unknown): value is IUuidModule {
	const module = value as Partial<IUuidModule> | undefined;
	return typeof module?.v4 === 'function' && typeof module.v5 === 'function';
}

function isCryptoModule(value: unknown): value is ICryptoModule {
	const module = value as Partial<ICryptoModule> | undefined;
	return typeof module?.randomBytes === 'function' && typeof module.createHash === 'function';
}

/** Formats 16 bytes as a uuid, stamping its version and the RFC 4122 variant. */
export function formatUuid(bytes: Uint8Array, version: 4 | 5): string {
	const stamped = Uint8Array.from(bytes.subarray(0, 16));
	stamped[6] = (stamped[6] & 0x0f) | (version << 4);
	stamped[8] = (stamped[8] & 0x3f) | 0x80;
	const hex = Array.from(stamped, (byte) => byte.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function uuidBytes(uuid: string): Uint8Array {
	const hex = uuid.replace(/-/g, '');
	return Uint8Array.from({ length: 16 }, (_, index) =>
		Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16),
	);
}

/** Random (v4) and name-based (v5, SHA-1, RFC 4122) uuids from node's crypto module. */
export function cryptoIds(crypto: ICryptoModule): IIdFunctions {
	return {
		source: 'crypto',
		v4: () => formatUuid(crypto.randomBytes(16), 4),
		v5: (name, namespace) => {
			const digest = crypto.createHash('sha1').update(uuidBytes(namespace)).update(name).digest();
			return formatUuid(digest, 5);
		},
	};
}

/** The id functions of this runtime, chosen on first use (never while the packager loads the app). */
function ids(): IIdFunctions {
	if (chosen) {
		return chosen;
	}
	const uuid = tryLoad(() => require('uuid'));
	if (isUuidModule(uuid)) {
		chosen = { source: 'uuid', v4: () => uuid.v4(), v5: (name, ns) => uuid.v5(name, ns) };
		return chosen;
	}
	const crypto = tryLoad(() => require('crypto'));
	if (isCryptoModule(crypto)) {
		chosen = cryptoIds(crypto);
		return chosen;
	}
	throw new Error('Neither uuid nor crypto is available to the app: no id can be drawn');
}

/** Which module gives this runtime's ids. */
export function idSource(): IdSource {
	return ids().source;
}

/** A new random id (feedback ids, counter shards). Called only at run time: the packager has no npm modules. */
export function newId(): string {
	return ids().v4();
}

/** The key an open form is kept under with its member: a one-way hash of the form id, never the id. */
export function pendingFormKey(formId: string): string {
	return ids().v5(formId, PENDING_FORM_NAMESPACE);
}

/**
 * The id of the feedback a form stores: a one-way hash of the form id in another domain than the
 * open form's key, so every instance submitting the form derives the same id (submit-once) while
 * the member's records, which hold only the open form's key, do not lead to it.
 */
export function feedbackIdOfForm(formId: string): string {
	return ids().v5(formId, FORM_FEEDBACK_NAMESPACE);
}

/** A short one-way digest of a stored copy's content: racing copies of one feedback differ in it. */
export function copyDigest(content: string): string {
	return ids().v5(content, COPY_DIGEST_NAMESPACE).slice(0, 8);
}

/** The id of a follow-up of a stored record (e.g. the status change that settles a lost merge): the same on every instance. */
export function followUpId(kind: string, recordId: string): string {
	return ids().v5(`${kind}:${recordId}`, FOLLOW_UP_NAMESPACE);
}

/**
 * A keyed one-way digest: a hash of the key and of the hash of the key and the text (nested, so no
 * digest can be extended into another). Without the key, digests of known texts cannot be computed.
 */
export function keyedDigest(key: string, text: string): string {
	const inner = ids().v5(`${key}\u0000${text}`, KEYED_INNER_NAMESPACE);
	return ids().v5(`${key}\u0000${inner}`, KEYED_OUTER_NAMESPACE);
}

/**
 * The id of the survey a survey form creates: a one-way hash of the form's id, so a submit
 * delivered twice, or on two instances, creates the one survey (reads keep one per id).
 */
export function surveyIdOfForm(formId: string): string {
	return ids().v5(formId, SURVEY_FORM_NAMESPACE);
}
