import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { denoBinaryDir } from '../host';

/** The value below which `share` of the sorted values lie (nearest rank). */
export function percentile(values: ReadonlyArray<number>, share: number): number {
	if (values.length === 0) {
		return Number.NaN;
	}
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil(share * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(values: ReadonlyArray<number>): number {
	return percentile(values, 0.5);
}

/** Runs an action and resolves with its result and how long it took, in milliseconds. */
export async function timed<T>(action: () => Promise<T>): Promise<{ result: T; ms: number }> {
	const started = performance.now();
	const result = await action();
	return { result, ms: performance.now() - started };
}

/** Progress goes to stderr, so stdout carries the report only. */
export function progress(text: string): void {
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

/** The machine a run happened on. */
export interface IMachine {
	readonly cpu: string;
	readonly cores: number;
	readonly memoryGiB: number;
	readonly os: string;
	readonly node: string;
	readonly deno: string;
	readonly date: string;
	readonly loadAverage: string;
}

function cpuModel(): string {
	try {
		const line = fs
			.readFileSync('/proc/cpuinfo', 'utf8')
			.split('\n')
			.find((entry) => entry.startsWith('model name'));
		if (line) {
			return line.slice(line.indexOf(':') + 1).trim();
		}
	} catch {
		// Not Linux: fall back to what Node reports.
	}
	return os.cpus()[0]?.model ?? 'unknown';
}

function denoVersion(): string {
	try {
		const binary = path.join(denoBinaryDir(), process.platform === 'win32' ? 'deno.exe' : 'deno');
		return execFileSync(binary, ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
	} catch {
		return 'unknown';
	}
}

/** Describes this machine now. */
export function describeMachine(): IMachine {
	return {
		cpu: cpuModel(),
		cores: os.availableParallelism?.() ?? os.cpus().length,
		memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		node: process.version,
		deno: denoVersion(),
		date: new Date().toISOString(),
		loadAverage: os
			.loadavg()
			.map((load) => load.toFixed(2))
			.join(' / '),
	};
}
