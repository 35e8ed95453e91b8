// The previous design's app (commit BEFORE_REF) imports `uuid`, which the Deno runtime as npm
// ships it cannot load outside a server; a Rocket.Chat server hands it over. ClusterInstance
// starts hosts on the shipped runtime only, so this one runs in the bench process, on the
// runtime copy that hands apps `uuid` (host/drivers/deno-runtime.ts `with-uuid`). Its figures (tens of
// ms to seconds) do not notice the IPC hop the current design's instance has and this one lacks.
import { type IOpenView, LocalHost } from '../host';

/** What the read scale needs of an app's instance (ClusterInstance has the same methods). */
export interface ICommandRunner {
	command(username: string, roomName: string, text: string): Promise<string[]>;
	openView(username: string): Promise<IOpenView | undefined>;
	stop(): Promise<void>;
	/** Persistence bridge calls made so far: tells when an app the engine gave up on is done. */
	persistenceCalls?(): Promise<number>;
}

/** Starts the previous design's app on a database, in this process. */
export async function startBeforeApp(
	zipPath: string,
	databasePath: string,
): Promise<ICommandRunner> {
	const host = await LocalHost.start({ databasePath, zipPath, denoRuntime: 'with-uuid' });
	return {
		command: async (username, roomName, text) =>
			(await host.runSlashCommand(username, roomName, text)).notifications.map(
				(notification) => notification.text,
			),
		openView: async (username) => host.openView(username),
		stop: () => host.stop(),
	};
}
