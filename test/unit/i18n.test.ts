import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

import { catalog, english } from '../../src/i18n/catalog';
import { DEFAULT_LANGUAGE, resolveLanguage, translatorFor } from '../../src/i18n/translate';

/** The repository root: tests run compiled from build/test/unit/. */
const ROOT = path.resolve(__dirname, '../../..');
const I18N = path.join(ROOT, 'i18n');
const LANGUAGES = ['en', 'pt-BR', 'de', 'es'];

/** A dynamic import that tsc leaves alone when it compiles to CommonJS. */
const importModule = new Function('p', 'return import(p)') as (
	p: string,
) => Promise<{ generatedCatalog(): Record<string, string> }>;

function readLanguage(language: string): Record<string, unknown> {
	return JSON.parse(readFileSync(path.join(I18N, `${language}.json`), 'utf8')) as Record<
		string,
		unknown
	>;
}

function placeholdersOf(text: string): Array<string> {
	return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))].sort();
}

describe('i18n/*.json', () => {
	const englishJson = readLanguage('en');
	const englishKeys = Object.keys(englishJson).sort();

	it('ships en, pt-BR, de and es', () => {
		for (const language of LANGUAGES) {
			assert.ok(
				existsSync(path.join(I18N, `${language}.json`)),
				`i18n/${language}.json is missing`,
			);
		}
	});

	for (const language of LANGUAGES) {
		it(`${language} has exactly the keys of en`, () => {
			assert.deepEqual(Object.keys(readLanguage(language)).sort(), englishKeys);
		});

		it(`${language} has only non-empty strings`, () => {
			for (const [key, value] of Object.entries(readLanguage(language))) {
				assert.equal(typeof value, 'string', `${language}.${key} is not a string`);
				assert.notEqual((value as string).trim(), '', `${language}.${key} is empty`);
			}
		});

		it(`${language} has the same {placeholders} as en in every message`, () => {
			const strings = readLanguage(language);
			for (const key of englishKeys) {
				assert.deepEqual(
					placeholdersOf(String(strings[key])),
					placeholdersOf(String(englishJson[key])),
					`${language}.${key}: ${JSON.stringify(strings[key])}`,
				);
			}
		});
	}

	it('every language file in i18n/ is in the runtime catalog', () => {
		const files = readdirSync(I18N)
			.filter((name) => name.endsWith('.json'))
			.map((name) => name.slice(0, -'.json'.length))
			.sort();
		assert.deepEqual(Object.keys(catalog).sort(), files);
	});

	it('src/i18n/catalog.ts and languages/ are what scripts/build-i18n.mjs generates from the JSON files', async () => {
		const { generatedCatalog } = await importModule(
			pathToFileURL(path.join(ROOT, 'scripts/build-i18n.mjs')).href,
		);
		const files = generatedCatalog();
		const generated = [
			'catalog.ts',
			...readdirSync(path.join(ROOT, 'src/i18n/languages')).map((name) => `languages/${name}`),
		];
		assert.deepEqual(
			generated.sort(),
			Object.keys(files).sort(),
			'a language file is missing or left over',
		);
		for (const [file, content] of Object.entries(files)) {
			const current = readFileSync(path.join(ROOT, 'src/i18n', file), 'utf8');
			assert.equal(current, content, `src/i18n/${file} is stale: run npm run i18n`);
		}
	});

	it('the compiled english catalog equals en.json', () => {
		assert.deepEqual({ ...english }, englishJson);
	});
});

describe('resolveLanguage', () => {
	it('finds an exact language in any case', () => {
		assert.equal(resolveLanguage('pt-BR'), 'pt-BR');
		assert.equal(resolveLanguage('pt-br'), 'pt-BR');
		assert.equal(resolveLanguage('de'), 'de');
		assert.equal(resolveLanguage('es'), 'es');
		assert.equal(resolveLanguage('EN'), 'en');
	});

	it('accepts an underscore for the dash', () => {
		assert.equal(resolveLanguage('pt_BR'), 'pt-BR');
	});

	it('falls back to the same base language', () => {
		assert.equal(resolveLanguage('pt'), 'pt-BR');
		assert.equal(resolveLanguage('pt-PT'), 'pt-BR');
		assert.equal(resolveLanguage('de-AT'), 'de');
		assert.equal(resolveLanguage('es-MX'), 'es');
		assert.equal(resolveLanguage('en-US'), 'en');
	});

	it('falls back to English for unshipped or missing languages', () => {
		assert.equal(DEFAULT_LANGUAGE, 'en');
		assert.equal(resolveLanguage('fr'), 'en');
		assert.equal(resolveLanguage('zh-CN'), 'en');
		assert.equal(resolveLanguage(undefined), 'en');
		assert.equal(resolveLanguage(''), 'en');
	});
});

describe('translatorFor', () => {
	it('fills the placeholders from the params', () => {
		assert.equal(
			translatorFor('en')('list_title', { page: 2, pages: 5 }),
			'Your feedback, page 2 of 5:',
		);
		assert.equal(
			translatorFor('en')('confirm_saved', { id: '1a2b3c4d' }),
			'Thank you! Your feedback was saved as 1a2b3c4d.',
		);
	});

	it('leaves placeholders without a param as they are', () => {
		assert.equal(
			translatorFor('en')('list_title', { page: 2 }),
			'Your feedback, page 2 of {pages}:',
		);
		assert.equal(translatorFor('en')('list_title'), 'Your feedback, page {page} of {pages}:');
	});

	it('ignores params that are not placeholders of the message', () => {
		assert.equal(translatorFor('en')('modal_title', { extra: 'x' }), 'Send feedback');
	});

	it('inserts values literally: no replacement patterns and no second substitution', () => {
		const t = translatorFor('en');
		assert.equal(
			t('confirm_saved', { id: '$&$1$$' }),
			'Thank you! Your feedback was saved as $&$1$$.',
		);
		assert.equal(
			t('list_title', { page: '{pages}', pages: 3 }),
			'Your feedback, page {pages} of 3:',
		);
	});

	it('does not take placeholders from the prototype of the params', () => {
		assert.equal(translatorFor('en')('delete_done', {}), 'Feedback {id} was deleted.');
	});

	it('translates into the requested language, resolved like resolveLanguage', () => {
		assert.equal(translatorFor('pt-BR')('modal_submit'), 'Enviar');
		assert.equal(translatorFor('pt')('modal_submit'), 'Enviar');
		assert.equal(translatorFor('de')('modal_title'), String(readLanguage('de').modal_title));
		assert.equal(translatorFor('es')('modal_title'), String(readLanguage('es').modal_title));
	});

	it('an unshipped language gets English', () => {
		assert.equal(translatorFor('fr')('modal_title'), 'Send feedback');
	});
});
