// The resident memory of the processes of one instance: its host process (a ClusterInstance's
// child) and the app's Deno process under it, read from /proc (Linux only: elsewhere the figures
// are reported as not measured). ClusterInstance keeps both pids to itself, so they are found by
// their place in the process tree: the host is the bench's child that runs instance-process.js,
// the Deno process is that host's child named deno.
import * as fs from 'fs';

/** Resident memory of one process, in bytes. */
export interface IResident {
	/** VmRSS: now. */
	readonly rssBytes: number;
	/** VmHWM: the peak since the process started, or since its peak was last reset. */
	readonly peakBytes: number;
}

/** The pids of one instance's processes. */
export interface IInstancePids {
	readonly host: number;
	readonly deno: number | undefined;
}

function kilobytesField(status: string, name: string): number | undefined {
	const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
	return match ? Number(match[1]) * 1024 : undefined;
}

/** The resident memory of a process, or undefined when /proc does not tell (gone, not Linux). */
export function residentOf(pid: number): IResident | undefined {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const rssBytes = kilobytesField(status, 'VmRSS');
		const peakBytes = kilobytesField(status, 'VmHWM');
		return rssBytes === undefined || peakBytes === undefined ? undefined : { rssBytes, peakBytes };
	} catch {
		return undefined;
	}
}

/**
 * Resets a process's VmHWM to its current RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux 4.0 and
 * later), so the next reading is the peak of what comes after; false when that is not allowed.
 */
export function resetPeak(pid: number): boolean {
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

/** The parent pid of every process /proc lists. */
function parents(): Map<number, number> {
	const found = new Map<number, number>();
	let entries: string[];
	try {
		entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
	} catch {
		return found;
	}
	for (const name of entries) {
		try {
			// The command name is in parentheses and may hold spaces: the fields follow the last ')'.
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			found.set(Number(name), Number(fields[1]));
		} catch {
			// The process ended meanwhile.
		}
	}
	return found;
}

function commandLine(pid: number): string {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
	} catch {
		return '';
	}
}

function commandName(pid: number): string {
	try {
		return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
	} catch {
		return '';
	}
}

/** The instance host processes this process started (children running instance-process.js). */
export function instanceHostPids(): number[] {
	return [...parents()]
		.filter(([pid, parent]) => parent === process.pid && /instance-process/.test(commandLine(pid)))
		.map(([pid]) => pid);
}

/** The app's Deno process under an instance host, if any (the first descendant named deno). */
export function denoUnder(hostPid: number): number | undefined {
	const tree = parents();
	const isUnder = (pid: number): boolean => {
		for (
			let parent = tree.get(pid);
			parent !== undefined && parent > 1;
			parent = tree.get(parent)
		) {
			if (parent === hostPid) {
				return true;
			}
		}
		return false;
	};
	return [...tree.keys()].find((pid) => commandName(pid) === 'deno' && isUnder(pid));
}

/**
 * Samples the RSS of some processes every `everyMs` until stopped, and answers the largest seen
 * of each: the peak of a stretch when VmHWM cannot be reset (between samples a peak can slip by).
 */
export class RssSampler {
	private readonly largest = new Map<number, number>();

	private readonly timer: NodeJS.Timeout;

	constructor(
		private readonly pids: ReadonlyArray<number>,
		everyMs = 50,
	) {
		this.sample();
		this.timer = setInterval(() => this.sample(), everyMs);
	}

	/** Stops sampling; the largest RSS of each process, by pid. */
	public stop(): Map<number, number> {
		clearInterval(this.timer);
		this.sample();
		return new Map(this.largest);
	}

	private sample(): void {
		for (const pid of this.pids) {
			const resident = residentOf(pid);
			if (resident) {
				this.largest.set(pid, Math.max(this.largest.get(pid) ?? 0, resident.rssBytes));
			}
		}
	}
}
