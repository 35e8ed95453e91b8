import type { ILoopTimers } from '../../host/server/scheduler/job-runner';

interface IHeldTimer {
	tick: () => void;
	repeats: boolean;
}

/**
 * Timers a test holds: nothing fires until the test calls `fire()`, so a test of the scheduler's
 * loop says when the loop ticks instead of waiting for the machine's timers.
 */
export class ManualLoopTimers implements ILoopTimers {
	private readonly held = new Set<IHeldTimer>();

	/** Holds a repeating timer until cancelled. */
	public every(_milliseconds: number, tick: () => void): () => void {
		return this.hold({ tick, repeats: true });
	}

	/** Holds a one-shot timer until fired or cancelled. */
	public after(_milliseconds: number, tick: () => void): () => void {
		return this.hold({ tick, repeats: false });
	}

	/** Fires every timer held now, once each; one-shot timers are then gone. Returns how many fired. */
	public fire(): number {
		const due = [...this.held];
		for (const timer of due) {
			if (!timer.repeats) {
				this.held.delete(timer);
			}
			timer.tick();
		}
		return due.length;
	}

	/** How many timers are held (not yet fired or cancelled). */
	public get count(): number {
		return this.held.size;
	}

	private hold(timer: IHeldTimer): () => void {
		this.held.add(timer);
		return () => {
			this.held.delete(timer);
		};
	}
}
