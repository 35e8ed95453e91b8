import { randomUUID } from 'crypto';

import { UserStatusConnection, UserType } from '@rocket.chat/apps-engine/definition/users';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { reviveDates } from './revive';
import { type Database, parseJson } from '../database';

/** The workspace's users (members and app users), in SQLite so every host process sees them. */
export class UserStore {
	constructor(private readonly database: Database) {}

	/** Finds a user by id. */
	public byId(id: string): IUser | undefined {
		const row = this.database.prepare('SELECT user FROM users WHERE id = ?').get(id) as
			| { user: string }
			| undefined;
		return row ? this.toUser(row.user) : undefined;
	}

	/** Finds a user by username (with or without a leading @). */
	public byUsername(username: string): IUser | undefined {
		const row = this.database
			.prepare('SELECT user FROM users WHERE username = ?')
			.get(username.replace(/^@/, '')) as { user: string } | undefined;
		return row ? this.toUser(row.user) : undefined;
	}

	/** Finds a user by username whatever its case (Users.findOneByUsernameIgnoringCase). */
	public byUsernameIgnoringCase(username: string): IUser | undefined {
		const row = this.database
			.prepare('SELECT user FROM users WHERE lower(username) = lower(?)')
			.get(username.replace(/^@/, '')) as { user: string } | undefined;
		return row ? this.toUser(row.user) : undefined;
	}

	/** Finds a user by username or fails with the list of known users. */
	public require(username: string): IUser {
		const user = this.byUsername(username);
		if (!user) {
			throw new Error(
				`Unknown user "${username}"; known users: ${this.all()
					.map((known) => known.username)
					.join(', ')}`,
			);
		}
		return user;
	}

	/** Ids of users given by username; fails on an unknown one. */
	public idsOfUsernames(usernames: string[]): string[] {
		return usernames.map((username) => this.require(username).id);
	}

	/** Every user, fixture members and app users. */
	public all(): IUser[] {
		const rows = this.database.prepare('SELECT user FROM users ORDER BY rowid').all() as Array<{
			user: string;
		}>;
		return rows.map((row) => this.toUser(row.user));
	}

	/** The user the engine created for an app (`<slug>.bot`). */
	public appUser(appId: string): IUser | undefined {
		const row = this.database.prepare('SELECT user FROM users WHERE app_id = ?').get(appId) as
			| { user: string }
			| undefined;
		return row ? this.toUser(row.user) : undefined;
	}

	/** Stores a user unless one with its id exists (seeding is idempotent across restarts). */
	public insertIfMissing(user: IUser): void {
		this.database
			.prepare('INSERT OR IGNORE INTO users (id, username, app_id, user) VALUES (?, ?, ?, ?)')
			.run(user.id, user.username, user.appId ?? null, JSON.stringify(user));
	}

	/** Stores a new user and returns its id. */
	public create(data: Partial<IUser>): string {
		if (!data.username) {
			throw new Error('A user needs a username');
		}
		if (this.byUsername(data.username)) {
			throw new Error(`Username "${data.username}" is already in use`);
		}
		const now = new Date();
		const user: IUser = {
			emails: [],
			type: UserType.USER,
			isEnabled: true,
			name: data.username,
			roles: ['user'],
			status: 'offline',
			statusConnection: UserStatusConnection.OFFLINE,
			utcOffset: 0,
			createdAt: now,
			updatedAt: now,
			lastLoginAt: now,
			...data,
			id: data.id ?? randomUUID(),
			username: data.username,
		};
		this.database
			.prepare('INSERT INTO users (id, username, app_id, user) VALUES (?, ?, ?, ?)')
			.run(user.id, user.username, user.appId ?? null, JSON.stringify(user));
		return user.id;
	}

	/** Merges changes into a stored user. */
	public update(id: string, changes: Partial<IUser>): boolean {
		const user = this.byId(id);
		if (!user) {
			return false;
		}
		const updated: IUser = { ...user, ...changes, id, updatedAt: new Date() };
		this.database
			.prepare('UPDATE users SET username = ?, user = ? WHERE id = ?')
			.run(updated.username, JSON.stringify(updated), id);
		return true;
	}

	/** Deletes a user by id. */
	public remove(id: string): boolean {
		return this.database.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
	}

	/** Deletes every user an app created. */
	public removeOfApp(appId: string): boolean {
		return this.database.prepare('DELETE FROM users WHERE app_id = ?').run(appId).changes > 0;
	}

	/**
	 * A stored user in the shape the server's converter gives apps
	 * (apps/meteor/app/apps/server/converters/users.ts): `settings.preferences` holds the
	 * language only when the member chose one, and nothing else.
	 */
	private toUser(json: string): IUser {
		const user = reviveDates(parseJson<IUser>(json, 'users.user'), [
			'createdAt',
			'updatedAt',
			'lastLoginAt',
		]);
		const language = user.settings?.preferences?.language;
		return { ...user, settings: { preferences: language ? { language } : {} } };
	}
}
