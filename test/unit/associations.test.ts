import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RocketChatAssociationModel } from '@rocket.chat/apps-engine/definition/metadata';
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

import { buildAssociations, RecordScope } from '../../src/persistence/associations';

/** The associations as [model, id] pairs, in order. */
function pairs(
	associations: ReadonlyArray<RocketChatAssociationRecord>,
): Array<[RocketChatAssociationModel, string]> {
	return associations.map((association) => [association.getModel(), association.getID()]);
}

describe('buildAssociations', () => {
	it('a scope alone is one MISC association named by the scope', () => {
		assert.deepEqual(pairs(buildAssociations({ scope: RecordScope.Feedback })), [
			[RocketChatAssociationModel.MISC, 'feedback'],
		]);
	});

	it('a user comes first, then the scope', () => {
		assert.deepEqual(pairs(buildAssociations({ userId: 'user-1', scope: RecordScope.Feedback })), [
			[RocketChatAssociationModel.USER, 'user-1'],
			[RocketChatAssociationModel.MISC, 'feedback'],
		]);
	});

	it('keys follow the scope in the order given, namespaced by the scope', () => {
		assert.deepEqual(
			pairs(buildAssociations({ scope: RecordScope.PendingView, keys: ['view-1', 'extra'] })),
			[
				[RocketChatAssociationModel.MISC, 'pending-view'],
				[RocketChatAssociationModel.MISC, 'pending-view:view-1'],
				[RocketChatAssociationModel.MISC, 'pending-view:extra'],
			],
		);
	});

	it('orders user, scope and keys as [USER, MISC scope, MISC scope:key...]', () => {
		assert.deepEqual(
			pairs(buildAssociations({ userId: 'user-1', scope: RecordScope.Feedback, keys: ['id-1'] })),
			[
				[RocketChatAssociationModel.USER, 'user-1'],
				[RocketChatAssociationModel.MISC, 'feedback'],
				[RocketChatAssociationModel.MISC, 'feedback:id-1'],
			],
		);
	});

	it('an empty key list is the same as no keys', () => {
		assert.deepEqual(
			pairs(buildAssociations({ scope: RecordScope.MessageCounter, keys: [] })),
			pairs(buildAssociations({ scope: RecordScope.MessageCounter })),
		);
	});

	it('the same key in different scopes gives different associations', () => {
		const feedback = pairs(buildAssociations({ scope: RecordScope.Feedback, keys: ['k'] }));
		const counter = pairs(buildAssociations({ scope: RecordScope.MessageCounter, keys: ['k'] }));
		assert.deepEqual(feedback[1], [RocketChatAssociationModel.MISC, 'feedback:k']);
		assert.deepEqual(counter[1], [RocketChatAssociationModel.MISC, 'message-counter:k']);
	});

	it('an empty user id is still a user association', () => {
		assert.deepEqual(pairs(buildAssociations({ userId: '', scope: RecordScope.Feedback }))[0], [
			RocketChatAssociationModel.USER,
			'',
		]);
	});
});
