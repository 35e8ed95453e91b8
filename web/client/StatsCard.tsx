import { Box, Button, Callout, Icon, Throbber } from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';

import MessageText from './MessageText';
import { api } from './api';
import type { IStatsDto } from '../shared/protocol';

/**
 * The app's statistics: the answer to `/feedback stats` run as the admin, fetched again
 * whenever something changes in the workspace (`version`).
 */
const StatsCard = ({ version }: { version: number }): ReactElement => {
	const [stats, setStats] = useState<IStatsDto>();
	const [error, setError] = useState<string>();
	const [loading, setLoading] = useState(false);
	// Only the newest request may show its answer: an older one can finish later.
	const latest = useRef(0);

	const load = useCallback(async () => {
		const ticket = ++latest.current;
		setLoading(true);
		try {
			const answer = await api.get<IStatsDto>('/api/stats');
			if (ticket === latest.current) {
				setStats(answer);
				setError(undefined);
			}
		} catch (failure) {
			if (ticket === latest.current) {
				setError(failure instanceof Error ? failure.message : String(failure));
			}
		} finally {
			if (ticket === latest.current) {
				setLoading(false);
			}
		}
	}, []);

	useEffect(() => {
		void load();
	}, [load, version]);

	return (
		<Box className='try-stats' data-qa='stats'>
			<Box className='try-panel-section-title'>
				<span>Statistics</span>
				<Button
					small
					secondary
					disabled={loading}
					onClick={() => void load()}
					data-qa='stats-refresh'
				>
					<Icon name='refresh' size='x16' /> Refresh
				</Button>
			</Box>
			{error && <Callout type='danger'>{error}</Callout>}
			{!stats && !error && <Throbber />}
			{stats && (
				<Box className='try-stats-body' data-qa='stats-text'>
					<MessageText text={stats.text} />
					<Box className='try-stats-note'>
						From <code className='try-code'>/feedback stats</code>, run as you at{' '}
						{new Date(stats.at).toLocaleTimeString()}
					</Box>
				</Box>
			)}
		</Box>
	);
};

export default StatsCard;
