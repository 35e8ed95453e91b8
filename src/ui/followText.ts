import type { LayoutBlock } from '@rocket.chat/ui-kit';

import { actions, button } from './blocks';
import { formatDate, quoteName, quoteUserText } from './messages';
import { changeNoteLine, NOTICE_PREVIEW_LENGTH, statusText } from './triageText';
import { FeedbackAction } from '../domain/actions';
import type { IFollowDigest, IFollowedChange } from '../domain/followDigest';
import { STOP_BUTTONS_PER_ROW } from '../domain/followDigest';
import { DEFAULT_MESSAGE_MAX_SIZE, fitMessage } from '../domain/messageSize';
import { shortIdOf } from '../domain/record';
import type { Translator } from '../i18n/translate';

/** The lines of one change in a digest; people's texts cut to `caps` (notes, previews, categories). */
function changeLines(
	{ change, record }: IFollowedChange,
	t: Translator,
	[notes, previews, categories]: ReadonlyArray<number>,
): string {
	// Nothing of the author, named or not: a follower learns what changed, not who wrote it.
	const lines = [
		t('follow_digest_item', {
			time: formatDate(change.at),
			id: shortIdOf(record.id),
			category: quoteName(record.category, categories),
			preview: quoteUserText(record.comment, NOTICE_PREVIEW_LENGTH, previews),
			status: statusText(change.status, t),
		}),
	];
	const note = changeNoteLine(change, t, notes);
	return (note === undefined ? lines : [...lines, note]).join('\n');
}

/**
 * A member's digest of a day, at most `maxSize` UTF-16 units (the server's Message_MaxAllowedSize):
 * notes are cut first, then previews, then categories. Its first line holds only the day and the
 * digest's reference, never text people typed, so it cannot be forged and is never cut
 * (AppPoster.placeOnce finds copies by it).
 */
export function formatFollowDigest(
	digest: IFollowDigest,
	t: Translator,
	maxSize = DEFAULT_MESSAGE_MAX_SIZE,
): string {
	return fitMessage(maxSize, 3, (caps) =>
		[
			t('follow_digest_heading', { day: digest.day, reference: digest.reference }),
			...digest.changes.map((followed) => changeLines(followed, t, caps)),
			t('follow_digest_footer'),
		].join('\n'),
	);
}

/**
 * One "Stop following" button per feedback, in rows; every block and button names the app, as the
 * client sends a click in a message to the app its block names.
 */
export function stopFollowingBlocks(
	appId: string,
	feedbackIds: ReadonlyArray<string>,
	t: Translator,
): Array<LayoutBlock> {
	const ids = [...new Set(feedbackIds)];
	const rows: Array<LayoutBlock> = [];
	for (let start = 0; start < ids.length; start += STOP_BUTTONS_PER_ROW) {
		const row = ids.slice(start, start + STOP_BUTTONS_PER_ROW);
		rows.push(
			actions(
				`${FeedbackAction.StopFollowing}-${start / STOP_BUTTONS_PER_ROW}`,
				row.map((id) =>
					button(
						appId,
						FeedbackAction.StopFollowing,
						t('follow_stop_button', { id: shortIdOf(id) }),
						id,
					),
				),
				appId,
			),
		);
	}
	return rows;
}
