import { HttpError, isRecord } from './http';
import { viewFields, type ViewState } from '../../host/view-fields';

/** The input fields of a UIKit view: action ids by block id. */
export function fieldsOfView(view: Record<string, unknown>): Map<string, Set<string>> {
	const fields = new Map<string, Set<string>>();
	for (const { blockId, actionId } of viewFields(view)) {
		fields.set(blockId, (fields.get(blockId) ?? new Set<string>()).add(actionId));
	}
	return fields;
}

/** A value a UIKit element can hold: text, a selected option, several options. */
function isFieldValue(value: unknown): boolean {
	return (
		value === null ||
		typeof value === 'string' ||
		typeof value === 'boolean' ||
		(typeof value === 'number' && Number.isFinite(value)) ||
		(Array.isArray(value) && value.every((item) => typeof item === 'string'))
	);
}

/**
 * Checks a submitted `view.state` (values by block id, then action id, as Rocket.Chat's
 * client sends it) against the open view and returns it as sent, for the app to read as is.
 */
export function checkViewState(view: Record<string, unknown>, state: unknown): ViewState {
	if (!isRecord(state)) {
		throw new HttpError(400, 'The body needs "state": { [blockId]: { [actionId]: value } }');
	}
	const fields = fieldsOfView(view);
	const known = [...fields].flatMap(([blockId, actions]) =>
		[...actions].map((actionId) => `${blockId}.${actionId}`),
	);
	const checked: ViewState = {};
	for (const [blockId, block] of Object.entries(state)) {
		if (!isRecord(block)) {
			throw new HttpError(400, `state.${blockId} must be an object of values by action id`);
		}
		checked[blockId] = {};
		for (const [actionId, value] of Object.entries(block)) {
			if (!fields.get(blockId)?.has(actionId)) {
				throw new HttpError(
					400,
					`The open view has no field ${blockId}.${actionId}; fields: ${known.join(', ')}`,
				);
			}
			if (!isFieldValue(value)) {
				throw new HttpError(
					400,
					`state.${blockId}.${actionId} must be a string, a number, a boolean, null or a list of strings`,
				);
			}
			checked[blockId][actionId] = value;
		}
	}
	return checked;
}
