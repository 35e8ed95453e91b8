import { Avatar } from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';

const COLORS = [
	'#1d74f5',
	'#2de0a5',
	'#ffd21f',
	'#f5455c',
	'#9f22c7',
	'#ff8717',
	'#10529e',
	'#158d65',
];

/** Rocket.Chat's default avatar: the initials on a colour picked from the username. */
export function initialsAvatarUrl(username: string, name: string): string {
	const words = (name || username).split(/\s+/).filter(Boolean);
	const initials = (
		words.length > 1 ? `${words[0][0]}${words[1][0]}` : (words[0] ?? '?').slice(0, 2)
	).toUpperCase();
	let hash = 0;
	for (const character of username) {
		hash = (hash * 31 + character.charCodeAt(0)) % 997;
	}
	const color = COLORS[hash % COLORS.length];
	const svg =
		`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
		`<rect width="64" height="64" fill="${color}"/>` +
		`<text x="50%" y="50%" dy="0.36em" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" ` +
		`font-size="28" fill="#fff">${initials.replace(/[<>&"]/g, '')}</text></svg>`;
	return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

interface IUserAvatarProps {
	username: string;
	name: string;
	isApp?: boolean;
	size?: 'x18' | 'x20' | 'x24' | 'x28' | 'x32' | 'x36' | 'x40';
}

/** A member's avatar, or the app's icon for the app's bot user. */
const UserAvatar = ({
	username,
	name,
	isApp = false,
	size = 'x36',
}: IUserAvatarProps): ReactElement => (
	<Avatar
		size={size}
		url={isApp ? '/app-icon.png' : initialsAvatarUrl(username, name)}
		title={name}
	/>
);

export default UserAvatar;
