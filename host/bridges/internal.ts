import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { InternalBridge } from '@rocket.chat/apps-engine/server/bridges/InternalBridge';

import { NotSupportedByLocalHostError } from './unsupported';
import type { RoomStore } from '../server/directory/rooms';

/** What the engine itself asks the server: a room's usernames (marketplace keys are not provided). */
export class LocalInternalBridge extends InternalBridge {
	constructor(private readonly rooms: RoomStore) {
		super();
	}

	protected async getUsernamesOfRoomById(roomId: string): Promise<Array<string>> {
		return this.getUsernamesOfRoomByIdSync(roomId);
	}

	protected getUsernamesOfRoomByIdSync(roomId: string): Array<string> {
		return this.rooms.byId(roomId)?.usernames ?? [];
	}

	protected async getWorkspacePublicKey(): Promise<ISetting> {
		throw new NotSupportedByLocalHostError(
			'InternalBridge',
			'getWorkspacePublicKey (marketplace licenses)',
		);
	}
}
