import type {
	IJobContext,
	IOnetimeSchedule,
	IProcessor,
	IRecurringSchedule,
} from '@rocket.chat/apps-engine/definition/scheduler';

import { LocalSchedulerBridge } from '../../host/bridges/scheduler';

/** A processor as the engine hands it to the bridge: it takes the job context only. */
export type TestProcessor = (jobContext: IJobContext) => Promise<void>;

export interface ITestProcessor extends Omit<IProcessor, 'processor'> {
	processor: TestProcessor;
}

/**
 * The bridge with the calls the engine makes (AppSchedulerManager → doX → these) opened for tests
 * that run without an AppManager; `doX` would ask the engine's permission manager first.
 * Processor ids are passed as the engine passes them: `<id>_<appId>`.
 */
export class TestScheduler extends LocalSchedulerBridge {
	public register(processors: ITestProcessor[], appId: string): Promise<void | string[]> {
		return this.registerProcessors(processors as unknown as IProcessor[], appId);
	}

	public once(job: IOnetimeSchedule, appId: string): Promise<void | string> {
		return this.scheduleOnce(job, appId);
	}

	public recurring(job: IRecurringSchedule, appId: string): Promise<void | string> {
		return this.scheduleRecurring(job, appId);
	}

	public cancel(jobId: string, appId: string): Promise<void> {
		return this.cancelJob(jobId, appId);
	}

	public cancelAll(appId: string): Promise<void> {
		return this.cancelAllJobs(appId);
	}
}

/** The engine's processor id: `<id>_<appId>` (AppSchedulerManager's createProcessorId). */
export function processorId(id: string, appId: string): string {
	return id.includes(`_${appId}`) ? id : `${id}_${appId}`;
}
