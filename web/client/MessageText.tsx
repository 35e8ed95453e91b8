import { Box } from '@rocket.chat/fuselage';
import { parse } from '@rocket.chat/message-parser';
import type * as MessageParser from '@rocket.chat/message-parser';
import type { ReactElement, ReactNode } from 'react';
import { createContext, Fragment, useContext, useMemo } from 'react';

// A message's text as Rocket.Chat draws it: the AST of its own parser (@rocket.chat/message-
// parser, `parse(msg, { emoticons: true })` as the client's message rendering does), rendered
// after its renderer gazzodown (packages/gazzodown: blocks as paragraphs, headings, quotes, code
// blocks and lists; inline bold, italic, strike, inline code, links, mentions, emoji, timestamps).
// Emoji show as their text (`:smile:`, or the character itself): the page has no emoji sprites.
// Nothing is ever inserted as HTML.

/** Who reads the message: their own mentions stand out, mentions of unknown users stay plain. */
export interface IMarkupContext {
	/** The reader's username. */
	me?: string;
	/** Usernames that exist (the server resolves a mention only for those). */
	usernames: ReadonlySet<string>;
}

export const MarkupContext = createContext<IMarkupContext>({ usernames: new Set() });

type Inline = MessageParser.Inlines | MessageParser.Markup | MessageParser.Link;

type Block = MessageParser.Root[number] | MessageParser.Paragraph;

/** Schemes a link may open (gazzodown links only to URLs; `javascript:` never becomes a link). */
const SAFE_LINK = /^(?:https?:|mailto:|ftp:|\/\/)/i;

function plainOf(node: Inline | MessageParser.Markup[] | undefined): string {
	if (!node) {
		return '';
	}
	if (Array.isArray(node)) {
		return node.map((child) => plainOf(child)).join('');
	}
	switch (node.type) {
		case 'PLAIN_TEXT':
			return node.value;
		case 'BOLD':
		case 'ITALIC':
		case 'STRIKE':
			return node.value.map((child) => plainOf(child as Inline)).join('');
		default:
			return '';
	}
}

function timestampText(node: MessageParser.Timestamp): string {
	const seconds = Number(node.value.timestamp);
	if (!Number.isFinite(seconds)) {
		return node.value.timestamp;
	}
	const date = new Date(seconds * 1000);
	switch (node.value.format) {
		case 't':
			return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
		case 'T':
			return date.toLocaleTimeString();
		case 'd':
			return date.toLocaleDateString();
		case 'D':
			return date.toLocaleDateString([], { dateStyle: 'long' });
		default:
			return date.toLocaleString();
	}
}

/** gazzodown's UserMentionElement: @all and @here, a resolved user (you or another), else plain. */
function renderUserMention(username: string, key: string, reader: IMarkupContext): ReactNode {
	if (username === 'all' || username === 'here') {
		return (
			<span
				key={key}
				className='try-mention try-mention--all'
				data-qa='mention'
				data-mention-kind='all'
			>
				{username}
			</span>
		);
	}
	if (!reader.usernames.has(username)) {
		return <Fragment key={key}>@{username}</Fragment>;
	}
	const kind = username === reader.me ? 'me' : 'other';
	return (
		<span
			key={key}
			className={`try-mention try-mention--${kind}`}
			data-qa='mention'
			data-mention-kind={kind}
		>
			@{username}
		</span>
	);
}

/** An emoji as its text: the character itself, or its `:shortcode:`. */
function renderEmoji(node: MessageParser.Emoji, key: string, big = false): ReactNode {
	const text = 'unicode' in node ? node.unicode : `:${node.shortCode}:`;
	return (
		<span key={key} className={big ? 'try-emoji try-emoji--big' : 'try-emoji'} title={text}>
			{text}
		</span>
	);
}

function inlines(nodes: readonly Inline[], path: string, reader: IMarkupContext): ReactNode[] {
	return nodes.map((node, index) => renderInline(node, `${path}.${index}`, reader));
}

function renderLink(node: MessageParser.Link, key: string, reader: IMarkupContext): ReactNode {
	const href = node.value.src.value;
	const label = Array.isArray(node.value.label) ? node.value.label : [node.value.label];
	const children = inlines(label as Inline[], key, reader);
	if (!SAFE_LINK.test(href)) {
		return <Fragment key={key}>{children}</Fragment>;
	}
	return (
		<a
			key={key}
			href={href}
			title={href}
			target='_blank'
			rel='noopener noreferrer'
			className='try-link-text'
		>
			{children.length > 0 ? children : href}
		</a>
	);
}

function renderInline(node: Inline, key: string, reader: IMarkupContext): ReactNode {
	switch (node.type) {
		case 'PLAIN_TEXT':
			return <Fragment key={key}>{node.value}</Fragment>;
		case 'BOLD':
			return <strong key={key}>{inlines(node.value as Inline[], key, reader)}</strong>;
		case 'ITALIC':
			return <em key={key}>{inlines(node.value as Inline[], key, reader)}</em>;
		case 'STRIKE':
			return <del key={key}>{inlines(node.value as Inline[], key, reader)}</del>;
		case 'INLINE_CODE':
			return (
				<code key={key} className='try-code'>
					{node.value.value}
				</code>
			);
		case 'LINK':
			return renderLink(node, key, reader);
		case 'MENTION_USER':
			return renderUserMention(node.value.value, key, reader);
		case 'MENTION_CHANNEL':
			return (
				<span
					key={key}
					className='try-mention try-mention--channel'
					data-qa='mention'
					data-mention-kind='channel'
				>
					#{node.value.value}
				</span>
			);
		case 'EMOJI':
			return renderEmoji(node, key);
		case 'TIMESTAMP':
			return <time key={key}>{timestampText(node)}</time>;
		case 'SPOILER':
			return (
				<span key={key} className='try-spoiler'>
					{inlines(node.value as Inline[], key, reader)}
				</span>
			);
		case 'IMAGE': {
			const src = node.value.src.value;
			const label = plainOf(node.value.label);
			return SAFE_LINK.test(src) ? (
				<a key={key} href={src} target='_blank' rel='noopener noreferrer' className='try-link-text'>
					{label || src}
				</a>
			) : (
				<Fragment key={key}>{label}</Fragment>
			);
		}
		case 'COLOR': {
			const { r, g, b, a } = node.value;
			return <Fragment key={key}>{`rgba(${r}, ${g}, ${b}, ${a / 255})`}</Fragment>;
		}
		case 'INLINE_KATEX':
			return (
				<code key={key} className='try-code'>
					{node.value}
				</code>
			);
		default:
			return null;
	}
}

