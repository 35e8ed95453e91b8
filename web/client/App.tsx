import { Box, Callout, Icon, Throbber, ToastBar } from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';
import { useCallback, useEffect, useState } from 'react';

import AdminPanel from './AdminPanel';
import AppModal from './AppModal';
import Composer from './Composer';
import Sidebar from './Sidebar';
import Timeline from './Timeline';
import { api, segment } from './api';
import { useServerEvents } from './useServerEvents';
import type {
	IOpenViewDto,
	ISendResultDto,
	ISessionDto,
	ISubmitViewResultDto,
	ViewStateDto,
} from '../shared/protocol';

/** The page: a Rocket.Chat room with its sidebar, the app's modal and the admin's app page. */
const App = (): ReactElement => {
	const [session, setSession] = useState<ISessionDto>();
	const [room, setRoom] = useState('general');
	const [adminOpen, setAdminOpen] = useState(false);
	const [failure, setFailure] = useState<string>();
	const events = useServerEvents(session?.me.username, room);
	const [view, setView] = useState<IOpenViewDto | null>(null);
	const [dismissedToasts, setDismissedToasts] = useState<number[]>([]);
	const toasts = events.toasts.filter((toast) => !dismissedToasts.includes(toast.id));

	useEffect(() => {
		api
			.get<ISessionDto>('/api/session')
			.then(setSession, (error: unknown) =>
				setFailure(error instanceof Error ? error.message : String(error)),
			);
	}, []);

	// The server pushes the open view; answers to this page's own requests update it sooner.
	useEffect(() => setView(events.view), [events.view]);

	const switchMember = useCallback(async (username: string) => {
		try {
			const next = await api.post<ISessionDto>('/api/session', { username });
			setView(null);
			setSession(next);
			if (!next.me.isAdmin) {
				setAdminOpen(false);
			}
		} catch (error) {
			setFailure(error instanceof Error ? error.message : String(error));
		}
	}, []);

	const send = useCallback(
		async (text: string) => {
			const result = await api.post<ISendResultDto>(`/api/rooms/${segment(room)}/messages`, {
				text,
			});
			setView(result.view);
		},
		[room],
	);

	const submitView = useCallback(async (viewId: string, state: ViewStateDto) => {
		try {
			const result = await api.post<ISubmitViewResultDto>(`/api/views/${segment(viewId)}/submit`, {
				state,
			});
			setView(result.view);
		} catch (error) {
			setFailure(error instanceof Error ? error.message : String(error));
		}
	}, []);

	const closeView = useCallback(async (viewId: string) => {
		try {
			await api.post(`/api/views/${segment(viewId)}/close`, {});
			setView(null);
		} catch (error) {
			setFailure(error instanceof Error ? error.message : String(error));
		}
	}, []);

	if (!session) {
		return (
			<Box className='try-loading'>
				{failure ? <Callout type='danger'>{failure}</Callout> : <Throbber />}
			</Box>
		);
	}

	return (
		<Box className='try-layout' data-qa='page' data-connected={events.connected}>
			<Sidebar
				session={session}
				room={room}
				adminOpen={adminOpen}
				onRoom={setRoom}
				onMember={(username) => void switchMember(username)}
				onAdmin={() => setAdminOpen((open) => !open)}
			/>
			<Box is='main' className='try-room'>
				<Box className='try-room-header'>
					<Icon name='hash' size='x20' />
					<span className='try-room-name'>{room}</span>
					<span className='try-room-topic'>Try the {session.appName} app: type /feedback</span>
					{!events.connected && <span className='try-room-offline'>reconnecting…</span>}
				</Box>
				{failure && (
					<Box className='try-page-error'>
						<Callout type='danger' data-qa='page-error'>
							{failure}{' '}
							<button type='button' className='try-link' onClick={() => setFailure(undefined)}>
								Dismiss
							</button>
						</Callout>
					</Box>
				)}
				<Timeline timeline={events.timeline?.room === room ? events.timeline : undefined} />
				<Composer room={room} onSend={send} />
			</Box>
			{adminOpen && session.me.isAdmin && (
				<AdminPanel
					appName={session.appName}
					settings={events.settings}
					serverSettings={events.serverSettings}
					version={events.version}
					onClose={() => setAdminOpen(false)}
				/>
			)}
			{view && <AppModal key={view.viewId} open={view} onSubmit={submitView} onClose={closeView} />}
			{toasts.length > 0 && (
				// Rocket.Chat's toasts (fuselage ToastBar); these stay until dismissed, so no test races a timer.
				<Box className='try-toasts'>
					{toasts.map((toast) => (
						<Box key={toast.id} data-qa='toast' data-toast-id={toast.id}>
							<ToastBar
								variant='error'
								id={`toast-${toast.id}`}
								onClose={() => setDismissedToasts((previous) => [...previous, toast.id])}
							>
								{toast.message}
							</ToastBar>
						</Box>
					))}
				</Box>
			)}
		</Box>
	);
};

export default App;
