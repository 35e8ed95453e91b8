// An anonymous answer's value and comment, sealed with the survey secret (docs/surveys.md,
// "Sealed answers"). Rocket.Chat stamps every record it stores with the moment it was written
// (`_updatedAt`, and the ObjectId's seconds: packages/models/src/models/BaseRaw.ts insertOne), so
// the answer a submit writes sits beside that member's participation mark in time; sealed, it says
// nothing to a reader of the database who does not also hold the server's environment.

/** What a sealed answer holds. */
export interface IAnswerContent {
	readonly value: number;
	readonly comment: string;
}

/** The part of a node cipher the seal uses (node's `crypto`, which every app runtime allows). */
interface ICipher {
	update(data: string, input: 'utf8', output: 'base64'): string;
	final(output: 'base64'): string;
	getAuthTag(): Uint8Array;
}

interface IDecipher {
	update(data: string, input: 'base64', output: 'utf8'): string;
	final(output: 'utf8'): string;
	setAuthTag(tag: Uint8Array): void;
}

interface IHash {
	update(data: string): IHash;
	digest(): Uint8Array;
}

interface ISealCrypto {
	randomBytes(size: number): Uint8Array;
	createHash(algorithm: 'sha256'): IHash;
	createCipheriv(algorithm: 'aes-256-gcm', key: Uint8Array, iv: Uint8Array): ICipher;
	createDecipheriv(algorithm: 'aes-256-gcm', key: Uint8Array, iv: Uint8Array): IDecipher;
}

// Typed here because the app compiles without node's types.
declare const require: (name: string) => unknown;

/** The seal's format and algorithm, named first so a later one can be told apart. */
const SEAL_VERSION = 's1';

/**
 * Sealed contents are padded to a multiple of this many bytes: the record's length must not tell
 * a long comment from a short one, or a reader could match it with a comment the results show.
 */
export const SEAL_PADDING_BYTES = 4096;

let loaded: ISealCrypto | undefined;

function sealCrypto(): ISealCrypto {
	if (!loaded) {
		const module = require('crypto') as Partial<ISealCrypto> | undefined;
		if (typeof module?.createCipheriv !== 'function') {
			throw new Error('node crypto is not available to the app: answers cannot be sealed');
		}
		loaded = module as ISealCrypto;
	}
	return loaded;
}

function hexOf(bytes: Uint8Array): string {
	return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function bytesOf(hex: string): Uint8Array {
	return Uint8Array.from({ length: hex.length / 2 }, (_, index) =>
		Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16),
	);
}

/** How many bytes a text takes in UTF-8. */
export function utf8Length(text: string): number {
	let bytes = 0;
	for (const character of text) {
		const code = character.codePointAt(0) ?? 0;
		bytes += 1 + Number(code >= 0x80) + Number(code >= 0x800) + Number(code >= 0x10000);
	}
	return bytes;
}

/** The key of the seal: the secret hashed in the seal's own domain (not the answer keys' digest). */
function sealKey(secret: string): Uint8Array {
	return sealCrypto().createHash('sha256').update(`survey-answer-seal\u0000${secret}`).digest();
}

/** Seals an answer's content: AES-256-GCM with a fresh IV, padded to SEAL_PADDING_BYTES. */
export function sealAnswer(secret: string, content: IAnswerContent): string {
	const crypto = sealCrypto();
	const json = JSON.stringify({ v: content.value, c: content.comment });
	const length = utf8Length(json);
	const padded =
		json + ' '.repeat(Math.ceil(length / SEAL_PADDING_BYTES) * SEAL_PADDING_BYTES - length);
	const iv = crypto.randomBytes(12);
	const cipher = crypto.createCipheriv('aes-256-gcm', sealKey(secret), iv);
	const sealed = cipher.update(padded, 'utf8', 'base64') + cipher.final('base64');
	return `${SEAL_VERSION}.${hexOf(iv)}.${hexOf(cipher.getAuthTag())}.${sealed}`;
}

/** An answer's content from its seal, or undefined when this secret did not seal it (or it was altered). */
export function openAnswer(secret: string, sealed: string): IAnswerContent | undefined {
	const [version, iv, tag, body, ...rest] = sealed.split('.');
	if (
		version !== SEAL_VERSION ||
		rest.length > 0 ||
		!/^[0-9a-f]{24}$/.test(iv ?? '') ||
		!/^[0-9a-f]{32}$/.test(tag ?? '') ||
		!body
	) {
		return undefined;
	}
	try {
		const decipher = sealCrypto().createDecipheriv('aes-256-gcm', sealKey(secret), bytesOf(iv));
		decipher.setAuthTag(bytesOf(tag));
		const text = decipher.update(body, 'base64', 'utf8') + decipher.final('utf8');
		const { v, c } = JSON.parse(text) as { v?: unknown; c?: unknown };
		return typeof v === 'number' && typeof c === 'string' ? { value: v, comment: c } : undefined;
	} catch {
		// A wrong secret fails the tag: the answer cannot be read, never read wrongly.
		return undefined;
	}
}
