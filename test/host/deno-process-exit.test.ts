// The app's Deno process dies while the host is answering one of its bridge calls: the engine's
// write of that answer fails (EPIPE). The host must log it and go on, not end with it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';

import { startFixture, stopFixture } from '../engine/app-fixture';
import { until } from '../support/until';

/**
 * Whether the process has ended with every thread, so its pipes are closed: gone, or a zombie whose
 * other threads are gone too (the main thread turns zombie while the others may still hold them).
 */
function hasEnded(pid: number): boolean {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		if (!stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) {
			return false;
		}
		return fs.readdirSync(`/proc/${pid}/task`).every((task) => Number(task) === pid);
	} catch {
		return true;
	}
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return !hasEnded(pid);
	} catch {
		return false;
	}
}

/**
 * Waits, without giving the event loop a turn, until the process has ended: so the host has not
 * yet seen its exit when the engine writes to it next.
 */
function waitUntilEnded(pid: number, deadlineMs = 10_000): void {
	const deadline = Date.now() + deadlineMs;
	while (!hasEnded(pid)) {
		if (Date.now() > deadline) {
			throw new Error(`process ${pid} did not end within ${deadlineMs} ms`);
		}
	}
}

describe('the app process dying under the host', () => {
	it(
		'logs the failed write of a bridge answer and lets the engine start the app again',
		{ timeout: 120_000 },
		async () => {
			// The command whose process dies waits for the engine's 30 s request timeout: stopping
			// the host does not wait that long for it.
			const fixture = await startFixture('deno process killed', { settleTimeoutMs: 1000 });
			let lost: Promise<unknown> | undefined;
			try {
				const { host } = fixture;
				const killed = host.denoPid();
				assert.ok(killed !== undefined, 'the app runs in a Deno process');
				// The app's first bridge call of the command: the process is killed before its answer
				// goes back (persistence listeners run inside the bridge call, before it returns).
				const unsubscribe = host.persistence.onCall(() => {
					unsubscribe();
					process.kill(killed, 'SIGKILL');
					waitUntilEnded(killed);
				});
				// Its request is lost with the process: the engine fails it after its 30 s timeout.
				lost = host.runSlashCommand('admin', 'general', '/feedback stats').catch(() => undefined);
				// The liveness manager restarts the app in a new process once it sees the exit.
				await until(() => {
					const pid = host.denoPid();
					return pid !== undefined && pid !== killed && isRunning(pid);
				}, 'the engine to start the app in a new Deno process');
				assert.deepEqual(
					host.pipeErrors().map(({ pid, pipe, error }) => ({
						pid,
						pipe,
						code: (error as NodeJS.ErrnoException).code,
					})),
					[{ pid: killed, pipe: 'stdin', code: 'EPIPE' }],
				);
			} finally {
				await stopFixture(fixture);
			}
			await lost;
		},
	);
});
