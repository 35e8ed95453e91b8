import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { UserStatusConnection, UserType } from '@rocket.chat/apps-engine/definition/users';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { RoomStore } from './rooms';
import type { UserStore } from './users';
import type { Database } from '../database';

/** A fixture member as the host seeds it. */
export interface IFixtureUser {
	username: string;
	name: string;
	/** The language the member chose in their preferences; none means the workspace default. */
	language?: string;
	roles: string[];
}

/** A fixture room as the host seeds it: every fixture user is a member. */
export interface IFixtureRoom {
	id: string;
	name: string;
	/** A read-only room: only holders of post-readonly may post (the server's `ro`). */
	readOnly?: boolean;
}

export const FIXTURE_USERS: readonly IFixtureUser[] = [
	{ username: 'admin', name: 'Ada Admin', language: 'en', roles: ['admin', 'user'] },
	{ username: 'alice', name: 'Alice Doe', language: 'en', roles: ['user'] },
	{ username: 'bruno', name: 'Bruno Silva', language: 'pt-BR', roles: ['user'] },
	{ username: 'clara', name: 'Clara Schmidt', language: 'de', roles: ['user'] },
	// Kept the workspace default: the server's converter then gives no language at all.
	{ username: 'dora', name: 'Dora Diaz', roles: ['user'] },
];

export const FIXTURE_ROOMS: readonly IFixtureRoom[] = [
	{ id: 'GENERAL', name: 'general' },
	{ id: 'feedback-room', name: 'feedback' },
	{ id: 'announcements-room', name: 'announcements', readOnly: true },
];

const FIXTURE_CREATED_AT = new Date('2024-01-01T00:00:00.000Z');

/** A fixture member as a stored user. */
function fixtureUser(fixture: IFixtureUser): IUser {
	return {
		id: `user-${fixture.username}`,
		username: fixture.username,
		name: fixture.name,
		emails: [{ address: `${fixture.username}@example.com`, verified: true }],
		type: UserType.USER,
		isEnabled: true,
		roles: fixture.roles,
		status: 'online',
		statusConnection: UserStatusConnection.ONLINE,
		utcOffset: 0,
		createdAt: FIXTURE_CREATED_AT,
		updatedAt: FIXTURE_CREATED_AT,
		lastLoginAt: FIXTURE_CREATED_AT,
		settings: {
			preferences: fixture.language ? { language: fixture.language } : {},
		},
	};
}

/** Inserts the fixture users and rooms unless they exist (idempotent across restarts). */
export function seedFixtures(database: Database, users: UserStore, rooms: RoomStore): void {
	database
		.transaction(() => {
			for (const fixture of FIXTURE_USERS) {
				users.insertIfMissing(fixtureUser(fixture));
			}
			const memberIds = FIXTURE_USERS.map((fixture) => `user-${fixture.username}`);
			for (const fixture of FIXTURE_ROOMS) {
				rooms.insertIfMissing({
					id: fixture.id,
					name: fixture.name,
					type: RoomType.CHANNEL,
					creatorId: 'user-admin',
					memberIds,
					createdAt: FIXTURE_CREATED_AT.toISOString(),
					...(fixture.readOnly ? { readOnly: true } : {}),
				});
			}
		})
		.immediate();
}
