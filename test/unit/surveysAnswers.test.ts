// Answers: values by kind, comments counted as people count characters; how an anonymous answer
// is keyed (a secret from the environment, or the first answer stands) so that nothing stored
// leads from a member to their answer; changes while the round is open; racing copies count once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	ANSWER_SECRET_MIN_LENGTH,
	answerKeyingOf,
	answerRefusal,
	checkAnswer,
	currentAnswers,
	isUsableSecret,
	nextRevision,
	parseParticipationMark,
	parseSurveyAnswer,
	participants,
	participationMark,
	serializeParticipationMark,
	serializeSurveyAnswer,
	SURVEY_COMMENT_MAX,
	surveyAnswerKey,
} from '../../src/domain/answers';
import type { AnswerKeying, IAnswerRef, ISurveyAnswer } from '../../src/domain/answers';
import type { IRound } from '../../src/domain/rounds';

const SECRET = 's'.repeat(ANSWER_SECRET_MIN_LENGTH);
const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
const ROUND: IRound = {
	index: 1,
	key: '2025-02',
	opensAt: '2025-02-01T00:00:00.000Z',
	closesAt: '2025-02-08T00:00:00.000Z',
};
const OPEN = new Date('2025-02-03T00:00:00Z');
const REF: IAnswerRef = {
	surveyId: 'survey-1',
	roundKey: ROUND.key,
	memberId: 'alice',
};

/** The keying of an anonymous survey under a usable secret, or of a named one. */
function keyingOf(anonymous: boolean, secret: string | undefined = SECRET): AnswerKeying {
	const keying = answerKeyingOf({ anonymous }, secret);
	assert.ok(keying, 'a keying');
	return keying;
}

function answer(fields: Partial<ISurveyAnswer>): ISurveyAnswer {
	return {
		surveyId: 'survey-1',
		roundKey: ROUND.key,
		answerKey: 'k1',
		value: 7,
		comment: '',
		revision: 1,
		memberId: null,
		...fields,
	};
}

describe('checkAnswer', () => {
	it('takes NPS 0 to 10, ratings 1 to 5 and yes or no, as numbers or form values', () => {
		for (const value of [0, 10, '0', '10', '07']) {
			assert.equal(
				checkAnswer({ kind: 'nps', withComment: false }, value, '').valid,
				true,
				String(value),
			);
		}
		for (const value of [-1, 11, 1.5, '1.5', '', 'ten', null, '100']) {
			const result = checkAnswer({ kind: 'nps', withComment: false }, value, '');
			assert.equal(
				!result.valid && result.errors.value?.key,
				'error_survey_answer_invalid',
				String(value),
			);
		}
		assert.equal(checkAnswer({ kind: 'rating', withComment: false }, 0, '').valid, false);
		assert.equal(checkAnswer({ kind: 'rating', withComment: false }, '6', '').valid, false);
		assert.deepEqual(checkAnswer({ kind: 'rating', withComment: false }, '5', ''), {
			valid: true,
			value: 5,
			comment: '',
		});
		assert.deepEqual(checkAnswer({ kind: 'yes-no', withComment: false }, 'yes', undefined), {
			valid: true,
			value: 1,
			comment: '',
		});
		assert.deepEqual(checkAnswer({ kind: 'yes-no', withComment: false }, 'no', undefined), {
			valid: true,
			value: 0,
			comment: '',
		});
		assert.equal(checkAnswer({ kind: 'yes-no', withComment: false }, 2, '').valid, false);
	});

	it('counts a comment as people count characters, and takes invisible text as none', () => {
		const survey = { kind: 'nps', withComment: true } as const;
		const atLimit = FAMILY.repeat(SURVEY_COMMENT_MAX);
		assert.deepEqual(checkAnswer(survey, 9, ` ${atLimit} `), {
			valid: true,
			value: 9,
			comment: atLimit,
		});
		const over = checkAnswer(survey, 9, `${atLimit}x`);
		assert.deepEqual(!over.valid && over.errors.comment, {
			key: 'error_survey_comment_too_long',
			params: { length: SURVEY_COMMENT_MAX + 1, max: SURVEY_COMMENT_MAX },
		});
		assert.deepEqual(checkAnswer(survey, 9, '\u200B\u3164 \u2800'), {
			valid: true,
			value: 9,
			comment: '',
		});
	});

	it('refuses a comment the survey does not ask for, and names both errors at once', () => {
		const result = checkAnswer({ kind: 'nps', withComment: false }, 12, 'forged');
		assert.deepEqual(!result.valid && result.errors, {
			value: { key: 'error_survey_answer_invalid' },
			comment: { key: 'error_survey_comment_not_asked' },
		});
	});
});

describe('keying', () => {
	it('is named for a named survey; keyed only with a long enough secret; else none (no answer is taken)', () => {
		assert.equal(answerKeyingOf({ anonymous: false }, SECRET)?.kind, 'named');
		assert.equal(answerKeyingOf({ anonymous: false }, undefined)?.kind, 'named');
		assert.equal(answerKeyingOf({ anonymous: true }, undefined), undefined);
		assert.equal(answerKeyingOf({ anonymous: true }, SECRET.slice(1)), undefined);
		assert.equal(answerKeyingOf({ anonymous: true }, SECRET)?.kind, 'keyed');
		assert.equal(isUsableSecret(SECRET.slice(1)), false);
		assert.equal(isUsableSecret(SECRET), true);
	});

	it('keyed: one key per member and round, holding nothing of the member, that another secret cannot give', () => {
		const keying = keyingOf(true);
		const key = surveyAnswerKey(keying, REF);
		assert.equal(surveyAnswerKey(keying, { ...REF }), key, 'a change finds the answer');
		assert.notEqual(surveyAnswerKey(keying, { ...REF, memberId: 'bob' }), key);
		assert.notEqual(surveyAnswerKey(keying, { ...REF, roundKey: '2025-03' }), key);
		assert.notEqual(surveyAnswerKey(keyingOf(true, `${SECRET}x`), REF), key);
		assert.ok(!key.includes('alice') && !key.includes(REF.surveyId));
		const mark = participationMark(keying, REF);
		assert.ok(!JSON.stringify(mark).includes(key), 'the mark does not hold the key');
		assert.equal(
			mark.token,
			participationMark(keying, { ...REF, memberId: 'bob' }).token,
			"every member's mark carries the same fingerprint",
		);
		assert.ok(!mark.token.includes(SECRET));
	});
});

