// Messages the server takes. Every message an app posts goes through executeSendMessage
// (apps/meteor/app/apps/server/bridges/messages.ts `create` →
// apps/meteor/app/lib/server/methods/sendMessage.ts), which refuses a text longer than the
// setting Message_MaxAllowedSize, counted as JavaScript counts it: UTF-16 code units, so a family
// emoji is 11 and a flag 4. Only the text (`msg`) is counted, not attachments or blocks; edits
// (functions/updateMessage.ts) and ephemeral messages (notifyUser) are not checked at all.
// The app counts what people type as they see it, so what it posts from their texts is cut here
// to the server's count.

/** The server's default Message_MaxAllowedSize (apps/meteor/server/settings/message.ts). */
export const DEFAULT_MESSAGE_MAX_SIZE = 5000;

/** The fewest UTF-16 units a cut text of a person takes in a message: `…` in inline code. */
export const SMALLEST_CUT_QUOTE = 3;

/**
 * Builds a message whose people's texts in tier `i` are each at most `caps[i]` UTF-16 units
 * (Infinity: whole). The longer a cap, the longer (or as long) the message.
 */
export type CappedMessage = (caps: ReadonlyArray<number>) => string;

/** The message cannot fit the server's limit even with every text of a person cut to its least. */
export class MessageTooLongError extends Error {
	constructor(
		public readonly maxSize: number,
		public readonly smallest: number,
	) {
		super(
			`the server's Message_MaxAllowedSize is ${maxSize}, and this message needs ${smallest} ` +
				'UTF-16 units even with every text people typed cut to "…": raise Message_MaxAllowedSize',
		);
		this.name = 'MessageTooLongError';
	}
}

/**
 * The message with its people's texts cut as little as needed to be at most `maxSize` UTF-16
 * units. Tiers are cut in order: all texts of a tier down to one common cap, the largest that fits
 * (the longest lose most, shorter ones stay whole), the next tier only when the one before at its
 * least is not enough. Throws MessageTooLongError when even all of them at their least do not fit.
 */
export function fitMessage(maxSize: number, tiers: number, build: CappedMessage): string {
	const caps: number[] = new Array<number>(tiers).fill(Number.POSITIVE_INFINITY);
	let message = build(caps);
	for (let tier = 0; tier < tiers && message.length > maxSize; tier += 1) {
		// A cap of the whole message's length cuts nothing in it, so it does not fit either.
		let tooLong = message.length;
		let fits = SMALLEST_CUT_QUOTE;
		caps[tier] = fits;
		message = build(caps);
		if (message.length > maxSize) {
			continue;
		}
		while (tooLong - fits > 1) {
			const middle = Math.floor((fits + tooLong) / 2);
			caps[tier] = middle;
			if (build(caps).length <= maxSize) {
				fits = middle;
			} else {
				tooLong = middle;
			}
		}
		caps[tier] = fits;
		message = build(caps);
	}
	if (message.length > maxSize) {
		throw new MessageTooLongError(maxSize, message.length);
	}
	return message;
}
