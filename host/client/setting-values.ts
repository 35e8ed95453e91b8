import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { SettingType } from '@rocket.chat/apps-engine/definition/settings';

import type { IServerSettingInfo } from '../server/server-settings';

/** The longest text a setting takes from the terminal or the page (Rocket.Chat's Message_MaxAllowedSize). */
export const MAX_SETTING_TEXT_LENGTH = 5000;

/** A value that does not fit a setting; the message says what it needs. */
export class SettingValueError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SettingValueError';
	}
}

/** How an error names an app setting. */
function describeType(setting: ISetting): string {
	return `Setting "${setting.id}" (${setting.type})`;
}

/**
 * Checks a value of an app setting as Administration > Apps would send it (a boolean for a
 * toggle, a whole number for an int, one of the keys for a select, else text) and returns it.
 */
export function checkAppSettingValue(setting: ISetting, value: unknown): unknown {
	const fail = (expected: string) =>
		new SettingValueError(`${describeType(setting)} needs ${expected}`);
	switch (setting.type) {
		case SettingType.BOOLEAN:
			if (typeof value !== 'boolean') {
				throw fail('true or false');
			}
			return value;
		case SettingType.NUMBER:
			if (typeof value !== 'number' || !Number.isInteger(value)) {
				throw fail('a whole number');
			}
			return value;
		case SettingType.SELECT: {
			const keys = (setting.values ?? []).map((entry) => entry.key);
			if (typeof value !== 'string' || !keys.includes(value)) {
				throw fail(`one of ${keys.join(', ')}`);
			}
			return value;
		}
		default:
			if (typeof value !== 'string') {
				throw fail('a string');
			}
			if (value.length > MAX_SETTING_TEXT_LENGTH) {
				throw fail(`at most ${MAX_SETTING_TEXT_LENGTH} characters`);
			}
			return value;
	}
}

/** Reads typed text (`true`, `250`, `Bug, Idea`) as a value of the setting's type, then checks it. */
export function parseAppSettingText(setting: ISetting, text: string): unknown {
	switch (setting.type) {
		case SettingType.BOOLEAN:
			return checkAppSettingValue(setting, parseBoolean(text));
		case SettingType.NUMBER:
			return checkAppSettingValue(setting, parseWholeNumber(text));
		default:
			return checkAppSettingValue(setting, text);
	}
}

/** Checks a value of a server setting as the server's admin form would send it, and returns it. */
export function checkServerSettingValue(setting: IServerSettingInfo, value: unknown): unknown {
	const fail = (expected: string) =>
		new SettingValueError(`Server setting "${setting.id}" (${setting.type}) needs ${expected}`);
	switch (setting.type) {
		case 'boolean':
			if (typeof value !== 'boolean') {
				throw fail('true or false');
			}
			return value;
		case 'int':
			if (typeof value !== 'number' || !Number.isInteger(value)) {
				throw fail('a whole number');
			}
			return value;
		default:
			if (typeof value !== 'string') {
				throw fail('a string');
			}
			if (value.length > MAX_SETTING_TEXT_LENGTH) {
				throw fail(`at most ${MAX_SETTING_TEXT_LENGTH} characters`);
			}
			return value;
	}
}

/** Reads typed text as a value of the server setting's type, then checks it. */
export function parseServerSettingText(setting: IServerSettingInfo, text: string): unknown {
	switch (setting.type) {
		case 'boolean':
			return checkServerSettingValue(setting, parseBoolean(text));
		case 'int':
			return checkServerSettingValue(setting, parseWholeNumber(text));
		default:
			return checkServerSettingValue(setting, text);
	}
}

/** `true` or `false` (any case) as a boolean; anything else is left as text for the check to refuse. */
function parseBoolean(text: string): unknown {
	const word = text.trim().toLowerCase();
	if (word === 'true') {
		return true;
	}
	if (word === 'false') {
		return false;
	}
	return text;
}

/** Digits (with an optional minus) as a number; anything else is left as text for the check to refuse. */
function parseWholeNumber(text: string): unknown {
	return /^\s*-?\d+\s*$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}
