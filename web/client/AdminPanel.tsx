import {
	Box,
	Button,
	ButtonGroup,
	Callout,
	FieldGroup,
	IconButton,
	Throbber,
} from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';
import { useState } from 'react';

import SettingField from './SettingField';
import StatsCard from './StatsCard';
import { api, segment } from './api';
import type { ISettingDto } from '../shared/protocol';

interface IAdminPanelProps {
	appName: string;
	/** The settings as stored (pushed by the server after every change). */
	settings: ISettingDto[] | undefined;
	/** The workspace's change counter: the stats are fetched again when it moves. */
	version: number;
	onClose: () => void;
}

/**
 * Administration > Apps > Feedback as a contextual bar: the app's settings (saved through the
 * host's settings bridge, so the app's onSettingUpdated runs) and its statistics.
 */
const AdminPanel = ({ appName, settings, version, onClose }: IAdminPanelProps): ReactElement => {
	const [edits, setEdits] = useState<Record<string, unknown>>({});
	const [saving, setSaving] = useState(false);
	const [error, setError] = useState<string>();
	const [saved, setSaved] = useState(false);
	const changed = Object.keys(edits).filter((id) => {
		const stored = settings?.find((setting) => setting.id === id);
		return stored !== undefined && stored.value !== edits[id];
	});

	const save = async () => {
		setSaving(true);
		setError(undefined);
		setSaved(false);
		try {
			for (const id of changed) {
				await api.put(`/api/settings/${segment(id)}`, { value: edits[id] });
			}
			setEdits({});
			setSaved(true);
		} catch (failure) {
			setError(failure instanceof Error ? failure.message : String(failure));
		} finally {
			setSaving(false);
		}
	};

	return (
		<Box
			is='aside'
			className='try-panel'
			data-qa='admin-panel'
			aria-label={`${appName} administration`}
		>
			<Box className='try-panel-header'>
				<img className='try-panel-icon' src='/app-icon.png' alt='' />
				<Box className='try-panel-title'>
					{appName}
					<span className='try-panel-subtitle'>Administration › Apps</span>
				</Box>
				<IconButton icon='cross' small title='Close' onClick={onClose} data-qa='admin-close' />
			</Box>
			<Box className='try-panel-content'>
				<StatsCard version={version} />
				<Box className='try-panel-section-title'>
					<span>Settings</span>
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
									setSaved(false);
									setEdits((previous) => ({ ...previous, [setting.id]: value }));
								}}
							/>
						))}
					</FieldGroup>
				)}
				{error && (
					<Callout type='danger' data-qa='settings-error'>
						{error}
					</Callout>
				)}
				{saved && changed.length === 0 && (
					<Callout type='success' data-qa='settings-saved'>
						Saved. The app read the new values.
					</Callout>
				)}
			</Box>
			<Box className='try-panel-footer'>
				<ButtonGroup align='end'>
					<Button disabled={saving || changed.length === 0} onClick={() => setEdits({})}>
						Cancel
					</Button>
					<Button
						primary
						disabled={saving || changed.length === 0}
						onClick={() => void save()}
						data-qa='settings-save'
					>
						Save changes
					</Button>
				</ButtonGroup>
			</Box>
		</Box>
	);
};

export default AdminPanel;
