import { messageParser, modalParser } from '@rocket.chat/fuselage-ui-kit';
import type { ReactElement } from 'react';

import CheckboxElement from './CheckboxElement';
import type { CheckboxBlock, RenderContext } from './CheckboxElement';
import ContextBlock from './ContextBlock';
import type { ContextBlockData } from './ContextBlock';
import MessageText from '../MessageText';

type ModalRenderer = typeof modalParser & {
	checkbox?: (block: CheckboxBlock, context: RenderContext, index: number) => ReactElement | null;
};

type ContextRenderer = (
	block: ContextBlockData,
	context: RenderContext,
	index: number,
) => ReactElement | null;

type MarkdownRenderer = (
	text: { text?: string },
	context: RenderContext,
	index: number,
) => ReactElement | null;

/** The block context in which a text object is not drawn (fuselage-ui-kit's own rule). */
const BLOCK_CONTEXT = 0;

/**
 * UIKit's `mrkdwn` text as Rocket.Chat draws it now (fuselage-ui-kit's MarkdownTextElement:
 * gazzodown over `parse(text, { emoticons: false })`); 0.31.23 showed it as plain text.
 */
const renderMarkdown: MarkdownRenderer = ({ text = '' }, context, index) => {
	if ((context as unknown as number) === BLOCK_CONTEXT || !text) {
		return null;
	}
	return <MessageText key={index} text={text} emoticons={false} />;
};

/**
 * Teaches the modal renderer of fuselage-ui-kit 0.31.23 the `checkbox` element it lacks (the
 * renderer looks elements up by type on itself), and both renderers `mrkdwn` and context blocks
 * as Rocket.Chat draws them now. Everything else is rendered by the package.
 */
export function registerMissingElements(): void {
	for (const parser of [modalParser, messageParser]) {
		(parser as unknown as { mrkdwn: MarkdownRenderer }).mrkdwn = renderMarkdown;
		const renderContext: ContextRenderer = (block, context, index) =>
			(context as unknown as number) === BLOCK_CONTEXT ? (
				<ContextBlock key={index} block={block} parser={parser} />
			) : null;
		(parser as unknown as { context: ContextRenderer }).context = renderContext;
	}
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
