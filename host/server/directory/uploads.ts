import type { Database } from '../database';

// The workspace's uploaded files, as Rocket.Chat's `rocketchat_uploads` collection (the file's
// record) and its store (GridFS by default: the bytes) keep them, in one SQLite table so every
// host process of a cluster sees them. The bridge that writes them is host/bridges/upload.ts.

/** What Rocket.Chat's Uploads store names the default store ('GridFS', `FileUpload_Storage_Type`). */
export const UPLOADS_STORE = 'GridFS:Uploads';

/** A stored upload without its bytes. */
export interface IUploadRecord {
	/** A `Random.id()`, as the Uploads collection's `_id`. */
	readonly id: string;
	/** The room the file was uploaded to (`rid`). */
	readonly roomId: string;
	/** Who uploaded it (`userId`). */
	readonly userId: string;
	/** The file name the uploader gave (`name`). */
	readonly name: string;
	/** The MIME type the server determined (`type`). */
	readonly type: string;
	/** Bytes (`size`). */
	readonly size: number;
	/** The name's extension, lower case, without the dot ('' when none). */
	readonly extension: string;
	readonly uploadedAt: Date;
}

/** A stored upload with its bytes. */
export interface IStoredUpload extends IUploadRecord {
	readonly content: Buffer;
}

const UPLOADS_SCHEMA = `
CREATE TABLE IF NOT EXISTS uploads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    room_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    extension TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS uploads_by_room ON uploads (room_id, seq);
`;

interface IUploadRow {
	id: string;
	room_id: string;
	user_id: string;
	name: string;
	type: string;
	size: number;
	extension: string;
	uploaded_at: string;
	content?: Buffer;
}

const COLUMNS = 'id, room_id, user_id, name, type, size, extension, uploaded_at';

function toRecord(row: IUploadRow): IUploadRecord {
	return {
		id: row.id,
		roomId: row.room_id,
		userId: row.user_id,
		name: row.name,
		type: row.type,
		size: row.size,
		extension: row.extension,
		uploadedAt: new Date(row.uploaded_at),
	};
}

function toStored(row: IUploadRow): IStoredUpload {
	return { ...toRecord(row), content: Buffer.from(row.content ?? Buffer.alloc(0)) };
}

/** The uploads table; it creates itself on the database it is given. */
export class UploadStore {
	constructor(private readonly database: Database) {
		database.exec(UPLOADS_SCHEMA);
	}

	/** Stores a file (its bytes copied) and returns its record. */
	public insert(upload: Omit<IStoredUpload, 'size'>): IUploadRecord {
		const content = Buffer.from(upload.content);
		this.database
			.prepare(`INSERT INTO uploads (${COLUMNS}, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			.run(
				upload.id,
				upload.roomId,
				upload.userId,
				upload.name,
				upload.type,
				content.length,
				upload.extension,
				upload.uploadedAt.toISOString(),
				content,
			);
		const { content: _content, ...record } = upload;
		return { ...record, size: content.length };
	}

	/** An upload's record, without its bytes. */
	public recordById(id: string): IUploadRecord | undefined {
		const row = this.database.prepare(`SELECT ${COLUMNS} FROM uploads WHERE id = ?`).get(id) as
			| IUploadRow
			| undefined;
		return row ? toRecord(row) : undefined;
	}

	/** An upload with its bytes. */
	public byId(id: string): IStoredUpload | undefined {
		const row = this.database
			.prepare(`SELECT ${COLUMNS}, content FROM uploads WHERE id = ?`)
			.get(id) as IUploadRow | undefined;
		return row ? toStored(row) : undefined;
	}

	/** A room's uploads with their bytes, oldest first. */
	public ofRoom(roomId: string): IStoredUpload[] {
		const rows = this.database
			.prepare(`SELECT ${COLUMNS}, content FROM uploads WHERE room_id = ? ORDER BY seq`)
			.all(roomId) as IUploadRow[];
		return rows.map(toStored);
	}

	/** Every upload with its bytes, oldest first. */
	public all(): IStoredUpload[] {
		const rows = this.database
			.prepare(`SELECT ${COLUMNS}, content FROM uploads ORDER BY seq`)
			.all() as IUploadRow[];
		return rows.map(toStored);
	}
}
