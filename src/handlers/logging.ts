import type { ILogger } from '@rocket.chat/apps-engine/definition/accessors';

/**
 * Where a handler gets the logger of the request it serves: the App. The Deno runtime gives
 * each request its own logger and stores only that one's lines (deno-runtime/lib/messenger.ts,
 * lib/wrapAppForRequest.ts), so a logger kept from an earlier request loses what it logs.
 */
export interface ILoggerSource {
	getLogger(): ILogger;
}
