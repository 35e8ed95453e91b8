// The app's recurring jobs come back without a restart after a purge deleted them (a failed
// initialization on any instance cancels every job of the app, cluster-wide).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { SettingId } from '../../src/domain/settings';
import { ANNOUNCEMENT_PROCESSOR_ID, HEARTBEAT_EVERY_MS } from '../../src/handlers/AnnouncementJob';
import { DIGEST_CHECK_PROCESSOR_ID } from '../../src/handlers/DigestJob';
import { FOLLOW_DIGEST_PROCESSOR_ID } from '../../src/handlers/FollowDigestJob';
import { PENDING_FORMS_PROCESSOR_ID } from '../../src/handlers/PendingFormsJob';
import {
	JOBS_CHECK_EVERY_MS,
	JOBS_STALE_AFTER_MS,
	RECURRING_JOBS,
} from '../../src/handlers/RecurringJobs';
import { STATUS_NOTICE_PROCESSOR_ID } from '../../src/handlers/StatusNoticeJob';
import { SURVEY_ROUND_PROCESSOR_ID } from '../../src/handlers/SurveyRoundJob';
import { UPKEEP_PROCESSOR_ID } from '../../src/handlers/UpkeepJob';
import { VOTE_COUNT_PROCESSOR_ID } from '../../src/handlers/VoteCountJob';
import { WE_DID_PROCESSOR_ID } from '../../src/handlers/WeDidJob';
import { JobHeartbeat } from '../../src/persistence/JobHeartbeat';
import { APP_ID, TestWorld } from '../support/TestWorld';

function scheduledIds(world: TestWorld): string[] {
	return world.scheduledRecurring.map((job) => job.id);
}

describe('recurring jobs after a purge', () => {
	it('lists every recurring job of the app with the interval its processor starts with', () => {
		const world = new TestWorld();
		const processors = [
			world.instance.handlers.announcements.processor(),
			world.instance.handlers.pendingForms.processor(),
			world.instance.handlers.upkeep.processor(),
			world.instance.handlers.digest.processor(),
			world.instance.handlers.statusNotices.processor(),
			world.instance.handlers.followDigest.processor(),
			world.instance.handlers.voteCounts.processor(),
			world.instance.handlers.weDid.processor(),
		];
		assert.deepEqual(
			RECURRING_JOBS.map((job) => job.id),
			[
				ANNOUNCEMENT_PROCESSOR_ID,
				PENDING_FORMS_PROCESSOR_ID,
				UPKEEP_PROCESSOR_ID,
				DIGEST_CHECK_PROCESSOR_ID,
				STATUS_NOTICE_PROCESSOR_ID,
				FOLLOW_DIGEST_PROCESSOR_ID,
				VOTE_COUNT_PROCESSOR_ID,
				WE_DID_PROCESSOR_ID,
				SURVEY_ROUND_PROCESSOR_ID,
			],
		);
		for (const processor of processors) {
			assert.equal(processor.startupSetting?.type, StartupType.RECURRING, processor.id);
			const listed = RECURRING_JOBS.find((job) => job.id === processor.id);
			const startup = processor.startupSetting as { interval?: unknown } | undefined;
			assert.equal(listed?.interval, startup?.interval);
		}
	});

	it('notes the jobs run at most once a minute per instance, not on every 5 s run', async () => {
		const world = new TestWorld();
		const heartbeat = new JobHeartbeat(world.persistence.reader(APP_ID));
		await world.instance.runAnnouncements();
		const first = await heartbeat.last();
		assert.ok(first, 'the first run notes it');
		world.advance(5000);
		await world.instance.runAnnouncements();
		assert.equal((await heartbeat.last())?.getTime(), first.getTime(), 'not again 5 s later');
		world.advance(HEARTBEAT_EVERY_MS);
		await world.instance.runAnnouncements();
		const later = await heartbeat.last();
		assert.ok(
			later && later.getTime() >= first.getTime() + HEARTBEAT_EVERY_MS,
			'noted again a minute on',
		);
	});

	it('a command that finds no job run for two minutes schedules every recurring job again', async () => {
		const world = new TestWorld();
		await world.instance.runAnnouncements();
		await world.instance.run(world.alice, 'list', world.general, null);
		assert.deepEqual(world.scheduledRecurring, [], 'the jobs run: nothing to do');
		// The purge: no job runs any more.
		world.advance(JOBS_STALE_AFTER_MS + 1000);
		await world.instance.run(world.alice, 'list', world.general, null);
		assert.deepEqual(
			world.scheduledRecurring,
			RECURRING_JOBS.map((job) => ({ ...job })),
		);
		assert.match(world.lastNotice(world.alice), /feedback/i, 'the command still answers');
	});

	it('looks at most once a minute per instance, and again after that while the jobs stay gone', async () => {
		const world = new TestWorld();
		await world.instance.runAnnouncements();
		world.advance(JOBS_STALE_AFTER_MS + 1000);
		await world.instance.run(world.alice, 'list', world.general, null);
		await world.instance.run(world.alice, 'list', world.general, null);
		assert.equal(world.scheduledRecurring.length, RECURRING_JOBS.length, 'once within the minute');
		world.advance(JOBS_CHECK_EVERY_MS);
		await world.instance.run(world.alice, 'list', world.general, null);
		assert.equal(world.scheduledRecurring.length, 2 * RECURRING_JOBS.length);
		// The jobs are back: their next run is noted, and nothing is scheduled any more.
		await world.instance.runAnnouncements();
		world.advance(JOBS_CHECK_EVERY_MS);
		await world.instance.run(world.alice, 'list', world.general, null);
		assert.equal(world.scheduledRecurring.length, 2 * RECURRING_JOBS.length);
	});

	it('without any run ever noted, gives the jobs two minutes from the first look', async () => {
		const world = new TestWorld();
		await world.instance.run(world.alice, 'list', world.general, null);
		world.advance(JOBS_CHECK_EVERY_MS);
		await world.instance.run(world.alice, 'list', world.general, null);
		assert.deepEqual(world.scheduledRecurring, []);
		world.advance(JOBS_STALE_AFTER_MS);
		await world.instance.run(world.alice, 'list', world.general, null);
		assert.deepEqual(
			scheduledIds(world),
			RECURRING_JOBS.map((job) => job.id),
		);
	});

	it('a submit notices it too, and a failing scheduler is logged without failing the submit', async () => {
		const world = new TestWorld();
		world.settings.set(SettingId.AnnounceRoom, '#feedback');
		await world.instance.runAnnouncements();
		await world.instance.run(world.alice, '');
		world.advance(JOBS_STALE_AFTER_MS + 1000);
		world.scheduledRecurring.push = () => {
			throw new Error('injected scheduler failure');
		};
		const response = await world.instance.submit(world.alice, world.lastView(world.alice), {
			comment: 'still stored',
			category: 'Bug',
		});
		assert.equal(response.success, true);
		assert.equal(world.roomMessages.length, 1, 'announced all the same');
		assert.match(String(world.instance.log.errors.at(-1)?.[0]), /recurring jobs/);

		delete (world.scheduledRecurring as { push?: unknown }).push;
		world.advance(JOBS_CHECK_EVERY_MS);
		await world.instance.run(world.bruno, 'list', world.general, null);
		assert.deepEqual(
			scheduledIds(world),
			RECURRING_JOBS.map((job) => job.id),
		);
	});
});
