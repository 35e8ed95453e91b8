import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import Ajv from 'ajv';

import { acceptsFeedbackIdField } from '../../src/domain/customFields';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** What Rocket.Chat does with the setting (apps/meteor/app/lib/server/lib/validateCustomMessageFields.ts). */
function serverAccepts(enabled: unknown, schemaText: string, customFields: object): boolean {
	if (enabled !== true) {
		return false;
	}
	try {
		const schema = JSON.parse(schemaText) as { type?: unknown };
		if (schema.type && schema.type !== 'object') {
			return false;
		}
		const validate = new Ajv().compile({ ...schema, type: 'object', additionalProperties: false });
		return validate(customFields) === true;
	} catch {
		return false;
	}
}

const SCHEMAS: Record<string, unknown> = {
	'declares feedbackId': { type: 'object', properties: { feedbackId: { type: 'string' } } },
	'no type at the top': { properties: { feedbackId: { type: 'string' } } },
	'feedbackId required': {
		type: 'object',
		properties: { feedbackId: { type: 'string' } },
		required: ['feedbackId'],
	},
	'feedbackId of any type': { type: 'object', properties: { feedbackId: {} } },
	'feedbackId true': { type: 'object', properties: { feedbackId: true } },
	'a matching pattern': {
		type: 'object',
		properties: { feedbackId: { type: 'string', pattern: '^[0-9a-f-]{36}$' } },
	},
	'a pattern the id fails': {
		type: 'object',
		properties: { feedbackId: { type: 'string', pattern: '^[A-Z]+$' } },
	},
	'a broken pattern': {
		type: 'object',
		properties: { feedbackId: { type: 'string', pattern: '(' } },
	},
	'too short a maxLength': {
		type: 'object',
		properties: { feedbackId: { type: 'string', maxLength: 8 } },
	},
	'lengths that fit': {
		type: 'object',
		properties: { feedbackId: { type: 'string', minLength: 36, maxLength: 36 } },
	},
	'feedbackId a number': { type: 'object', properties: { feedbackId: { type: 'number' } } },
	'string or null': { type: 'object', properties: { feedbackId: { type: ['string', 'null'] } } },
	'no feedbackId': { type: 'object', properties: { ticket: { type: 'string' } } },
	'another field required': {
		type: 'object',
		properties: { feedbackId: { type: 'string' }, ticket: { type: 'string' } },
		required: ['ticket'],
	},
	'other optional fields': {
		type: 'object',
		properties: { feedbackId: { type: 'string' }, ticket: { type: 'string' } },
	},
	'an array schema': { type: 'array' },
	'an unknown keyword': {
		type: 'object',
		properties: { feedbackId: { type: 'string' } },
		minProperties: 2,
	},
	'a format (ajv knows none without plugins)': {
		type: 'object',
		properties: { feedbackId: { type: 'string', format: 'uuid' } },
	},
	'an enum': { type: 'object', properties: { feedbackId: { enum: ['x'] } } },
	'empty object': {},
};

describe('custom fields on the announcement', () => {
	it('are attached only where the server, with ajv, accepts them', () => {
		let attached = 0;
		for (const [name, schema] of Object.entries(SCHEMAS)) {
			const text = JSON.stringify(schema);
			const ours = acceptsFeedbackIdField(true, text, ID);
			if (ours) {
				attached += 1;
				assert.ok(
					serverAccepts(true, text, { feedbackId: ID }),
					`${name}: the server would refuse`,
				);
			}
		}
		// The plain schemas an admin writes for it are used, not just refused wholesale.
		assert.ok(attached >= 8, `only ${attached} schemas attached the id`);
		for (const name of [
			'declares feedbackId',
			'feedbackId required',
			'a matching pattern',
			'string or null',
		]) {
			assert.equal(acceptsFeedbackIdField(true, JSON.stringify(SCHEMAS[name]), ID), true, name);
		}
	});

	it('are never attached while custom fields are off or the schema is not JSON', () => {
		const schema = JSON.stringify(SCHEMAS['declares feedbackId']);
		for (const enabled of [false, undefined, 'true', 1]) {
			assert.equal(acceptsFeedbackIdField(enabled, schema, ID), false, String(enabled));
		}
		for (const text of ['', '{', 'null', '"x"', '[]', undefined, 42]) {
			assert.equal(acceptsFeedbackIdField(true, text, ID), false, String(text));
		}
	});
});
