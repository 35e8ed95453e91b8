import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import { call, zipPath } from './web-fixture';
import { startWebServer } from '../../web/server';
import type { ISendResultDto, IStatsDto } from '../../web/shared/protocol';

/**
 * The same package with different bytes, as every `npm run package` writes it (the zip's
 * timestamps change): the zip comment of its end-of-central-directory record is set.
 */
function repackaged(zip: Buffer): Buffer {
	const end = zip.length - 22;
	assert.equal(
		zip.readUInt32LE(end),
		0x06054b50,
		'the package ends with an end-of-central-directory record',
	);
	assert.equal(zip.readUInt16LE(end + 20), 0, 'the package has no zip comment yet');
	const comment = Buffer.from(`rebuilt ${Date.now()}`);
	const copy = Buffer.concat([zip, comment]);
	copy.writeUInt16LE(comment.length, end + 20);
	return copy;
}

describe('npm start on a kept database', () => {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'feedback-web-restart-'));

	after(() => {
		fs.rmSync(folder, { recursive: true, force: true });
	});

	it('keeps the data and a working app when the package was rebuilt in between', async () => {
		assert.ok(fs.existsSync(zipPath), `no package at ${zipPath}: run npm run package first`);
		const databasePath = path.join(folder, 'try.sqlite');
		const rebuiltZip = path.join(folder, 'feedback_1.0.0.zip');
		fs.writeFileSync(rebuiltZip, repackaged(fs.readFileSync(zipPath)));

		const first = await startWebServer({ port: 0, databasePath, zipPath });
		try {
			const sent = await call(first, 'POST', '/api/rooms/general/messages', {
				user: 'alice',
				json: { text: 'Before the restart' },
			});
			assert.equal(sent.status, 200);
		} finally {
			await first.close();
		}

		const second = await startWebServer({ port: 0, databasePath, zipPath: rebuiltZip });
		try {
			const help = await call(second, 'POST', '/api/rooms/general/messages', {
				user: 'alice',
				json: { text: '/feedback help' },
			});
			assert.equal(help.status, 200, JSON.stringify(help.body));
			assert.equal(
				(help.body as ISendResultDto).replies.length,
				1,
				'the updated app still answers',
			);
			const stats = await call(second, 'GET', '/api/stats', { user: 'admin' });
			assert.match(
				(stats.body as IStatsDto).text,
				/Messages sent on the server: 1\b/,
				'the data was kept',
			);
		} finally {
			await second.close();
		}
	});
});
