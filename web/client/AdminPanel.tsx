import { Box, IconButton } from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';

import SettingsGroup from './SettingsGroup';
import StatsCard from './StatsCard';
import type { ISettingDto } from '../shared/protocol';

interface IAdminPanelProps {
	appName: string;
	/** The app's settings as stored (pushed by the server after every change). */
	settings: ISettingDto[] | undefined;
	/** The server settings the app reads (the language, message custom fields). */
	serverSettings: ISettingDto[] | undefined;
	/** The workspace's change counter: the stats are fetched again when it moves. */
	version: number;
	onClose: () => void;
}

/**
 * Administration as a contextual bar: the app's statistics and settings (saved through the
 * host's settings manager, so the app's onSettingUpdated runs; each shows what the app uses of
 * it) and the server settings the app reads (Administration > Workspace > Settings).
 */
const AdminPanel = ({
	appName,
	settings,
	serverSettings,
	version,
	onClose,
}: IAdminPanelProps): ReactElement => (
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
			<SettingsGroup title='App settings' kind='settings' settings={settings} />
			<SettingsGroup title='Server settings' kind='server-settings' settings={serverSettings} />
		</Box>
	</Box>
);

export default AdminPanel;
