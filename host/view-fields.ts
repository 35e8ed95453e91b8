/** `view.state` as Rocket.Chat's client sends it: values by block id, then action id. */
export type ViewState = Record<string, Record<string, unknown>>;

/** One input element of a UIKit view: where its value goes in `view.state`. */
export interface IViewField {
	readonly blockId: string;
	readonly actionId: string;
	readonly element: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The input elements of a view's blocks (element, accessory or elements), in order. */
export function viewFields(view: Record<string, unknown>): IViewField[] {
	const fields: IViewField[] = [];
	const blocks: unknown[] = Array.isArray(view.blocks) ? view.blocks : [];
	for (const block of blocks) {
		if (!isRecord(block) || typeof block.blockId !== 'string') {
			continue;
		}
		const elements: unknown[] = [
			block.element,
			block.accessory,
			...(Array.isArray(block.elements) ? (block.elements as unknown[]) : []),
		];
		for (const element of elements) {
			if (isRecord(element) && typeof element.actionId === 'string') {
				fields.push({ blockId: block.blockId, actionId: element.actionId, element });
			}
		}
	}
	return fields;
}

/** Turns an error map from the app into strings by action id. */
export function toErrorMap(errors: Record<string, unknown>): Record<string, string> {
	return Object.fromEntries(
		Object.entries(errors).map(([actionId, message]) => [actionId, String(message)]),
	);
}

/** Builds `view.state[blockId][actionId]` from values by action id, as the client sends it. */
export function buildViewState(
	view: Record<string, unknown>,
	values: Record<string, unknown>,
): ViewState {
	const state: ViewState = {};
	const known = new Set<string>();
	for (const { blockId, actionId, element } of viewFields(view)) {
		known.add(actionId);
		const value = actionId in values ? values[actionId] : element.initialValue;
		state[blockId] = state[blockId] ?? {};
		if (value !== undefined) {
			state[blockId][actionId] = value;
		}
	}
	const unknown = Object.keys(values).filter((actionId) => !known.has(actionId));
	if (unknown.length > 0) {
		throw new Error(
			`The open view has no field ${unknown.join(', ')}; fields: ${[...known].join(', ')}`,
		);
	}
	return state;
}
