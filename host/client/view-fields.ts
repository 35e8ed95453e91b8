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

/** What a client keeps of one field while its modal is open: the value and the block it reports. */
export interface IKeptValue {
	readonly blockId: string;
	readonly value: unknown;
}

/**
 * The values a client starts a modal with: the initial value of every field that has one, by
 * action id. Both clients take them once, when the modal opens, and never again while it stays
 * open, whatever updates change (web: apps/meteor/client/views/modal/uikit/hooks/useValues.ts,
 * a reducer initialised from the first view's blocks; mobile: ModalBlockView's constructor,
 * `this.values`). So an update's new initial values are shown but not sent.
 */
export function initialValues(view: Record<string, unknown>): Record<string, IKeptValue> {
	const kept: Record<string, IKeptValue> = {};
	for (const { blockId, actionId, element } of viewFields(view)) {
		// `!!element.initialValue` (useValues) and `element.initialValue &&` (filterInputFields).
		if (element.initialValue) {
			kept[actionId] = { blockId, value: element.initialValue };
		}
	}
	return kept;
}

/** `view.state` from the values a client keeps (`groupStateByBlockId` in both clients). */
export function stateOfKept(kept: Record<string, IKeptValue>): ViewState {
	const state: ViewState = {};
	for (const [actionId, { blockId, value }] of Object.entries(kept)) {
		state[blockId] = { ...state[blockId], [actionId]: value };
	}
	return state;
}

/**
 * The values a client keeps after the member gave `values` (by action id) in the view shown now:
 * each goes under the block id its field reports. A value for a field the view does not have
 * is refused.
 */
export function keepValues(
	view: Record<string, unknown>,
	kept: Record<string, IKeptValue>,
	values: Record<string, unknown>,
): Record<string, IKeptValue> {
	const fields = new Map(viewFields(view).map((field) => [field.actionId, field]));
	const unknown = Object.keys(values).filter((actionId) => !fields.has(actionId));
	if (unknown.length > 0) {
		throw new Error(
			`The open view has no field ${unknown.join(', ')}; fields: ${[...fields.keys()].join(', ')}`,
		);
	}
	const next = { ...kept };
	for (const [actionId, value] of Object.entries(values)) {
		next[actionId] = { blockId: fields.get(actionId)?.blockId ?? actionId, value };
	}
	return next;
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
