import { Box, Callout, Icon, IconButton, Throbber, ToastBar } from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';
import { useCallback, useEffect, useMemo, useState } from 'react';

import AdminPanel from './AdminPanel';
import AppContextualBar from './AppContextualBar';
import AppModal from './AppModal';
import Composer from './Composer';
import { MarkupContext } from './MessageText';
import Sidebar from './Sidebar';
import Timeline from './Timeline';
import type { MessageActionSender } from './TimelineMessage';
import { api, segment } from './api';
import { useServerEvents } from './useServerEvents';
import type {
	ClientKindDto,
	IBlockActionRequestDto,
	IBlockActionResultDto,
	IOpenViewDto,
	ISendResultDto,
	ISessionDto,
	ISubmitViewResultDto,
	IViewEnvelopeDto,
	ViewStateDto,
} from '../shared/protocol';

/** What sits beside the room: the app's contextual bar or the admin's app page (one at a time). */
type Panel = 'app' | 'admin' | null;

/**
 * The page: a Rocket.Chat room with its sidebar, the app's modal, the app's contextual bar (or
 * the admin's app page) beside the room, and the toasts.
 */
const App = (): ReactElement => {
	const [session, setSession] = useState<ISessionDto>();
	const [room, setRoom] = useState('general');
	const [panel, setPanel] = useState<Panel>(null);
	const [sidebarOpen, setSidebarOpen] = useState(false);
	const [failure, setFailure] = useState<string>();
	const events = useServerEvents(session?.me.username, room);
	const [view, setView] = useState<IOpenViewDto | null>(null);
	const [contextualBar, setContextualBar] = useState<IOpenViewDto | null>(null);
	const [dismissedToasts, setDismissedToasts] = useState<number[]>([]);
	const toasts = events.toasts.filter((toast) => !dismissedToasts.includes(toast.id));
	const rooms = events.rooms ?? session?.rooms ?? [];
	const current = rooms.find((entry) => entry.name === room);

	useEffect(() => {
		api
			.get<ISessionDto>('/api/session')
			.then(setSession, (error: unknown) =>
				setFailure(error instanceof Error ? error.message : String(error)),
			);
	}, []);

	// The server pushes the open views; answers to this page's own requests update them sooner.
	useEffect(() => setView(events.view), [events.view]);
	useEffect(() => setContextualBar(events.contextualBar), [events.contextualBar]);

	// A contextual bar the app opens takes the place beside the room.
	const barId = contextualBar?.viewId;
	useEffect(() => {
		if (barId) {
			setPanel('app');
		}
	}, [barId]);

	const showViews = useCallback(
		(result: { view: IOpenViewDto | null; contextualBar: IOpenViewDto | null }) => {
			setView(result.view);
			setContextualBar(result.contextualBar);
		},
		[],
	);

	const report = useCallback((error: unknown) => {
		setFailure(error instanceof Error ? error.message : String(error));
	}, []);

	const switchMember = useCallback(async (username: string) => {
		try {
			const next = await api.post<ISessionDto>('/api/session', { username });
			setView(null);
			setContextualBar(null);
			setPanel(null);
			setRoom('general');
			setSidebarOpen(false);
			setSession(next);
		} catch (error) {
			setFailure(error instanceof Error ? error.message : String(error));
		}
	}, []);

	// The member's views follow them to the other client: the server sends what that one shows.
	const switchClient = useCallback(async (kind: ClientKindDto) => {
		try {
			setSession(await api.post<ISessionDto>('/api/client', { kind }));
			const views = await api.get<IViewEnvelopeDto>('/api/view');
			setView(views.view);
			setContextualBar(views.contextualBar);
			if (!views.contextualBar) {
				setPanel((open) => (open === 'app' ? null : open));
			}
		} catch (error) {
			setFailure(error instanceof Error ? error.message : String(error));
		}
	}, []);

	const openRoom = useCallback((name: string) => {
		setRoom(name);
		setSidebarOpen(false);
	}, []);

	const send = useCallback(
		async (text: string) => {
			const result = await api.post<ISendResultDto>(`/api/rooms/${segment(room)}/messages`, {
				text,
			});
			showViews(result);
		},
		[room, showViews],
	);

	const submitView = useCallback(
		async (viewId: string, state: ViewStateDto) => {
			try {
				const result = await api.post<ISubmitViewResultDto>(
					`/api/views/${segment(viewId)}/submit`,
					{ state },
				);
				showViews(result);
			} catch (error) {
				report(error);
			}
		},
		[report, showViews],
	);

	const closeView = useCallback(
		async (viewId: string, cleared = true) => {
			try {
				await api.post(`/api/views/${segment(viewId)}/close`, { cleared });
				const envelope = await api.get<{
					view: IOpenViewDto | null;
					contextualBar: IOpenViewDto | null;
				}>('/api/view');
				showViews(envelope);
			} catch (error) {
				report(error);
			}
		},
		[report, showViews],
	);

	// A block action, as ActionManager.emitInteraction sends it; the answer is applied at once.
	const blockAction = useCallback(
		async (request: IBlockActionRequestDto) => {
			try {
				const result = await api.post<IBlockActionResultDto>('/api/block-actions', {
					...request,
					room,
				});
				showViews(result);
			} catch (error) {
				report(error);
			}
		},
		[report, room, showViews],
	);

	const messageAction = useCallback<MessageActionSender>(
		async (messageId, { appId, blockId, actionId, value }) => {
			if (!appId) {
				// Rocket.Chat's client would post to /api/apps/ui.interaction/undefined: no app hears it.
				console.warn(`the element ${blockId}/${actionId} names no app: nothing is sent`);
				return;
			}
			await blockAction({
				container: { type: 'message', id: messageId },
				blockId,
				actionId,
				value,
			});
		},
		[blockAction],
	);

	const markup = useMemo(
		() => ({
			me: session?.me.username,
			usernames: new Set([
				...(session?.members.map((member) => member.username) ?? []),
				...(events.timeline?.entries.map((entry) => entry.sender.username) ?? []),
			]),
		}),
		[session, events.timeline],
	);

	if (!session) {
		return (
			<Box className='try-loading'>
				{failure ? <Callout type='danger'>{failure}</Callout> : <Throbber />}
			</Box>
		);
	}

	const isDirect = current?.kind === 'direct';
	const roomLabel = isDirect ? `@${current.label}` : `#${room}`;
	const showBar = Boolean(contextualBar) && panel !== 'admin';
	const showAdmin = panel === 'admin' && session.me.isAdmin;

	return (
		<MarkupContext.Provider value={markup}>
			<Box
				className={`try-layout${showBar || showAdmin ? ' try-layout--with-panel' : ''}`}
				data-qa='page'
				data-connected={events.connected}
			>
				<Sidebar
					session={session}
					rooms={rooms}
					room={room}
					adminOpen={showAdmin}
					open={sidebarOpen}
					onRoom={openRoom}
					onMember={(username) => void switchMember(username)}
					onClient={(kind) => void switchClient(kind)}
					onAdmin={() => {
						// The admin's page toggles; the app's bar comes back when it closes.
						const closed: Panel = contextualBar ? 'app' : null;
						setPanel((open) => (open === 'admin' ? closed : 'admin'));
						setSidebarOpen(false);
					}}
					onDismiss={() => setSidebarOpen(false)}
				/>
				<Box is='main' className='try-room'>
					<Box className='try-room-header'>
						<span className='try-sidebar-toggle'>
							<IconButton
								icon='burger'
								small
								title='Open the sidebar'
								data-qa='sidebar-toggle'
								onClick={() => setSidebarOpen(true)}
							/>
						</span>
						<Icon name={isDirect ? 'at' : 'hash'} size='x20' />
						<span className='try-room-name' data-qa='room-name'>
							{isDirect ? current.label : room}
						</span>
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
					<Timeline
						timeline={events.timeline?.room === room ? events.timeline : undefined}
						onAction={messageAction}
					/>
					<Composer key={session.me.username} room={room} roomLabel={roomLabel} onSend={send} />
				</Box>
				{showBar && contextualBar && (
					<AppContextualBar
						key={contextualBar.viewId}
						open={contextualBar}
						onSubmit={submitView}
						onClose={closeView}
						onAction={blockAction}
					/>
				)}
				{showAdmin && (
					<AdminPanel
						appName={session.appName}
						settings={events.settings}
						serverSettings={events.serverSettings}
						version={events.version}
						onClose={() => setPanel(contextualBar ? 'app' : null)}
					/>
				)}
				{view && (
					<AppModal
						key={view.viewId}
						open={view}
						onSubmit={submitView}
						onClose={closeView}
						onAction={blockAction}
					/>
				)}
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
		</MarkupContext.Provider>
	);
};

export default App;
