import { Box } from '@rocket.chat/fuselage';
import { kitContext, UiKitComponent, UiKitMessage } from '@rocket.chat/fuselage-ui-kit';
import type { ComponentProps, ReactElement } from 'react';
import { useMemo } from 'react';

import type { ITimelineEntryDto } from '../shared/protocol';
import type { KitContextValue } from './uikit/useViewKit';

type MessageBlocks = ComponentProps<typeof UiKitComponent>['blocks'];

/** A block action on a message's element, as the page sends it. */
export type MessageActionSender = (
	messageId: string,
	action: { appId?: string; blockId: string; actionId: string; value: unknown },
) => Promise<void>;

/**
 * A message's UIKit blocks, as Rocket.Chat's message list renders them (UiKitMessageBlock with
 * useMessageBlockContextValue): a click sends a blockAction with `container: { type: 'message',
 * id }`, the room and the message id, to the app the element names (`element.appId ??
 * block.appId`: the message context gives none, so an element without one reaches no app).
 */
const MessageBlocksView = ({
	entry,
	onAction,
}: {
	entry: ITimelineEntryDto;
	onAction: MessageActionSender;
}): ReactElement => {
	const context = useMemo(() => {
		const value: Omit<KitContextValue, 'appId'> = {
			values: {},
			state: () => undefined,
			action: async ({ appId, blockId, actionId, value: actionValue }) => {
				await onAction(entry.id, { appId, blockId, actionId, value: actionValue });
			},
		};
		// The message context names no app (useMessageBlockContextValue): each element's does.
		return value as KitContextValue;
	}, [entry.id, onAction]);
	return (
		<kitContext.Provider value={context}>
			<Box className='try-message-blocks' data-qa='message-blocks'>
				<UiKitComponent render={UiKitMessage} blocks={entry.blocks as MessageBlocks} />
			</Box>
		</kitContext.Provider>
	);
};

export default MessageBlocksView;
