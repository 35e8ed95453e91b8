import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { call, startTestServer } from './web-fixture';
import type { ITestServer } from './web-fixture';
import type { ISessionDto, ITimelineDto } from '../../web/shared/protocol';

describe('the files the app uploads, on the page', () => {
	let test: ITestServer;

	before(async () => {
		test = await startTestServer();
	});

	after(async () => {
		await test?.stop();
	});

	it("offers the export for download in the admin's direct room, and to nobody else", async () => {
		const exported = await call(test.server, 'POST', '/api/rooms/general/messages', {
			user: 'admin',
			json: { text: '/feedback export' },
		});
		assert.equal(exported.status, 200, JSON.stringify(exported.body));
		const session = (await call(test.server, 'GET', '/api/session', { user: 'admin' }))
			.body as ISessionDto;
		const direct = session.rooms.find((room) => room.kind === 'direct');
		assert.ok(direct, `the admin has a direct room with the app: ${JSON.stringify(session.rooms)}`);
		const timeline = (
			await call(test.server, 'GET', `/api/rooms/${encodeURIComponent(direct.name)}/timeline`, {
				user: 'admin',
			})
		).body as ITimelineDto;
		const files = timeline.entries.flatMap((entry) => entry.files ?? []);
		assert.equal(files.length, 1);
		assert.match(files[0].name, /^feedback-export-\d{4}-\d\d-\d\d-part-1\.csv$/);
		const download = await fetch(new URL(files[0].url, test.server.url), {
			headers: { Cookie: 'feedback_try_user=admin' },
		});
		assert.equal(download.status, 200);
		assert.match(download.headers.get('content-disposition') ?? '', /^attachment;/);
		const bytes = new Uint8Array(await download.arrayBuffer());
		assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM');
		assert.match(
			new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
			/^\uFEFFid,created \(UTC\),category/,
		);
		const stranger = await call(test.server, 'GET', files[0].url, { user: 'alice' });
		assert.equal(stranger.status, 404);
		const unknown = await call(test.server, 'GET', '/file-upload/nothing/x.csv', { user: 'admin' });
		assert.equal(unknown.status, 404);
	});
});
