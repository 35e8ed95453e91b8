import type { LayoutBlock } from '@rocket.chat/ui-kit';

import { actions, button } from './blocks';
import { FeedbackAction } from '../domain/actions';
import type { Translator } from '../i18n/translate';

/**
 * The block id of an announcement's vote buttons carries the count they show: the app reads back
 * what a message shows without parsing a translated label (a workspace's language may change).
 */
const VOTE_BLOCK_PREFIX = 'feedback-vote:';

/**
 * The "Me too" button under an announcement: its label shows the count, its value is the
 * feedback's id. The block and the button name the app: a click goes to the app of the block
 * (fuselage-ui-kit reads `appId`); the engine also assigns it for messages the app creates.
 */
export function voteBlocks(
	appId: string,
	feedbackId: string,
	count: number,
	t: Translator,
): Array<LayoutBlock> {
	const vote = {
		...button(appId, FeedbackAction.Vote, t('vote_button', { count }), feedbackId),
		blockId: `${VOTE_BLOCK_PREFIX}${count}`,
	};
	return [actions(`${VOTE_BLOCK_PREFIX}${count}`, [vote], appId)];
}

/** The count a message's vote buttons show, or undefined when it has none (or not one count). */
export function shownVoteCount(blocks: ReadonlyArray<unknown> | undefined): number | undefined {
	const counts = (blocks ?? [])
		.map((block) => (block as { blockId?: unknown } | null)?.blockId)
		.filter((id): id is string => typeof id === 'string' && id.startsWith(VOTE_BLOCK_PREFIX))
		.map((id) => id.slice(VOTE_BLOCK_PREFIX.length));
	return counts.length === 1 && /^\d{1,9}$/.test(counts[0]) ? Number(counts[0]) : undefined;
}
