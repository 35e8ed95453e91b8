// Text as people see it: user-perceived characters (grapheme clusters), and whether anything
// visible is there at all.

/** The part of Intl.Segmenter the app uses (the app compiles against ES2020's types). */
interface IGraphemeSegmenter {
	segment(text: string): Iterable<{ segment: string }>;
}

interface ISegmenterConstructor {
	new (locale: string | undefined, options: { granularity: 'grapheme' }): IGraphemeSegmenter;
}

const { Segmenter } = Intl as unknown as { Segmenter?: ISegmenterConstructor };
const segmenter = Segmenter ? new Segmenter(undefined, { granularity: 'grapheme' }) : undefined;

/** The user-perceived characters of a text: a family emoji or a flag is one each. */
export function graphemes(text: string): Array<string> {
	if (!segmenter) {
		// No ICU segmentation in this runtime: code points are the closest safe unit.
		return [...text];
	}
	return Array.from(segmenter.segment(text), (part) => part.segment);
}

/** Characters as a person counts them (an emoji is one), not UTF-16 units. */
export function characterCount(text: string): number {
	return graphemes(text).length;
}

/**
 * Characters that show nothing on their own: white space, format and control characters
 * (zero-width space and joiners, word joiner, bidi marks...), combining marks, and the blank
 * letters and symbols people use to post "empty" text (Hangul fillers, Braille blank).
 */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Z}\p{M}\u115F\u1160\u180E\u2800\u3164\uFFA0]/gu;

/** Whether a text has at least one character that shows. */
export function hasVisibleCharacter(text: string): boolean {
	return text.replace(INVISIBLE, '').length > 0;
}

/** The text cut to at most `max` user-perceived characters, with … when it was cut. */
export function cutToLength(text: string, max: number): string {
	const characters = graphemes(text);
	if (characters.length <= max) {
		return text;
	}
	return `${characters
		.slice(0, Math.max(0, max - 1))
		.join('')
		.trimEnd()}…`;
}

/** What marks a cut text. */
export const ELLIPSIS = '…';

/** A text's size as Rocket.Chat counts a message's: UTF-16 code units (`msg.length`). */
export function utf16Units(text: string): number {
	return text.length;
}

/**
 * The text cut, on a boundary between user-perceived characters, so that it and the ellipsis
 * measure at most `maxUnits` (by `unitsOf`, UTF-16 units unless told: a character that grows
 * when it is shown safely is measured as shown). Unchanged when it fits; empty when not even the
 * ellipsis fits. A family emoji or a flag is kept whole or left out whole, never split.
 */
export function cutToUnits(
	text: string,
	maxUnits: number,
	unitsOf: (part: string) => number = utf16Units,
): string {
	if (unitsOf(text) <= maxUnits) {
		return text;
	}
	const room = maxUnits - unitsOf(ELLIPSIS);
	if (room < 0) {
		return '';
	}
	let kept = '';
	let used = 0;
	for (const character of graphemes(text)) {
		used += unitsOf(character);
		if (used > room) {
			break;
		}
		kept += character;
	}
	return `${kept.trimEnd()}${ELLIPSIS}`;
}

/** Texts in UTF-16 code-unit order: the same on every instance, whatever its locale. */
export function compareCodeUnits(a: string, b: string): number {
	if (a === b) {
		return 0;
	}
	return a < b ? -1 : 1;
}
