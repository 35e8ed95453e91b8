import { Box, Button, ButtonGroup, IconButton } from '@rocket.chat/fuselage';
import { kitContext, modalParser, UiKitComponent, UiKitModal } from '@rocket.chat/fuselage-ui-kit';
import type { FormEvent, ReactElement } from 'react';
import { useCallback, useMemo } from 'react';

import type { IOpenViewDto, ViewStateDto } from '../shared/protocol';
import { groupStateByBlockId, renderableBlocks, textOf } from './uikit/blocks';
import { type BlockActionSender, useViewKit } from './uikit/useViewKit';

interface IAppContextualBarProps {
	open: IOpenViewDto;
	/** The view's submit button (the client closes the bar first, then sends viewSubmit). */
	onSubmit: (viewId: string, state: ViewStateDto) => Promise<void>;
	/** The X (`cleared`) or the view's close button: the app gets view-closed. */
	onClose: (viewId: string, cleared: boolean) => Promise<void>;
	/** A button or a select in the bar: a blockAction (its answer may update the bar). */
	onAction: BlockActionSender;
}

function buttonText(value: unknown): string | undefined {
	return typeof value === 'object' && value !== null
		? textOf((value as { text?: unknown }).text)
		: undefined;
}

/**
 * The contextual bar an app opened beside the room, as Rocket.Chat draws it
 * (apps/meteor/client/views/room/contextualBar/uikit/UiKitContextualBar.tsx): a header with the
 * app's icon, the title and the X, the blocks, and a footer with the view's close and submit
 * buttons. fuselage-ui-kit 0.31.23 has no contextual bar renderer (UiKitContextualBar came
 * later): its modal renderer draws the blocks, which is what the contextual bar renderer is.
 */
const AppContextualBar = ({
	open,
	onSubmit,
	onClose,
	onAction,
}: IAppContextualBarProps): ReactElement => {
	const { view, viewId } = open;
	const blocks = useMemo(() => renderableBlocks(view), [view]);
	const { context, values } = useViewKit(open, onAction);
	const closeText = buttonText(view.close);
	const submitText = buttonText(view.submit);

	const submit = useCallback(
		(event?: FormEvent) => {
			event?.preventDefault();
			void onSubmit(viewId, groupStateByBlockId(values));
		},
		[onSubmit, values, viewId],
	);

	return (
		<kitContext.Provider value={context}>
			<Box
				is='aside'
				className='try-panel try-app-bar'
				data-qa='contextual-bar'
				data-view-id={viewId}
				aria-label={textOf(view.title)}
			>
				<Box className='try-panel-header'>
					<img className='try-panel-icon' src='/app-icon.png' alt='' />
					<Box className='try-panel-title' data-qa='contextual-bar-title'>
						{modalParser.text(view.title as Parameters<typeof modalParser.text>[0])}
					</Box>
					<IconButton
						icon='cross'
						small
						title='Close'
						onClick={() => void onClose(viewId, true)}
						data-qa='contextual-bar-close'
					/>
				</Box>
				<Box className='try-panel-content'>
					<Box is='form' method='post' action='#' onSubmit={submit} className='try-app-bar-form'>
						<UiKitComponent render={UiKitModal} blocks={blocks} />
					</Box>
				</Box>
				{(closeText || submitText) && (
					<Box className='try-panel-footer'>
						<ButtonGroup stretch>
							{closeText && (
								<Button onClick={() => void onClose(viewId, false)} data-qa='contextual-bar-cancel'>
									{closeText}
								</Button>
							)}
							{submitText && (
								<Button primary onClick={() => submit()} data-qa='contextual-bar-submit'>
									{submitText}
								</Button>
							)}
						</ButtonGroup>
					</Box>
				)}
			</Box>
		</kitContext.Provider>
	);
};

export default AppContextualBar;
