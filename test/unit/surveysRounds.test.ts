// Rounds of a survey as UTC periods: ISO weeks (across a year with 53 weeks), calendar months
// (December to January), calendar quarters, once; the creation period's round; a round exactly
// at its close; the halfway reminder; the references of invitations and reminders; batches.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	invitationBatch,
	invitationReference,
	isOpen,
	isReminderDue,
	isSettled,
	recentRounds,
	reminderAt,
	reminderBatch,
	reminderReference,
	roundAt,
	roundOf,
} from '../../src/domain/rounds';
import type { ISurvey, SurveyRhythm } from '../../src/domain/survey';

function survey(rhythm: SurveyRhythm, createdAt: string, openDays: number): ISurvey {
	return {
		id: 'survey-1',
		question: 'How are you?',
		kind: 'rating',
		withComment: false,
		audience: { kind: 'room', roomName: 'general' },
		rhythm,
		anonymous: true,
		openDays,
		createdAt,
		adminId: 'admin-1',
	};
}

const at = (iso: string): Date => new Date(iso);

describe('roundOf', () => {
	it('asks once from the creation for openDays, and the round stays that one', () => {
		const once = survey('once', '2025-03-10T09:30:00.000Z', 5);
		const expected = {
			index: 0,
			key: 'once',
			opensAt: '2025-03-10T09:30:00.000Z',
			closesAt: '2025-03-15T09:30:00.000Z',
		};
		assert.equal(roundOf(once, at('2025-03-10T09:29:59.999Z')), undefined);
		assert.deepEqual(roundOf(once, at('2025-03-10T09:30:00.000Z')), expected);
		assert.deepEqual(roundOf(once, at('2026-01-01T00:00:00.000Z')), expected);
		assert.deepEqual(roundAt(once, 0), expected);
		assert.equal(roundAt(once, 1), undefined);
	});

	it('is closed exactly at its close, open the millisecond before', () => {
		const round = roundOf(
			survey('once', '2025-03-10T09:30:00.000Z', 5),
			at('2025-03-11T00:00:00Z'),
		);
		assert.ok(round);
		assert.equal(isOpen(round, at('2025-03-15T09:29:59.999Z')), true);
		assert.equal(isOpen(round, at('2025-03-15T09:30:00.000Z')), false);
		assert.equal(isOpen(round, at('2025-03-10T09:29:59.999Z')), false);
		assert.equal(
			isSettled(round, at('2025-03-15T11:29:59.999Z')),
			false,
			'two hours of grace for clock skew',
		);
		assert.equal(isSettled(round, at('2025-03-15T11:30:00.000Z')), true);
	});

	it('runs monthly on calendar months, from December into January', () => {
		const monthly = survey('monthly', '2024-12-02T00:00:00.000Z', 10);
		assert.deepEqual(roundOf(monthly, at('2024-12-31T23:59:59.999Z')), {
			index: 0,
			key: '2024-12',
			opensAt: '2024-12-02T00:00:00.000Z',
			closesAt: '2024-12-11T00:00:00.000Z',
		});
		assert.deepEqual(roundOf(monthly, at('2025-01-01T00:00:00.000Z')), {
			index: 1,
			key: '2025-01',
			opensAt: '2025-01-01T00:00:00.000Z',
			closesAt: '2025-01-11T00:00:00.000Z',
		});
		assert.deepEqual(roundAt(monthly, 3)?.key, '2025-03');
		assert.deepEqual(roundAt(monthly, 3)?.closesAt, '2025-03-11T00:00:00.000Z');
	});

	it('skips a creation period with less than half of its open time left', () => {
		const monthly = survey('monthly', '2025-01-15T10:00:00.000Z', 7);
		assert.equal(roundOf(monthly, at('2025-01-20T00:00:00Z')), undefined);
		assert.equal(roundAt(monthly, 0), undefined);
		assert.deepEqual(roundOf(monthly, at('2025-02-03T00:00:00Z')), {
			index: 1,
			key: '2025-02',
			opensAt: '2025-02-01T00:00:00.000Z',
			closesAt: '2025-02-08T00:00:00.000Z',
		});
		// Exactly half left still holds a round.
		const half = survey('monthly', '2025-01-04T12:00:00.000Z', 7);
		assert.equal(roundOf(half, at('2025-01-05T00:00:00Z'))?.opensAt, '2025-01-04T12:00:00.000Z');
		const less = survey('monthly', '2025-01-04T12:00:00.001Z', 7);
		assert.equal(roundOf(less, at('2025-01-05T00:00:00Z')), undefined);
	});

	it('runs quarterly on calendar quarters, at their boundaries', () => {
		const quarterly = survey('quarterly', '2024-11-20T00:00:00.000Z', 30);
		assert.equal(roundOf(quarterly, at('2024-12-31T23:59:59.999Z')), undefined);
		assert.deepEqual(roundOf(quarterly, at('2025-01-01T00:00:00.000Z')), {
			index: 1,
			key: '2025-Q1',
			opensAt: '2025-01-01T00:00:00.000Z',
			closesAt: '2025-01-31T00:00:00.000Z',
		});
		assert.equal(roundOf(quarterly, at('2025-03-31T23:59:59.999Z'))?.key, '2025-Q1');
		assert.equal(roundOf(quarterly, at('2025-04-01T00:00:00.000Z'))?.key, '2025-Q2');
		assert.equal(roundOf(quarterly, at('2025-04-01T00:00:00.000Z'))?.index, 2);
		assert.equal(roundOf(quarterly, at('2026-10-05T00:00:00.000Z'))?.key, '2026-Q4');
		assert.equal(roundAt(quarterly, 8)?.opensAt, '2026-10-01T00:00:00.000Z');
	});

	it('runs weekly on ISO weeks: Monday 00:00 UTC, the week-year of its Thursday', () => {
		const weekly = survey('weekly', '2020-12-28T00:00:00.000Z', 3);
		assert.equal(roundOf(weekly, at('2021-01-03T23:59:59.999Z'))?.key, '2020-W53');
		assert.deepEqual(roundOf(weekly, at('2021-01-04T00:00:00.000Z')), {
			index: 1,
			key: '2021-W01',
			opensAt: '2021-01-04T00:00:00.000Z',
			closesAt: '2021-01-07T00:00:00.000Z',
		});
		const late = survey('weekly', '2024-12-23T12:00:00.000Z', 3);
		assert.equal(roundOf(late, at('2024-12-24T00:00:00Z'))?.key, '2024-W52');
		// 2024-12-30 is a Monday in 2025's first ISO week.
		assert.equal(roundOf(late, at('2025-01-01T00:00:00Z'))?.key, '2025-W01');
		assert.equal(roundOf(late, at('2025-01-01T00:00:00Z'))?.opensAt, '2024-12-30T00:00:00.000Z');
	});

	it('is the same in every time zone, across a daylight-saving change', () => {
		const weekly = survey('weekly', '2025-03-24T00:00:00.000Z', 6);
		const utc = roundOf(weekly, at('2025-03-30T03:00:00Z'));
		const zone = process.env.TZ;
		try {
			for (const timeZone of ['Europe/Berlin', 'America/New_York', 'Pacific/Chatham']) {
				process.env.TZ = timeZone;
				assert.deepEqual(roundOf(weekly, at('2025-03-30T03:00:00Z')), utc, timeZone);
			}
		} finally {
			if (zone === undefined) {
				delete process.env.TZ;
			} else {
				process.env.TZ = zone;
			}
		}
		assert.equal(utc?.opensAt, '2025-03-24T00:00:00.000Z');
	});

	it('lists the rounds opened so far, newest first, without a skipped one', () => {
		const monthly = survey('monthly', '2025-01-15T10:00:00.000Z', 7);
		assert.deepEqual(
			recentRounds(monthly, at('2025-04-02T00:00:00Z'), 10).map((round) => round.key),
			['2025-04', '2025-03', '2025-02'],
		);
		assert.deepEqual(
			recentRounds(monthly, at('2025-04-02T00:00:00Z'), 2).map((round) => round.key),
			['2025-04', '2025-03'],
		);
		assert.deepEqual(recentRounds(monthly, at('2025-01-20T00:00:00Z'), 3), []);
	});
});

