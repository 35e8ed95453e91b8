// Local replacement for jsr:@std/io writeAll (used by lib/messenger.ts and
// lib/metricsCollector.ts): a writer may accept fewer bytes than offered.

/** Writes every byte of `data` to `writer`, looping over partial writes. */
export async function writeAll(writer, data) {
	let written = 0;
	while (written < data.length) {
		written += await writer.write(data.subarray(written));
	}
}
