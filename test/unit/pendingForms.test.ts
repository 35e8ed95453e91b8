import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formOfView } from '../../src/domain/form';
import type { IFormView } from '../../src/domain/form';
import { pendingFormKey } from '../../src/domain/ids';
import { PENDING_FORM_LIFETIME_MS } from '../../src/handlers/PendingFormsJob';
import { MAX_PENDING_PER_MEMBER } from '../../src/persistence/PendingViewStore';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { APP_ID, TestWorld } from '../support/TestWorld';

function pending(world: TestWorld, userId?: string) {
	return world.persistence.matching(
		APP_ID,
		buildAssociations({ userId, scope: RecordScope.PendingView }),
	);
}

/** The key a form is kept under with its member. */
function formKeyOf(view: IFormView): string {
	const form = formOfView(view);
	assert.ok(form?.kind === 'form', `a form of this version: ${view.id}`);
	return pendingFormKey(form.formId);
}

describe('abandoned forms', () => {
	it('are bounded per member: opening one more forgets the oldest', async () => {
		const world = new TestWorld();
		for (let index = 0; index < 200; index += 1) {
			world.advance(1000);
			await world.instance.run(world.alice, '');
		}
		await world.instance.run(world.bruno, '');
		assert.equal(pending(world, world.alice.id).length, MAX_PENDING_PER_MEMBER);
		assert.equal(pending(world, world.bruno.id).length, 1, "another member's forms are untouched");
		// The newest forms are the ones kept: the last one opened can still be sent.
		const response = await world.instance.submit(world.alice, world.lastView(world.alice), {
			comment: 'the last form',
			category: 'Bug',
		});
		assert.equal(response.success, true);
		const oldest = world.openedViews.find((entry) => entry.user.id === world.alice.id);
		assert.ok(oldest);
		const stale = await world.instance.submit(world.alice, oldest.view, {
			comment: 'the first form',
			category: 'Bug',
		});
		assert.equal(stale.success, false);
		assert.match(JSON.stringify(stale), /no longer open/);
	});

	it('are purged by the hourly job once a day old, whoever opened them', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, '');
		await world.instance.run(world.bruno, '');
		world.advance(PENDING_FORM_LIFETIME_MS - 60_000);
		await world.instance.run(world.clara, '');
		assert.equal(await world.instance.purgeForms(), 0);
		world.advance(60_000);
		assert.equal(await world.instance.purgeForms(), 2);
		assert.deepEqual(
			pending(world).map((record) => (record.data as { formKey: string }).formKey),
			[formKeyOf(world.lastView(world.clara))],
		);
	});
});
