// The host's front door: everything web/, bench/ and the tests of the app use of the local host.
// They drive a workspace (LocalHost, or a cluster of instance processes), act as its members'
// clients and read what the app left in the shared database; the lint holds them to this file.
// The host's own tests (test/host/) reach inside. host/README.md says what each folder imitates.

// Drivers: a workspace on one machine, and instances of one workspace in their own processes.
export {
	type BlockActionTarget,
	type IActionResult,
	type IBlockAction,
	type IBlockActionOptions,
	type IBlockActionResult,
	type ILocalHostOptions,
	type ISlashCommandOptions,
	type IViewSubmitResult,
	LocalHost,
} from './drivers/local-host';
export {
	ClusterInstance,
	type IClusterBlockActionResult,
	type IClusterInstanceOptions,
	type IClusterMessage,
	type IClusterSubmitResult,
	type IMessageOrder,
	startCluster,
} from './drivers/cluster';
export type { IAppCall } from './drivers/engine';
export { defaultZipPath, denoBinaryDir, projectRoot } from './paths';

// The members' clients: their clock and deadlines, their views, what an admin may type.
export {
	CLIENT_KINDS,
	type ClientKind,
	type IClock,
	ManualClock,
	TRIGGER_TIMEOUT_MS,
	UIKIT_INTERACTION_TIMEOUT,
} from './client/uikit-client';
export type { INotification, IOpenView } from './client/session-state';
export {
	actionableElements,
	type IActionableElement,
	viewFields,
	type ViewState,
} from './client/view-fields';
export {
	checkAppSettingValue,
	checkServerSettingValue,
	SettingValueError,
} from './client/setting-values';

// The server: its rules and refusals as the app meets them, its settings, and its stores, to read
// what the app left in the shared database.
export { isEncryptedRoom, MessageRefusedError, READ_ONLY_ROOM_ERROR } from './server/server-rules';
// The name an app's own environment variables start with (ILocalHostOptions.environment).
export { appEnvironmentPrefix } from './bridges/environment';
export type { IServerSettingInfo } from './server/server-settings';
export { type Database, openDatabase } from './server/database';
export { Directory, FIXTURE_USERS, type ITimelineMessage } from './server/directory';
export type { IStoredUpload } from './server/directory/uploads';
export { seededRandom, SqlitePersistenceBridge } from './server/persistence-bridge';
export { type IObjectIdParts, objectIdParts } from './server/object-id';
export { type IStoredJob, JobStore, newJobId } from './server/scheduler/job-store';
export type { IJobRun } from './server/scheduler/job-runner';
