#!/usr/bin/env node
// Bundles the try-it page (web/client, React 17 + fuselage + fuselage-ui-kit) into build/web/public.
// Usage: node web/build.mjs [--out <folder>]   (type-check it with: npx tsc -p web/client/tsconfig.json)
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const client = join(root, 'web', 'client');
const outIndex = process.argv.indexOf('--out');
const publicDir =
	outIndex !== -1 && process.argv[outIndex + 1]
		? resolve(process.argv[outIndex + 1])
		: join(root, 'build', 'web', 'public');
const assets = join(publicDir, 'assets');

const started = Date.now();
rmSync(publicDir, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await build({
	entryPoints: { main: join(client, 'main.tsx') },
	outdir: assets,
	bundle: true,
	minify: true,
	sourcemap: true,
	format: 'iife',
	platform: 'browser',
	target: ['chrome100', 'firefox100', 'safari15'],
	jsx: 'automatic',
	define: {
		'process.env.NODE_ENV': '"production"',
		'global': 'globalThis',
	},
	loader: {
		'.woff2': 'file',
		'.woff': 'file',
		'.ttf': 'file',
		'.eot': 'file',
		'.svg': 'file',
	},
	assetNames: '[name]-[hash]',
	logLevel: 'warning',
	metafile: true,
});

copyFileSync(join(client, 'index.html'), join(publicDir, 'index.html'));

const sizes = Object.entries(result.metafile.outputs)
	.filter(([file]) => !file.endsWith('.map'))
	.map(([file, { bytes }]) => `${relative(root, file)} ${(bytes / 1024).toFixed(0)} kB`);
console.log(`Built the try-it page in ${Date.now() - started} ms:\n  ${sizes.join('\n  ')}`);
