import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ANONYMOUS_OPTION_VALUE, FeedbackField } from '../../src/domain/form';
import { parseSettings, SettingId } from '../../src/domain/settings';
import type { IFeedbackSettings } from '../../src/domain/settings';
import { validateSubmission } from '../../src/domain/submission';
import type { SubmissionResult } from '../../src/domain/submission';
import { characterCount, cutToLength, hasVisibleCharacter } from '../../src/domain/text';

function settingsWith(values: Partial<Record<SettingId, unknown>>): IFeedbackSettings {
	return parseSettings((id) => values[id]);
}

const settings = settingsWith({
	[SettingId.Categories]: 'General, Bug, Idea',
	[SettingId.MaxCommentLength]: 5,
	[SettingId.AllowAnonymous]: true,
});
const noAnonymous = settingsWith({
	[SettingId.Categories]: 'General, Bug, Idea',
	[SettingId.MaxCommentLength]: 5,
	[SettingId.AllowAnonymous]: false,
});

/** A view state as the server sends it: state[blockId][actionId], with block and action ids equal. */
function stateOf(
	fields: Partial<Record<FeedbackField, unknown>>,
): Record<string, Record<string, unknown>> {
	const state: Record<string, Record<string, unknown>> = {};
	for (const [field, value] of Object.entries(fields)) {
		state[field] = { [field]: value };
	}
	return state;
}

function errorsOf(result: SubmissionResult) {
	assert.equal(result.valid, false, 'expected the submission to be refused');
	return result.valid ? {} : result.errors;
}

function submissionOf(result: SubmissionResult) {
	assert.ok(result.valid, `expected a valid submission, got ${JSON.stringify(result)}`);
	return result.submission;
}

describe('characterCount', () => {
	it('counts ASCII characters', () => {
		assert.equal(characterCount(''), 0);
		assert.equal(characterCount('hello'), 5);
	});

	it('counts an emoji as one character, not two UTF-16 units', () => {
		assert.equal('😀'.length, 2);
		assert.equal(characterCount('😀'), 1);
		assert.equal(characterCount('a😀b'), 3);
	});

	it('counts what a person sees as one character: families, flags, accents, skin tones', () => {
		const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
		const flag = '\u{1F1E9}\u{1F1EA}';
		assert.equal(characterCount(family), 1);
		assert.equal(characterCount(flag), 1);
		assert.equal(characterCount('e\u0301'), 1);
		assert.equal(characterCount('\u{1F44D}\u{1F3FD}'), 1);
		assert.equal(characterCount(`${family}${flag}ok`), 4);
	});
});

describe('hasVisibleCharacter', () => {
	it('finds nothing visible in blank, zero-width and filler characters', () => {
		for (const invisible of [
			'',
			' \n\t',
			'\u200B',
			'\u2060',
			'\u200D',
			'\u3164',
			'\u2800',
			'\u200B\u2060\u200D\u3164\u2800\uFEFF\u00A0\u200E',
			'\u0301',
		]) {
			assert.equal(hasVisibleCharacter(invisible), false, JSON.stringify(invisible));
		}
	});

	it('finds visible text, emoji and any script', () => {
		for (const visible of ['a', '\u200Bx\u200B', '\u{1F600}', '日本', '\u0645', '.']) {
			assert.equal(hasVisibleCharacter(visible), true, JSON.stringify(visible));
		}
	});
});

describe('cutToLength', () => {
	it('never splits a user-perceived character', () => {
		const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
		assert.equal(cutToLength(family.repeat(5), 3), `${family}${family}…`);
		assert.equal(cutToLength(`ab${family}`, 3), `ab${family}`);
		assert.equal(cutToLength('abcd', 3), 'ab…');
	});
});