function renderParagraphs(
	paragraphs: readonly MessageParser.Paragraph[],
	path: string,
	reader: IMarkupContext,
): ReactNode[] {
	return paragraphs.map((paragraph, index) => renderBlock(paragraph, `${path}.${index}`, reader));
}

function renderTable(node: MessageParser.Table, key: string, reader: IMarkupContext): ReactNode {
	const { header, rows } = node.value;
	return (
		<table key={key} className='try-table'>
			<thead>
				<tr>
					{header.map((cell, index) => (
						<th key={index}>{inlines(cell.value as Inline[], `${key}.h${index}`, reader)}</th>
					))}
				</tr>
			</thead>
			<tbody>
				{rows.map((row, rowIndex) => (
					<tr key={rowIndex}>
						{row.value.map((cell, index) => (
							<td key={index}>
								{inlines(cell.value as Inline[], `${key}.${rowIndex}.${index}`, reader)}
							</td>
						))}
					</tr>
				))}
			</tbody>
		</table>
	);
}

function renderBlock(node: Block, key: string, reader: IMarkupContext): ReactNode {
	switch (node.type) {
		case 'PARAGRAPH':
			return (
				<div key={key} className='try-paragraph'>
					{inlines(node.value as Inline[], key, reader)}
				</div>
			);
		case 'BIG_EMOJI':
			return (
				<div key={key} className='try-paragraph'>
					{node.value.map((emoji, index) => renderEmoji(emoji, `${key}.${index}`, true))}
				</div>
			);
		case 'HEADING': {
			const HEADINGS = { 1: 'h1', 2: 'h2', 3: 'h3', 4: 'h4' } as const;
			const Tag = HEADINGS[node.level];
			return (
				<Tag key={key} className='try-heading'>
					{inlines(node.value as Inline[], key, reader)}
				</Tag>
			);
		}
		case 'QUOTE':
			return (
				<blockquote key={key} className='try-quote'>
					{renderParagraphs(node.value, key, reader)}
				</blockquote>
			);
		case 'CODE':
			return (
				<pre key={key} className='try-code-block'>
					<code data-language={node.language}>
						{node.value.map((line) => line.value.value).join('\n')}
					</code>
				</pre>
			);
		case 'UNORDERED_LIST':
			return (
				<ul key={key} className='try-list'>
					{node.value.map((item, index) => (
						<li key={index}>{inlines(item.value as Inline[], `${key}.${index}`, reader)}</li>
					))}
				</ul>
			);
		case 'ORDERED_LIST':
			return (
				<ol key={key} className='try-list'>
					{node.value.map((item, index) => (
						<li key={index} value={item.number}>
							{inlines(item.value as Inline[], `${key}.${index}`, reader)}
						</li>
					))}
				</ol>
			);
		case 'TASKS':
			return (
				<ul key={key} className='try-list try-tasks'>
					{node.value.map((task, index) => (
						<li key={index}>
							<input type='checkbox' checked={task.status} readOnly />{' '}
							{inlines(task.value as Inline[], `${key}.${index}`, reader)}
						</li>
					))}
				</ul>
			);
		case 'LINE_BREAK':
			return (
				<div key={key} className='try-paragraph'>
					{'\u00a0'}
				</div>
			);
		case 'SPOILER_BLOCK':
			return (
				<div key={key} className='try-spoiler'>
					{renderParagraphs(node.value, key, reader)}
				</div>
			);
		case 'KATEX':
			return (
				<pre key={key} className='try-code-block'>
					{node.value}
				</pre>
			);
		case 'HORIZONTAL_RULE':
			return <hr key={key} />;
		case 'TABLE':
			return renderTable(node, key, reader);
		default:
			return null;
	}
}

/**
 * The AST of a message's text, as Rocket.Chat's client parses it (`emoticons: true`; UIKit's
 * mrkdwn text objects are parsed with `emoticons: false`, as MarkdownTextElement does).
 */
export function parseMessage(text: string, emoticons = true): MessageParser.Root {
	try {
		return parse(text, { emoticons });
	} catch {
		return [{ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: text }] }];
	}
}

/** A message's text rendered from Rocket.Chat's message-parser AST. */
const MessageText = ({
	text,
	emoticons = true,
}: {
	text: string;
	emoticons?: boolean;
}): ReactElement => {
	const reader = useContext(MarkupContext);
	const ast = useMemo(() => parseMessage(text, emoticons), [text, emoticons]);
	return (
		<Box className='try-message-text' data-qa='message-text'>
			{ast.map((node, index) => renderBlock(node, String(index), reader))}
		</Box>
	);
};

export default MessageText;
