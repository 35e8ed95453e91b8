import { Box, Button, ButtonGroup, Modal } from '@rocket.chat/fuselage';
import { kitContext, modalParser, UiKitComponent, UiKitModal } from '@rocket.chat/fuselage-ui-kit';
import type { FormEvent, ReactElement } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { IOpenViewDto, ViewStateDto } from '../shared/protocol';
import { groupStateByBlockId, renderableBlocks, textOf } from './uikit/blocks';
import { type BlockActionSender, useViewKit } from './uikit/useViewKit';

interface IAppModalProps {
	open: IOpenViewDto;
	/** Sends the view state; the answer (accepted or inline errors) comes back as the next `open`. */
	onSubmit: (viewId: string, state: ViewStateDto) => Promise<void>;
	/** The X, Cancel or Escape: the app gets view-closed. */
	onClose: (viewId: string) => Promise<void>;
	/** A button or a select of the modal: a blockAction (its answer may update the modal). */
	onAction: BlockActionSender;
}

interface IButtonSpec {
	text: string;
	style?: string;
}

function buttonOf(value: unknown): IButtonSpec | undefined {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}
	const button = value as { text?: unknown; style?: unknown };
	return {
		text: textOf(button.text),
		style: typeof button.style === 'string' ? button.style : undefined,
	};
}

/**
 * The modal an app opened, as Rocket.Chat draws it (apps/meteor/client/views/modal/uikit/
 * UiKitModal.tsx): a fuselage Modal frame (title, close, the view's close and submit buttons)
 * around fuselage-ui-kit's UiKitModal, with the field values and the app's inline errors in
 * kitContext; its buttons and selects send block actions.
 */
const AppModal = ({ open, onSubmit, onClose, onAction }: IAppModalProps): ReactElement => {
	const { view, viewId } = open;
	const blocks = useMemo(() => renderableBlocks(view), [view]);
	const { context, values } = useViewKit(open, onAction);
	const [busy, setBusy] = useState(false);
	// The modal can go away while a submit waits (the client's deadline passed): then stay quiet.
	const mounted = useRef(true);
	useEffect(
		() => () => {
			mounted.current = false;
		},
		[],
	);
	const submitButton = buttonOf(view.submit);
	const closeButton = buttonOf(view.close);

	const submit = useCallback(
		async (event?: FormEvent) => {
			event?.preventDefault();
			if (busy) {
				return;
			}
			setBusy(true);
			try {
				await onSubmit(viewId, groupStateByBlockId(values));
			} finally {
				if (mounted.current) {
					setBusy(false);
				}
			}
		},
		[busy, onSubmit, values, viewId],
	);

	const close = useCallback(() => {
		void onClose(viewId);
	}, [onClose, viewId]);

	useEffect(() => {
		const onKeyDown = (event: KeyboardEvent) => {
			if (event.key === 'Escape') {
				close();
			}
		};
		document.addEventListener('keydown', onKeyDown);
		return () => document.removeEventListener('keydown', onKeyDown);
	}, [close]);

	return (
		<kitContext.Provider value={context}>
			<Modal.Backdrop>
				<Modal open data-qa='app-modal' data-view-id={viewId} aria-label={textOf(view.title)}>
					<Modal.Header>
						{view.showIcon ? <Modal.Thumb url='/app-icon.png' /> : null}
						<Modal.Title>
							{modalParser.text(view.title as Parameters<typeof modalParser.text>[0])}
						</Modal.Title>
						<Modal.Close tabIndex={-1} onClick={close} data-qa='modal-close' />
					</Modal.Header>
					<Modal.Content>
						<Box is='form' method='post' action='#' onSubmit={submit}>
							<UiKitComponent render={UiKitModal} blocks={blocks} />
						</Box>
					</Modal.Content>
					<Modal.Footer>
						<ButtonGroup align='end'>
							{closeButton && (
								<Button
									danger={closeButton.style === 'danger'}
									onClick={close}
									data-qa='modal-cancel'
								>
									{closeButton.text}
								</Button>
							)}
							{submitButton && (
								<Button
									primary={submitButton.style !== 'danger'}
									danger={submitButton.style === 'danger'}
									disabled={busy}
									onClick={() => void submit()}
									data-qa='modal-submit'
								>
									{submitButton.text}
								</Button>
							)}
						</ButtonGroup>
					</Modal.Footer>
				</Modal>
			</Modal.Backdrop>
		</kitContext.Provider>
	);
};

export default AppModal;
