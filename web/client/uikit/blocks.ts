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

/** The values the view starts with (each element's initialValue), as Rocket.Chat's useValues does. */
export function initialValues(view: Record<string, unknown>): FieldValues {
	const values: FieldValues = {};
	const blocks = Array.isArray(view.blocks) ? (view.blocks as unknown[]) : [];
	for (const block of blocks) {
		if (!isRecord(block) || block.type !== 'input' || !isRecord(block.element)) {
			continue;
		}
		const { element } = block;
		const blockId = typeof element.blockId === 'string' ? element.blockId : block.blockId;
		if (typeof element.actionId !== 'string' || typeof blockId !== 'string') {
			continue;
		}
		const initial =
			element.initialValue ??
			(isRecord(element.initialOption) ? element.initialOption.value : undefined) ??
			(Array.isArray(element.initialOptions)
				? element.initialOptions.filter(isRecord).map((option) => option.value)
				: undefined);
		if (initial !== undefined) {
			values[element.actionId] = { blockId, value: initial };
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
