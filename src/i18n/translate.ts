import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { catalog, english } from './catalog';
import type { MessageKey } from './catalog';

export type { MessageKey } from './catalog';

/** Values substituted for `{name}` placeholders in a message. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Turns a message key and its parameters into text in one language. */
export type Translator = (key: MessageKey, params?: MessageParams) => string;

export const DEFAULT_LANGUAGE = 'en';

/** The shipped language closest to the requested one (exact, then same base language), if any. */
export function shippedLanguage(requested: string | undefined): string | undefined {
	if (!requested) {
		return undefined;
	}
	const wanted = requested.replace('_', '-').toLowerCase();
	const languages = Object.keys(catalog);
	const exact = languages.find((language) => language.toLowerCase() === wanted);
	if (exact) {
		return exact;
	}
	const base = wanted.split('-')[0];
	return languages.find((language) => language.toLowerCase().split('-')[0] === base);
}

/** The shipped language closest to the requested one, else English. */
export function resolveLanguage(requested: string | undefined): string {
	return shippedLanguage(requested) ?? DEFAULT_LANGUAGE;
}

/** The language a member chose in their preferences (absent when they kept the workspace default). */
export function chosenLanguageOf(user: IUser): string | undefined {
	const language = user.settings?.preferences?.language;
	return typeof language === 'string' && language !== '' ? language : undefined;
}

/** The first of the candidates (most wanted first) the app ships, else English. */
export function firstShippedLanguage(candidates: ReadonlyArray<string | undefined>): string {
	for (const candidate of candidates) {
		const shipped = shippedLanguage(candidate);
		if (shipped) {
			return shipped;
		}
	}
	return DEFAULT_LANGUAGE;
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
