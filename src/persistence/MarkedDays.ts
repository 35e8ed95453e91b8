/** Days kept at most: a day's submits come within it, so only the last few are ever asked for. */
const DAYS_KEPT = 4;

/**
 * The feedback days whose marker this app instance has written since it started, so an instance
 * writes a day's marker with its first feedback of the day instead of with every one. That is
 * exact because a marker, once written, stays: nothing of the app removes one, and the engine
 * removes the app's records only when the app is uninstalled (AppManager.removeLocal, then the
 * persistence bridge's purge), which ends this instance's runtime and this memory with it. A
 * restarted or another instance writes the day's marker again (an upsert onto the one there).
 */
export class MarkedDays {
	private readonly days = new Set<string>();

	/** Whether this instance has written the marker of this day. */
	public has(day: string): boolean {
		return this.days.has(day);
	}

	/** Notes that the marker of this day is written (call once the write succeeded). */
	public add(day: string): void {
		this.days.add(day);
		if (this.days.size > DAYS_KEPT) {
			this.days.delete([...this.days].sort()[0]);
		}
	}
}
