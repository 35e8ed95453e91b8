// Exactly one announcement per stored feedback on a cluster whose scheduler is not exact: forms
// submitted to three instances at once (a client's retries through a load balancer, each with a
// different comment), each submit announcing its feedback itself, some posts landing with their
// answer lost, and the job ('announce-feedback') stored three times, its copies run at the same
// moment on different instances. At rest the room holds one announcement per stored feedback,
// with the stored comment. Jobs deleted by a purge come back after a submit, without a restart.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import {
	type ClusterInstance,
	type IOpenView,
	type IStoredJob,
	type ITimelineMessage,
	JobStore,
	SqlitePersistenceBridge,
} from '../../host';
import { RECURRING_JOBS } from '../../src/handlers/RecurringJobs';
import { timed } from '../engine/timing';
import { ageAnonymousAnnouncements } from '../support/anonymous-announcements';
import { ageJobsHeartbeat, appIdOf, jobNames } from '../support/cluster-app';
import {
	type ITestCluster,
	settingBroadcastsSettled,
	withCluster,
} from '../support/cluster-harness';
import { duplicateRecurringJob } from '../support/duplicate-jobs';
import { until, withDeadline } from '../support/until';

const USERS = ['alice', 'bruno', 'clara'];
const ANNOUNCE_ROOM = 'feedback';
/** Forms raced in each test. */
const FORMS = 10;
/** The job's interval ('5 seconds', src/handlers/AnnouncementJob.ts ANNOUNCEMENT_INTERVAL). */
const JOB_PERIOD_MS = 5000;
/** The queue's association (RecordScope.AnnouncementQueue, src/persistence/associations.ts). */
const QUEUE = { model: 'misc', id: 'announcement-queue' };
const ANNOUNCE_JOB = 'announce-feedback_';
const TEST_TIMEOUT_MS = 180_000;

/** One raced form: who opened it where, and the comment each instance was sent. */
interface IRacedForm {
	readonly index: number;
	readonly username: string;
	readonly view: IOpenView;
	/** The comment sent through each instance, by instance name. */
	readonly comments: ReadonlyMap<string, string>;
}

/** A feedback as `/feedback list` shows it. */
interface IListedFeedback {
	readonly shortId: string;
	readonly comment: string;
}

/** How many entries the announcement queue holds (copies included). */
function queuedCount(cluster: ITestCluster, appId: string): number {
	return new SqlitePersistenceBridge(cluster.database).countRecords(appId, [QUEUE]);
}

/** The announcement job as the shared database holds it. */
function announceJob(cluster: ITestCluster): IStoredJob {
	const job = new JobStore(cluster.database)
		.all()
		.find((candidate) => candidate.name.startsWith(ANNOUNCE_JOB));
	assert.ok(job, 'the app registered its announcement job');
	return job;
}

function announcements(cluster: ITestCluster): Promise<ITimelineMessage[]> {
	return withDeadline(cluster.instances[0].timeline(ANNOUNCE_ROOM), 'the room timeline');
}

/** Turns announcements on for the whole cluster and waits until every instance has it. */
async function announceIn(cluster: ITestCluster, room: string): Promise<void> {
	await withDeadline(
		cluster.instances[0].setSetting('feedback_announce_room', room),
		'the setting change',
	);
	await settingBroadcastsSettled();
	for (const instance of cluster.instances) {
		const setting = (await withDeadline(instance.appSettings(), 'the app settings'))
			.feedback_announce_room;
		assert.equal(setting?.value, room, `${instance.name} announces in #${room}`);
	}
}

/**
 * Opens FORMS forms (form i for one member, on one instance), then submits every form to all
 * three instances at once, each copy with its own comment, as racing client retries.
 */
