// Issue 19, done when: on one workspace that restricts everything at once (direct uploads off, a
// media type white list without CSV, end-to-end encryption by default for direct rooms, a small
// Message_MaxAllowedSize) and with members on Rocket.Chat's mobile app, every author and admin
// flow ends with the right outcome or a message naming the setting that stops it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	appUsername,
	changeStatus,
	fixturePerTest,
	openAdminView,
	reply,
	roomMessages,
	runAnnouncements,
	runStatusNotices,
	sendFeedback,
	SETTING,
	viewEntries,
	viewLines,
} from './app-fixture';

const MAX_SIZE = 300;

describe('a workspace that restricts uploads, encrypts direct rooms and keeps messages short', () => {
	const fixture = fixturePerTest('restrictive workspace', {
		clients: { alice: 'mobile', admin: 'mobile' },
	});

	it('the author and the admin, both on the mobile app, end every flow with an outcome or a cause', async () => {
		const current = fixture();
		const { host } = current;
		host.setServerSetting('FileUpload_Enabled_Direct', false);
		host.setServerSetting('FileUpload_MediaTypeWhiteList', 'image/*');
		host.setServerSetting('E2E_Enable', true);
		host.setServerSetting('E2E_Enabled_Default_DirectRooms', true);
		host.setServerSetting('Message_MaxAllowedSize', MAX_SIZE);
		await host.setSetting(SETTING.announceRoom, 'feedback');

		// The author's form, on a phone: stored, confirmed, closed; announced cut to the limit.
		const comment = `${'The search is slow on large rooms. '.repeat(12)}End.`;
		assert.ok(comment.length > MAX_SIZE);
		const sent = await sendFeedback(host, 'alice', 'general', { comment, category: 'Bug' });
		await runAnnouncements(host);
		const announced = roomMessages(host, 'feedback').filter((message) =>
			(message.text ?? '').includes(sent.id),
		);
		assert.equal(announced.length, 1, 'announced once');
		const text = announced[0].text ?? '';
		assert.ok(text.length <= MAX_SIZE, `${text.length} UTF-16 units`);
		assert.match(text, /…/, 'cut visibly');

		// The admin triages in the modal: the author cannot be messaged, and the admin hears why.
		const admin = await openAdminView(host);
		assert.equal(admin.viewId, 'feedback-admin');
		assert.deepEqual(
			viewEntries(admin).map((entry) => entry.shortId),
			[sent.shortId],
		);
		const saved = await changeStatus(host, 'admin', sent.id, {
			status: 'planned',
			note: 'In the next release',
		});
		assert.match(
			viewLines(saved.view)[0],
			/Its author gets no direct message: .* end-to-end encrypted.*E2E_Allow_Unencrypted_Messages/,
		);
		await runStatusNotices(current);
		assert.equal(host.directRoom([appUsername(host), 'alice']), undefined, 'no room started');
		const list = await host.runSlashCommand('alice', 'general', '/feedback list');
		assert.ok(viewLines(list.view).includes('Note from the team: In the next release'));

		// The export: the direct room is refused by name, then the white list in a room.
		assert.match(await reply(host, 'admin', '/feedback export'), /\(FileUpload_Enabled_Direct\)/);
		assert.match(
			await reply(host, 'admin', '/feedback export in #feedback'),
			/FileUpload_MediaTypeWhiteList/,
		);
		host.setServerSetting('FileUpload_MediaTypeWhiteList', '');
		host.setServerSetting('FileUpload_Enabled', false);
		assert.match(
			await reply(host, 'admin', '/feedback export in #feedback'),
			/FileUpload_Enabled\b/,
		);
		assert.deepEqual(host.uploads(), [], 'nothing uploaded');

		// Once the room accepts CSV, the export into it is the way out.
		host.setServerSetting('FileUpload_Enabled', true);
		assert.match(
			await reply(host, 'admin', '/feedback export in #feedback'),
			/Exported 1 feedback entries to /,
		);
		assert.equal(host.uploads().length, 1);
	});
});
