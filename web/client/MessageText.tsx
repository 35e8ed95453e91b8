import { Box } from '@rocket.chat/fuselage';
import type { ReactElement, ReactNode } from 'react';

/** Inline markdown as Rocket.Chat shows it: `code` and *bold*; the rest is plain text. */
function inline(text: string, keyPrefix: string): ReactNode[] {
	const nodes: ReactNode[] = [];
	const pattern = /`([^`]+)`|\*([^*\n]+)\*/g;
	let last = 0;
	for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
		if (match.index > last) {
			nodes.push(text.slice(last, match.index));
		}
		const key = `${keyPrefix}-${match.index}`;
		nodes.push(
			match[1] !== undefined ? (
				<code key={key} className='try-code'>
					{match[1]}
				</code>
			) : (
				<strong key={key}>{match[2]}</strong>
			),
		);
		last = match.index + match[0].length;
	}
	if (last < text.length) {
		nodes.push(text.slice(last));
	}
	return nodes;
}

/** A message's text: lines, `> ` quotes, inline code and bold. Never raw HTML. */
const MessageText = ({ text }: { text: string }): ReactElement => (
	<Box className='try-message-text'>
		{text.split('\n').map((line, index) =>
			line.startsWith('> ') || line === '>' ? (
				<blockquote key={index} className='try-quote'>
					{inline(line.replace(/^>\s?/, ''), String(index))}
				</blockquote>
			) : (
				<div key={index}>{line === '' ? '\u00a0' : inline(line, String(index))}</div>
			),
		)}
	</Box>
);

export default MessageText;
