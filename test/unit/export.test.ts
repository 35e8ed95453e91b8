import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { BOM, csvCell, CsvParts } from '../../src/domain/csv';
import {
	EXPORT_PART_MAX_BYTES,
	exportPartLimit,
	fileSizeText,
	parseExportRange,
} from '../../src/domain/exportFile';
import { SettingId } from '../../src/domain/settings';
import { FeedbackStatus, previousChange } from '../../src/domain/status';
import { StatusLog } from '../../src/persistence/StatusLog';
import { storesFor } from '../../src/persistence/stores';
import { TestWorld } from '../support/TestWorld';

async function sendFeedback(world: TestWorld, user: IUser, values: Record<string, unknown>) {
	await world.instance.run(user, '');
	const response = await world.instance.submit(user, world.lastView(user), values);
	assert.equal(response.success, true);
}

/** A minimal RFC 4180 reader, to check the file reads back to what was stored. */
function parseCsv(text: string): Array<Array<string>> {
	const rows: Array<Array<string>> = [];
	let row: Array<string> = [];
	let cell = '';
	let quoted = false;
	for (let index = 0; index < text.length; index += 1) {
		const character = text[index];
		if (quoted) {
			if (character === '"' && text[index + 1] === '"') {
				cell += '"';
				index += 1;
			} else if (character === '"') {
				quoted = false;
			} else {
				cell += character;
			}
		} else if (character === '"') {
			quoted = true;
		} else if (character === ',') {
			row.push(cell);
			cell = '';
		} else if (character === '\r' && text[index + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			index += 1;
		} else {
			cell += character;
		}
	}
	assert.equal(cell, '', 'the file ends with a line break');
	return rows;
}

function rowsOf(content: string): Array<Array<string>> {
	assert.ok(content.startsWith(BOM), 'UTF-8 with a BOM');
	return parseCsv(content.slice(BOM.length));
}

describe('the CSV cells', () => {
	it('neutralise anything a spreadsheet would run as a formula', () => {
		for (const formula of [
			'=1+1',
			'+1',
			'-1',
			'@SUM(A1)',
			'\tx',
			'\rx',
			'=HYPERLINK("http://x")',
		]) {
			const cell = csvCell(formula);
			const inner = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
			assert.ok(inner.startsWith("'"), `${JSON.stringify(formula)} → ${cell}`);
		}
		assert.equal(csvCell('plain'), 'plain');
		assert.equal(csvCell('a,b'), '"a,b"');
		assert.equal(csvCell('say "hi"'), '"say ""hi"""');
		assert.equal(csvCell('two\nlines'), '"two\nlines"');
	});

	it('split into files of at most the size allowed, each with its header', async () => {
		const files: Array<string> = [];
		const parts = new CsvParts('h\r\n', 40, async (content) => void files.push(content));
		for (let index = 0; index < 10; index += 1) {
			assert.equal(await parts.add(`row ${index}\r\n`), true);
		}
		assert.equal(await parts.add(`${'x'.repeat(60)}\r\n`), false, 'a row larger than a file');
		assert.equal(await parts.finish(), files.length);
		assert.ok(files.length > 1);
		for (const file of files) {
			assert.ok(new TextEncoder().encode(file).length <= 40, `${file.length} bytes`);
			assert.ok(file.startsWith(`${BOM}h\r\n`));
		}
		assert.equal(files.join('').split('row ').length - 1, 10);
	});

	it("are cut at the export's own part size when the server allows larger files", () => {
		assert.equal(exportPartLimit(Number.POSITIVE_INFINITY), EXPORT_PART_MAX_BYTES);
		assert.equal(exportPartLimit(104857600), EXPORT_PART_MAX_BYTES);
		assert.equal(exportPartLimit(1000), 1000, 'a smaller server limit wins');
		assert.ok(EXPORT_PART_MAX_BYTES <= 8 * 1024 * 1024, 'a few MiB at most');
	});

	it('state sizes as the server writes them', () => {
		assert.equal(fileSizeText(EXPORT_PART_MAX_BYTES), '2 MB');
		assert.equal(fileSizeText(1048576), '1 MB');
		assert.equal(fileSizeText(1536), '1.5 KB');
		assert.equal(fileSizeText(400), '400 B');
	});

	it('read typed date ranges strictly', () => {
		assert.deepEqual(parseExportRange(undefined, undefined), { from: null, to: null });
		assert.deepEqual(parseExportRange('2026-01-01', '2026-01-31'), {
			from: '2026-01-01',
			to: '2026-01-31',
		});
		assert.deepEqual(parseExportRange('2026-02-30', undefined), {
			error: 'export_date_invalid',
			text: '2026-02-30',
		});
		assert.deepEqual(parseExportRange('2026-03-01', '2026-01-01'), {
			error: 'export_range_reversed',
		});
	});
});

describe('/feedback export', () => {
	it("uploads everything to the admin's direct room: hostile text, formulas and anonymous authors", async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, {
			comment: '=HYPERLINK("http://evil.example","click") and, "quotes"\nnew line @all',
			category: 'Bug',
			rating: '4',
		});
		await sendFeedback(world, world.bruno, {
			comment: '+secret',
			category: 'Idea',
			anonymous: ['anonymous'],
		});
		await world.instance.run(world.admin, 'export');
		assert.match(world.lastNotice(world.admin), /Exported 2 feedback entries .* in 1 CSV file/);
		assert.equal(world.uploads.length, 1);
		const [file] = world.uploads;
		assert.equal(file.roomId, world.directRooms[0].id);
		assert.deepEqual([...(world.directRooms[0].usernames ?? [])].sort(), ['admin', 'feedback.bot']);
		assert.equal(file.userId, world.bot.id);
		assert.match(file.filename, /^feedback-export-\d{4}-\d{2}-\d{2}-part-1\.csv$/);
		// The runtime sends a Buffer as bytes; the bridge's JSON check of a plain Uint8Array costs
		// several times more (an object keyed by index).
		assert.ok(Buffer.isBuffer(file.bytes), 'handed over as a Buffer');
		const [header, ...rows] = rowsOf(file.content);
		// Anonymous feedback keeps only the hour it was sent: it may sort before the named one.
		const first = rows.find((row) => row[6] === 'alice');
		const second = rows.find((row) => row[6] === '');
		assert.ok(first && second && rows.length === 2);
		assert.deepEqual(header, [
			'id',
			'created (UTC)',
			'category',
			'rating',
			'status',
			'comment',
			'author',
		]);
		assert.equal(
			first[5],
			`'=HYPERLINK("http://evil.example","click") and, "quotes"\nnew line @all`,
		);
		assert.deepEqual(first.slice(2, 5), ['Bug', '4', 'new']);
		assert.equal(first[6], 'alice');
		assert.match(first[1], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		assert.equal(second[5], "'+secret");
		assert.equal(second[6], '', 'no author for anonymous feedback');
		assert.doesNotMatch(file.content, /bruno|Bruno/);
	});

	it('takes each status from the changes of its day once they are filed so, never reading them all', async () => {
		const world = new TestWorld();
		await sendFeedback(world, world.alice, { comment: 'planned one', category: 'Bug' });
		await sendFeedback(world, world.bruno, { comment: 'still new', category: 'Bug' });
		const stores = storesFor(world.read().getPersistenceReader(), world.instance.log.logger);
		const planned = (await stores.feedback.newest(2, world.now())).items.find(
			(record) => record.comment === 'planned one',
		);
		assert.ok(planned);
		await stores.statuses.append(world.writer(), {
			id: 'change-1',
			feedbackId: planned.id,
			feedbackCreatedAt: planned.createdAt,
			status: FeedbackStatus.Planned,
			note: '',
			adminId: world.admin.id,
			at: world.now().toISOString(),
			previous: previousChange([], world.now()),
		});
		const statusesExported = () => {
			const rows = rowsOf(world.uploads[world.uploads.length - 1].content).slice(1);
			return Object.fromEntries(rows.map((row) => [row[5], row[4]]));
		};
		const expected = { 'planned one': 'planned', 'still new': 'new' };
		// Not filed yet (no upkeep run): every change is read, a few days at a time.
		await world.instance.run(world.admin, 'export');
		assert.deepEqual(statusesExported(), expected);

		await world.instance.handlers.upkeep.run(world.instance.jobRequest());
		const readAll = Object.getOwnPropertyDescriptor(StatusLog.prototype, 'statusOfAllByDays');
		StatusLog.prototype.statusOfAllByDays = () => Promise.reject(new Error('every change read'));
		try {
			await world.instance.run(world.admin, 'export');
		} finally {
			Object.defineProperty(StatusLog.prototype, 'statusOfAllByDays', readAll ?? {});
		}
		assert.match(world.lastNotice(world.admin), /Exported 2 feedback entries/);
		assert.deepEqual(statusesExported(), expected);
	});

	it('uploads a file with only the header when there is nothing, and follows the range', async () => {
		const world = new TestWorld();
		await world.instance.run(world.admin, 'export');
		assert.match(world.lastNotice(world.admin), /Exported 0 feedback entries/);
		assert.deepEqual(rowsOf(world.uploads[0].content).length, 1);
		await sendFeedback(world, world.alice, { comment: 'in 2026', category: 'Bug' });
		await world.instance.run(world.admin, 'export 2025-01-01 2025-12-31');
		assert.match(world.lastNotice(world.admin), /Exported 0 feedback entries/);
		await world.instance.run(world.admin, 'export 2026-01-01');
		assert.match(world.lastNotice(world.admin), /Exported 1 feedback entries/);
	});

	it("splits into numbered files when the server's upload limit is small", async () => {
		const world = new TestWorld();
		world.serverSettings.set('FileUpload_MaxFileSize', 400);
		for (let index = 0; index < 12; index += 1) {
			await sendFeedback(world, world.alice, {
				comment: `comment number ${index} ${'x'.repeat(40)}`,
				category: 'Bug',
			});
		}
		await world.instance.run(world.admin, 'export');
		assert.ok(world.uploads.length > 2, `${world.uploads.length} files`);
		assert.match(
			world.lastNotice(world.admin),
			new RegExp(`Exported 12 feedback entries .* in ${world.uploads.length} CSV`),
		);
		world.uploads.forEach((file, index) => {
			assert.ok(new TextEncoder().encode(file.content).length <= 400);
			assert.match(file.filename, new RegExp(`-part-${index + 1}\\.csv$`));
		});
		const all = world.uploads.flatMap((file) => rowsOf(file.content).slice(1));
		assert.equal(all.length, 12);
		assert.equal(new Set(all.map((row) => row[0])).size, 12, 'every entry once');
	});

	it("splits at its own part size when the server's limit is larger", async () => {
		const world = new TestWorld();
		world.serverSettings.set('FileUpload_MaxFileSize', -1);
		world.settings.set(SettingId.MaxCommentLength, 10000);
		// About 30 KB a row (a euro sign is 3 bytes in UTF-8): enough rows for more than one part.
		const count = Math.ceil(EXPORT_PART_MAX_BYTES / 30000) + 5;
		for (let index = 0; index < count; index += 1) {
			await sendFeedback(world, world.alice, {
				comment: `${index} ${'€'.repeat(9990)}`,
				category: 'Bug',
			});
		}
		await world.instance.run(world.admin, 'export');
		assert.ok(world.uploads.length > 1, `${world.uploads.length} files`);
		assert.match(
			world.lastNotice(world.admin),
			new RegExp(
				`Exported ${count} feedback entries .* in ${world.uploads.length} CSV file\\(s\\) of at most 2 MB each`,
			),
		);
		world.uploads.forEach((file, index) => {
			assert.ok(file.bytes.length <= EXPORT_PART_MAX_BYTES, `${file.bytes.length} bytes`);
			assert.match(file.filename, new RegExp(`-part-${index + 1}\\.csv$`));
		});
		const all = world.uploads.flatMap((file) => rowsOf(file.content).slice(1));
		assert.equal(new Set(all.map((row) => row[0])).size, count, 'every entry once');
	});

	it('stops and says so when one entry is larger than any upload allowed', async () => {
		const world = new TestWorld();
		world.serverSettings.set('FileUpload_MaxFileSize', 150);
		await sendFeedback(world, world.alice, { comment: 'short', category: 'Bug' });
		await sendFeedback(world, world.alice, { comment: 'y'.repeat(500), category: 'Bug' });
		await world.instance.run(world.admin, 'export');
		assert.match(
			world.lastNotice(world.admin),
			/Exported 1 entries in 1 file\(s\), then stopped: entry [0-9a-f]{8}/,
		);
	});

	it('refuses members, bad dates and reversed ranges, uploading nothing', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, 'export');
		assert.match(world.lastNotice(world.alice), /Only workspace admins can export/);
		await world.instance.run(world.admin, 'export 2026-13-01');
		assert.match(world.lastNotice(world.admin), /`2026-13-01` is not a date/);
		await world.instance.run(world.admin, 'export @all');
		assert.match(world.lastNotice(world.admin), /`@\u2060all` is not a date/);
		await world.instance.run(world.admin, 'export 2026-03-01 2026-01-01');
		assert.match(world.lastNotice(world.admin), /comes after the second/);
		assert.equal(world.uploads.length, 0);
	});

	it('reports a failed upload to the admin and logs it', async () => {
		const world = new TestWorld();
		world.failingAppUserLookups = 1;
		await world.instance.run(world.admin, 'export');
		assert.match(world.lastNotice(world.admin), /could not be completed/);
		assert.equal(world.instance.log.errors.length, 1);
	});
});
