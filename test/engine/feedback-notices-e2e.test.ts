// Issue 19, the author's notice on a server with end-to-end encryption: with E2E_Enable and
// E2E_Enabled_Default_DirectRooms on, the app's direct room with an author would be created
// encrypted, where the server refuses the app's plain messages unless
// E2E_Allow_Unencrypted_Messages is on. Nothing is lost: the admin's reply says the author gets
// no message and why, the job starts no room and does not try for ever, and the author's list
// shows the status and the note.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	appUsername,
	changeStatus,
	entryLine,
	fixturePerTest,
	listText,
	runStatusNotices,
	sendFeedback,
	viewLines,
} from './app-fixture';
import { isEncryptedRoom, type LocalHost } from '../../host';

/** The lines of the member's own list, as `/feedback list` opens it. */
async function listLines(host: LocalHost, username: string): Promise<string[]> {
	const result = await host.runSlashCommand(username, 'general', '/feedback list');
	assert.equal(result.view?.viewId, 'feedback-list', 'the list opened');
	return viewLines(result.view);
}

describe('status notices on a server with end-to-end encryption', () => {
	const fixture = fixturePerTest('notices-e2e');

	it('with direct rooms encrypted by default: the admin hears the author gets no message, no room is started, the list shows status and note', async () => {
		const current = fixture();
		const { host } = current;
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'dark mode' });
		host.setServerSetting('E2E_Enable', true);
		host.setServerSetting('E2E_Enabled_Default_DirectRooms', true);
		const saved = await changeStatus(host, 'admin', sent.id, {
			status: 'planned',
			note: 'next release',
		});
		assert.equal(
			viewLines(saved.view)[0],
			`Feedback ${sent.shortId} is now Planned. Its author gets no direct message: their direct room with the app is end-to-end encrypted, and the server refuses the app's unencrypted messages (E2E_Allow_Unencrypted_Messages is off). They see the status and note in /feedback list.`,
		);
		await runStatusNotices(current);
		await runStatusNotices(current);
		assert.equal(host.directRoom([appUsername(host), 'alice']), undefined, 'no room started');
		const lines = await listLines(host, 'alice');
		const entry = lines.findIndex((line) => line.startsWith(sent.shortId));
		assert.ok(entry >= 0, lines.join('\n'));
		assert.match(lines[entry], /Status: Planned$/);
		assert.equal(lines[entry + 1], 'dark mode');
		assert.equal(lines[entry + 2], 'Note from the team: next release');
		// Without a client to show the list (REST commands.run), the text list says the same.
		const text = await listText(host, 'alice', '/feedback list');
		assert.match(entryLine(text, sent.shortId), / · Status: Planned$/);
		assert.ok(text.includes('Note from the team: `next release`'), text);

		// Once the server takes unencrypted messages, the next change reaches the author, in the
		// direct room the server creates encrypted.
		host.setServerSetting('E2E_Allow_Unencrypted_Messages', true);
		const again = await changeStatus(host, 'admin', sent.id, { status: 'done', note: 'shipped' });
		assert.match(viewLines(again.view)[0], /told in a direct message within 11 minutes/);
		await runStatusNotices(current);
		const room = host.directRoom([appUsername(host), 'alice']);
		assert.ok(room && isEncryptedRoom(room), 'created encrypted');
		const texts = host.timeline(room.id).map((message) => message.text);
		assert.equal(texts.length, 1, JSON.stringify(texts));
		assert.match(texts[0], /is now: Done\.\nNote from the team: `shipped`$/);
	});

	it('an existing direct room that is encrypted: the same, also when new rooms are not encrypted', async () => {
		const current = fixture();
		const { host } = current;
		const sent = await sendFeedback(host, 'alice', 'general', { comment: 'tabs' });
		await changeStatus(host, 'admin', sent.id, { status: 'acknowledged' });
		await runStatusNotices(current);
		const room = host.directRoom([appUsername(host), 'alice']);
		assert.ok(room);
		assert.equal(host.timeline(room.id).length, 1, 'told once');
		host.directory.rooms.setEncrypted(room.id, true);
		host.setServerSetting('E2E_Enable', true);
		const saved = await changeStatus(host, 'admin', sent.id, { status: 'declined', note: 'no' });
		assert.match(
			viewLines(saved.view)[0],
			/Its author gets no direct message: their direct room with the app is end-to-end encrypted/,
		);
		await runStatusNotices(current);
		await runStatusNotices(current);
		assert.equal(host.timeline(room.id).length, 1, 'nothing more posted, nothing refused');
		assert.ok(
			(await listLines(host, 'alice')).includes('Note from the team: no'),
			'the list shows the note',
		);
	});
});
