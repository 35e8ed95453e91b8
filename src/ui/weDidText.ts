import { COMMENT_PREVIEW_LENGTH, quoteName, quoteUserText } from './messages';
import { DEFAULT_MESSAGE_MAX_SIZE, fitMessage } from '../domain/messageSize';
import { shortIdOf } from '../domain/record';
import type { IFeedbackRecord } from '../domain/record';
import { MAX_NOTE_LENGTH } from '../domain/status';
import type { IStatusChange } from '../domain/status';
import { weDidReference } from '../domain/weDid';
import type { Translator } from '../i18n/translate';

/**
 * The "You said, we did" post of a change that moved a feedback to Done: its heading names the
 * feedback's short id and the reference every copy of the job finds it by, then the category and
 * the start of the comment, then the admin's note (when there is one). It never names the author,
 * of any feedback. What people typed is quoted inert (quoteUserText) and cut, the comment first,
 * then the note, then the category, to at most `maxSize` UTF-16 units (Message_MaxAllowedSize).
 */
export function formatWeDid(
	record: Pick<IFeedbackRecord, 'id' | 'category' | 'comment'>,
	change: Pick<IStatusChange, 'id' | 'note'>,
	t: Translator,
	maxSize = DEFAULT_MESSAGE_MAX_SIZE,
): string {
	const heading = t('we_did_heading', {
		id: shortIdOf(record.id),
		ref: `\`${weDidReference(record.id, change.id)}\``,
	});
	return fitMessage(maxSize, 3, ([comment, note, category]) => {
		const lines = [
			heading,
			t('we_did_feedback', {
				category: quoteName(record.category, category),
				comment: quoteUserText(record.comment, COMMENT_PREVIEW_LENGTH, comment),
			}),
		];
		if (change.note.trim() !== '') {
			lines.push(
				t('status_notice_note', { note: quoteUserText(change.note, MAX_NOTE_LENGTH, note) }),
			);
		}
		return lines.join('\n');
	});
}

/**
 * Whether a message is a copy of the post with this reference: the reference is the one inline
 * code of its first line. Other posts in the room (announcements) quote several things there,
 * what people typed among them, so none can pass for a copy.
 */
export function isWeDidPostOf(text: string | undefined, reference: string): boolean {
	const heading = (text ?? '').split('\n', 1)[0];
	// Split on backticks, a heading with one inline code is three parts, the code in the middle.
	const parts = heading.split('`');
	return parts.length === 3 && parts[1] === reference;
}
