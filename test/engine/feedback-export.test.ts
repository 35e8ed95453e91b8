// Issue 12, the export, through the packaged app: `/feedback export [from] [to]` uploads CSV files
// (RFC 4180, UTF-8 with a BOM, formulas neutralised, anonymous authors left empty) through the
// host's upload bridge to the admin's direct room with the app, within FileUpload_MaxFileSize.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	fixturePerTest,
	type IStoredFeedback,
	newestFirst,
	reply,
	sendFeedback,
	SETTING,
	storedFeedback,
} from './app-fixture';
import { BridgePersistence, BridgePersistenceRead } from '../../bench/seed';
import type { IStoredUpload, LocalHost } from '../../host';
import { EXPORT_PART_MAX_BYTES } from '../../src/domain/exportFile';
import { newId } from '../../src/domain/ids';
import { buildFeedbackRecord } from '../../src/domain/record';
import { FeedbackRepository } from '../../src/persistence/FeedbackRepository';

const HEADER = ['id', 'created (UTC)', 'category', 'rating', 'status', 'comment', 'author'];
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const FILE_NAME = /^feedback-export-\d{4}-\d{2}-\d{2}-part-(\d+)\.csv$/;
/** What a spreadsheet runs as a formula when a cell starts with it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Reads a CSV text strictly as RFC 4180 says: records end with CRLF (the last one too), fields
 * are quoted when they hold a comma, a quote or a line break, quotes inside are doubled.
 */
