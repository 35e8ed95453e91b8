import { randomBytes, randomInt } from 'crypto';

/** The 3-byte counter wraps here, as bson's `ObjectId.getInc` (`% 0xffffff`). */
const COUNTER_MODULUS = 0xffffff;

/** The parts of an ObjectId's 12 bytes, as a reader of the database can take them apart. */
export interface IObjectIdParts {
	/** Bytes 0-3: seconds since the epoch when the id was drawn. */
	seconds: number;
	/** Bytes 4-8, as 10 hex digits: random, drawn once per process. */
	processUnique: string;
	/** Bytes 9-11: the process's counter, one step per id. */
	counter: number;
}

/**
 * Draws ids as the MongoDB driver's `new ObjectId().toHexString()` (mongodb/js-bson
 * src/objectid.ts `ObjectId.generate`), which Rocket.Chat's `BaseRaw.insertOne` and its upserts
 * give every record without a string `_id` (packages/models/src/models/BaseRaw.ts): 4 bytes of
 * seconds, 5 random bytes drawn once per process, and a 3-byte counter that starts at random and
 * steps by one per id. So an id tells the second it was drawn and, with the others of its
 * process, the order of the inserts.
 */
export class ObjectIdSource {
	private readonly processUnique: Buffer;

	private counter: number;

	/** A fresh source: what a new server process starts with. */
	constructor(processUnique: Buffer = randomBytes(5), counterStart = randomInt(COUNTER_MODULUS)) {
		if (processUnique.length !== 5) {
			throw new Error(`An ObjectId's process part is 5 bytes, got ${processUnique.length}`);
		}
		if (!Number.isInteger(counterStart) || counterStart < 0 || counterStart >= COUNTER_MODULUS) {
			throw new Error(
				`An ObjectId's counter starts in [0, ${COUNTER_MODULUS}), got ${counterStart}`,
			);
		}
		this.processUnique = Buffer.from(processUnique);
		this.counter = counterStart;
	}

	/** The next id, as 24 hex digits, for an insert at `nowMs` (the host's clock). */
	public next(nowMs: number): string {
		const seconds = Math.floor(nowMs / 1000);
		if (!(seconds >= 0 && seconds <= 0xffffffff)) {
			throw new Error(`An ObjectId holds seconds from 1970 to 2106, got ${nowMs} ms`);
		}
		// bson increments before use: the first id carries the start plus one.
		this.counter = (this.counter + 1) % COUNTER_MODULUS;
		const bytes = Buffer.alloc(12);
		bytes.writeUInt32BE(seconds, 0);
		this.processUnique.copy(bytes, 4);
		bytes.writeUIntBE(this.counter, 9, 3);
		return bytes.toString('hex');
	}
}

/** The one source of this process: each host process (each instance of a cluster) has its own. */
export const processObjectIds = new ObjectIdSource();

/** Takes an ObjectId's hex form apart; undefined for anything else (an id of an older host). */
export function objectIdParts(id: string): IObjectIdParts | undefined {
	if (!/^[0-9a-f]{24}$/.test(id)) {
		return undefined;
	}
	const bytes = Buffer.from(id, 'hex');
	return {
		seconds: bytes.readUInt32BE(0),
		processUnique: bytes.subarray(4, 9).toString('hex'),
		counter: bytes.readUIntBE(9, 3),
	};
}