async function raceForms(cluster: ITestCluster): Promise<{
	forms: IRacedForm[];
	answers: Array<{
		form: number;
		instance: string;
		accepted: boolean;
		timedOut: boolean;
		errors: Record<string, string>;
	}>;
}> {
	const { instances } = cluster;
	const forms: IRacedForm[] = [];
	for (let index = 0; index < FORMS; index += 1) {
		const username = USERS[index % USERS.length];
		const opener = instances[index % instances.length];
		await withDeadline(opener.command(username, 'general', '/feedback'), '/feedback');
		const view = await withDeadline(opener.openView(username), 'the open view');
		assert.ok(view, `form ${index} opened on ${opener.name}`);
		const comments = new Map(
			instances.map((instance) => [instance.name, `form ${index} via ${instance.name}`]),
		);
		forms.push({ index, username, view, comments });
	}
	// Form by form, the three copies of one form at once: they meet on the instances together,
	// as retries of one click do.
	const race = async (form: IRacedForm) =>
		Promise.all(
			instances.map(async (instance: ClusterInstance) => {
				const answer = await instance.submit(form.username, form.view, {
					comment: form.comments.get(instance.name),
					category: 'Bug',
				});
				return { form: form.index, instance: instance.name, ...answer };
			}),
		);
	const answers = await timed(`${FORMS} forms, each submitted to 3 instances at once`, async () => {
		const all = [];
		for (const form of forms) {
			all.push(...(await withDeadline(race(form), `the racing submits of form ${form.index}`)));
		}
		return all;
	});
	return { forms, answers };
}

