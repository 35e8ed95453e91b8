// Local replacement for jsr:@std/streams toArrayBuffer (used by
// handlers/app/handleUploadEvents.ts).

/** Reads a byte stream to its end and returns its content as one ArrayBuffer. */
export async function toArrayBuffer(readable) {
	const chunks = [];
	let length = 0;
	for await (const chunk of readable) {
		chunks.push(chunk);
		length += chunk.length;
	}
	const bytes = new Uint8Array(length);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.length;
	}
	return bytes.buffer;
}