describe('reminders', () => {
	it('fall due halfway through the open time, until the close', () => {
		const round = roundOf(
			survey('once', '2025-03-10T09:30:00.000Z', 5),
			at('2025-03-10T10:00:00Z'),
		);
		assert.ok(round);
		assert.equal(reminderAt(round).toISOString(), '2025-03-12T21:30:00.000Z');
		assert.equal(isReminderDue(round, at('2025-03-12T21:29:59.999Z')), false);
		assert.equal(isReminderDue(round, at('2025-03-12T21:30:00.000Z')), true);
		assert.equal(isReminderDue(round, at('2025-03-15T09:30:00.000Z')), false);
	});

	it('of a one-day round come twelve hours after it opens', () => {
		const round = roundAt(survey('weekly', '2025-01-06T00:00:00.000Z', 1), 0);
		assert.equal(round && reminderAt(round).toISOString(), '2025-01-06T12:00:00.000Z');
	});
});

describe('references of direct messages', () => {
	it('are the same for the same survey, round and member, and differ otherwise', () => {
		const reference = invitationReference('survey-1', '2025-01', 'alice');
		assert.equal(invitationReference('survey-1', '2025-01', 'alice'), reference);
		assert.match(reference, /^[0-9a-f]{16}$/);
		const others = [
			invitationReference('survey-1', '2025-01', 'bob'),
			invitationReference('survey-1', '2025-02', 'alice'),
			invitationReference('survey-2', '2025-01', 'alice'),
			reminderReference('survey-1', '2025-01', 'alice'),
		];
		assert.equal(new Set([reference, ...others]).size, 5);
	});
});

describe('batches', () => {
	it('invite each member not done yet once, in id order, at most the run size', () => {
		const members = ['dave', 'alice', 'carol', 'alice', 'bob', 'erin'];
		assert.deepEqual(invitationBatch(members, new Set(['bob']), 3), ['alice', 'carol', 'dave']);
		assert.deepEqual(
			invitationBatch([...members].reverse(), new Set(['bob']), 3),
			['alice', 'carol', 'dave'],
			'racing runs reading members in another order pick the same',
		);
		assert.deepEqual(invitationBatch(members, new Set(['alice', 'carol', 'dave']), 3), [
			'bob',
			'erin',
		]);
		assert.deepEqual(invitationBatch(members, new Set(members), 3), []);
		assert.deepEqual(invitationBatch(members, new Set(), 0), []);
	});

	it('remind the invited who neither answered nor were reminded', () => {
		assert.deepEqual(
			reminderBatch(['alice', 'bob', 'carol', 'dave'], new Set(['bob']), new Set(['alice']), 20),
			['carol', 'dave'],
		);
	});
});
