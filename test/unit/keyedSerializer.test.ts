import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { KeyedSerializer } from '../../src/lib/KeyedSerializer';

const later = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedSerializer', () => {
	it('runs tasks of one key one after another, and of different keys side by side', async () => {
		const serializer = new KeyedSerializer();
		const events: string[] = [];
		const task = (name: string) => async () => {
			events.push(`${name} start`);
			await later();
			events.push(`${name} end`);
		};
		await Promise.all([
			serializer.run('a', task('a1')),
			serializer.run('a', task('a2')),
			serializer.run('b', task('b1')),
		]);
		assert.ok(events.indexOf('a1 end') < events.indexOf('a2 start'), events.join(', '));
		assert.ok(events.indexOf('b1 start') < events.indexOf('a1 end'), events.join(', '));
	});

	it('a failing task rejects its caller only and does not stop the next one', async () => {
		const serializer = new KeyedSerializer();
		const failing = serializer.run('a', () => Promise.reject(new Error('boom')));
		const next = serializer.run('a', async () => 'ran');
		await assert.rejects(failing, /boom/);
		assert.equal(await next, 'ran');
	});

	it('forgets a key once its work is done, so keys do not pile up', async () => {
		const serializer = new KeyedSerializer();
		const running = serializer.run('view-1', later);
		assert.equal(serializer.activeKeys, 1);
		await running;
		await later();
		assert.equal(serializer.activeKeys, 0);
	});
});
