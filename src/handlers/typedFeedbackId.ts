import type { ICommandRequest } from './requestContext';
import type { IFeedbackRecord } from '../domain/record';
import { isFeedbackIdInput } from '../domain/record';
import type { MessageKey } from '../i18n/translate';
import { quoteName } from '../ui/messages';

/** How a command looks a typed id up, and what it says when there is none. */
export interface ITypedIdLookup {
	/** Only this member's feedback (through their USER association); anyone's when absent. */
	readonly ownerId?: string;
	/** The reply when no feedback has the id. */
	readonly notFound: MessageKey;
}

/**
 * The one feedback a member means by an id they typed (whole or its first characters), or
 * undefined once they were told why there is none: not an id, no such feedback, or several.
 */
export async function feedbackByTypedId(
	request: ICommandRequest,
	typedId: string,
	lookup: ITypedIdLookup,
): Promise<IFeedbackRecord | undefined> {
	const { t } = request;
	if (!isFeedbackIdInput(typedId)) {
		await request.reply(t('delete_invalid_id', { id: quoteName(typedId) }));
		return undefined;
	}
	const matches = await request.stores.feedback.findByTypedId(typedId, lookup.ownerId);
	if (matches.length === 1) {
		return matches[0];
	}
	await request.reply(
		matches.length === 0
			? t(lookup.notFound, { id: typedId })
			: t('delete_ambiguous', {
					id: typedId,
					candidates: matches.map((record) => record.id).join(', '),
				}),
	);
	return undefined;
}
