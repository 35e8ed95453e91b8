import type { kitContext } from '@rocket.chat/fuselage-ui-kit';
import type { ComponentProps } from 'react';
import { useMemo, useState } from 'react';

import { initialValues } from './blocks';
import type { FieldValues } from './blocks';
import type { IBlockActionRequestDto, IOpenViewDto } from '../../shared/protocol';

/** What fuselage-ui-kit's elements read from their context. */
export type KitContextValue = ComponentProps<typeof kitContext.Provider>['value'];

/** Sends a block action to the page's server; resolves once the answer is applied. */
export type BlockActionSender = (request: IBlockActionRequestDto) => Promise<void>;

/**
 * The context of an open view (modal or contextual bar), as Rocket.Chat's useUiKitView and
 * useModalContextValue / useContextualBarContextValue give it: the values the member has set
 * (seeded once from the layout, kept across updates of the same view, so an update does not
 * reset what was typed), the app's errors, `state` (a value changed) and `action` (a button,
 * or a select in an actions block or section: a blockAction with `container: { type: 'view',
 * id }`). Errors show only when they arrived while this page was open: a reloaded page starts
 * clean, as Rocket.Chat's client keeps them in memory only.
 */
export function useViewKit(
	open: IOpenViewDto,
	onAction: BlockActionSender,
): { context: KitContextValue; values: FieldValues } {
	const { appId, viewId, errors, errorsVersion } = open;
	const [values, setValues] = useState<FieldValues>(() => initialValues(open.view));
	const [errorsSeenAtOpen] = useState(errorsVersion);
	const shownErrors = useMemo(
		() => (errorsVersion > errorsSeenAtOpen ? errors : {}),
		[errors, errorsVersion, errorsSeenAtOpen],
	);
	const context = useMemo<KitContextValue>(
		() => ({
			appId,
			viewId,
			errors: shownErrors,
			values: values as KitContextValue['values'],
			state: ({ actionId, blockId, value }) => {
				setValues((previous) => ({ ...previous, [actionId]: { blockId, value } }));
			},
			action: async ({ actionId, blockId, value, viewId: actionViewId }) => {
				// useModalContextValue: `if (!appId || !viewId) return;`
				if (!actionViewId) {
					return;
				}
				await onAction({
					container: { type: 'view', id: actionViewId },
					blockId,
					actionId,
					value,
				});
			},
		}),
		[appId, viewId, shownErrors, values, onAction],
	);
	return { context, values };
}
