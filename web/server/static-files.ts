import * as fs from 'fs';
import type { ServerResponse } from 'http';
import * as path from 'path';

import { sendError } from './http';

const CONTENT_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.png': 'image/png',
	'.svg': 'image/svg+xml',
	'.woff2': 'font/woff2',
	'.woff': 'font/woff',
	'.ttf': 'font/ttf',
	'.eot': 'application/vnd.ms-fontobject',
};

/** Sends a file from a folder; names leaving the folder or missing files get a 404. */
export function sendStaticFile(res: ServerResponse, folder: string, name: string): void {
	const root = path.resolve(folder);
	const file = path.resolve(root, name);
	if (!file.startsWith(`${root}${path.sep}`)) {
		sendError(res, 404, `No file ${name}`);
		return;
	}
	let body: Buffer;
	try {
		body = fs.readFileSync(file);
	} catch {
		sendError(
			res,
			404,
			fs.existsSync(root)
				? `No file ${name}`
				: `The page is not built (no ${root}): run node web/build.mjs`,
		);
		return;
	}
	res.writeHead(200, {
		'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
		'Content-Length': body.length,
		'Cache-Control': 'no-cache',
		'X-Content-Type-Options': 'nosniff',
	});
	res.end(body);
}
