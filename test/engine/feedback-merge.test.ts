// Issue 22, through the packaged app: an admin merges a duplicate into another entry in the admin
// view; the duplicate is marked and points to its target, votes count once at the target, the
// duplicate's author is told where to follow it; refusals, a forged merge, a merge confirmed twice,
// racing merges, the order by votes and statistics that count the pair once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	appLogLines,
	appUsername,
	buttonClick,
	elementsIn,
	fixturePerTest,
	type ISentFeedback,
	openAdminView,
	reply,
	runStatusNotices,
	selectChoice,
	sendFeedback,
	snapshot,
	statusChanges,
	viewEntries,
	viewLines,
} from './app-fixture';
import type { IBlockAction, IOpenView, LocalHost } from '../../host';
import { decodeMergeRef } from '../../src/domain/actions';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';

const short = (sent: ISentFeedback) => sent.shortId;

/**
 * What an admin click answered: the admin view, still open. With `on`, the click is sent on that
 * earlier state of the modal (a client still showing it).
 */
async function click(host: LocalHost, action: IBlockAction, on?: IOpenView): Promise<IOpenView> {
	const result = on
		? await host.blockActionOn('admin', on, action)
		: await host.blockAction('admin', 'modal', action);
	assert.equal(result.error, undefined, 'the app answered');
	assert.deepEqual(result.refused, [], 'the client took the answer');
	assert.equal(result.view?.viewId, 'feedback-admin', 'the admin view is still open');
	return snapshot(result.view);
}

/** Merge into… on `source` in the open admin view, then `target` chosen: the confirmation. */
async function askToMerge(
	host: LocalHost,
	source: ISentFeedback,
	target: ISentFeedback,
): Promise<IOpenView> {
	const form = await click(
		host,
		buttonClick(host.openView('admin'), 'admin-merge', { valueHolds: source.id }),
	);
	const select = elementsIn(form).find((element) => element.actionId === 'admin-merge-target');
	const option = select?.options.find(
		(candidate) => decodeMergeRef(candidate.value)?.targetId === target.id,
	);
	assert.ok(select && option, `${target.shortId} is offered: ${JSON.stringify(select)}`);
	return click(host, { blockId: select.blockId, actionId: select.actionId, value: option.value });
}

function mergeClick(confirm: IOpenView): IBlockAction {
	return buttonClick(confirm, 'admin-merge-confirm', { label: 'Merge' });
}

/** Stores a member's vote as the vote button stores it (one record per click). */
async function storeVote(host: LocalHost, memberId: string, feedbackId: string): Promise<void> {
	await host.persistence.createWithAssociations(
		{
			feedbackId,
			memberId,
			voted: true,
			clickId: `c-${memberId}-${feedbackId}`,
			at: new Date().toISOString(),
		},
		buildAssociations({
			userId: memberId,
			scope: RecordScope.FeedbackVote,
			keys: [`feedback:${feedbackId}`, `click:c-${memberId}-${feedbackId}`],
		}),
		host.getAppId(),
	);
}

async function mergeRecords(host: LocalHost): Promise<unknown[]> {
	return host.persistence.readByAssociations(
		buildAssociations({ scope: RecordScope.FeedbackMerge }),
		host.getAppId(),
	);
}