function parseRfc4180(text: string): string[][] {
	const records: string[][] = [];
	let fields: string[] = [];
	let index = 0;
	for (;;) {
		let field = '';
		if (text[index] === '"') {
			index += 1;
			for (;;) {
				const quote = text.indexOf('"', index);
				assert.ok(quote !== -1, `an unclosed quoted field at ${index}`);
				field += text.slice(index, quote);
				index = quote + 1;
				if (text[index] === '"') {
					field += '"';
					index += 1;
				} else {
					break;
				}
			}
		} else {
			const end = text.slice(index).search(/[,\r\n"]/);
			const stop = end === -1 ? text.length : index + end;
			assert.notEqual(text[stop], '"', `a quote inside an unquoted field at ${stop}`);
			field = text.slice(index, stop);
			index = stop;
		}
		fields.push(field);
		if (text[index] === ',') {
			index += 1;
			continue;
		}
		assert.equal(text.slice(index, index + 2), '\r\n', `a record ends with CRLF at ${index}`);
		index += 2;
		records.push(fields);
		fields = [];
		if (index === text.length) {
			return records;
		}
	}
}

/** A file's records: it must start with the UTF-8 BOM and the header. */
function recordsOf(file: IStoredUpload): string[][] {
	assert.deepEqual(file.content.subarray(0, 3), BOM, `${file.name} starts with the UTF-8 BOM`);
	assert.equal(file.type, 'text/csv');
	const text = file.content.toString('utf8');
	assert.equal(Buffer.byteLength(text, 'utf8'), file.content.length, 'valid UTF-8');
	const [header, ...rows] = parseRfc4180(text.slice(1));
	assert.deepEqual(header, HEADER, `${file.name} has the header`);
	for (const row of rows) {
		assert.equal(row.length, HEADER.length, `every record has ${HEADER.length} fields`);
	}
	return rows;
}

/** The cell a spreadsheet gets for a value: a leading quote before what would run as a formula. */
function inert(value: string): string {
	return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The app user's name (`<slug>.bot`). */
function botName(host: LocalHost): string {
	const bot = host.directory.appUser(host.getAppId());
	assert.ok(bot, 'the app user exists');
	return bot.username;
}

/** The admin's direct room with the app, where the export goes. */
function exportRoomId(host: LocalHost): string {
	const room = host.directRoom(['admin', botName(host)]);
	assert.ok(room, 'the export created the direct room of the admin and the app');
	return room.id;
}

/** The files uploaded to the admin's direct room, checked against the room's file messages. */
function exportedFiles(host: LocalHost): IStoredUpload[] {
	const roomId = exportRoomId(host);
	const files = host.uploads(roomId);
	const messages = host.timeline(roomId);
	assert.equal(messages.length, files.length, 'one file message per upload');
	files.forEach((file, index) => {
		assert.match(file.name, FILE_NAME);
		assert.equal(file.userId, host.directory.appUser(host.getAppId())?.id, 'uploaded as the app');
		const message = messages[index];
		assert.equal(message.sender, botName(host));
		assert.equal(message.text, '');
		assert.deepEqual(message.attachments, [
			{
				type: 'file',
				title: {
					value: file.name,
					link: `/file-upload/${file.id}/${file.name}`,
					displayDownloadLink: true,
				},
				format: 'csv',
				size: file.size,
				fileId: file.id,
			},
		]);
	});
	return files;
}

/** `created (UTC)` as the export writes a stored ISO date. */
function createdCell(iso: string): string {
	return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

/** The row a stored feedback must have in the export (its status is still new). */
function expectedRow(record: IStoredFeedback): string[] {
	return [
		record.id,
		createdCell(record.createdAt),
		inert(record.category),
		record.rating === null ? '' : String(record.rating),
		'new',
		inert(record.comment),
		record.anonymous ? '' : (record.author?.username ?? ''),
	];
}

/** A UTC day as YYYY-MM-DD, `days` from today. */
function day(days: number): string {
	return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

const HOSTILE_COMMENTS = [
	'=HYPERLINK("http://evil.example","click me")',
	'+1+1 adds up',
	'-2 points for this',
	'@SUM(A1:A9) and @all',
	'comma, "double quotes" and a\nline break',
	'a tab\tinside and a CRLF\r\nthat becomes a line feed',
	'emoji 🚀, ünïcødé, 中文, and a zero\u200bwidth space',
	'plain text',
	'"=starts with a quote"',
	'trailing comma,',
];

const HOSTILE_CATEGORIES = ['Bug', '=SUM(A1:A9)', '@cmd', '-2+3', 'Idée "quoted"'];

describe('/feedback export', () => {
	const fixture = fixturePerTest('export');

	it('with nothing stored: one file with the BOM and the header only, in the admin direct room with the app', async () => {
		const { host } = fixture();
		assert.equal(host.directRoom(['admin', botName(host)]), undefined, 'no direct room yet');
		assert.match(
			await reply(host, 'admin', '/feedback export'),
			/^Exported 0 feedback entries to your direct messages with the app, in 1 CSV file\(s\) of at most 2 MB each\.$/,
		);
		const [file, ...others] = exportedFiles(host);
		assert.deepEqual(others, []);
		assert.match(file.name, /-part-1\.csv$/);
		assert.deepEqual(recordsOf(file), []);
		assert.equal(file.content.toString('utf8'), `\uFEFF${HEADER.join(',')}\r\n`);
		assert.deepEqual(host.timeline('general'), [], 'nothing in the room the command was typed in');
		const room = host.directory.roomById(exportRoomId(host));
		assert.deepEqual(
			[...(room?.userIds ?? [])].sort(),
			[host.user('admin').id, host.directory.appUser(host.getAppId())?.id].sort(),
		);
	});

	it('with one entry: its row, and a second export goes to the same direct room', async () => {
		const { host } = fixture();
		await sendFeedback(host, 'alice', 'general', {
			comment: 'Search is slow',
			category: 'Bug',
			rating: '3',
		});
		const [record] = await storedFeedback(host);
		assert.match(await reply(host, 'admin', '/feedback export'), /^Exported 1 feedback entries/);
		const [rows] = exportedFiles(host).map(recordsOf);
		assert.deepEqual(rows, [expectedRow(record)]);
		assert.deepEqual(rows[0].slice(2), ['Bug', '3', 'new', 'Search is slow', 'alice']);
		assert.match(rows[0][1], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

		assert.match(await reply(host, 'admin', '/feedback export'), /^Exported 1 feedback entries/);
		assert.equal(host.directRooms('admin').length, 1, 'one direct room with the app');
		assert.equal(exportedFiles(host).length, 2, 'both exports in it');
	});

	it('with many entries: hostile text, formula cells and anonymous authors read back exactly as RFC 4180', async () => {
		const { host } = fixture();
		// Admins choose the categories (a list separated by commas): some start a formula too.
		await host.setSetting(SETTING.categories, HOSTILE_CATEGORIES.join(', '));
		const categories = HOSTILE_CATEGORIES;
		const members = ['alice', 'bruno', 'clara'];
		const count = 24;
		for (let index = 0; index < count; index += 1) {
			const username = members[index % members.length];
			await sendFeedback(host, username, 'general', {
				comment: `${HOSTILE_COMMENTS[index % HOSTILE_COMMENTS.length]} #${index}`,
				category: categories[index % categories.length],
				...(index % 4 === 3 ? {} : { rating: String((index % 5) + 1) }),
				// bruno always anonymously; the others sometimes.
				...(username === 'bruno' || index % 5 === 0 ? { anonymous: ['anonymous'] } : {}),
			});
		}
		const stored = await storedFeedback(host);
		assert.equal(stored.length, count);
		assert.match(
			await reply(host, 'admin', '/feedback export'),
			new RegExp(
				`^Exported ${count} feedback entries .* in 1 CSV file\\(s\\) of at most 2 MB each\\.$`,
			),
		);
		const [file] = exportedFiles(host);
		const rows = recordsOf(file);
		assert.equal(rows.length, count, 'one record per feedback');
		const byId = new Map(stored.map((record) => [record.id, record]));
		for (const row of rows) {
			const record = byId.get(row[0]);
			assert.ok(record, `a stored feedback for ${row[0]}`);
			assert.deepEqual(row, expectedRow(record));
			byId.delete(row[0]);
		}
		assert.equal(byId.size, 0, 'every feedback exported once');
		const created = rows.map((row) => row[1]);
		assert.deepEqual(created, [...created].sort(), 'oldest first');
		for (const cell of rows.flat()) {
			assert.doesNotMatch(cell, FORMULA_START, `no cell a spreadsheet would run: ${cell}`);
		}
		assert.ok(
			rows.some((row) => row[5].startsWith(`'=HYPERLINK("http://evil.example","click me")`)),
			'a formula comment kept readable behind a quote',
		);
		assert.ok(
			rows.some((row) => row[2] === "'=SUM(A1:A9)"),
			'a formula category too',
		);
		const anonymous = stored.filter((record) => record.anonymous);
		assert.ok(anonymous.length >= 8, 'anonymous entries exported');
		for (const record of anonymous) {
			assert.equal(rows.find((row) => row[0] === record.id)?.[6], '', 'an empty author cell');
		}
		assert.doesNotMatch(file.content.toString('utf8'), /bruno|Bruno/, 'nothing names bruno');
		assert.ok(
			rows.some((row) => row[5].includes('中文')),
			'UTF-8 text read back',
		);
	});

	it('splits into numbered parts, each a CSV within FileUpload_MaxFileSize, when the limit is small', async () => {
		const { host } = fixture();
		const count = 9;
		for (let index = 0; index < count; index += 1) {
			await sendFeedback(host, index % 2 ? 'alice' : 'clara', 'general', {
				comment: `entry ${index}: ${'x'.repeat(60)}, "quoted"`,
				category: 'Idea',
			});
		}
		const limit = 400;
		host.setServerSetting('FileUpload_MaxFileSize', limit);
		const answer = await reply(host, 'admin', '/feedback export');
		const parts = Number(/in (\d+) CSV file\(s\)/.exec(answer)?.[1]);
		assert.match(answer, new RegExp(`^Exported ${count} feedback entries`));
		assert.ok(parts > 1, `more than one part: ${answer}`);
		const files = exportedFiles(host);
		assert.equal(files.length, parts, 'every part was accepted by the server');
		assert.deepEqual(
			files.map((file) => Number(FILE_NAME.exec(file.name)?.[1])),
			Array.from({ length: parts }, (_, index) => index + 1),
			'numbered parts, in order',
		);
		for (const file of files) {
			assert.ok(file.size <= limit, `${file.name} is ${file.size} bytes, at most ${limit}`);
		}
		const rows = files.flatMap(recordsOf);
		const stored = await storedFeedback(host);
		assert.deepEqual(
			[...rows].sort((a, b) => a[0].localeCompare(b[0])),
			stored.map(expectedRow).sort((a, b) => a[0].localeCompare(b[0])),
			'all parts together hold every entry once',
		);

		// One entry alone larger than a file may be: the parts before it, and the admin is told.
		await sendFeedback(host, 'alice', 'general', { comment: 'y'.repeat(500), category: 'Bug' });
		const big = (await storedFeedback(host)).find((record) => record.comment.startsWith('yyy'));
		assert.ok(big);
		assert.match(
			await reply(host, 'admin', '/feedback export'),
			new RegExp(
				`^Exported ${count} entries in \\d+ file\\(s\\), then stopped: entry ${big.id.slice(0, 8)} alone is larger`,
			),
		);
	});

	it("splits a large export at the app's own part size (2 MiB), the parts together being the whole CSV", async () => {
		const { host } = fixture();
		const appId = host.getAppId();
		const persistence = new BridgePersistence(host.persistence, appId);
		const repository = new FeedbackRepository(new BridgePersistenceRead(host.persistence, appId));
		// Stored through the app's own write path (as the bench seeds): about 30 KB a row (a euro
		// sign is 3 bytes in UTF-8), enough for more than one part at the default 100 MiB limit.
		const count = Math.ceil((1.5 * EXPORT_PART_MAX_BYTES) / 30000);
		const start = Date.now() - count * 1000;
		for (let index = 0; index < count; index += 1) {
			const comment = `${HOSTILE_COMMENTS[index % HOSTILE_COMMENTS.length]} ${'€'.repeat(9990)}`;
			await repository.create(
				persistence,
				buildFeedbackRecord(
					newId(),
					{ comment, category: 'Idea', rating: (index % 5) + 1, anonymous: index % 7 === 0 },
					host.user(index % 2 ? 'alice' : 'clara'),
					'GENERAL',
					new Date(start + index * 1000),
				),
			);
		}
		const answer = await reply(host, 'admin', '/feedback export');
		assert.match(
			answer,
			new RegExp(`^Exported ${count} feedback entries .* CSV file\\(s\\) of at most 2 MB each\\.$`),
		);
		const files = exportedFiles(host);
		assert.ok(files.length > 1, `more than one part: ${answer}`);
		assert.equal(Number(/in (\d+) CSV file/.exec(answer)?.[1]), files.length);
		assert.deepEqual(
			files.map((file) => Number(FILE_NAME.exec(file.name)?.[1])),
			Array.from({ length: files.length }, (_, index) => index + 1),
			'numbered parts, in order',
		);
		const head = Buffer.concat([BOM, Buffer.from(`${HEADER.join(',')}\r\n`)]);
		for (const file of files) {
			assert.ok(file.size <= EXPORT_PART_MAX_BYTES, `${file.name}: ${file.size} bytes`);
			assert.deepEqual(file.content.subarray(0, head.length), head, `${file.name} has the header`);
			assert.equal(file.content.subarray(-2).toString(), '\r\n', `${file.name} ends a record`);
		}
		// Every part without its own BOM and header, joined: the whole CSV, oldest first.
		const whole = Buffer.concat([head, ...files.map((file) => file.content.subarray(head.length))]);
		const [header, ...rows] = parseRfc4180(whole.toString('utf8').slice(1));
		assert.deepEqual(header, HEADER);
		// Oldest first: the list's order reversed (anonymous entries keep only their hour).
		const stored = newestFirst(await storedFeedback(host)).reverse();
		assert.equal(stored.length, count);
		assert.deepEqual(
			rows,
			stored.map(expectedRow),
			'all parts together: every entry once, in order',
		);
	});

	it('uploads within its own part size when FileUpload_MaxFileSize is -1 (no limit)', async () => {
		const { host } = fixture();
		for (let index = 0; index < 3; index += 1) {
			await sendFeedback(host, 'alice', 'general', { comment: `${'z'.repeat(200)} ${index}` });
		}
		host.setServerSetting('FileUpload_MaxFileSize', -1);
		assert.match(
			await reply(host, 'admin', '/feedback export'),
			/Exported 3 .* in 1 CSV file\(s\) of at most 2 MB each/,
		);
		assert.equal(recordsOf(exportedFiles(host)[0]).length, 3);
	});

	it('is refused to a member, and to bad or reversed dates, uploading nothing', async () => {
		const { host } = fixture();
		await sendFeedback(host, 'alice', 'general', { comment: 'in range' });
		assert.equal(
			await reply(host, 'alice', '/feedback export'),
			'Only workspace admins can export feedback.',
		);
		assert.equal(host.directRoom(['alice', botName(host)]), undefined, 'no direct room for alice');
		for (const bad of ['2026-02-30', 'yesterday', '2026-1-5']) {
			assert.equal(
				await reply(host, 'admin', `/feedback export ${bad}`),
				`\`${bad}\` is not a date: write days as YYYY-MM-DD (UTC), for example /feedback export 2026-01-01 2026-03-31.`,
			);
		}
		assert.equal(
			await reply(host, 'admin', `/feedback export ${day(1)} ${day(-1)}`),
			'The first date comes after the second: write the earlier one first.',
		);
		assert.deepEqual(host.uploads(), [], 'nothing uploaded for any of them');

		// A range before today exports nothing; one around today exports the entry.
		assert.match(
			await reply(host, 'admin', '/feedback export 2000-01-01 2000-12-31'),
			/^Exported 0 feedback entries/,
		);
		assert.match(
			await reply(host, 'admin', `/feedback export ${day(-1)} ${day(1)}`),
			/^Exported 1 feedback entries/,
		);
		assert.match(await reply(host, 'admin', `/feedback export ${day(-1)}`), /^Exported 1 /);
		const files = exportedFiles(host);
		assert.deepEqual(
			files.map((file) => recordsOf(file).length),
			[0, 1, 1],
		);
	});
});
