import { Box } from '@rocket.chat/fuselage';
import type { modalParser } from '@rocket.chat/fuselage-ui-kit';
import type { ReactElement } from 'react';
import { Fragment } from 'react';

/** A surface renderer of fuselage-ui-kit (the modal's or the message's). */
export type SurfaceParser = Pick<typeof modalParser, 'renderContextBlockElement'>;

/** A context block, as the renderer hands it over. */
export type ContextBlockData = Parameters<typeof modalParser.context>[0];

/**
 * A context block as Rocket.Chat draws it now (packages/fuselage-ui-kit, ContextBlock.tsx and
 * ContextBlock.Item.tsx): its texts small and muted, `color='hint'`. fuselage-ui-kit 0.31.23
 * gave them `color='info'`, the blue of a link, so a note read as something to click.
 */
export default function ContextBlock({
	block,
	parser,
}: {
	block: ContextBlockData;
	parser: SurfaceParser;
}): ReactElement {
	return (
		<Box display='flex' alignItems='center' margin={-4} data-qa='context-block'>
			{block.elements.map((element, index) => {
				// Texts and images only: nothing here sends an action, so no app or block id is needed.
				const rendered = parser.renderContextBlockElement(element, index);
				if (!rendered) {
					return null;
				}
				if (element.type === 'plain_text' || element.type === 'mrkdwn') {
					return (
						<Box key={index} is='span' fontScale='c1' color='hint' margin={4}>
							{rendered}
						</Box>
					);
				}
				return <Fragment key={index}>{rendered}</Fragment>;
			})}
		</Box>
	);
}
