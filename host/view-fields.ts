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
