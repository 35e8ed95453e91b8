import { Box, CheckBox } from '@rocket.chat/fuselage';
import { useUiKitState } from '@rocket.chat/fuselage-ui-kit';
import type { modalParser } from '@rocket.chat/fuselage-ui-kit';
import type { ChangeEvent, ReactElement } from 'react';

/** UIKit's `checkbox` element, typed by the UIKit version fuselage-ui-kit is built on. */
export type CheckboxBlock = Extract<Parameters<typeof useUiKitState>[0], { type: 'checkbox' }>;

/** The block context the renderer passes (an enum of that same UIKit version). */
export type RenderContext = Parameters<typeof useUiKitState>[1];

interface ICheckboxElementProps {
	block: CheckboxBlock;
	context: RenderContext;
	surfaceRenderer: typeof modalParser;
}

/**
 * A `checkbox` element: fuselage-ui-kit 0.31.23 has no renderer for it (Rocket.Chat added one
 * later, with this markup: a fuselage CheckBox and the option's text per option). Its value is
 * the list of checked option values, as Rocket.Chat sends it.
 */
const CheckboxElement = ({
	block,
	context,
	surfaceRenderer,
}: ICheckboxElementProps): ReactElement => {
	const [{ loading, value }, action] = useUiKitState(block, context);
	const checked: string[] = Array.isArray(value) ? (value as string[]) : [];

	const toggle = (optionValue: string) => (event: ChangeEvent<HTMLInputElement>) => {
		const next = event.currentTarget.checked
			? [...checked.filter((item) => item !== optionValue), optionValue]
			: checked.filter((item) => item !== optionValue);
		action({ target: { value: next } });
	};

	return (
		<Box>
			{block.options.map((option) => {
				const id = `${block.actionId}-${option.value}`;
				return (
					<Box key={option.value} display='flex' alignItems='center' pb={4}>
						<CheckBox
							id={id}
							disabled={loading}
							value={option.value}
							checked={checked.includes(option.value)}
							onChange={toggle(option.value)}
						/>
						<Box is='label' htmlFor={id} pis={8} fontScale='p2' color='default'>
							{surfaceRenderer.text(option.text)}
						</Box>
					</Box>
				);
			})}
		</Box>
	);
};

export default CheckboxElement;
