import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { describe, it } from 'node:test';

import { v4 as uuidV4, v5 as uuidV5 } from 'uuid';

import { formOfView, formState, viewIdForForm } from '../../src/domain/form';
import {
	cryptoIds,
	feedbackIdOfForm,
	formatUuid,
	idSource,
	newId,
	pendingFormKey,
} from '../../src/domain/ids';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NAMESPACE = '6f1c2a8e-3b7d-4f2e-9a51-0c4d8e7b2f10';

describe('ids without uuid (node crypto)', () => {
	const ids = cryptoIds(crypto);

	it('v5 equals uuid v5 for the same name and namespace, unicode names included', () => {
		for (const name of [
			'alice',
			'user-1',
			'',
			'Zo\u00eb \u{1F468}\u200D\u{1F469}\u200D\u{1F467}',
			'x'.repeat(500),
			'fake-id-123',
		]) {
			assert.equal(ids.v5(name, NAMESPACE), uuidV5(name, NAMESPACE), name);
		}
		assert.equal(ids.v5('example.org', uuidV5.DNS), uuidV5('example.org', uuidV5.DNS));
	});

	it('v4 has uuid v4 form and does not repeat', () => {
		const drawn = new Set(Array.from({ length: 1000 }, () => ids.v4()));
		assert.equal(drawn.size, 1000);
		for (const id of drawn) {
			assert.match(id, UUID_V4);
			assert.match(uuidV4(), UUID_V4);
		}
	});

	it('formatUuid stamps version and variant on any bytes', () => {
		assert.equal(
			formatUuid(new Uint8Array(16).fill(0xff), 4),
			'ffffffff-ffff-4fff-bfff-ffffffffffff',
		);
		assert.equal(formatUuid(new Uint8Array(20), 5), '00000000-0000-5000-8000-000000000000');
	});
});

describe('ids in this process', () => {
	it('take uuid where it can be required', () => {
		assert.equal(idSource(), 'uuid');
		assert.match(newId(), UUID_V4);
	});
});

describe('a form id', () => {
	it('gives every instance the same feedback id, and the member a key that is neither', () => {
		const formId = newId();
		assert.equal(feedbackIdOfForm(formId), feedbackIdOfForm(formId));
		assert.equal(pendingFormKey(formId), pendingFormKey(formId));
		const derived = [formId, pendingFormKey(formId), feedbackIdOfForm(formId)];
		assert.equal(new Set(derived).size, 3, 'three different ids');
		assert.notEqual(feedbackIdOfForm(newId()), feedbackIdOfForm(formId));
	});

	it('rides in the fields’ block ids and the submit button, not the view id; a view id of an earlier version (a feedback id) asks for a new form', () => {
		const formId = newId();
		const id = viewIdForForm(newId());
		assert.ok(!id.includes(formId));
		// The mobile app sends a submit's view id and state only (ModalBlockView.submit).
		const state = { [`comment:${formId}`]: { comment: 'hi' } };
		assert.deepEqual(formOfView({ id, state }), { kind: 'form', formId });
		assert.deepEqual(formState(state), { comment: { comment: 'hi' } });
		assert.deepEqual(formOfView({ id, submit: { value: formId } }), { kind: 'form', formId });
		assert.deepEqual(formOfView({ id: `feedback-form:${newId()}` }), { kind: 'earlier' });
		assert.deepEqual(formOfView({ id, submit: { value: 'not-an-id' } }), { kind: 'unidentified' });
		assert.deepEqual(formOfView({ id }), { kind: 'unidentified' });
		const forged = { [`comment:${formId}`]: {}, [`rating:${newId()}`]: {} };
		assert.equal(formOfView({ id, state: forged }), undefined, 'two form ids: neither');
		assert.equal(formOfView({ id: 'admin-view', submit: { value: formId } }), undefined);
	});
});
