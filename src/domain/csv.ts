// The export's CSV: RFC 4180 (fields quoted when they hold a comma, a quote or a line break,
// quotes doubled, CRLF between records), UTF-8 with a byte order mark so spreadsheet apps read
// it right, and no cell a spreadsheet would run as a formula.

/** The byte order mark that tells spreadsheet apps the file is UTF-8. */
export const BOM = '\uFEFF';

/** What starts a formula in Excel, LibreOffice or Google Sheets (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised when it could run as a formula, quoted when RFC 4180 needs it. */
export function csvCell(value: string): string {
	const inert = FORMULA_START.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

/** One record, with its line break. */
export function csvRow(cells: ReadonlyArray<string>): string {
	return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Bytes of a code point in UTF-8. */
function utf8Bytes(code: number): number {
	if (code < 0x80) {
		return 1;
	}
	if (code < 0x800) {
		return 2;
	}
	return code < 0x10000 ? 3 : 4;
}

/** The size of a text in UTF-8, counted without encoding it. */
export function utf8Length(text: string): number {
	let bytes = 0;
	for (const character of text) {
		bytes += utf8Bytes(character.codePointAt(0) ?? 0);
	}
	return bytes;
}

/**
 * Rows gathered into files of at most `maxBytes` each, every file a CSV of its own (the BOM
 * and the header first). A file is handed to `flush` as soon as the next row would not fit, so
 * no more than one file is held in memory.
 */
export class CsvParts {
	private rows: Array<string> = [];

	private bytes: number;

	private readonly headerBytes: number;

	private parts = 0;

	constructor(
		private readonly header: string,
		private readonly maxBytes: number,
		private readonly flush: (content: string, part: number) => Promise<void>,
	) {
		this.headerBytes = utf8Length(BOM + header);
		this.bytes = this.headerBytes;
	}

	/** Adds a row; false when the row alone does not fit in a file of the size allowed. */
	public async add(row: string): Promise<boolean> {
		const size = utf8Length(row);
		if (this.headerBytes + size > this.maxBytes) {
			return false;
		}
		if (this.bytes + size > this.maxBytes) {
			await this.write();
		}
		this.rows.push(row);
		this.bytes += size;
		return true;
	}

	/** Writes what is left; returns how many files were written. */
	public async finish(): Promise<number> {
		if (this.rows.length > 0 || this.parts === 0) {
			await this.write();
		}
		return this.parts;
	}

	private async write(): Promise<void> {
		this.parts += 1;
		const content = BOM + this.header + this.rows.join('');
		this.rows = [];
		this.bytes = this.headerBytes;
		await this.flush(content, this.parts);
	}
}
