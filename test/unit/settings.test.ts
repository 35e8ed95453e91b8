import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import {
	DEFAULT_ADMIN_ROLES,
	DEFAULT_CATEGORIES,
	DEFAULT_MAX_COMMENT_LENGTH,
	isFeedbackAdmin,
	MAX_COMMENT_LENGTH_CEILING,
	parseList,
	parseMaxCommentLength,
	parseSettings,
	parseWeDidPosts,
	SettingId,
} from '../../src/domain/settings';
import { readSettings, settingDefinitions } from '../../src/settings/settings';
import { TestWorld } from '../support/TestWorld';

/** The repository root: tests run compiled from build/test/unit/. */
const ROOT = path.resolve(__dirname, '../../..');

function settingsWith(values: Partial<Record<SettingId, unknown>>) {
	return parseSettings((id) => values[id]);
}

describe('parseList', () => {
	it('splits on commas and trims each item', () => {
		assert.deepEqual(parseList('General, Bug ,Idea'), ['General', 'Bug', 'Idea']);
	});

	it('drops empty items', () => {
		assert.deepEqual(parseList(' , a,, ,b, '), ['a', 'b']);
	});

	it('keeps the first of duplicate items, in the order given', () => {
		assert.deepEqual(parseList('b, a, b, c, a'), ['b', 'a', 'c']);
	});

	it('is case-sensitive about duplicates', () => {
		assert.deepEqual(parseList('Bug, bug'), ['Bug', 'bug']);
	});

	it('an empty string or a value that is not a string is an empty list', () => {
		assert.deepEqual(parseList(''), []);
		assert.deepEqual(parseList('  ,  '), []);
		for (const value of [undefined, null, 42, true, ['a', 'b'], { a: 1 }]) {
			assert.deepEqual(parseList(value), [], `value ${JSON.stringify(value)}`);
		}
	});
});

describe('parseMaxCommentLength', () => {
	it('accepts whole numbers from 1 up to the ceiling', () => {
		assert.equal(parseMaxCommentLength(1), 1);
		assert.equal(parseMaxCommentLength(500), 500);
		assert.equal(parseMaxCommentLength(MAX_COMMENT_LENGTH_CEILING), MAX_COMMENT_LENGTH_CEILING);
	});

	it('accepts numbers stored as strings, trimmed', () => {
		assert.equal(parseMaxCommentLength('500'), 500);
		assert.equal(parseMaxCommentLength(' 42 '), 42);
	});

	it('caps numbers above the ceiling at the ceiling', () => {
		assert.equal(parseMaxCommentLength(MAX_COMMENT_LENGTH_CEILING + 1), MAX_COMMENT_LENGTH_CEILING);
		assert.equal(parseMaxCommentLength(2000000), MAX_COMMENT_LENGTH_CEILING);
		assert.equal(parseMaxCommentLength('2000000'), MAX_COMMENT_LENGTH_CEILING);
	});

	it('falls back to the default for zero, negatives, decimals, words and other types', () => {
		for (const value of [
			0,
			-1,
			1.5,
			'1.5',
			'abc',
			'',
			'  ',
			NaN,
			Infinity,
			undefined,
			null,
			true,
			[10],
			{ n: 10 },
		]) {
			assert.equal(
				parseMaxCommentLength(value),
				DEFAULT_MAX_COMMENT_LENGTH,
				`value ${String(value)}`,
			);
		}
	});
});

describe('parseSettings', () => {
	it('every missing value takes its default, and anonymity is off', () => {
		assert.deepEqual(settingsWith({}), {
			categories: DEFAULT_CATEGORIES,
			maxCommentLength: DEFAULT_MAX_COMMENT_LENGTH,
			allowAnonymous: false,
			adminRoles: DEFAULT_ADMIN_ROLES,
			announceRoom: '',
		});
	});

	it('the package values of the definitions give the documented defaults', () => {
		const packageValues = new Map(
			settingDefinitions.map((definition) => [definition.id, definition.packageValue as unknown]),
		);
		assert.deepEqual(
			parseSettings((id) => packageValues.get(id)),
			{
				categories: DEFAULT_CATEGORIES,
				maxCommentLength: DEFAULT_MAX_COMMENT_LENGTH,
				allowAnonymous: true,
				adminRoles: DEFAULT_ADMIN_ROLES,
				announceRoom: '',
			},
		);
	});

	it('reads every setting by its id', () => {
		assert.deepEqual(
			settingsWith({
				[SettingId.Categories]: 'A, B',
				[SettingId.MaxCommentLength]: '300',
				[SettingId.AllowAnonymous]: true,
				[SettingId.AdminRoles]: 'admin, feedback-admin',
				[SettingId.AnnounceRoom]: 'feedback',
			}),
			{
				categories: ['A', 'B'],
				maxCommentLength: 300,
				allowAnonymous: true,
				adminRoles: ['admin', 'feedback-admin'],
				announceRoom: 'feedback',
			},
		);
	});

	it('an empty category or role list falls back to the defaults', () => {
		const settings = settingsWith({ [SettingId.Categories]: ' , ', [SettingId.AdminRoles]: '' });
		assert.deepEqual(settings.categories, DEFAULT_CATEGORIES);
		assert.deepEqual(settings.adminRoles, DEFAULT_ADMIN_ROLES);
	});

	it('anonymity is on only for the boolean true', () => {
		for (const value of ['true', 1, 'yes', null, undefined, false]) {
			assert.equal(
				settingsWith({ [SettingId.AllowAnonymous]: value }).allowAnonymous,
				false,
				`value ${String(value)}`,
			);
		}
		assert.equal(settingsWith({ [SettingId.AllowAnonymous]: true }).allowAnonymous, true);
	});

	it('"You said, we did" posts are on only for the boolean true', () => {
		for (const value of ['true', 1, 'on', null, undefined, false]) {
			assert.equal(parseWeDidPosts(value), false, String(value));
		}
		assert.equal(parseWeDidPosts(true), true);
	});

	it('the announcement room is trimmed and loses a leading #', () => {
		assert.equal(settingsWith({ [SettingId.AnnounceRoom]: '  #general ' }).announceRoom, 'general');
		assert.equal(settingsWith({ [SettingId.AnnounceRoom]: 'general' }).announceRoom, 'general');
		assert.equal(settingsWith({ [SettingId.AnnounceRoom]: '   ' }).announceRoom, '');
		assert.equal(settingsWith({ [SettingId.AnnounceRoom]: 42 }).announceRoom, '');
	});
});

