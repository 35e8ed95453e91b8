// Stopping and killing an instance process whatever state it is in: a driver's clean-up (a test's
// teardown, the bench after a crashed instance) must end, not throw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { withCluster } from '../support/cluster-harness';
import { until, withDeadline } from '../support/until';

const TEST_TIMEOUT_MS = 120_000;

describe('stopping an instance process', () => {
	it(
		'ends cleanly, exit code 0, when its driver goes away in the middle of a delivery',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ size: 1 }, async ({ instances }) => {
				const [instance] = instances;
				// Far more than are delivered before the driver leaves: handlers are still running
				// then, and each one that returns reports to a driver that is no longer there.
				const orders = Array.from({ length: 3000 }, (_, index) => ({
					seq: index + 1,
					username: 'alice',
					roomName: 'general',
					text: `message ${index + 1}`,
				}));
				const delivery = instance.deliver(orders, 16).catch(() => undefined);
				await until(() => instance.delivered.size > 0, 'a first message delivered');
				assert.equal(await withDeadline(instance.abandon(), 'the instance to exit'), 0);
				await delivery;
			}),
	);

	it(
		'resolves for a second stop() while the first one closes the channel',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ size: 1 }, async ({ instances }) => {
				const [instance] = instances;
				// Both ask the instance to stop; whichever goes on first closes the IPC channel, so
				// the other finds it closed (its request answered or failed, the child gone or going).
				await withDeadline(
					Promise.all([instance.stop(), instance.stop()]),
					'two stop() calls to resolve',
				);
				assert.equal(instance.exited, true);
			}),
	);

	it(
		'resolves for stop() and kill() once the process died without being asked',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ size: 1 }, async ({ instances }) => {
				const [instance] = instances;
				// SIGKILL from outside, as the kernel's OOM killer or a crash: stop() is called before
				// the driver has seen the exit, and again (with kill()) after it.
				process.kill(instance.pid, 'SIGKILL');
				await withDeadline(instance.stop(), 'stop() of a dead instance to resolve');
				assert.equal(instance.exited, true);
				await withDeadline(instance.stop(), 'stop() again to resolve');
				await withDeadline(instance.kill(), 'kill() of a dead instance to resolve');
			}),
	);
});
