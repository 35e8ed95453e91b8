import {
	Box,
	Field,
	NumberInput,
	Select,
	TextAreaInput,
	TextInput,
	ToggleSwitch,
} from '@rocket.chat/fuselage';
import type { ChangeEvent, ReactElement } from 'react';

import type { ISettingDto } from '../shared/protocol';

interface ISettingFieldProps {
	setting: ISettingDto;
	/** The value being edited (not saved yet), or the stored one. */
	value: unknown;
	onChange: (value: unknown) => void;
}

/** A stored or edited value as the text of an input. */
function asText(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
		? String(value)
		: '';
}

function inputFor({ setting, value, onChange }: ISettingFieldProps): ReactElement {
	const id = `setting-${setting.id}`;
	switch (setting.type) {
		case 'boolean':
			return (
				<ToggleSwitch
					id={id}
					data-qa={id}
					checked={value === true}
					onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.currentTarget.checked)}
				/>
			);
		case 'int':
			return (
				<NumberInput
					id={id}
					data-qa={id}
					value={asText(value)}
					onChange={(event: ChangeEvent<HTMLInputElement>) => {
						const raw = event.currentTarget.value;
						onChange(raw.trim() === '' || Number.isNaN(Number(raw)) ? raw : Number(raw));
					}}
				/>
			);
		case 'select':
			return (
				<Select
					id={id}
					data-qa={id}
					value={asText(value)}
					options={(setting.values ?? []).map((entry) => [entry.key, entry.label] as const)}
					onChange={(selected) => onChange(selected)}
				/>
			);
		case 'code':
			return (
				<Box className='try-code-input' width='full'>
					<TextAreaInput
						id={id}
						data-qa={id}
						width='full'
						rows={8}
						value={asText(value)}
						onChange={(event: ChangeEvent<HTMLTextAreaElement>) =>
							onChange(event.currentTarget.value)
						}
					/>
				</Box>
			);
		default:
			return (
				<TextInput
					id={id}
					data-qa={id}
					value={asText(value)}
					onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.currentTarget.value)}
				/>
			);
	}
}

/**
 * One setting with its label and description, as Administration shows it, and for an app
 * setting what the app uses of the stored value (with the reason when it is not used as typed).
 */
const SettingField = (props: ISettingFieldProps): ReactElement => {
	const { setting } = props;
	const { inEffect } = setting;
	return (
		<Field className='try-setting' data-qa='setting' data-setting-id={setting.id}>
			<Field.Label htmlFor={`setting-${setting.id}`}>
				{setting.label}
				{setting.required ? ' *' : ''}
			</Field.Label>
			<Field.Row>{inputFor(props)}</Field.Row>
			{setting.description && <Field.Hint>{setting.description}</Field.Hint>}
			{inEffect && (
				<Box
					className='try-setting-in-effect'
					data-qa='setting-in-effect'
					data-ignored={inEffect.ignored === true}
				>
					The app uses: <strong>{inEffect.value}</strong>
					{inEffect.note ? ` (${inEffect.note})` : ''}
				</Box>
			)}
		</Field>
	);
};

export default SettingField;