describe('validateSubmission', () => {
	it('refuses a comment of only invisible characters like an empty one', () => {
		const result = validateSubmission(
			stateOf({ comment: '\u200B\u2060\u200D\u3164\u2800', category: 'Bug' }),
			settings,
		);
		assert.equal(result.valid, false);
		assert.deepEqual(result.valid ? undefined : result.errors.comment, {
			key: 'error_comment_empty',
		});
	});

	it('measures the limit in user-perceived characters', () => {
		const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
		const limited = { ...settings, maxCommentLength: 3 };
		assert.equal(
			validateSubmission(stateOf({ comment: family.repeat(3), category: 'Bug' }), limited).valid,
			true,
		);
		assert.equal(
			validateSubmission(stateOf({ comment: family.repeat(4), category: 'Bug' }), limited).valid,
			false,
		);
	});

	it('accepts a minimal form: comment and category, no rating, not anonymous', () => {
		const result = validateSubmission(stateOf({ comment: 'Nice', category: 'Bug' }), settings);
		assert.deepEqual(submissionOf(result), {
			comment: 'Nice',
			category: 'Bug',
			rating: null,
			anonymous: false,
		});
	});

	it('accepts a full form with rating and anonymity', () => {
		const result = validateSubmission(
			stateOf({
				comment: 'Good',
				category: 'Idea',
				rating: '4',
				anonymous: [ANONYMOUS_OPTION_VALUE],
			}),
			settings,
		);
		assert.deepEqual(submissionOf(result), {
			comment: 'Good',
			category: 'Idea',
			rating: 4,
			anonymous: true,
		});
	});

	it('trims the comment and normalises line endings', () => {
		const result = validateSubmission(
			stateOf({ comment: '  a\r\nb\rc  ', category: 'Bug' }),
			settings,
		);
		assert.equal(submissionOf(result).comment, 'a\nb\nc');
	});

	it('refuses an empty comment', () => {
		const errors = errorsOf(
			validateSubmission(stateOf({ comment: '', category: 'Bug' }), settings),
		);
		assert.deepEqual(errors, { [FeedbackField.Comment]: { key: 'error_comment_empty' } });
	});

	it('refuses a missing comment', () => {
		const errors = errorsOf(validateSubmission(stateOf({ category: 'Bug' }), settings));
		assert.deepEqual(errors, { [FeedbackField.Comment]: { key: 'error_comment_empty' } });
	});

	it('refuses a whitespace-only comment', () => {
		const errors = errorsOf(
			validateSubmission(stateOf({ comment: ' \n\t \r\n ', category: 'Bug' }), settings),
		);
		assert.deepEqual(errors, { [FeedbackField.Comment]: { key: 'error_comment_empty' } });
	});

	it('accepts a comment exactly at the limit', () => {
		assert.equal(
			submissionOf(validateSubmission(stateOf({ comment: '12345', category: 'Bug' }), settings))
				.comment,
			'12345',
		);
	});

	it('refuses a comment one character over the limit, with its length and the limit', () => {
		const errors = errorsOf(
			validateSubmission(stateOf({ comment: '123456', category: 'Bug' }), settings),
		);
		assert.deepEqual(errors, {
			[FeedbackField.Comment]: { key: 'error_comment_too_long', params: { length: 6, max: 5 } },
		});
	});

	it('counts emoji as one character each against the limit', () => {
		const five = '😀🎉👍🔥✨';
		assert.ok(five.length > 5, 'the emoji take more UTF-16 units than characters');
		assert.equal(
			submissionOf(validateSubmission(stateOf({ comment: five, category: 'Bug' }), settings))
				.comment,
			five,
		);
		const errors = errorsOf(
			validateSubmission(stateOf({ comment: `${five}😀`, category: 'Bug' }), settings),
		);
		assert.deepEqual(errors, {
			[FeedbackField.Comment]: { key: 'error_comment_too_long', params: { length: 6, max: 5 } },
		});
	});

	it('does not count surrounding whitespace against the limit', () => {
		assert.equal(
			submissionOf(
				validateSubmission(stateOf({ comment: '   12345   ', category: 'Bug' }), settings),
			).comment,
			'12345',
		);
	});

	it('tells the member the categories changed when the chosen one is no longer listed', () => {
		for (const category of ['Hacked', 'bug', ' Bug']) {
			const errors = errorsOf(validateSubmission(stateOf({ comment: 'ok', category }), settings));
			assert.deepEqual(errors, { [FeedbackField.Category]: { key: 'error_category_changed' } });
		}
	});

	it('refuses a missing or malformed category (tampered form)', () => {
		for (const category of ['', undefined, ['Bug'], 3]) {
			const errors = errorsOf(validateSubmission(stateOf({ comment: 'ok', category }), settings));
			assert.deepEqual(
				errors,
				{ [FeedbackField.Category]: { key: 'error_category_invalid' } },
				`category ${JSON.stringify(category)}`,
			);
		}
	});

	it('accepts every rating from 1 to 5 as a number', () => {
		for (const rating of ['1', '2', '3', '4', '5']) {
			assert.equal(
				submissionOf(
					validateSubmission(stateOf({ comment: 'ok', category: 'Bug', rating }), settings),
				).rating,
				Number(rating),
			);
		}
	});

	it('refuses ratings outside 1 to 5, decimals, numbers and words', () => {
		for (const rating of ['0', '6', '2.5', 7, 3, 'abc', ' 3', ['3']]) {
			const errors = errorsOf(
				validateSubmission(stateOf({ comment: 'ok', category: 'Bug', rating }), settings),
			);
			assert.deepEqual(
				errors,
				{ [FeedbackField.Rating]: { key: 'error_rating_invalid' } },
				`rating ${JSON.stringify(rating)}`,
			);
		}
	});

	it('an empty or missing rating means no rating', () => {
		for (const rating of ['', undefined, null]) {
			assert.equal(
				submissionOf(
					validateSubmission(stateOf({ comment: 'ok', category: 'Bug', rating }), settings),
				).rating,
				null,
			);
		}
	});

	it('an unticked anonymity box means named feedback', () => {
		for (const anonymous of [[], undefined, null, '', false]) {
			assert.equal(
				submissionOf(
					validateSubmission(stateOf({ comment: 'ok', category: 'Bug', anonymous }), noAnonymous),
				).anonymous,
				false,
				`anonymous ${JSON.stringify(anonymous)}`,
			);
		}
	});

	it('refuses anonymity when the settings do not allow it', () => {
		const errors = errorsOf(
			validateSubmission(
				stateOf({ comment: 'ok', category: 'Bug', anonymous: [ANONYMOUS_OPTION_VALUE] }),
				noAnonymous,
			),
		);
		assert.deepEqual(errors, { [FeedbackField.Anonymous]: { key: 'error_anonymous_not_allowed' } });
	});

	it('refuses tampered anonymity values even when anonymity is allowed', () => {
		for (const anonymous of [
			['other'],
			'yes',
			[ANONYMOUS_OPTION_VALUE, ANONYMOUS_OPTION_VALUE],
			1,
		]) {
			const errors = errorsOf(
				validateSubmission(stateOf({ comment: 'ok', category: 'Bug', anonymous }), settings),
			);
			assert.deepEqual(
				errors,
				{ [FeedbackField.Anonymous]: { key: 'error_anonymous_not_allowed' } },
				`anonymous ${JSON.stringify(anonymous)}`,
			);
		}
	});

	it('reports every bad field at once', () => {
		const errors = errorsOf(
			validateSubmission(
				stateOf({ comment: '   ', category: 3, rating: '9', anonymous: ['other'] }),
				settings,
			),
		);
		assert.deepEqual(errors, {
			[FeedbackField.Comment]: { key: 'error_comment_empty' },
			[FeedbackField.Category]: { key: 'error_category_invalid' },
			[FeedbackField.Rating]: { key: 'error_rating_invalid' },
			[FeedbackField.Anonymous]: { key: 'error_anonymous_not_allowed' },
		});
	});

	it('a missing state refuses the comment and the category only', () => {
		for (const state of [undefined, null, {}, 'state', 42]) {
			const errors = errorsOf(validateSubmission(state, settings));
			assert.deepEqual(
				errors,
				{
					[FeedbackField.Comment]: { key: 'error_comment_empty' },
					[FeedbackField.Category]: { key: 'error_category_invalid' },
				},
				`state ${JSON.stringify(state)}`,
			);
		}
	});

	it('reads only state[field][field], not a value under another action id', () => {
		const state = { comment: { other: 'hello' }, category: { category: 'Bug' } };
		const errors = errorsOf(validateSubmission(state, settings));
		assert.deepEqual(errors, { [FeedbackField.Comment]: { key: 'error_comment_empty' } });
	});
});
