// Rocket.Chat refuses a message whose customFields the admin did not allow
// (apps/meteor/app/lib/server/lib/validateCustomMessageFields.ts): the setting
// Message_CustomFields_Enabled must be true, and the fields must satisfy the JSON schema in
// Message_CustomFields, compiled by ajv as `{ ...schema, type: 'object', additionalProperties: false }`.
// The app cannot run ajv, so it attaches `feedbackId` only when a plain schema plainly accepts it;
// any keyword it does not know means "post without custom fields", never a refused message.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SCHEMA_KEYWORDS = new Set([
	'$schema',
	'$id',
	'$comment',
	'title',
	'description',
	'type',
	'properties',
	'required',
	'additionalProperties',
]);

const STRING_KEYWORDS = new Set([
	'$comment',
	'title',
	'description',
	'type',
	'pattern',
	'minLength',
	'maxLength',
]);

function isObject(value: Json | undefined): value is { [key: string]: Json } {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSchema(text: string): Json | undefined {
	try {
		return JSON.parse(text) as Json;
	} catch {
		return undefined;
	}
}

function allowsType(type: Json | undefined, wanted: string): boolean {
	if (type === undefined) {
		return true;
	}
	return Array.isArray(type) ? type.includes(wanted) : type === wanted;
}

/** Whether a property schema accepts the id as ajv would (only the keywords listed above). */
function stringSchemaAccepts(schema: Json | undefined, value: string): boolean {
	if (schema === true) {
		return true;
	}
	if (!isObject(schema) || Object.keys(schema).some((keyword) => !STRING_KEYWORDS.has(keyword))) {
		return false;
	}
	const { type, pattern, minLength, maxLength } = schema;
	if (!allowsType(type, 'string')) {
		return false;
	}
	// ajv counts code points and compiles patterns with the u flag.
	const { length } = [...value];
	if (minLength !== undefined && !(typeof minLength === 'number' && length >= minLength)) {
		return false;
	}
	if (maxLength !== undefined && !(typeof maxLength === 'number' && length <= maxLength)) {
		return false;
	}
	if (pattern === undefined) {
		return true;
	}
	try {
		return typeof pattern === 'string' && new RegExp(pattern, 'u').test(value);
	} catch {
		return false;
	}
}

/** Whether the server's custom-field settings accept `{ feedbackId }` on a message. */
export function acceptsFeedbackIdField(
	enabled: unknown,
	schemaText: unknown,
	feedbackId: string,
): boolean {
	if (enabled !== true || typeof schemaText !== 'string') {
		return false;
	}
	const schema = parseSchema(schemaText);
	if (!isObject(schema) || Object.keys(schema).some((keyword) => !SCHEMA_KEYWORDS.has(keyword))) {
		return false;
	}
	const { type, properties, required } = schema;
	if (type !== undefined && type !== 'object') {
		return false;
	}
	if (required !== undefined) {
		if (!Array.isArray(required) || required.some((field) => field !== 'feedbackId')) {
			return false;
		}
	}
	return isObject(properties) && stringSchemaAccepts(properties.feedbackId, feedbackId);
}
