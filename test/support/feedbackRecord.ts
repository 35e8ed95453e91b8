import type { IFeedbackRecord } from '../../src/domain/record';

/** A named feedback as stored (alice's, a Bug rated 4), with any field overridden. */
export function feedbackRecord(overrides: Partial<IFeedbackRecord> = {}): IFeedbackRecord {
	return {
		id: '1a2b3c4d-0000-4000-8000-000000000001',
		comment: 'The search is slow',
		category: 'Bug',
		rating: 4,
		anonymous: false,
		author: { id: 'user-alice', username: 'alice', name: 'Alice Liddell' },
		roomId: 'room-1',
		createdAt: '2024-03-05T07:08:09.000Z',
		updatedAt: '2024-03-05T07:08:09.000Z',
		...overrides,
	};
}
