// The app on the Deno runtime that hands apps `uuid` (as Rocket.Chat's runtime does where
// `npm:uuid` resolves): the same full flow as on the runtime as shipped, where ids come from
// node's crypto. host/drivers/deno-runtime.ts describes the two runtimes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	closeAnonymousHour,
	entryLine,
	fixturePerTest,
	newestFirst,
	pendingViewCount,
	reply,
	roomMessages,
	runAnnouncements,
	sendFeedback,
	SETTING,
	shortIdsIn,
	storedFeedback,
	listText,
} from './app-fixture';
import { timed } from './timing';
import { copyRankOf } from '../../src/domain/record';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the full flow on the runtime that hands apps uuid', () => {
	const fixture = fixturePerTest('uuid runtime', { denoRuntime: 'with-uuid' });

	it('opens, submits, announces, lists and counts', async () => {
		const { host } = fixture();
		await host.setSetting(SETTING.announceRoom, 'feedback');
		const opened = await timed('open form', () =>
			host.runSlashCommand('alice', 'general', '/feedback'),
		);
		assert.ok(opened.view, 'the form opened');
		assert.equal(pendingViewCount(host), 1);
		await host.closeView('alice');

		const alice = await sendFeedback(host, 'alice', 'general', {
			comment: 'works with uuid',
			category: 'Praise',
			rating: '5',
		});
		const clara = await sendFeedback(host, 'clara', 'feedback', {
			comment: 'auch anonym',
			anonymous: ['anonymous'],
		});
		const records = await storedFeedback(host);
		for (const record of records) {
			// Drawn from the form's random id through uuid's v5 (src/domain/ids.ts feedbackIdOfForm).
			assert.match(record.id, UUID_V5, 'feedback ids are v5 uuids');
		}
		assert.ok(records.some((record) => record.id === alice.id));

		assert.equal(closeAnonymousHour(fixture()), 1);
		await runAnnouncements(host);
		const sent = (id: string) => {
			const record = records.find((candidate) => candidate.id === id);
			return record ? copyRankOf(record) : '';
		};
		assert.deepEqual(
			roomMessages(host, 'feedback').map((message) => message.text?.split('\n')[0]),
			[
				`New feedback \`${alice.id}\`, sent \`${sent(alice.id)}\`, in \`Praise\` (5/5) from \`Alice Doe\`:`,
				`New anonymous feedback \`${clara.id}\`, sent \`${sent(clara.id)}\`, in \`General\` (no rating):`,
			],
		);

		const own = await listText(host, 'alice', '/feedback list');
		assert.deepEqual(shortIdsIn(own), [alice.shortId]);
		const all = await reply(host, 'admin', '/feedback list all');
		// Newest first; clara's anonymous entry keeps only its hour, so it sorts at the hour.
		assert.deepEqual(
			shortIdsIn(all),
			newestFirst(records).map((record) => record.id.slice(0, 8)),
		);
		assert.match(entryLine(all, alice.shortId), / · `Praise` · 5\/5 · `alice`$/);

		await host.sendMessage('bruno', 'general', 'one message');
		assert.equal(
			await reply(host, 'admin', '/feedback stats'),
			[
				'*Feedback statistics*',
				'Feedback received: 2',
				'By category: `General` 1, `Praise` 1',
				'Average rating: 5.0 (1 rated)',
				'Distinct contributors: 1',
				'Sent anonymously: 1',
				'Messages sent on the server: 1',
				'Feedback per 1000 messages: 2000.0',
				'By status: New 2, Acknowledged 0, Planned 0, Done 0, Declined 0',
				'Median time to the first status change: no status was changed yet',
			].join('\n'),
		);
	});
});
