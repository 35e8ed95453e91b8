import type {
	ActionsBlock,
	ButtonElement,
	ContextBlock,
	DividerBlock,
	Option,
	SectionBlock,
} from '@rocket.chat/ui-kit';

/** Text shown as typed: plain text is never read as markdown, links, mentions or emoji. */
export function plain(text: string) {
	return { type: 'plain_text' as const, text, emoji: false };
}

/** A select option. */
export function option(text: string, value: string): Option {
	return { text: plain(text), value };
}

/** A button of this app. */
export function button(
	appId: string,
	actionId: string,
	text: string,
	value: string,
	style?: 'primary' | 'danger',
): ButtonElement {
	return {
		type: 'button',
		appId,
		blockId: actionId,
		actionId,
		text: plain(text),
		value,
		...(style ? { style } : {}),
	};
}

/**
 * A form modal's Send and Close buttons. The form id rides in Send's value for the web client;
 * the fields' block ids carry it for every client.
 */
export function formButtons(appId: string, sendText: string, formId: string, closeText: string) {
	return {
		submit: {
			appId,
			blockId: 'submit',
			actionId: 'submit',
			type: 'button' as const,
			style: 'primary' as const,
			text: plain(sendText),
			value: formId,
		},
		close: {
			appId,
			blockId: 'close',
			actionId: 'close',
			type: 'button' as const,
			text: plain(closeText),
		},
	};
}

/** A line of plain text. */
export function section(text: string, blockId?: string, accessory?: ButtonElement): SectionBlock {
	return {
		type: 'section',
		text: plain(text),
		...(blockId ? { blockId } : {}),
		...(accessory ? { accessory } : {}),
	};
}

/** Small plain text under something. */
export function context(text: string): ContextBlock {
	return { type: 'context', elements: [plain(text)] };
}

/**
 * Buttons and selects side by side. In a message the block names its app: the client sends a
 * click to the app of the block (an ephemeral message's blocks get no appId from the server).
 */
export function actions(
	blockId: string,
	elements: ActionsBlock['elements'],
	appId?: string,
): ActionsBlock {
	return { type: 'actions', blockId, elements, ...(appId ? { appId } : {}) };
}

/** A line between groups. */
export function divider(): DividerBlock {
	return { type: 'divider' };
}