describe('isFeedbackAdmin', () => {
	const settings = settingsWith({ [SettingId.AdminRoles]: 'admin, feedback-admin' });

	it('a user holding one of the admin roles is an admin', () => {
		assert.equal(isFeedbackAdmin(['user', 'feedback-admin'], settings), true);
		assert.equal(isFeedbackAdmin(['admin'], settings), true);
	});

	it('a user without any admin role is not an admin', () => {
		assert.equal(isFeedbackAdmin(['user', 'moderator'], settings), false);
		assert.equal(isFeedbackAdmin([], settings), false);
		assert.equal(isFeedbackAdmin(undefined, settings), false);
	});

	it('roles match exactly, not by case or by prefix', () => {
		assert.equal(isFeedbackAdmin(['Admin'], settings), false);
		assert.equal(isFeedbackAdmin(['feedback'], settings), false);
	});

	it('with the default settings only the admin role is an admin', () => {
		const defaults = settingsWith({});
		assert.equal(isFeedbackAdmin(['admin'], defaults), true);
		assert.equal(isFeedbackAdmin(['feedback-admin'], defaults), false);
	});
});

describe('settingDefinitions', () => {
	const english = JSON.parse(readFileSync(path.join(ROOT, 'i18n', 'en.json'), 'utf8')) as Record<
		string,
		unknown
	>;

	it('defines every setting id exactly once', () => {
		const ids = settingDefinitions.map((definition) => definition.id);
		assert.deepEqual([...ids].sort(), [...Object.values(SettingId)].sort());
	});

	it('every definition has a label and a description key that exist in i18n/en.json', () => {
		for (const definition of settingDefinitions) {
			assert.equal(typeof definition.i18nLabel, 'string', `${definition.id} label`);
			assert.equal(typeof definition.i18nDescription, 'string', `${definition.id} description`);
			assert.equal(
				typeof english[definition.i18nLabel],
				'string',
				`${definition.id}: ${definition.i18nLabel} missing in en.json`,
			);
			assert.equal(
				typeof english[definition.i18nDescription ?? ''],
				'string',
				`${definition.id}: ${String(definition.i18nDescription)} missing in en.json`,
			);
		}
	});
});

describe('parseMaxCommentLength reads only plain whole numbers from text', () => {
	it('rejects hexadecimal and exponent notation', () => {
		assert.equal(parseMaxCommentLength('0x10'), DEFAULT_MAX_COMMENT_LENGTH);
		assert.equal(parseMaxCommentLength('1e3'), DEFAULT_MAX_COMMENT_LENGTH);
		assert.equal(parseMaxCommentLength(' 300 '), 300);
	});
});

describe('readSettings', () => {
	it('asks only for the settings a command or submit uses, never the digest ones', async () => {
		const world = new TestWorld();
		const asked: Array<string> = [];
		const read = world.read();
		const settings = read.getEnvironmentReader().getSettings();
		const counting = {
			...read,
			getEnvironmentReader: () => ({
				...read.getEnvironmentReader(),
				getSettings: () => ({
					...settings,
					getValueById: async (id: string) => {
						asked.push(id);
						return settings.getValueById(id);
					},
				}),
			}),
		} as typeof read;
		await readSettings(counting);
		assert.deepEqual(asked.sort(), [
			'feedback_admin_roles',
			'feedback_allow_anonymous',
			'feedback_announce_room',
			'feedback_categories',
			'feedback_max_comment_length',
		]);
	});
});
