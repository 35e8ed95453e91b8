// The calls one submit of the feedback form makes to the host, counted (never timed): each costs a
// round trip through the runtime's pipe, so a read or write added to the submit shows here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type FormValues, fixturePerTest, SETTING } from './app-fixture';
import type { LocalHost } from '../../host';

/** A call by its accessor or bridge and method, e.g. `getPersistenceReader:readByAssociations`. */
function callName(method: string): string {
	return method.split(':').slice(-2).join(':');
}

/** How many calls of each kind one submit of a new form made, the form's opening left out. */
async function callsOfSubmit(
	host: LocalHost,
	username: string,
	values: FormValues,
): Promise<Record<string, number>> {
	await host.runSlashCommand(username, 'general', '/feedback');
	const counts: Record<string, number> = {};
	const stop = host.onAppCall(({ method }) => {
		const name = callName(method);
		counts[name] = (counts[name] ?? 0) + 1;
	});
	try {
		const submit = await host.submitView(username, values);
		assert.equal(submit.accepted, true, `accepted, errors: ${JSON.stringify(submit.errors)}`);
	} finally {
		stop();
	}
	return counts;
}

const NAMED: FormValues = { comment: 'search is slow', category: 'Bug', rating: '4' };
const ANONYMOUS: FormValues = {
	comment: 'search is slow',
	category: 'Bug',
	anonymous: ['anonymous'],
};

/** The calls every stored submit makes, named or not, without announcements. */
const EVERY_SUBMIT = {
	// The form's settings and the announcement room, each its own call.
	'getSettings:getValueById': 5,
	// The feedback stored under the form's id, its deletion notes (of the two earlier versions,
	// then of this one, in that order) and the open form: read beside the settings.
	'getPersistenceReader:readByAssociations': 5,
	'getPersistence:createWithAssociations': 1,
	// The open form is forgotten.
	'getPersistence:removeByAssociations': 1,
	// The confirmation: its room, its sender and the ephemeral message.
	'getRoomReader:getById': 1,
	'getUserReader:getAppUser': 1,
	'getMessageBridge:doNotifyUser': 1,
};

describe('the calls of a submit of the feedback form', () => {
	const fixture = fixturePerTest('submit calls');

	it('a named submit marks its author before and after storing; the day marker once per instance and day', async () => {
		const { host } = fixture();
		const named = {
			...EVERY_SUBMIT,
			// The author's mark, looked at before the feedback is stored and again after.
			'getPersistenceReader:readByAssociations':
				EVERY_SUBMIT['getPersistenceReader:readByAssociations'] + 2,
			// The first submit writes the author's mark.
			'getPersistence:createWithAssociations': 2,
		};
		assert.deepEqual(await callsOfSubmit(host, 'clara', NAMED), {
			...named,
			// The first feedback of the day on this instance writes the day's marker.
			'getPersistence:updateByAssociations': 1,
		});
		assert.deepEqual(await callsOfSubmit(host, 'clara', NAMED), {
			...named,
			'getPersistence:createWithAssociations': 1,
		});
	});

	it('an anonymous submit writes no mark and reads none', async () => {
		const { host } = fixture();
		assert.deepEqual(await callsOfSubmit(host, 'clara', ANONYMOUS), {
			...EVERY_SUBMIT,
			'getPersistence:updateByAssociations': 1,
		});
		assert.deepEqual(await callsOfSubmit(host, 'bruno', ANONYMOUS), EVERY_SUBMIT);
	});

	it('a named submit announces once, reading the app user once for the confirmation and the post', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		await callsOfSubmit(host, 'clara', NAMED);
		assert.deepEqual(await callsOfSubmit(host, 'clara', NAMED), {
			...EVERY_SUBMIT,
			// The author's mark twice, the stored copy the announcement names, the "announced" marker,
			// the merges naming it (as duplicate, as target) and the votes of its group (the count on
			// its "Me too" button).
			'getPersistenceReader:readByAssociations':
				EVERY_SUBMIT['getPersistenceReader:readByAssociations'] + 7,
			// The feedback and the queue entry that is the announcement's backstop.
			'getPersistence:createWithAssociations': 2,
			// The open form, then the queue entry once announced.
			'getPersistence:removeByAssociations': 2,
			// The "announced" marker.
			'getPersistence:updateByAssociations': 1,
			'getRoomReader:getByName': 1,
			// The workspace language, whether custom fields are taken (two), the message size limit.
			'getServerSettings:getValueById': 4,
			// The room's newest messages before the post (a copy already there?) and after it.
			'getRoomReader:getMessages': 2,
			'getMessageBridge:doCreate': 1,
		});
	});
});
