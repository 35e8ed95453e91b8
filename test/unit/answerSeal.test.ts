// Sealed survey answers: Rocket.Chat stamps every stored record with its time, so an anonymous
// answer written beside the member's participation mark must not say what it holds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	openAnswer,
	SEAL_PADDING_BYTES,
	sealAnswer,
	utf8Length,
} from '../../src/domain/answerSeal';
import { parseSurveyAnswer, serializeSurveyAnswer } from '../../src/domain/answers';
import type { ISurveyAnswer } from '../../src/domain/answers';
import { exportedAnswerOrder } from '../../src/domain/surveyReport';

const SECRET = 'a survey secret of more than thirty-two characters';
const OTHER_SECRET = 'another secret, also more than thirty-two characters';

const ANSWER: ISurveyAnswer = {
	surveyId: 'survey-1',
	roundKey: 'once',
	answerKey: 'key-1',
	value: 9,
	comment: 'Quick reviews, kind people',
	revision: 1,
	memberId: null,
};

describe('sealed survey answers', () => {
	it('open with the secret that sealed them, and with no other', () => {
		const sealed = sealAnswer(SECRET, { value: 9, comment: 'Ótimo time \u{1F44D}' });
		assert.deepEqual(openAnswer(SECRET, sealed), { value: 9, comment: 'Ótimo time \u{1F44D}' });
		assert.equal(openAnswer(OTHER_SECRET, sealed), undefined);
		assert.equal(openAnswer(SECRET, 'not a seal'), undefined);
	});

	it('refuse an altered seal instead of reading it wrongly', () => {
		const sealed = sealAnswer(SECRET, { value: 3, comment: '' });
		const [version, iv, tag, body] = sealed.split('.');
		const flipped = body.startsWith('A') ? `B${body.slice(1)}` : `A${body.slice(1)}`;
		assert.equal(openAnswer(SECRET, [version, iv, tag, flipped].join('.')), undefined);
		assert.equal(openAnswer(SECRET, [version, iv, '0'.repeat(32), body].join('.')), undefined);
	});

	it('look different each time, and the same length for a short and a long comment', () => {
		const short = sealAnswer(SECRET, { value: 9, comment: '' });
		const again = sealAnswer(SECRET, { value: 9, comment: '' });
		const long = sealAnswer(SECRET, { value: 0, comment: 'ü'.repeat(1000) });
		assert.notEqual(short, again, 'a fresh IV each time: equal answers do not look equal');
		assert.equal(short.length, long.length);
		const huge = sealAnswer(SECRET, { value: 0, comment: '界'.repeat(1500) });
		assert.ok(huge.length > long.length, 'past the padding, the next multiple of it');
		assert.equal(utf8Length('aü界😀'), 1 + 2 + 3 + 4);
		assert.ok(SEAL_PADDING_BYTES >= utf8Length(JSON.stringify({ v: 10, c: 'ü'.repeat(1000) })));
	});

	it('are stored without the value or the comment, and read back with the secret only', () => {
		const stored = serializeSurveyAnswer(ANSWER, SECRET);
		assert.deepEqual(Object.keys(stored).sort(), [
			'answerKey',
			'memberId',
			'revision',
			'roundKey',
			'sealed',
			'surveyId',
		]);
		assert.ok(!JSON.stringify(stored).includes(ANSWER.comment));
		assert.deepEqual(parseSurveyAnswer(stored, SECRET), ANSWER);
		assert.equal(parseSurveyAnswer(stored, undefined), undefined);
		assert.equal(parseSurveyAnswer(stored, OTHER_SECRET), undefined);
		// Without a secret (a named survey) the answer is stored as it is.
		assert.deepEqual(parseSurveyAnswer(serializeSurveyAnswer(ANSWER), undefined), ANSWER);
	});
});

describe('the order of exported answers', () => {
	const answers: Array<ISurveyAnswer> = [
		{ ...ANSWER, answerKey: 'a', value: 9, comment: 'b' },
		{ ...ANSWER, answerKey: 'b', value: 3, comment: '' },
		{ ...ANSWER, answerKey: 'c', value: 9, comment: 'a' },
	];

	it('is by value and comment for an anonymous survey, never by key', () => {
		assert.deepEqual(
			exportedAnswerOrder({ anonymous: true }, answers).map((answer) => answer.answerKey),
			['b', 'c', 'a'],
		);
	});

	it('keeps a named survey in key order', () => {
		assert.deepEqual(
			exportedAnswerOrder({ anonymous: false }, answers).map((answer) => answer.answerKey),
			['a', 'b', 'c'],
		);
	});
});
