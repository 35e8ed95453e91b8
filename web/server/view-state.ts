import { HttpError, isRecord } from './http';
import { viewFields, type ViewState } from '../../host';

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
 * client sends it) against the fields the open view has had since it opened (the client keeps
 * the values of earlier views' fields: host/view-fields.ts initialValues) and returns it as
 * sent, for the app to read as is.
 */
export function checkViewState(
	view: Record<string, unknown>,
	state: unknown,
	fieldsShown?: Record<string, string[]>,
): ViewState {
	if (!isRecord(state)) {
		throw new HttpError(400, 'The body needs "state": { [blockId]: { [actionId]: value } }');
	}
	const fields = fieldsShown
		? new Map(Object.entries(fieldsShown).map(([blockId, actions]) => [blockId, new Set(actions)]))
		: fieldsOfView(view);
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

/** A block action as the page sends it (IBlockActionRequestDto), checked. */
export interface ICheckedBlockAction {
	container: { type: 'view' | 'message'; id: string };
	room?: string;
	blockId: string;
	actionId: string;
	value?: unknown;
}

/** Checks a block action's body: where, which element, and a value an element can hold. */
export function checkBlockAction(body: unknown): ICheckedBlockAction {
	if (!isRecord(body)) {
		throw new HttpError(400, 'The body must be a JSON object');
	}
	const { container, room, blockId, actionId, value } = body;
	if (
		!isRecord(container) ||
		(container.type !== 'view' && container.type !== 'message') ||
		typeof container.id !== 'string' ||
		container.id === ''
	) {
		throw new HttpError(
			400,
			'The body needs "container": { "type": "view" | "message", "id": <view or message id> }',
		);
	}
	for (const [field, text] of [
		['blockId', blockId],
		['actionId', actionId],
	] as const) {
		if (typeof text !== 'string' || text === '') {
			throw new HttpError(400, `The body needs "${field}" (a non-empty string)`);
		}
	}
	if (room !== undefined && typeof room !== 'string') {
		throw new HttpError(400, '"room" must be a room name');
	}
	if (value !== undefined && !isFieldValue(value)) {
		throw new HttpError(
			400,
			'"value" must be a string, a number, a boolean, null or a list of strings',
		);
	}
	return {
		container: { type: container.type, id: container.id },
		...(room !== undefined ? { room } : {}),
		blockId: blockId as string,
		actionId: actionId as string,
		...(value !== undefined ? { value } : {}),
	};
}
