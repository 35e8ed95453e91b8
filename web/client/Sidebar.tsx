import { Box, Icon } from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';

import UserAvatar from './UserAvatar';
import type { ClientKindDto, IRoomDto, ISessionDto } from '../shared/protocol';

interface ISidebarProps {
	session: ISessionDto;
	/** The member's rooms: channels, then their direct rooms. */
	rooms: IRoomDto[];
	room: string;
	adminOpen: boolean;
	/** On a narrow screen the sidebar is hidden until the header's menu button opens it. */
	open: boolean;
	onRoom: (room: string) => void;
	onMember: (username: string) => void;
	onClient: (kind: ClientKindDto) => void;
	onAdmin: () => void;
	onDismiss: () => void;
}

/** The clients a member can use: the web client, or the mobile app (modals only, no contextual bar). */
const CLIENTS: ReadonlyArray<readonly [ClientKindDto, string]> = [
	['web', 'Web client'],
	['mobile', 'Mobile app'],
];

/**
 * The left bar: who the page acts as and with which client (both switchable), the channels, the member's direct rooms
 * (Rocket.Chat lists a direct room once it is open for them), and the admin's app page. Below
 * 768 px it collapses, as Rocket.Chat's does: the room header's menu button slides it over.
 */
const Sidebar = ({
	session,
	rooms,
	room,
	adminOpen,
	open,
	onRoom,
	onMember,
	onClient,
	onAdmin,
	onDismiss,
}: ISidebarProps): ReactElement => (
	<>
		{open && <div className='try-sidebar-backdrop' onClick={onDismiss} aria-hidden='true' />}
		<Box
			is='nav'
			className={`try-sidebar${open ? ' try-sidebar--open' : ''}`}
			aria-label='Workspace'
			data-qa='sidebar'
			data-open={open}
		>
			<Box className='try-sidebar-header'>
				<UserAvatar username={session.me.username} name={session.me.name} size='x28' />
				<Box className='try-sidebar-me' data-qa='current-user' data-username={session.me.username}>
					<span className='try-sidebar-me-name'>{session.me.name}</span>
					<span className='try-sidebar-me-username'>@{session.me.username}</span>
				</Box>
			</Box>

			<Box className='try-sidebar-section'>Rooms</Box>
			{rooms
				.filter((entry) => entry.kind === 'channel')
				.map(({ name }) => (
					<button
						type='button'
						key={name}
						className={`try-sidebar-item${name === room ? ' try-sidebar-item--selected' : ''}`}
						data-qa='room-item'
						data-room={name}
						onClick={() => onRoom(name)}
					>
						<Icon name='hash' size='x18' />
						<span>{name}</span>
					</button>
				))}

			{rooms.some((entry) => entry.kind === 'direct') && (
				<Box className='try-sidebar-section'>Direct messages</Box>
			)}
			{rooms
				.filter((entry) => entry.kind === 'direct')
				.map(({ name, label, members }) => (
					<button
						type='button'
						key={name}
						className={`try-sidebar-item${name === room ? ' try-sidebar-item--selected' : ''}`}
						data-qa='direct-item'
						data-room={name}
						data-members={(members ?? []).join(',')}
						onClick={() => onRoom(name)}
					>
						<UserAvatar username={members?.[0] ?? label} name={label} size='x20' />
						<span>{label}</span>
					</button>
				))}

			<Box className='try-sidebar-section'>Act as</Box>
			{session.members.map((member) => (
				<button
					type='button'
					key={member.username}
					className={`try-sidebar-item${
						member.username === session.me.username ? ' try-sidebar-item--selected' : ''
					}`}
					data-qa='member-item'
					data-username={member.username}
					aria-pressed={member.username === session.me.username}
					onClick={() => onMember(member.username)}
				>
					<UserAvatar username={member.username} name={member.name} size='x20' />
					<span>{member.name}</span>
					{member.isAdmin && <span className='try-sidebar-tag'>admin</span>}
				</button>
			))}

			<Box className='try-sidebar-section'>Client</Box>
			{CLIENTS.map(([kind, label]) => (
				<button
					type='button'
					key={kind}
					className={`try-sidebar-item${
						kind === session.client ? ' try-sidebar-item--selected' : ''
					}`}
					data-qa='client-item'
					data-kind={kind}
					aria-pressed={kind === session.client}
					onClick={() => onClient(kind)}
				>
					<Icon name={kind === 'web' ? 'desktop' : 'mobile'} size='x18' />
					<span>{label}</span>
				</button>
			))}

			{session.me.isAdmin && (
				<>
					<Box className='try-sidebar-section'>Administration</Box>
					<button
						type='button'
						className={`try-sidebar-item${adminOpen ? ' try-sidebar-item--selected' : ''}`}
						data-qa='admin-toggle'
						onClick={onAdmin}
					>
						<Icon name='cube' size='x18' />
						<span>Apps › {session.appName}</span>
					</button>
				</>
			)}

			<Box className='try-sidebar-footer'>
				Local workspace: the packaged app in the real Apps-Engine runtime, on SQLite.
			</Box>
		</Box>
	</>
);

export default Sidebar;
