// The bridges the engine calls for the app, one file per bridge; the host builds them with
// LocalBridges and reaches them only through what it hands in (IHostHooks).
export { type IActivationEvent, LocalAppActivationBridge } from './activation';
export { LocalApiBridge } from './api';
export { LocalAppDetailChangesBridge } from './app-detail-changes';
export { type IRegisteredCommand, LocalCommandBridge } from './command';
export { LocalEnvironmentalVariableBridge } from './environment';
export type { IHostHooks } from './hooks';
export { LocalInternalBridge } from './internal';
export { LocalInternalFederationBridge } from './internal-federation';
export { LocalListenerBridge } from './listener';
export { LocalBridges } from './local-bridges';
export { LocalMessageBridge } from './message';
export { LocalRoomBridge } from './room';
export { LocalSchedulerBridge } from './scheduler';
export { LocalServerSettingBridge } from './server-setting';
export { LocalUiInteractionBridge } from './ui-interaction';
export { NotSupportedByLocalHostError, unsupportedBridge } from './unsupported';
export { LocalUploadBridge } from './upload';
export { LocalUserBridge } from './user';
