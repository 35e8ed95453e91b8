import { randomInt } from 'crypto';

/** The alphabet of Rocket.Chat's `Random.id()` (@rocket.chat/random). */
const ID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

/** An id as Rocket.Chat's `Random.id()` draws it: 17 characters of its alphabet. */
export function randomId(): string {
	let id = '';
	for (let index = 0; index < 17; index++) {
		id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
	}
	return id;
}
