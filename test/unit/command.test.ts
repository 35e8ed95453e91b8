import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseFeedbackCommand, parsePage } from '../../src/domain/command';

/** Parses a command line the way the slash command hands it over: split on spaces. */
const parse = (line: string) => parseFeedbackCommand(line.split(' '));

describe('parsePage', () => {
	it('a missing page means page 1', () => {
		assert.equal(parsePage(undefined), 1);
	});

	it('accepts whole numbers from 1 up', () => {
		assert.equal(parsePage('1'), 1);
		assert.equal(parsePage('2'), 2);
		assert.equal(parsePage('42'), 42);
		assert.equal(parsePage('999999'), 999999);
	});

	it('rejects zero, negatives, decimals, words and leading zeros', () => {
		for (const text of ['0', '-1', '1.5', 'abc', '', ' 2', '2 ', '01', '+3', '1e3', '0x10']) {
			assert.equal(parsePage(text), undefined, `page "${text}"`);
		}
	});

	it('takes any long number as a page (past the end, not malformed)', () => {
		assert.equal(parsePage('1000000'), 1000000);
		assert.equal(parsePage('99999999999999999999'), Number.MAX_SAFE_INTEGER);
	});
});

describe('parseFeedbackCommand', () => {
	it('no arguments opens the form', () => {
		assert.deepEqual(parseFeedbackCommand([]), { kind: 'open' });
		assert.deepEqual(parseFeedbackCommand(['']), { kind: 'open' });
		assert.deepEqual(parseFeedbackCommand(['', '']), { kind: 'open' });
	});

	it('help, in any case', () => {
		assert.deepEqual(parse('help'), { kind: 'help' });
		assert.deepEqual(parse('HELP'), { kind: 'help' });
		assert.deepEqual(parse('Help'), { kind: 'help' });
	});

	it('stats, in any case', () => {
		assert.deepEqual(parse('stats'), { kind: 'stats' });
		assert.deepEqual(parse('STATS'), { kind: 'stats' });
		assert.deepEqual(parse('sTaTs'), { kind: 'stats' });
	});

	it('stats with an extra word is unknown and names the whole input', () => {
		assert.deepEqual(parse('stats extra'), { kind: 'unknown', word: 'stats extra' });
	});

	it('list without a page is the first page of the own list', () => {
		assert.deepEqual(parse('list'), { kind: 'list', scope: 'own', page: 1 });
		assert.deepEqual(parse('LIST'), { kind: 'list', scope: 'own', page: 1 });
	});

	it('list 2 is page 2 of the own list', () => {
		assert.deepEqual(parse('list 2'), { kind: 'list', scope: 'own', page: 2 });
	});

	it("list all is the first page of everyone's list, in any case", () => {
		assert.deepEqual(parse('list all'), { kind: 'list', scope: 'all', page: 1 });
		assert.deepEqual(parse('List ALL'), { kind: 'list', scope: 'all', page: 1 });
	});

	it("list all 3 is page 3 of everyone's list", () => {
		assert.deepEqual(parse('list all 3'), { kind: 'list', scope: 'all', page: 3 });
		assert.deepEqual(parse('LIST All 3'), { kind: 'list', scope: 'all', page: 3 });
	});

	it('empty arguments from repeated spaces are ignored', () => {
		assert.deepEqual(parse('  list   all  3 '), { kind: 'list', scope: 'all', page: 3 });
	});

	it('invalid pages of the own list are invalid-page own', () => {
		for (const page of ['0', '-1', 'abc', '1.5']) {
			assert.deepEqual(
				parse(`list ${page}`),
				{ kind: 'invalid-page', scope: 'own' },
				`list ${page}`,
			);
		}
	});

	it("invalid pages of everyone's list are invalid-page all", () => {
		for (const page of ['0', '-1', 'abc', '1.5']) {
			assert.deepEqual(
				parse(`list all ${page}`),
				{ kind: 'invalid-page', scope: 'all' },
				`list all ${page}`,
			);
		}
	});

	it('too many arguments after list are an invalid page', () => {
		assert.deepEqual(parse('list 2 3'), { kind: 'invalid-page', scope: 'own' });
		assert.deepEqual(parse('list all 2 3'), { kind: 'invalid-page', scope: 'all' });
		assert.deepEqual(parse('list 2 all'), { kind: 'invalid-page', scope: 'own' });
	});

	it('delete without an id has no id', () => {
		assert.deepEqual(parse('delete'), { kind: 'delete', id: undefined });
	});

	it('delete with an id gives the id in lower case', () => {
		assert.deepEqual(parse('delete 1a2b3c4d'), { kind: 'delete', id: '1a2b3c4d' });
		assert.deepEqual(parse('DELETE 1A2B3C4D'), { kind: 'delete', id: '1a2b3c4d' });
		assert.deepEqual(parse('delete 1a2b3c4d extra'), { kind: 'delete-several' });
		assert.deepEqual(parse('delete 1a2b3c4d 5e6f7a8b'), { kind: 'delete-several' });
	});

	it('unknown words are reported by their first word as typed', () => {
		assert.deepEqual(parse('remove'), { kind: 'unknown', word: 'remove' });
		assert.deepEqual(parse('Foo bar'), { kind: 'unknown', word: 'Foo' });
		assert.deepEqual(parse('all'), { kind: 'unknown', word: 'all' });
		assert.deepEqual(parse('2'), { kind: 'unknown', word: '2' });
	});
});
