import type { IOpenView } from '../client/session-state';
import { viewFields } from '../client/view-fields';

/** A line the terminal host cannot read; the message says what is wrong. */
export class InputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InputError';
	}
}

/** Elements whose value is a list of the option values (the others with options take one). */
const MULTI_CHOICE_ELEMENTS = ['checkbox', 'multi_static_select'];

/** The index of the quote closing the one at `start` (a backslash escapes it), or -1. */
function closingQuote(text: string, start: number): number {
	const quote = text[start];
	for (let index = start + 1; index < text.length; index++) {
		if (text[index] === '\\' && text[index + 1] === quote) {
			index++;
		} else if (text[index] === quote) {
			return index;
		}
	}
	return -1;
}

/** The index just after the JSON array or object opening at `start`, or -1 when it never closes. */
function jsonEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let index = start; index < text.length; index++) {
		const character = text[index];
		if (inString) {
			if (character === '\\') {
				index++;
			} else if (character === '"') {
				inString = false;
			}
		} else if (character === '"') {
			inString = true;
		} else if (character === '[' || character === '{') {
			depth++;
		} else if (character === ']' || character === '}') {
			depth--;
			if (depth === 0) {
				return index + 1;
			}
		}
	}
	return -1;
}

/**
 * Splits a line into words on whitespace; "double" or 'single' quotes keep spaces together (the
 * quotes are removed, \" or \' inside unescaped). With `jsonValues`, a `key=` followed by [ or {
 * takes the JSON up to its closing bracket as is. An unclosed quote or bracket is an InputError.
 */
export function splitWords(text: string, jsonValues = false): string[] {
	const words: string[] = [];
	let current = '';
	let inWord = false;
	let index = 0;
	while (index < text.length) {
		const character = text[index];
		if (/\s/.test(character)) {
			if (inWord) {
				words.push(current);
				current = '';
				inWord = false;
			}
			index++;
		} else if (character === '"' || character === "'") {
			const end = closingQuote(text, index);
			if (end === -1) {
				throw new InputError(
					`Unclosed ${character} quote in ${JSON.stringify(text.slice(index))}: close it, or escape it as \\${character}`,
				);
			}
			current += text
				.slice(index + 1, end)
				.split(`\\${character}`)
				.join(character);
			inWord = true;
			index = end + 1;
		} else if (jsonValues && (character === '[' || character === '{') && /^[^=]+=$/.test(current)) {
			const end = jsonEnd(text, index);
			if (end === -1) {
				throw new InputError(
					`Unclosed ${character} in ${JSON.stringify(current + text.slice(index))}: a JSON value needs its closing bracket`,
				);
			}
			current += text.slice(index, end);
			inWord = true;
			index = end;
		} else {
			current += character;
			inWord = true;
			index++;
		}
	}
	if (inWord) {
		words.push(current);
	}
	return words;
}

/** A field's value as the client would send it: one option, a list of options, or text. */
function checkFieldValue(open: IOpenView, actionId: string, value: unknown): unknown {
	const fields = viewFields(open.view);
	const field = fields.find((candidate) => candidate.actionId === actionId);
	if (!field) {
		throw new InputError(
			`The open form has no field ${actionId}; fields: ${fields.map((entry) => entry.actionId).join(', ')}`,
		);
	}
	const options = Array.isArray(field.element.options)
		? field.element.options.map((option) => String((option as { value?: unknown }).value))
		: [];
	if (options.length === 0) {
		return value;
	}
	const choices = `one of: ${options.join(', ')}`;
	if (MULTI_CHOICE_ELEMENTS.includes(String(field.element.type))) {
		// A checkbox sends the list of ticked options: one value ticks one, [] ticks none.
		const list = Array.isArray(value) ? value : [value];
		const wrong = list.filter((item) => typeof item !== 'string' || !options.includes(item));
		if (wrong.length > 0) {
			throw new InputError(
				`${actionId} takes a list of options (${choices}), got ${JSON.stringify(value)}`,
			);
		}
		return list;
	}
	if (typeof value !== 'string' || !options.includes(value)) {
		throw new InputError(`${actionId} must be ${choices}; got ${JSON.stringify(value)}`);
	}
	return value;
}

/**
 * Parses `submit` arguments `key=value` into values by action id. A value starting with [ or {
 * is JSON (`anonymous=["anonymous"]`); with the open view, each key must be one of its fields
 * and an option field takes only its options (a checkbox also takes one option alone).
 */
export function parseSubmitValues(text: string, open?: IOpenView): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const argument of splitWords(text, true)) {
		const equals = argument.indexOf('=');
		if (equals <= 0) {
			throw new InputError(`Expected key=value, got "${argument}"`);
		}
		const key = argument.slice(0, equals);
		const raw = argument.slice(equals + 1);
		let value: unknown = raw;
		if (/^[[{]/.test(raw)) {
			try {
				value = JSON.parse(raw);
			} catch (error) {
				throw new InputError(
					`${key}=${raw} is not JSON (${error instanceof Error ? error.message : String(error)})`,
				);
			}
		}
		values[key] = open ? checkFieldValue(open, key, value) : value;
	}
	return values;
}
