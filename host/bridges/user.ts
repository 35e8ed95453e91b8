import type { IUser, IUserCreationOptions } from '@rocket.chat/apps-engine/definition/users';
import { UserType } from '@rocket.chat/apps-engine/definition/users';
import { UserBridge } from '@rocket.chat/apps-engine/server/bridges';

import { NotSupportedByLocalHostError } from './unsupported';
import type { RoomStore } from '../server/directory/rooms';
import type { UserStore } from '../server/directory/users';

/** Users for apps: lookups, the app user, users an app creates. */
export class LocalUserBridge extends UserBridge {
	constructor(
		private readonly users: UserStore,
		private readonly rooms: RoomStore,
	) {
		super();
	}

	protected async getById(id: string): Promise<IUser> {
		return this.users.byId(id) as IUser;
	}

	protected async getByUsername(username: string): Promise<IUser> {
		return this.users.byUsername(username) as IUser;
	}

	// Public because the engine calls it directly when installing an app.
	public async getAppUser(appId?: string): Promise<IUser | undefined> {
		return appId ? this.users.appUser(appId) : undefined;
	}

	protected async getActiveUserCount(): Promise<number> {
		return this.users.all().filter((user) => user.isEnabled && user.type === UserType.USER).length;
	}

	protected async getUserUnreadMessageCount(): Promise<number> {
		throw new NotSupportedByLocalHostError('UserBridge', 'getUserUnreadMessageCount');
	}

	protected async getUserRoomIds(userId: string): Promise<string[]> {
		return this.rooms.idsOfMember(userId);
	}

	public async create(
		data: Partial<IUser>,
		appId: string,
		_options?: IUserCreationOptions,
	): Promise<string> {
		return this.users.create({ ...data, appId: data.appId ?? appId });
	}

	public async remove(user: IUser): Promise<boolean> {
		return this.users.remove(user.id);
	}

	protected async update(user: IUser, updates: Partial<IUser>): Promise<boolean> {
		return this.users.update(user.id, updates);
	}

	protected async deleteUsersCreatedByApp(
		appId: string,
		_type: UserType.APP | UserType.BOT,
	): Promise<boolean> {
		return this.users.removeOfApp(appId);
	}

	protected async deactivate(userId: IUser['id']): Promise<boolean> {
		return this.users.update(userId, { isEnabled: false });
	}
}
