import type {
	IHttp,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IJobContext, IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';

import type { ILoggerSource } from './logging';
import { jobRequest } from './requestContext';
import type { IJobRequest } from './requestContext';

/** What a job does when the scheduler runs it. */
export type JobRun = (request: IJobRequest) => Promise<unknown>;

/**
 * A processor for the scheduler. Its function is called by the runtime with the request's App
 * as `this` (deno-runtime/handlers/scheduler-handler.ts), whose logger is the one that stores.
 */
export function processorOf(
	id: string,
	run: JobRun,
	startupSetting?: IProcessor['startupSetting'],
): IProcessor {
	return {
		id,
		...(startupSetting ? { startupSetting } : {}),
		async processor(
			this: ILoggerSource,
			_context: IJobContext,
			read: IRead,
			modify: IModify,
			_http: IHttp,
			persistence: IPersistence,
		): Promise<void> {
			await run(jobRequest(read, modify, persistence, this.getLogger()));
		},
	};
}