describe('merging duplicates in the admin view', () => {
	const fixture = fixturePerTest('merges');

	it('merges a duplicate: marked, pointing to its target, votes once, its author told where to follow', async () => {
		const { host } = fixture();
		const target = await sendFeedback(host, 'alice', 'general', {
			comment: 'dark mode',
			category: 'Idea',
		});
		const source = await sendFeedback(host, 'bruno', 'general', {
			comment: 'tema escuro',
			category: 'Idea',
		});
		await storeVote(host, 'voter-1', target.id);
		await storeVote(host, 'voter-1', source.id);
		await storeVote(host, 'voter-2', source.id);
		await openAdminView(host);
		const confirm = await askToMerge(host, source, target);
		assert.ok(viewLines(confirm).includes(`Merge ${short(source)} as a duplicate…`));
		const done = await click(host, mergeClick(confirm));
		const lines = viewLines(done);
		assert.match(
			lines[0],
			new RegExp(`^${short(source)} is merged into ${short(target)}: .* Its author is told`),
		);
		const shown = viewEntries(done).find((entry) => entry.shortId === short(source));
		assert.equal(shown?.status, 'Duplicate');
		assert.ok(
			lines.includes(`Duplicate of ${short(target)}: its votes and followers count there.`),
		);
		// voter-1 voted on both (once); followers: both authors and both voters.
		assert.ok(lines.includes('Votes: 2 · Followers: 4'), lines.join('\n'));
		assert.ok(
			!elementsIn(done).some(
				(element) => element.actionId === 'admin-merge' && element.value?.includes(source.id),
			),
			'a duplicate is not merged again',
		);
		assert.deepEqual(
			(await statusChanges(host)).map((change) => [change.feedbackId, change.status, change.note]),
			[[source.id, 'duplicate', short(target)]],
		);
		assert.ok(lines.includes('Feedback received: 1'), 'the statistics count the pair once');
		assert.equal(
			await reply(host, 'admin', '/feedback stats').then((text) =>
				/Feedback received: 1\n/.test(text),
			),
			true,
		);
		await runStatusNotices(fixture());
		const room = host.directRoom([appUsername(host), 'bruno']);
		assert.ok(room, 'bruno is told');
		const [told] = host.timeline(room.id);
		assert.match(told.text, /Duplicado/);
		assert.match(told.text, new RegExp(`Ele foi mesclado em ${short(target)}: siga aquele agora`));
	});

	it('refuses what cannot be merged, in the admin’s words, and a merge confirmed twice stores one', async () => {
		const { host } = fixture();
		const one = await sendFeedback(host, 'alice', 'general', { comment: 'one' });
		const two = await sendFeedback(host, 'alice', 'general', { comment: 'two' });
		const three = await sendFeedback(host, 'alice', 'general', { comment: 'three' });
		await openAdminView(host);
		const oneIntoTwo = await askToMerge(host, one, two);
		await openAdminView(host);
		const threeIntoOne = await askToMerge(host, three, one);
		await openAdminView(host);
		const twoIntoOne = await askToMerge(host, two, one);
		await click(host, mergeClick(oneIntoTwo), oneIntoTwo);
		const again = await click(host, mergeClick(oneIntoTwo), oneIntoTwo);
		assert.match(viewLines(again)[0], /is merged into/, 'the repeat answers as the first did');
		assert.equal((await mergeRecords(host)).length, 1, 'one merge');
		assert.equal((await statusChanges(host)).length, 1, 'one status change');
		assert.equal(
			viewLines(await click(host, mergeClick(threeIntoOne), threeIntoOne))[0],
			`Not merged: ${short(one)} is already merged into ${short(two)}. Merge ${short(three)} into ${short(two)} instead.`,
		);
		assert.equal(
			viewLines(await click(host, mergeClick(twoIntoOne), twoIntoOne))[0],
			`Not merged: ${short(one)} is already merged into ${short(two)}; they count as one entry.`,
		);
		await reply(host, 'admin', `/feedback delete ${short(three)}`);
		await openAdminView(host);
		const threeIntoTwo = await askToMerge(host, two, three).catch(() => undefined);
		assert.equal(threeIntoTwo, undefined, 'a deleted entry is not offered');
		assert.equal((await mergeRecords(host)).length, 1);
	});

	it("refuses and logs a member's forged merge, a malformed one, and keeps one of two racing merges", async () => {
		const { host } = fixture();
		const a = await sendFeedback(host, 'alice', 'general', { comment: 'a' });
		const b = await sendFeedback(host, 'bruno', 'general', { comment: 'b' });
		await openAdminView(host);
		const aIntoB = await askToMerge(host, a, b);
		const forged = await host.blockActionOn('alice', aIntoB, mergeClick(aIntoB));
		assert.deepEqual(forged.response, { success: true }, 'a bare success, no view');
		const malformed = await click(host, {
			...mergeClick(aIntoB),
			value: '{"id":"x","t":"y","f":"z"}',
		});
		assert.match(viewLines(malformed)[0], /That merge could not be read/);
		const logged = await appLogLines(host);
		assert.ok(
			logged.some((line) => line.includes('refused merge of alice')),
			logged.join('\n'),
		);
		assert.ok(logged.some((line) => line.includes('refused a malformed merge of admin')));
		assert.deepEqual(await mergeRecords(host), []);

		await openAdminView(host);
		const bIntoA = await askToMerge(host, b, a);
		const [first, second] = await Promise.all([
			host.blockActionOn('admin', aIntoB, mergeClick(aIntoB)),
			host.blockActionOn('admin', bIntoA, mergeClick(bIntoA)),
		]);
		// Each answer as the app gave it (the open view shows the last of the two).
		const answers = [first, second].map(
			(result) => viewLines((result.response as { view?: { blocks?: unknown[] } }).view)[0],
		);
		assert.equal(
			answers.filter((line) => /is merged into/.test(line)).length,
			1,
			answers.join('\n'),
		);
		assert.equal(answers.filter((line) => /^Not merged/.test(line)).length, 1, answers.join('\n'));
		assert.equal(
			(await statusChanges(host)).length,
			1,
			'only the merge that holds marks its duplicate',
		);
	});

	it('sorts by votes, a duplicate’s votes counting for its target, ties newest first', async () => {
		const { host } = fixture();
		const oldest = await sendFeedback(host, 'alice', 'general', {
			comment: 'oldest',
			category: 'Bug',
		});
		const middle = await sendFeedback(host, 'alice', 'general', {
			comment: 'middle',
			category: 'Bug',
		});
		const newest = await sendFeedback(host, 'alice', 'general', {
			comment: 'newest',
			category: 'Idea',
		});
		const dupe = await sendFeedback(host, 'alice', 'general', { comment: 'dupe', category: 'Bug' });
		await storeVote(host, 'm1', middle.id);
		await storeVote(host, 'm1', oldest.id);
		await storeVote(host, 'm2', dupe.id);
		await openAdminView(host);
		await click(host, mergeClick(await askToMerge(host, dupe, oldest)));
		const sorted = await click(
			host,
			selectChoice(host.openView('admin'), 'admin-sort', 'Most votes first'),
		);
		assert.deepEqual(
			viewEntries(sorted).map((entry) => entry.shortId),
			[oldest, middle, dupe, newest].map(short),
		);
		const bugs = await click(host, selectChoice(sorted, 'admin-filter-category', 'Bug'));
		assert.deepEqual(
			viewEntries(bugs).map((entry) => entry.shortId),
			[oldest, middle, dupe].map(short),
			'filters still apply, and the order stays',
		);
		const byNewest = await click(host, selectChoice(bugs, 'admin-sort', 'Newest first'));
		assert.deepEqual(
			viewEntries(byNewest).map((entry) => entry.shortId),
			[dupe, middle, oldest].map(short),
		);
	});
});
