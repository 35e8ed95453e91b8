import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseFeedbackCommand } from '../../src/domain/command';
import {
	CSV_TYPE,
	directRoomRefusesPlain,
	exportRefusal,
	isPermanentMessageRefusal,
	isTypeAccepted,
	refusalOfUploadError,
} from '../../src/domain/uploadRules';
import type { IUploadSettings } from '../../src/domain/uploadRules';
import { SMALLEST_EXPORT_FILE } from '../../src/handlers/FeedbackExporter';
import { maxFileSizeOf } from '../../src/settings/serverSettings';
import { TestWorld } from '../support/TestWorld';

/** A new server's settings (apps/meteor/server/settings/file-upload.ts, e2e.ts). */
const DEFAULTS: IUploadSettings = {
	uploadsEnabled: true,
	directUploadsEnabled: true,
	whiteList: '',
	blackList: 'image/svg+xml',
	maxFileSize: 104857600,
	e2eEnabled: false,
	e2eDefaultDirectRooms: false,
	e2eAllowUnencrypted: false,
};

const NEW_DIRECT = { kind: 'direct', exists: false, encrypted: false } as const;

describe('the server upload rules the app checks first', () => {
	it('read the media type lists as the server does (restrictions.ts)', () => {
		const cases: Array<[string, string, boolean]> = [
			['', 'image/svg+xml', true],
			['*', '', true],
			['text/csv', '', true],
			[' image/png , text/csv ', '', true],
			['text/*', '', true],
			['text/plain', '', false],
			['image/*', '', false],
			['', 'text/csv', false],
			['', 'text/*', false],
			['text/csv', 'text/csv', false],
			// A wildcard must be a whole group: `*/csv` and `/*` match nothing.
			['*/csv', '', false],
			['/*', '', false],
		];
		for (const [white, black, accepted] of cases) {
			assert.equal(isTypeAccepted(CSV_TYPE, white, black), accepted, `${white} | ${black}`);
		}
	});

	it('stop the export at the first rule, in the order the server checks them', () => {
		assert.equal(exportRefusal(DEFAULTS, NEW_DIRECT, SMALLEST_EXPORT_FILE), undefined);
		const everythingOff: IUploadSettings = {
			...DEFAULTS,
			uploadsEnabled: false,
			directUploadsEnabled: false,
			maxFileSize: 0,
			whiteList: 'image/*',
		};
		assert.deepEqual(exportRefusal(everythingOff, NEW_DIRECT, 59), { kind: 'uploads-off' });
		const on = { ...everythingOff, uploadsEnabled: true };
		assert.deepEqual(exportRefusal(on, NEW_DIRECT, 59), { kind: 'direct-off' });
		assert.deepEqual(exportRefusal(on, { kind: 'room', encrypted: false }, 59), {
			kind: 'limit-below-header',
			limit: 0,
			smallest: 59,
		});
		assert.deepEqual(exportRefusal({ ...DEFAULTS, maxFileSize: 58 }, NEW_DIRECT, 59), {
			kind: 'limit-below-header',
			limit: 58,
			smallest: 59,
		});
		assert.equal(exportRefusal({ ...DEFAULTS, maxFileSize: 59 }, NEW_DIRECT, 59), undefined);
		assert.deepEqual(exportRefusal({ ...DEFAULTS, blackList: 'text/csv' }, NEW_DIRECT, 59), {
			kind: 'csv-refused',
		});
		assert.equal(SMALLEST_EXPORT_FILE, 59, 'the BOM and the header line');
	});

	it('know which direct rooms refuse plain messages: an existing one by its flag, a new one by the defaults', () => {
		const e2e = { ...DEFAULTS, e2eEnabled: true, e2eDefaultDirectRooms: true };
		assert.equal(directRoomRefusesPlain(e2e, { exists: false, encrypted: false }), true);
		assert.equal(directRoomRefusesPlain(e2e, { exists: true, encrypted: false }), false);
		assert.equal(
			directRoomRefusesPlain(
				{ ...e2e, e2eDefaultDirectRooms: false },
				{ exists: true, encrypted: true },
			),
			true,
		);
		assert.equal(
			directRoomRefusesPlain(
				{ ...e2e, e2eAllowUnencrypted: true },
				{ exists: true, encrypted: true },
			),
			false,
		);
		assert.equal(
			directRoomRefusesPlain({ ...e2e, e2eEnabled: false }, { exists: true, encrypted: true }),
			false,
			'E2E off: the server checks no encryption',
		);
		assert.deepEqual(exportRefusal(e2e, NEW_DIRECT, 59), { kind: 'direct-encrypted' });
		assert.deepEqual(exportRefusal(e2e, { kind: 'room', encrypted: true }, 59), {
			kind: 'room-encrypted',
		});
		assert.equal(exportRefusal(e2e, { kind: 'room', encrypted: false }, 59), undefined);
	});

	it('name the rule behind a server error, and nothing else', () => {
		const direct = NEW_DIRECT;
		const room = { kind: 'room', encrypted: false } as const;
		const named: Array<[string, unknown]> = [
			['File uploads are disabled. [error-file-upload-disabled]', { kind: 'uploads-off' }],
			[
				'File sharing not allowed in direct messages. [error-direct-message-file-upload-not-allowed]',
				{ kind: 'direct-off' },
			],
			['File type is not accepted. [error-invalid-file-type]', { kind: 'csv-refused' }],
			['File size exceeds upload limit of 1 KB. [error-file-too-large]', { kind: 'too-large' }],
			['Not allowed [error-app-prevented]', { kind: 'app-prevented', reason: 'Not allowed' }],
			["You can't send messages because the room is readonly.", { kind: 'room-read-only' }],
		];
		for (const [message, refusal] of named) {
			assert.deepEqual(refusalOfUploadError(new Error(message), room), refusal, message);
		}
		const unencrypted =
			'Not allowed to send un-encrypted messages in an encrypted room [error-not-allowed]';
		assert.deepEqual(refusalOfUploadError(new Error(unencrypted), direct), {
			kind: 'direct-encrypted',
		});
		assert.deepEqual(refusalOfUploadError(unencrypted, room), { kind: 'room-encrypted' });
		for (const other of ['socket hang up', 'Timeout [error-timeout]', '']) {
			assert.equal(refusalOfUploadError(new Error(other), room), undefined, other);
		}
	});

	it('tell a refused direct message from a failure worth trying again', () => {
		for (const refused of [
			'Not allowed to send un-encrypted messages in an encrypted room [error-not-allowed]',
			'Not allowed [error-not-allowed]',
			'Invalid user [error-invalid-user]',
		]) {
			assert.equal(isPermanentMessageRefusal(new Error(refused)), true, refused);
		}
		for (const transient of ['Timeout', 'connection reset', 'Message size exceeds [error-x]']) {
			assert.equal(isPermanentMessageRefusal(new Error(transient)), false, transient);
		}
	});

	it('read FileUpload_MaxFileSize as the server parses it', () => {
		assert.equal(maxFileSizeOf(-1), Number.POSITIVE_INFINITY);
		assert.equal(maxFileSizeOf(0), 0);
		assert.equal(maxFileSizeOf('2048'), 2048);
		assert.equal(maxFileSizeOf(undefined), 104857600, 'unreadable: the default');
	});

	it('parse `/feedback export [from] [to] [in #room]`', () => {
		assert.deepEqual(parseFeedbackCommand(['export', 'in', '#reports']), {
			kind: 'export',
			from: undefined,
			to: undefined,
			room: 'reports',
		});
		assert.deepEqual(
			parseFeedbackCommand(['export', '2026-01-01', '2026-02-01', 'IN', 'reports']),
			{
				kind: 'export',
				from: '2026-01-01',
				to: '2026-02-01',
				room: 'reports',
			},
		);
		assert.deepEqual(parseFeedbackCommand(['export', '2026-01-01']), {
			kind: 'export',
			from: '2026-01-01',
			to: undefined,
		});
		for (const bad of [
			['export', 'in'],
			['export', 'in', '#'],
			['export', 'in', 'a', 'b'],
			['export', '1', '2', '3', 'in', 'a'],
			['export', '1', '2', '3'],
		]) {
			assert.equal(parseFeedbackCommand(bad).kind, 'unknown', bad.join(' '));
		}
	});
});

