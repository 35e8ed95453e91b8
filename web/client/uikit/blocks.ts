import type { UiKitComponent } from '@rocket.chat/fuselage-ui-kit';
import type { ComponentProps } from 'react';

import type { ViewStateDto } from '../../shared/protocol';

/** The blocks UiKitComponent renders (the UIKit version fuselage-ui-kit 0.31.23 is built on). */
export type ModalBlocks = ComponentProps<typeof UiKitComponent>['blocks'];

/** A field's value as the modal keeps it: Rocket.Chat's client keeps the block id beside it. */
export interface IFieldValue {
	blockId: string;
	value: unknown;
}

/** Values by action id. */
export type FieldValues = Record<string, IFieldValue | undefined>;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a UIKit text object (`{ type: 'plain_text' | 'mrkdwn', text }`) or a string. */
export function textOf(value: unknown): string {
	if (typeof value === 'string') {
		return value;
	}
	return isRecord(value) && typeof value.text === 'string' ? value.text : '';
}

/**
 * The view's blocks, ready for UiKitModal. fuselage-ui-kit 0.31.23 renders an InputBlock's
 * `hint` as a React child, so a text object there would crash the render: it gets its text.
 */
export function renderableBlocks(view: Record<string, unknown>): ModalBlocks {
	const blocks = Array.isArray(view.blocks) ? (view.blocks as unknown[]) : [];
	return blocks
		.filter(isRecord)
		.map((block) =>
			block.type === 'input' && block.hint !== undefined
				? { ...block, hint: textOf(block.hint) }
				: block,
		) as unknown as ModalBlocks;
}

/** The initial value of an element: initialValue, initialOption's value, initialOptions' values. */
function initialValueOf(element: Record<string, unknown>): unknown {
	return (
		element.initialValue ??
		(isRecord(element.initialOption) ? element.initialOption.value : undefined) ??
		(Array.isArray(element.initialOptions)
			? element.initialOptions.filter(isRecord).map((option) => option.value)
			: undefined)
	);
}

/**
 * The values the view starts with: each element's initial value (an input's element, a
 * section's accessory, the elements of an actions block), by action id with the block id the
 * element reports (`element.blockId ?? block.blockId`), as Rocket.Chat's useUiKitView seeds them
 * once (extractInitialStateFromLayout) and keeps them across updates of the same view.
 */
export function initialValues(view: Record<string, unknown>): FieldValues {
	const values: FieldValues = {};
	const blocks = Array.isArray(view.blocks) ? (view.blocks as unknown[]) : [];
	for (const block of blocks) {
		if (!isRecord(block)) {
			continue;
		}
		const elements: unknown[] = [
			block.element,
			block.accessory,
			...(block.type === 'actions' && Array.isArray(block.elements) ? block.elements : []),
		];
		for (const element of elements) {
			if (!isRecord(element) || typeof element.actionId !== 'string') {
				continue;
			}
			const blockId = typeof element.blockId === 'string' ? element.blockId : block.blockId;
			const initial = initialValueOf(element);
			if (typeof blockId === 'string' && initial !== undefined) {
				values[element.actionId] = { blockId, value: initial };
			}
		}
	}
	return values;
}

/** `view.state` as Rocket.Chat's client submits it: values grouped by block id. */
export function groupStateByBlockId(values: FieldValues): ViewStateDto {
	const state: ViewStateDto = {};
	for (const [actionId, field] of Object.entries(values)) {
		if (!field) {
			continue;
		}
		state[field.blockId] = { ...state[field.blockId], [actionId]: field.value };
	}
	return state;
}
