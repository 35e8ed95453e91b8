// Issue 19, the export on a server whose upload rules stop it: uploads off, direct uploads off,
// a media type list that refuses text/csv, direct rooms encrypted by default, an upload limit
// below the smallest file. Each ends with a message naming the setting and what to do, and
// `/feedback export … in #room` is the way out where the server allows one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { appUsername, fixturePerTest, reply, sendFeedback } from './app-fixture';

describe('the export on a server whose rules stop it', () => {
	const fixture = fixturePerTest('export-rules');

	it('says what the upload limit is and that no export fits it when FileUpload_MaxFileSize is under a header-only CSV', async () => {
		const { host } = fixture();
		await sendFeedback(host, 'alice', 'general', { comment: 'too big for the limit' });
		// A header-only file: the BOM (3 bytes) and the header line with its CRLF (56 bytes).
		for (const limit of [30, 58, 0]) {
			host.setServerSetting('FileUpload_MaxFileSize', limit);
			assert.equal(
				await reply(host, 'admin', '/feedback export'),
				`Nothing was exported: the largest upload the server accepts (FileUpload_MaxFileSize) is ${limit} B, smaller than the smallest export file (59 B: the CSV header alone), so no export fits it. Ask a workspace admin to raise the limit (Administration > Settings > File Upload).`,
			);
		}
		assert.deepEqual(host.uploads(), [], 'nothing uploaded');
		assert.equal(host.directRoom(['admin', appUsername(host)]), undefined, 'no room started');
	});
});