/** Every feedback a member's `/feedback list` shows, through every page. */
async function listed(instance: ClusterInstance, username: string): Promise<IListedFeedback[]> {
	const entries = new Map<string, string>();
	for (let page = 1; page <= 50; page += 1) {
		const text = (
			await withDeadline(
				instance.command(username, 'general', `/feedback list ${page}`, { noTrigger: true }),
				'/feedback list',
			)
		).join('\n');
		// An entry: "*<short id>* · date · category · rating", then "> `comment`".
		const found = [...text.matchAll(/^\*([^*\s]+)\*.*\n> `([^`]*)`$/gm)];
		if (found.length === 0) {
			break;
		}
		for (const [, shortId, comment] of found) {
			entries.set(shortId, comment);
		}
	}
	return [...entries].map(([shortId, comment]) => ({ shortId, comment }));
}

/**
 * Checks the room against what is stored: one announcement per stored feedback, each with the
 * stored comment, and one stored feedback per raced form with one of the comments sent for it.
 */
async function assertOneAnnouncementPerStoredFeedback(
	cluster: ITestCluster,
	forms: IRacedForm[],
): Promise<void> {
	const stored: IListedFeedback[] = [];
	for (const username of USERS) {
		stored.push(...(await listed(cluster.instances[1], username)));
	}
	assert.equal(stored.length, FORMS, `one stored feedback per form: ${JSON.stringify(stored)}`);
	for (const form of forms) {
		const ofForm = stored.filter((entry) => entry.comment.startsWith(`form ${form.index} via `));
		assert.equal(ofForm.length, 1, `form ${form.index} stored once`);
		assert.ok(
			[...form.comments.values()].includes(ofForm[0].comment),
			`form ${form.index} stored one of its own comments: ${ofForm[0].comment}`,
		);
	}
	const posted = await announcements(cluster);
	assert.equal(
		posted.length,
		FORMS,
		`one announcement per feedback:\n${posted.map((message) => message.text).join('\n')}`,
	);
	assert.equal(new Set(posted.map((message) => message.sender)).size, 1, 'all from the app user');
	for (const entry of stored) {
		const about = posted.filter((message) => message.text.split('\n')[0].includes(entry.shortId));
		assert.equal(about.length, 1, `one announcement of ${entry.shortId}`);
		const quoted = /^> `([^`]*)`$/m.exec(about[0].text)?.[1];
		assert.equal(
			quoted,
			entry.comment,
			`the announcement of ${entry.shortId} shows the stored comment, not another copy's`,
		);
	}
}

/** Every racing submit was answered as stored, in time: none says "no longer open". */
function assertAllAccepted(answers: Awaited<ReturnType<typeof raceForms>>['answers']): void {
	const refused = answers.filter(
		(answer) => !answer.accepted || answer.timedOut || Object.keys(answer.errors).length > 0,
	);
	assert.deepEqual(refused, [], 'every racing submit is answered as stored');
	assert.equal(answers.length, FORMS * 3);
}

describe('racing submits on three instances, the announcement job run by hand', () => {
	// A frozen shared clock and no polling loops: the job runs only when the test runs it.
	const START = Date.UTC(2030, 0, 7, 12, 0, 0);
	let raced:
		| Promise<{ cluster: ITestCluster; race: Awaited<ReturnType<typeof raceForms>> }>
		| undefined;
	let release: (() => void) | undefined;
	let finished: Promise<void> | undefined;

	/**
	 * Builds this describe's state once, for whichever of its tests runs first (each passes alone):
	 * a cluster announcing in #feedback, FORMS forms raced on it.
	 */
	function racedCluster() {
		raced ??= new Promise((resolve, reject) => {
			finished = withCluster({ frozenAt: START }, async (cluster) => {
				await announceIn(cluster, ANNOUNCE_ROOM);
				// Three job documents, as concurrent registrations can leave (duplicate-jobs.ts).
				duplicateRecurringJob(cluster.database, ANNOUNCE_JOB, 2);
				// Each instance's first two posts land, but the submit is told they failed.
				for (const instance of cluster.instances) {
					await instance.loseMessageAnswers(2);
				}
				const race = await raceForms(cluster);
				resolve({ cluster, race });
				// Keep the cluster up until the describe is done.
				await new Promise<void>((done) => {
					release = done;
				});
			}).catch(reject);
		});
		return raced;
	}

	after(async () => {
		release?.();
		await finished;
	});

	it(
		'every racing submit is answered as stored (none is told the form is no longer open)',
		{ timeout: TEST_TIMEOUT_MS },
		async () => {
			const { race } = await racedCluster();
			assertAllAccepted(race.answers);
		},
	);

	it(
		`${FORMS} forms each submitted to 3 instances at once, lost answers, the job's 3 copies run at once: ${FORMS} announcements, each with the stored comment, and later runs add none`,
		{ timeout: TEST_TIMEOUT_MS },
		async () => {
			const { cluster, race } = await racedCluster();
			const appId = appIdOf(cluster);
			// What the job finds: the entries of the submits whose post's answer was lost.
			const left = queuedCount(cluster, appId);
			console.log(
				`# before the job: ${left} queued, ${(await announcements(cluster)).length} posted`,
			);
			assert.ok(left > 0, 'lost answers left announcements to the job');
			let mostRunsAtOnce = 0;
			const runAllAtOnce = async () => {
				cluster.clock.advance(JOB_PERIOD_MS);
				const runs = await withDeadline(
					Promise.all(cluster.instances.map((instance) => instance.runDueJobs())),
					'the due jobs to run',
				);
				// The app has other recurring jobs (the purge of abandoned forms): count this one's runs.
				return runs.flat().filter((run) => run.name.startsWith(ANNOUNCE_JOB));
			};
			let rounds = 0;
			await until(
				async () => {
					rounds += 1;
					const runs = await runAllAtOnce();
					mostRunsAtOnce = Math.max(mostRunsAtOnce, runs.length);
					assert.ok(
						runs.every((run) => run.ok),
						`the job ran without error: ${JSON.stringify(runs)}`,
					);
					return (
						queuedCount(cluster, appId) === 0 && (await announcements(cluster)).length >= FORMS
					);
				},
				'the queue to be worked off',
				{
					deadlineMs: 60_000,
					everyMs: 0,
					describe: async () =>
						`${queuedCount(cluster, appId)} queued, ${(await announcements(cluster)).length} posted after ${rounds} rounds`,
				},
			);
			assert.ok(mostRunsAtOnce >= 2, `copies of the job ran at once: ${mostRunsAtOnce}`);
			// A racing submit's follow-up may still be between its post and its removal of the
			// surplus copy (a duplicate visible for a moment, README "Limits"): wait for rest.
			await until(
				async () => (await announcements(cluster)).length <= FORMS,
				'the surplus copies of racing posts to be removed',
				{
					deadlineMs: 60_000,
					everyMs: 100,
					describe: async () => `${(await announcements(cluster)).length} posted`,
				},
			);
			await assertOneAnnouncementPerStoredFeedback(cluster, race.forms);
			for (let round = 0; round < 3; round += 1) {
				await runAllAtOnce();
			}
			assert.equal((await announcements(cluster)).length, FORMS, 'later runs post nothing more');
		},
	);
});

describe("racing submits on three instances with the scheduler's polling loops running", () => {
	it(
		`the loops post exactly ${FORMS} announcements with the stored comments, and none more over later job periods`,
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			// The shared clock runs (not frozen); each instance polls every 50 ms.
			withCluster({ schedulerProcessEveryMs: 50 }, async (cluster) => {
				await announceIn(cluster, ANNOUNCE_ROOM);
				const { forms, answers } = await raceForms(cluster);
				assertAllAccepted(answers);
				const appId = appIdOf(cluster);
				// The job is due at most one period from now; move the clock so it is due at once.
				cluster.clock.advance(JOB_PERIOD_MS);
				await until(
					async () =>
						(await announcements(cluster)).length >= FORMS && queuedCount(cluster, appId) === 0,
					`${FORMS} announcements`,
					{
						deadlineMs: 60_000,
						everyMs: 50,
						describe: async () =>
							`${(await announcements(cluster)).length} posted, ${queuedCount(cluster, appId)} queued`,
					},
				);
				await assertOneAnnouncementPerStoredFeedback(cluster, forms);
				// Three more job periods: each time the job runs again (on some instance) and posts nothing.
				for (let period = 1; period <= 3; period += 1) {
					const movedTo = cluster.clock.advance(JOB_PERIOD_MS);
					await until(
						() => {
							const job = announceJob(cluster);
							// Started after the clock moved, and saved as finished.
							return (
								job.lastRunAt !== null &&
								job.lastRunAt >= movedTo &&
								job.lastFinishedAt !== null &&
								job.lastFinishedAt >= job.lastRunAt &&
								job.lockedAt === null
							);
						},
						`the job to run after period ${period}`,
						{ deadlineMs: 30_000, describe: () => JSON.stringify(announceJob(cluster)) },
					);
					assert.equal(
						(await announcements(cluster)).length,
						FORMS,
						`no announcement added in period ${period}`,
					);
				}
			}),
	);
});

describe("the app's jobs deleted by a purge", () => {
	it(
		'come back after a command and a submit, without restarting any instance, and announce again',
		{ timeout: TEST_TIMEOUT_MS },
		() =>
			withCluster({ frozenAt: Date.UTC(2030, 0, 7, 12, 0, 0) }, async (cluster) => {
				await announceIn(cluster, ANNOUNCE_ROOM);
				const appId = appIdOf(cluster);
				const jobs = new JobStore(cluster.database);
				const names = () => jobNames(cluster);
				const registered = names();
				assert.deepEqual(registered, RECURRING_JOBS.map((job) => `${job.id}_${appId}`).sort());
				// The job runs once and notes it; then nothing runs for ten minutes (the app's clock
				// is real time: the note is moved back instead).
				cluster.clock.advance(JOB_PERIOD_MS);
				await withDeadline(cluster.instances[0].runDueJobs(), 'the due jobs');
				await ageJobsHeartbeat(cluster, appId, 10 * 60 * 1000);
				// The purge: cancelAllJobs deletes every job of the app (Agenda.cancel by name suffix).
				assert.equal(jobs.removeByNameSuffix(`_${appId}`), RECURRING_JOBS.length);

				const instance = cluster.instances[1];
				await withDeadline(instance.command('bruno', 'general', '/feedback'), '/feedback');
				const view = await withDeadline(instance.openView('bruno'), 'the open view');
				assert.ok(view, 'the form opened');
				const answer = await withDeadline(
					instance.submit('bruno', view, {
						comment: 'after the purge',
						category: 'Bug',
						anonymous: ['anonymous'],
					}),
					'the submit',
				);
				assert.equal(answer.accepted, true);
				assert.deepEqual(names(), registered, 'every recurring job is scheduled again');
				// Its hour closes (the app's clock is real time: the queue entry is moved back instead).
				assert.equal(ageAnonymousAnnouncements(cluster.database, appId), 1);

				cluster.clock.advance(JOB_PERIOD_MS);
				await withDeadline(
					Promise.all(cluster.instances.map((each) => each.runDueJobs())),
					'the due jobs',
				);
				const posted = (await announcements(cluster)).filter((message) =>
					message.text.includes('after the purge'),
				);
				assert.equal(posted.length, 1, 'the anonymous feedback is announced by the job, once');
				assert.equal(queuedCount(cluster, appId), 0);
			}),
	);
});
