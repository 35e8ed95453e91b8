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

/**
 * The elements of a view's blocks (element, accessory or elements) with where their value goes
 * in `view.state`: the block id the element reports (`element.blockId ?? block.blockId`, as
 * fuselage-ui-kit passes it to the client's state), in order.
 */
export function viewFields(view: Record<string, unknown>): IViewField[] {
	return actionableElements(view.blocks).map(({ blockId, actionId, element }) => ({
		blockId,
		actionId,
		element,
	}));
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

/** An element a member can act on, where fuselage-ui-kit finds its ids. */
export interface IActionableElement {
	/** `element.blockId ?? block.blockId` (ActionsBlock, InputBlock, SectionBlock pass it so). */
	readonly blockId: string;
	readonly actionId: string;
	/** `element.appId ?? block.appId`: where a message's element gets its app. */
	readonly appId?: string;
	readonly element: Record<string, unknown>;
}

/** Every element with an action id in some blocks (input element, section accessory, actions and context elements). */
export function actionableElements(blocks: unknown): IActionableElement[] {
	const found: IActionableElement[] = [];
	for (const block of Array.isArray(blocks) ? (blocks as unknown[]) : []) {
		if (!isRecord(block)) {
			continue;
		}
		const elements: unknown[] = [
			block.element,
			block.accessory,
			...(Array.isArray(block.elements) ? (block.elements as unknown[]) : []),
		];
		for (const element of elements) {
			if (!isRecord(element) || typeof element.actionId !== 'string') {
				continue;
			}
			const blockId = typeof element.blockId === 'string' ? element.blockId : block.blockId;
			const appId = typeof element.appId === 'string' ? element.appId : block.appId;
			if (typeof blockId !== 'string') {
				continue;
			}
			found.push({
				blockId,
				actionId: element.actionId,
				...(typeof appId === 'string' && appId !== '' ? { appId } : {}),
				element,
			});
		}
	}
	return found;
}

/** The element with these ids in some blocks, if any. */
export function findElement(
	blocks: unknown,
	ids: { blockId: string; actionId: string },
): IActionableElement | undefined {
	return actionableElements(blocks).find(
		(candidate) => candidate.blockId === ids.blockId && candidate.actionId === ids.actionId,
	);
}
