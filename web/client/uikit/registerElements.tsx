import { modalParser } from '@rocket.chat/fuselage-ui-kit';
import type { ReactElement } from 'react';

import CheckboxElement from './CheckboxElement';
import type { CheckboxBlock, RenderContext } from './CheckboxElement';

type ModalRenderer = typeof modalParser & {
	checkbox?: (block: CheckboxBlock, context: RenderContext, index: number) => ReactElement | null;
};

/**
 * Teaches the modal renderer of fuselage-ui-kit 0.31.23 the `checkbox` element it lacks (the
 * renderer looks elements up by type on itself). Everything else is rendered by the package.
 */
export function registerMissingElements(): void {
	const renderer = modalParser as ModalRenderer;
	if (renderer.checkbox) {
		return;
	}
	renderer.checkbox = (block, context, index) => (
		<CheckboxElement
			key={block.actionId || index}
			block={block}
			context={context}
			surfaceRenderer={modalParser}
		/>
	);
}