describe('answerRefusal', () => {
	it('refuses every keying once the round is closed, and before it opens', () => {
		for (const anonymous of [true, false]) {
			const keying = keyingOf(anonymous);
			assert.equal(answerRefusal(keying, REF, [], ROUND, new Date(ROUND.closesAt)), 'round-closed');
			assert.equal(
				answerRefusal(keying, REF, [], ROUND, new Date('2025-01-31T23:59:59Z')),
				'round-closed',
			);
			assert.equal(answerRefusal(keying, REF, [], ROUND, OPEN), undefined);
		}
	});

	it('lets a named or keyed answer change while open', () => {
		for (const keying of [keyingOf(false), keyingOf(true)]) {
			const mark = participationMark(keying, REF);
			assert.equal(answerRefusal(keying, REF, [mark, mark], ROUND, OPEN), undefined);
		}
	});

	it('keeps the first answer when the secret changed since: it is never counted twice', () => {
		const before = participationMark(keyingOf(true), REF);
		const changed = keyingOf(true, `${SECRET}-rotated`);
		assert.equal(answerRefusal(changed, REF, [before], ROUND, OPEN), 'answer-final');
		const otherRound = { ...before, roundKey: '2025-01' };
		assert.equal(answerRefusal(changed, REF, [otherRound], ROUND, OPEN), undefined);
	});
});

describe('counting', () => {
	it('counts racing copies of one submit once, and a change as one answer', () => {
		const copies = [
			answer({ answerKey: 'k1' }),
			answer({ answerKey: 'k1' }),
			answer({ answerKey: 'k2', value: 3 }),
		];
		assert.deepEqual(
			currentAnswers(copies).map((a) => [a.answerKey, a.value]),
			[
				['k1', 7],
				['k2', 3],
			],
		);
		const changed = [answer({ value: 2, revision: 1 }), answer({ value: 9, revision: 2 })];
		assert.deepEqual(
			currentAnswers(changed).map((a) => a.value),
			[9],
		);
		assert.equal(nextRevision(changed), 3);
		assert.equal(nextRevision([]), 1);
	});

	it('settles two changes racing to one revision the same way on every read', () => {
		const a = answer({ value: 4, revision: 2 });
		const b = answer({ value: 8, revision: 2, comment: 'x' });
		assert.deepEqual(currentAnswers([a, b]), currentAnswers([b, a]));
		assert.equal(currentAnswers([a, b]).length, 1);
	});

	it('keeps rounds and surveys apart, and orders answers by key, not by arrival', () => {
		const records = [
			answer({ answerKey: 'zz' }),
			answer({ answerKey: 'aa' }),
			answer({ answerKey: 'aa', roundKey: '2025-03' }),
			answer({ answerKey: 'aa', surveyId: 'survey-2' }),
		];
		assert.equal(currentAnswers(records).length, 4);
		assert.deepEqual(
			currentAnswers(records.slice(0, 2)).map((a) => a.answerKey),
			['aa', 'zz'],
		);
	});

	it('counts participants once however many marks racing submits wrote', () => {
		const mark = participationMark(keyingOf(true), REF);
		assert.deepEqual(
			participants([mark, mark, { ...mark, memberId: 'bob' }]),
			new Set(['alice', 'bob']),
		);
	});
});

describe('stored shapes', () => {
	it('an anonymous answer stores no member and no time; a mark stores no value', () => {
		const stored = serializeSurveyAnswer({
			...answer({}),
			at: '2025-02-03T10:11:12Z',
		} as ISurveyAnswer);
		assert.deepEqual(Object.keys(stored).sort(), [
			'answerKey',
			'comment',
			'memberId',
			'revision',
			'roundKey',
			'surveyId',
			'value',
		]);
		assert.equal(stored.memberId, null);
		const mark = serializeParticipationMark(participationMark(keyingOf(true), REF));
		assert.deepEqual(Object.keys(mark).sort(), [
			'keying',
			'memberId',
			'roundKey',
			'surveyId',
			'token',
		]);
	});

	it('read back what was stored, and refuse what is not an answer or a mark', () => {
		const stored = answer({ comment: FAMILY });
		assert.deepEqual(
			parseSurveyAnswer(JSON.parse(JSON.stringify(serializeSurveyAnswer(stored)))),
			stored,
		);
		for (const broken of [
			null,
			{ ...stored, value: 11 },
			{ ...stored, value: '7' },
			{ ...stored, revision: 0 },
			{ ...stored, answerKey: '' },
			{ ...stored, memberId: 5 },
		]) {
			assert.equal(parseSurveyAnswer(broken), undefined, JSON.stringify(broken));
		}
		const mark = participationMark(keyingOf(true), REF);
		assert.equal(parseParticipationMark({ ...mark, keying: 'first-stands' }), undefined);
		assert.deepEqual(parseParticipationMark(serializeParticipationMark(mark)), mark);
		assert.equal(parseParticipationMark({ ...mark, keying: 'secret' }), undefined);
		assert.equal(parseParticipationMark({ ...mark, token: undefined }), undefined);
	});
});
