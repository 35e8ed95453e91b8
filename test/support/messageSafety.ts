import assert from 'node:assert/strict';

import { parse } from '@rocket.chat/message-parser';

/** Node types through which text would notify someone, link, show an emoji or change style. */
const ACTIVE_NODE_TYPES = new Set([
	'MENTION_USER',
	'MENTION_CHANNEL',
	'LINK',
	'EMOJI',
	'BIG_EMOJI',
	'ITALIC',
	'STRIKE',
	'COLOR',
	'KATEX',
	'INLINE_KATEX',
	'IMAGE',
	'TIMESTAMP',
]);

/** The plain text Rocket.Chat shows outside inline code, and the active nodes, of a message. */
export function readAsRocketChat(text: string): { outsideCode: string; active: Array<string> } {
	const outside: Array<string> = [];
	const active: Array<string> = [];
	const walk = (node: unknown, inBold: boolean): void => {
		if (Array.isArray(node)) {
			node.forEach((child) => walk(child, inBold));
			return;
		}
		if (typeof node !== 'object' || node === null) {
			return;
		}
		const { type, value } = node as { type?: unknown; value?: unknown };
		if (type === 'INLINE_CODE' || type === 'CODE') {
			return;
		}
		if (typeof type === 'string' && ACTIVE_NODE_TYPES.has(type)) {
			active.push(`${type} ${JSON.stringify(node)}`);
		}
		if (type === 'PLAIN_TEXT' && typeof value === 'string') {
			outside.push(inBold ? `*${value}*` : value);
			return;
		}
		for (const child of Object.values(node)) {
			walk(child, inBold || type === 'BOLD');
		}
	};
	walk(parse(text), false);
	return { outsideCode: outside.join(' '), active };
}

/**
 * Asserts that Rocket.Chat's own parser sees no mention, link, emoji or formatting in a message
 * the app sent, and that no member text (each carries a marker) stands outside inline code.
 */
export function assertMemberTextInert(text: string, markers: ReadonlyArray<string>): void {
	const { outsideCode, active } = readAsRocketChat(text);
	assert.deepEqual(active, [], `Rocket.Chat would render active nodes in ${JSON.stringify(text)}`);
	for (const marker of markers) {
		assert.ok(
			!outsideCode.includes(marker),
			`member text "${marker}" stands outside inline code in ${JSON.stringify(text)}`,
		);
	}
}
