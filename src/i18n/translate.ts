import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { catalog, english } from './catalog';
import type { MessageKey } from './catalog';

export type { MessageKey } from './catalog';

/** Values substituted for `{name}` placeholders in a message. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Turns a message key and its parameters into text in one language. */
export type Translator = (key: MessageKey, params?: MessageParams) => string;

export const DEFAULT_LANGUAGE = 'en';

/** The shipped language closest to the requested one: exact, then same base language, then English. */
export function resolveLanguage(requested: string | undefined): string {
	if (!requested) {
		return DEFAULT_LANGUAGE;
	}
	const wanted = requested.replace('_', '-').toLowerCase();
	const languages = Object.keys(catalog);
	const exact = languages.find((language) => language.toLowerCase() === wanted);
	if (exact) {
		return exact;
	}
	const base = wanted.split('-')[0];
	return (
		languages.find((language) => language.toLowerCase().split('-')[0] === base) ?? DEFAULT_LANGUAGE
	);
}

/** The language a user chose in their preferences, resolved to a shipped one. */
export function languageOf(user: IUser): string {
	return resolveLanguage(user.settings?.preferences?.language);
}

/** A translator for one language; keys missing there fall back to English. */
export function translatorFor(language: string): Translator {
	const strings = catalog[resolveLanguage(language)] ?? english;
	return (key, params = {}) => {
		const template = strings[key] ?? english[key];
		return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
			Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : placeholder,
		);
	};
}

/** A translator in the user's own language. */
export function translatorForUser(user: IUser): Translator {
	return translatorFor(languageOf(user));
}