describe('an export the server refuses at the upload', () => {
	it('names the rule and how many files went before it', async () => {
		const world = new TestWorld();
		// One entry a file: the header and a row fit in 400 bytes, two rows do not.
		world.serverSettings.set('FileUpload_MaxFileSize', 400);
		for (let index = 0; index < 3; index += 1) {
			await world.instance.run(world.alice, '');
			const sent = await world.instance.submit(world.alice, world.lastView(world.alice), {
				comment: `${'x'.repeat(150)} ${index}`,
				category: 'Bug',
			});
			assert.equal(sent.success, true);
		}
		world.refusingUploads = {
			after: 1,
			error: new Error('File type is not accepted. [error-invalid-file-type]'),
		};
		await world.instance.run(world.admin, 'export');
		assert.match(
			world.lastNotice(world.admin),
			/^The export stopped after 1 file\(s\): the server does not accept CSV files \(text\/csv is refused by FileUpload_MediaTypeWhiteList/,
		);
		assert.equal(world.uploads.length, 1);
	});

	it('quotes another app that prevented the file, and says "try again" only for an unnamed failure', async () => {
		const world = new TestWorld();
		world.refusingUploads = {
			after: 0,
			error: new Error('No CSV @all here [error-app-prevented]'),
		};
		await world.instance.run(world.admin, 'export');
		assert.equal(
			world.lastNotice(world.admin),
			'Nothing was exported: an app on the server refused the file: `No CSV @\u2060all here`',
		);
		world.refusingUploads = { after: 0, error: new Error('socket hang up') };
		await world.instance.run(world.admin, 'export');
		assert.match(world.lastNotice(world.admin), /could not be completed\. Please try again\.$/);
	});
});
