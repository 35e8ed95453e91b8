import { Box, Button, ButtonGroup, Callout, FieldGroup, Throbber } from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';
import { useState } from 'react';

import SettingField from './SettingField';
import { api, segment } from './api';
import type { ISettingDto, IUpdateSettingResultDto } from '../shared/protocol';

interface ISettingsGroupProps {
	title: string;
	/** `settings` (the app's, PUT /api/settings/:id) or `server-settings` (PUT /api/server-settings/:id). */
	kind: 'settings' | 'server-settings';
	settings: ISettingDto[] | undefined;
}

/** One form of settings with its own Save: what was saved, and what the app will use of it. */
const SettingsGroup = ({ title, kind, settings }: ISettingsGroupProps): ReactElement => {
	const [edits, setEdits] = useState<Record<string, unknown>>({});
	const [saving, setSaving] = useState(false);
	const [error, setError] = useState<string>();
	const [saved, setSaved] = useState<ISettingDto[]>();
	const changed = Object.keys(edits).filter((id) => {
		const stored = settings?.find((setting) => setting.id === id);
		return stored !== undefined && stored.value !== edits[id];
	});
	const ignored = (saved ?? []).filter((setting) => setting.inEffect?.ignored);

	const save = async () => {
		setSaving(true);
		setError(undefined);
		setSaved(undefined);
		const results: ISettingDto[] = [];
		try {
			for (const id of changed) {
				const answer = await api.put<IUpdateSettingResultDto>(`/api/${kind}/${segment(id)}`, {
					value: edits[id],
				});
				results.push(answer.setting);
			}
			setEdits({});
			setSaved(results);
		} catch (failure) {
			setError(failure instanceof Error ? failure.message : String(failure));
		} finally {
			setSaving(false);
		}
	};

	return (
		<Box data-qa={`${kind}-group`}>
			<Box className='try-panel-section-title'>
				<span>{title}</span>
			</Box>
			{!settings && <Throbber />}
			{settings && (
				<FieldGroup>
					{settings.map((setting) => (
						<SettingField
							key={setting.id}
							setting={setting}
							value={setting.id in edits ? edits[setting.id] : setting.value}
							onChange={(value) => {
								setSaved(undefined);
								setEdits((previous) => ({ ...previous, [setting.id]: value }));
							}}
						/>
					))}
				</FieldGroup>
			)}
			{error && (
				<Callout type='danger' data-qa={`${kind}-error`}>
					{error}
				</Callout>
			)}
			{saved && changed.length === 0 && (
				<Callout
					type={ignored.length > 0 ? 'warning' : 'success'}
					data-qa={`${kind}-saved`}
					data-ignored={ignored.length > 0}
				>
					{ignored.length === 0
						? 'Saved.'
						: 'Saved, but the app does not use every value as typed:'}
					{ignored.map((setting) => (
						<Box key={setting.id} data-qa='saved-note'>
							{setting.label}: {setting.inEffect?.note}
						</Box>
					))}
				</Callout>
			)}
			<ButtonGroup align='end'>
				<Button disabled={saving || changed.length === 0} onClick={() => setEdits({})}>
					Cancel
				</Button>
				<Button
					primary
					disabled={saving || changed.length === 0}
					onClick={() => void save()}
					data-qa={`${kind}-save`}
				>
					Save changes
				</Button>
			</ButtonGroup>
		</Box>
	);
};

export default SettingsGroup;
